// Scale-out: two `npm run ingest` worker processes share the load through an MQTT 5 shared subscription on the
// machine's Mosquitto (aedes has none, so this runs only with TEST_MQTT_URL). Nothing lost, nothing doubled.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics } from '../../common/contracts/mqtt.ts';
import { createDb, type Db } from '../../common/db.ts';
import { freshDatabase, type TestDatabase } from '../helpers/database.ts';
import { minimalWorld } from '../helpers/fixtures.ts';
import { deviceClient, endSession } from '../helpers/ingest-rig.ts';
import { eventually } from '../helpers/platform.ts';
import { freePort } from '../helpers/ports.ts';

const brokerUrl = process.env.TEST_MQTT_URL;

describe.skipIf(!brokerUrl)('ingest workers behind a shared subscription', () => {
  let database: TestDatabase;
  let db: Db;
  let tenant: string;
  let assets: string[];
  const workers: { proc: ChildProcess; port: number; clientId: string; dir: string }[] = [];
  const group = `ingest-${randomBytes(3).toString('hex')}`;

  const startWorker = async (i: number) => {
    const port = await freePort();
    const clientId = `${group}-w${i}`;
    const dir = mkdtempSync(path.join(os.tmpdir(), 'preempt-worker-'));
    const proc = spawn(process.execPath, ['--import', 'tsx', 'ingest/main.ts'], {
      env: {
        ...process.env,
        DATABASE_URL: database.url,
        MQTT_URL: brokerUrl,
        MQTT_CLIENT_ID: clientId,
        INGEST_SHARE_GROUP: group,
        DATA_DIR: dir,
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    workers.push({ proc, port, clientId, dir });
    await eventually(async () => (await fetch(`http://127.0.0.1:${port}/api/health`)).ok, 30_000);
  };
  const stored = async (port: number) => {
    const h = (await (await fetch(`http://127.0.0.1:${port}/api/health`)).json()) as {
      components: { ingest: { detail: { stored: number } } };
    };
    return h.components.ingest.detail.stored;
  };

  beforeAll(async () => {
    database = await freshDatabase();
    db = createDb(database.url);
    const world = await minimalWorld(db, { assets: 4 });
    tenant = world.tenant.slug;
    assets = world.assets.map((a) => a.id);
    await Promise.all([startWorker(1), startWorker(2)]);
  }, 90_000);

  afterAll(async () => {
    for (const w of workers) {
      w.proc.kill('SIGTERM');
      await new Promise((r) => w.proc.once('exit', r));
      await endSession(brokerUrl!, w.clientId);
      rmSync(w.dir, { recursive: true, force: true });
    }
    await db?.$disconnect();
    await database?.drop();
  });

  it('splits the readings between the workers and stores each exactly once', async () => {
    const perAsset = 500;
    const base = Date.now() - 120_000;
    await Promise.all(
      assets.map(async (asset) => {
        const device = await deviceClient(brokerUrl!, asset);
        for (let i = 0; i < perAsset; i++) {
          await device.publishAsync(
            topics.telemetry(tenant, asset),
            JSON.stringify({ ts: base + i, metrics: { vibration: 1 + (i % 50) } }),
            { qos: 1 },
          );
        }
        await device.endAsync();
      }),
    );
    const total = perAsset * assets.length;
    await eventually(async () => (await db.telemetryPoint.count()) === total, 30_000);
    const [a, b] = await Promise.all(workers.map((w) => stored(w.port)));
    expect(a! + b!).toBe(total); // each reading stored by exactly one worker
    expect(Math.min(a!, b!)).toBeGreaterThan(total * 0.2); // and the load is shared
  }, 60_000);
});
