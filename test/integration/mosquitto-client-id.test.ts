// Client ids and packet size on a real Mosquitto configured as `npm run mosquitto:auth` generates it (listeners.conf):
// devices on a listener where each one's client id is its username, the platform on a private listener. A device
// asking for the ingest subscriber's or another device's client id silences nobody; a huge packet is refused.
import { writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics } from '../../common/contracts/mqtt.ts';
import {
  mosquittoAuthFiles,
  mosquittoListenersConf,
  mosquittoPasswordHash,
} from '../../ingest/core/mosquitto-auth.ts';
import { recordDrill } from '../helpers/drill-record.ts';
import { DEVICE_PASSWORD, ingestRig, PLATFORM, type IngestRig } from '../helpers/ingest-rig.ts';
import { hasMosquitto, startMosquitto, type PrivateMosquitto } from '../helpers/mosquitto.ts';
import { eventually } from '../helpers/platform.ts';
import { freePort } from '../helpers/ports.ts';

const TEST = 'test/integration/mosquitto-client-id.test.ts';

describe.skipIf(!hasMosquitto())(
  'Mosquitto with the generated listeners: client ids bound to usernames',
  () => {
    let broker: PrivateMosquitto;
    let deviceUrl: string;
    let platformUrl: string;
    let rig: IngestRig;
    const open: MqttClient[] = [];

    const connect = async (url: string, clientId: string, username: string, password = DEVICE_PASSWORD) => {
      const c = await mqtt.connectAsync(url, {
        clientId,
        username,
        password,
        clean: true,
        reconnectPeriod: 0,
        connectTimeout: 3_000,
      });
      open.push(c);
      return c;
    };
    const reading = (v: number) => JSON.stringify({ ts: Date.now(), metrics: { vibration: v } });

    beforeAll(async () => {
      const files = mosquittoAuthFiles(
        ['pump-0', 'pump-1', 'pump-2', 'preempt-x'].map((a) => ({
          username: a,
          tenant: 'acme',
          assetId: a,
          brokerHash: mosquittoPasswordHash(DEVICE_PASSWORD),
        })),
        { username: PLATFORM.username, brokerHash: mosquittoPasswordHash(PLATFORM.password) },
      );
      expect(files.skipped).toEqual(['preempt-x']); // a device named like the platform's ids is left out
      const platformPort = await freePort();
      broker = await startMosquitto(
        (dir, port) => {
          writeFileSync(path.join(dir, 'passwd-devices'), files.devicePasswd);
          writeFileSync(path.join(dir, 'passwd-platform'), files.platformPasswd);
          writeFileSync(path.join(dir, 'acl'), files.acl);
          const conf = mosquittoListenersConf({
            dir,
            devicePort: port,
            deviceHost: '127.0.0.1',
            platformPort,
          });
          return conf.split('\n');
        },
        { username: 'pump-2', password: DEVICE_PASSWORD },
      );
      deviceUrl = broker.url;
      platformUrl = `mqtt://127.0.0.1:${platformPort}`;
      rig = await ingestRig({ assets: 3, brokerUrl: platformUrl });
    }, 60_000);

    afterAll(async () => {
      await Promise.all(open.map((c) => c.endAsync(true).catch(() => undefined)));
      await rig?.close();
      await broker?.stop();
    });

    it("lets no device take the ingest subscriber's or another device's client id", async () => {
      const victim = await connect(deviceUrl, 'pump-1', 'pump-1');
      let victimCloses = 0;
      victim.on('close', () => victimCloses++);
      const attacks = [rig.clientId, 'preempt-ingest', 'preempt-ingest-announce', 'pump-1', ''];
      let published = 0;
      for (const clientId of attacks) {
        await victim.publishAsync(topics.telemetry('acme', 'pump-1'), reading(published++), { qos: 1 });
        // Mosquitto connects the attacker under its own username instead: it can only ever displace itself
        const attacker = await connect(deviceUrl, clientId, 'pump-0');
        await attacker.publishAsync(topics.telemetry('acme', 'pump-0'), reading(1), { qos: 1 });
        await attacker.endAsync();
      }
      // devices cannot reach the platform's listener at all
      await expect(connect(platformUrl, rig.clientId, 'pump-0')).rejects.toThrow(
        /Not authorized|Bad username/i,
      );
      await victim.publishAsync(topics.telemetry('acme', 'pump-1'), reading(published++), { qos: 1 });

      await eventually(async () => (await rig.pointCount('pump-1')) === published);
      await eventually(async () => (await rig.pointCount('pump-0')) >= 1);
      expect(victim.connected).toBe(true);
      expect(victimCloses).toBe(0);
      recordDrill({
        drill: `a device with valid credentials connects with ${attacks.length} client ids not its own: the ingest subscriber's, the platform's, another device's, an empty one (Mosquitto with the generated listeners.conf), and on the platform's listener`,
        behaviour:
          "the device listener uses each device's username as its client id (use_username_as_clientid), so the attacker only ever displaces itself; the platform listener refuses device credentials",
        lost: `nothing: ${published} readings of the victim published meanwhile all stored; ingest and the victim stayed connected`,
        test: TEST,
      });
    });

    it('drops a connection whose CONNECT declares 200 MB (max_packet_size)', async () => {
      const u = new URL(deviceUrl);
      const socket = net.connect(Number(u.port), u.hostname);
      await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
      socket.on('error', () => undefined);
      let sent = 0;
      let closed = false;
      const closedAt = new Promise<number>((resolve) =>
        socket.once('close', () => {
          closed = true;
          resolve(sent);
        }),
      );
      const declared = 200 * 1024 * 1024;
      socket.write(
        Buffer.from([
          0x10,
          0x80 | (declared & 0x7f),
          0x80 | ((declared >> 7) & 0x7f),
          0x80 | ((declared >> 14) & 0x7f),
          declared >> 21,
        ]),
      );
      const chunk = Buffer.alloc(64 * 1024);
      for (let i = 0; i < 64 && !closed; i++) {
        if (!socket.write(chunk)) await new Promise((r) => setTimeout(r, 5));
        sent += chunk.length;
        // paced, so that the close is seen about when it happens (Mosquitto is another process)
        await new Promise((r) => setTimeout(r, 5));
      }
      const sentAtClose = await Promise.race([
        closedAt,
        new Promise<number>((r) => setTimeout(() => r(-1), 5_000)),
      ]);
      socket.destroy();
      expect(sentAtClose).toBeGreaterThanOrEqual(0);
      expect(sentAtClose).toBeLessThan(2 * 1024 * 1024);
      recordDrill({
        drill: 'an unauthenticated CONNECT declaring 200 MB (Mosquitto with the generated listeners.conf)',
        behaviour: `socket closed by max_packet_size after ${Math.round(sentAtClose / 1024)} KiB were sent`,
        lost: 'nothing',
        test: TEST,
      });
    });
  },
);
