// `kill -9` of an ingest worker while a device publishes at QoS 1, then a restart: every reading the broker
// acknowledged to the device is stored, none twice. The broker is TEST_MQTT_URL, else a private Mosquitto,
// else an embedded aedes in this test process (each outlives the worker, as an external broker would).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics } from '../../common/contracts/mqtt.ts';
import { createDb, type Db } from '../../common/db.ts';
import { testBroker } from '../helpers/broker.ts';
import { freshDatabase, type TestDatabase } from '../helpers/database.ts';
import { minimalWorld } from '../helpers/fixtures.ts';
import { deviceClient, endSession } from '../helpers/ingest-rig.ts';
import { hasMosquitto, startMosquitto } from '../helpers/mosquitto.ts';
import { eventually } from '../helpers/platform.ts';
import { freePort } from '../helpers/ports.ts';
import { recordDrill } from '../helpers/drill-record.ts';

describe('ingest worker killed with SIGKILL', () => {
  let database: TestDatabase;
  let db: Db;
  let brokerUrl: string;
  let stopBroker: () => Promise<void>;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'preempt-crash-'));
  const clientId = `preempt-crash-${randomBytes(3).toString('hex')}`;
  let worker: ChildProcess | undefined;
  let port: number;

  const startWorker = async () => {
    worker = spawn(process.execPath, ['--import', 'tsx', 'ingest/main.ts'], {
      env: {
        ...process.env,
        DATABASE_URL: database.url,
        MQTT_URL: brokerUrl,
        MQTT_CLIENT_ID: clientId,
        DATA_DIR: dataDir,
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    await eventually(async () => {
      const h = (await (await fetch(`http://127.0.0.1:${port}/api/health`)).json()) as {
        components: { ingest?: { status: string } };
      };
      return h.components.ingest?.status === 'up';
    }, 30_000);
  };

  beforeAll(async () => {
    database = await freshDatabase();
    db = createDb(database.url);
    await minimalWorld(db, { assets: 2 });
    port = await freePort();
    if (process.env.TEST_MQTT_URL) {
      brokerUrl = process.env.TEST_MQTT_URL;
      stopBroker = async () => undefined;
    } else if (hasMosquitto()) {
      const m = await startMosquitto(() => ['max_queued_messages 0']);
      brokerUrl = m.url;
      stopBroker = m.stop;
    } else {
      const b = await testBroker();
      brokerUrl = b.url;
      stopBroker = b.stop;
    }
    await startWorker();
  }, 60_000);

  afterAll(async () => {
    if (worker && worker.exitCode === null) {
      const exited = new Promise((r) => worker!.once('exit', r));
      worker.kill('SIGTERM');
      await exited;
    }
    await endSession(brokerUrl, clientId).catch(() => undefined);
    await stopBroker?.();
    await db?.$disconnect();
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('stores every acknowledged reading exactly once after a restart', async () => {
    const device = await deviceClient(brokerUrl, 'pump-0');
    const base = Date.now() - 300_000;
    let acked = 0;
    let killed = false;
    const accepted = async () => {
      const h = (await (await fetch(`http://127.0.0.1:${port}/api/health`)).json()) as {
        components: { ingest?: { detail?: { accepted?: number } } };
      };
      return h.components.ingest?.detail?.accepted ?? 0;
    };
    const publishing = (async () => {
      // at most ~800 published while the worker is down: a stock Mosquitto queues 1,000 per client, and drops
      // the rest, online or not; so before the kill the device never runs more than 400 ahead of ingest
      for (let i = 0; i < 1_800; i++) {
        if (!killed && i % 100 === 0) await eventually(async () => (await accepted()) >= i - 400, 20_000, 20);
        await device.publishAsync(
          topics.telemetry('acme', 'pump-0'),
          JSON.stringify({ ts: base + i, metrics: { vibration: 1 + (i % 90) } }),
          { qos: 1 },
        );
        acked++;
        if (i === 1_000) {
          worker!.kill('SIGKILL'); // mid-stream: some readings journaled, some in a store batch, some not yet taken
          killed = true;
        }
      }
    })();
    await publishing;
    expect(killed).toBe(true);
    await new Promise((r) =>
      worker!.exitCode !== null || worker!.signalCode !== null ? r(undefined) : worker!.once('exit', r),
    );
    await startWorker();
    await eventually(
      async () => (await db.telemetryPoint.count({ where: { assetId: 'pump-0' } })) >= acked,
      30_000,
    ).catch(async (err: unknown) => {
      const stored = await db.telemetryPoint.count({ where: { assetId: 'pump-0' } });
      throw new Error(`${stored} of ${acked} acknowledged readings stored: ${String(err)}`);
    });
    await new Promise((r) => setTimeout(r, 500));
    expect(await db.telemetryPoint.count({ where: { assetId: 'pump-0' } })).toBe(acked);
    recordDrill({
      drill: 'kill -9 of the ingest worker while a device publishes at QoS 1, then restart',
      behaviour:
        'the broker kept the session; the journal replayed what had been acknowledged but not stored',
      lost: `0 of ${acked} acknowledged readings lost, 0 stored twice`,
      test: 'test/integration/ingest-crash.test.ts',
    });
    await device.endAsync();
  }, 90_000);
});
