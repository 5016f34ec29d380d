// `npm start` on a machine that already runs a broker on the default MQTT port (a local Mosquitto on 1883): the
// embedded broker takes the next free port instead of refusing to start, the platform's own ingest uses it, and
// `npm run simulate` finds it (DATA_DIR/demo-broker-url). A port MQTT_PORT sets is never moved (test/unit/config).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../common/config.ts';
import { createLogger } from '../../common/logger.ts';
import { startPlatform, type Platform } from '../../platform.ts';
import { freshDatabase, type TestDatabase } from '../helpers/database.ts';

describe('the embedded broker beside a broker that holds the default port', () => {
  const held = net.createServer();
  let heldPort = 0;
  let db: TestDatabase;
  let dataDir = '';
  let platform: Platform;

  beforeAll(async () => {
    await new Promise<void>((r) => held.listen(0, '0.0.0.0', () => r()));
    heldPort = (held.address() as net.AddressInfo).port;
    db = await freshDatabase();
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'preempt-mqtt-port-'));
    const config = loadConfig({
      DATA_DIR: dataDir,
      DATABASE_URL: db.url,
      DEMO: 'true',
      DEMO_ASSETS: '3',
      PORT: '0',
      HOST: '127.0.0.1',
      MQTT_URL: '',
      LOG_LEVEL: 'warn',
    });
    expect(config.mqttPortGiven).toBe(false);
    // the default port, as if a local broker held it
    platform = await startPlatform(
      { ...config, mqttPort: heldPort },
      { log: createLogger({ level: 'warn' }), fleet: false },
    );
  }, 60_000);

  afterAll(async () => {
    await platform?.close();
    held.close();
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('listens on another port, which the platform and the simulator both name', async () => {
    const port = Number(new URL(platform.mqttUrl).port);
    expect(port).not.toBe(heldPort);
    expect(port).toBeGreaterThan(0);
    expect(readFileSync(path.join(dataDir, 'demo-broker-url'), 'utf8').trim()).toBe(platform.mqttUrl);
    // the broker there is ours: it answers an MQTT CONNECT (and refuses a client without credentials)
    const answer = await new Promise<Buffer>((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('error', reject);
      socket.once('data', (d) => (socket.destroy(), resolve(d)));
      // CONNECT, MQTT 3.1.1, clean session, keep-alive 10 s, client id "probe"
      socket.write(
        Buffer.from([
          0x10, 17, 0, 4, 0x4d, 0x51, 0x54, 0x54, 4, 2, 0, 10, 0, 5, 0x70, 0x72, 0x6f, 0x62, 0x65,
        ]),
      );
    });
    expect(answer[0]).toBe(0x20); // CONNACK
    expect([4, 5]).toContain(answer[3]); // bad credentials / not authorized: the device authority's answer
  });
});
