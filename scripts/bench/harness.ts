// What the ingest benchmarks share: a platform on embedded PostgreSQL (or --database-url) and a real broker
// (--mqtt-url, else a private Mosquitto with production queue limits when installed, else the embedded aedes),
// a seeded fleet of bench assets, and a load generator in a process of its own (publisher.ts).
import { fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../common/config.ts';
import { createDb, type Db } from '../../common/db.ts';
import { startEmbeddedPostgres } from '../../common/embedded/postgres.ts';
import { createLogger } from '../../common/logger.ts';
import { migrate } from '../../common/migrate.ts';
import { hashPassword } from '../../common/password.ts';
import { startPlatform, type Platform } from '../../platform.ts';
import { hasMosquitto, startMosquitto } from '../../test/helpers/mosquitto.ts';
import { freePort } from '../../test/helpers/ports.ts';
import type { PublishJob, PublishResult } from './publisher.ts';
import { findProcess, processTree } from './process-cpu.ts';

export type { PublishJob, PublishResult };

export interface BenchPlatform {
  platform: Platform;
  db: Db;
  assets: string[];
  brokerKind: string;
  /** Connection for load generators (the platform's own broker identity may publish anywhere). */
  broker: { url: string; username: string; password: string };
  /** A bearer token of the bench admin. */
  token(): Promise<string>;
  /** The private Mosquitto's process (undefined for an external or the in-process broker). */
  brokerPid: number | undefined;
  /** The embedded PostgreSQL's postmaster and its server processes now (undefined for --database-url). */
  dbPids(): number[] | undefined;
  close(): Promise<void>;
}

export const progress = (name: string, msg: string) => process.stderr.write(`${name}: ${msg}\n`);

export const percentile = (sorted: readonly number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : Number.NaN;

export function publish(job: PublishJob): Promise<PublishResult> {
  const child = fork(fileURLToPath(new URL('./publisher.ts', import.meta.url)), {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (m: { ok: boolean; result?: PublishResult; error?: string }) =>
      m.ok ? resolve(m.result!) : reject(new Error(m.error)),
    );
    child.once('exit', (code) => code !== 0 && reject(new Error(`publisher exited with ${code}`)));
    child.send(job);
  });
}

const BENCH_USER = { email: 'bench@preempt.local', password: 'bench-password' };

async function seed(db: Db, count: number): Promise<string[]> {
  const tenant = await db.tenant.create({ data: { slug: 'bench', name: 'Bench' } });
  const site = await db.site.create({ data: { tenantId: tenant.id, name: 'Bench site', lat: 50, lon: 8 } });
  const model = await db.equipmentModel.create({
    data: {
      key: 'bench-pump',
      name: 'Bench pump',
      metrics: { create: [{ name: 'vibration', unit: 'mm/s', minValid: 0, maxValid: 1000 }] },
    },
  });
  const contract = await db.serviceContract.create({
    data: { tenantId: tenant.id, name: 'Std', tier: 'STANDARD', responseHours: 24 },
  });
  const ids = Array.from({ length: count }, (_, i) => `bench-${String(i).padStart(5, '0')}`);
  await db.asset.createMany({
    data: ids.map((id) => ({
      id,
      tenantId: tenant.id,
      siteId: site.id,
      equipmentModelId: model.id,
      contractId: contract.id,
      serial: id,
      name: id,
    })),
  });
  await db.user.create({
    data: {
      email: BENCH_USER.email,
      name: 'Bench',
      role: 'ADMIN',
      passwordHash: await hashPassword(BENCH_USER.password),
    },
  });
  return ids;
}

export async function startBenchPlatform(opts: {
  assets: number;
  mqttUrl?: string;
  databaseUrl?: string;
}): Promise<BenchPlatform> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'preempt-bench-'));
  const stops: (() => Promise<unknown>)[] = [];
  const close = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    let databaseUrl = opts.databaseUrl;
    let postmaster: number | undefined;
    if (!databaseUrl) {
      const pg = await startEmbeddedPostgres({ dataDir, port: await freePort(), persistent: false });
      stops.push(() => pg.stop());
      databaseUrl = pg.url;
      postmaster = Number(readFileSync(path.join(pg.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    }
    let brokerUrl = opts.mqttUrl ?? '';
    let brokerKind = brokerUrl ? 'external' : 'embedded (aedes)';
    let brokerPid: number | undefined;
    if (!brokerUrl && hasMosquitto()) {
      // a stock Mosquitto queues 1,000 messages per client and drops further QoS 1 messages for a slower subscriber
      const mosquitto = await startMosquitto(() => ['max_queued_messages 0', 'max_inflight_messages 0']);
      stops.push(() => mosquitto.stop());
      brokerUrl = mosquitto.url;
      brokerPid = findProcess(path.join(mosquitto.dir, 'mosquitto.conf'));
      brokerKind = 'mosquitto (private, unbounded queue)';
    }
    await migrate(databaseUrl);
    const db = createDb(databaseUrl);
    stops.push(() => db.$disconnect());
    if ((await db.asset.count()) > 0) throw new Error('--database-url must point to an empty database');
    const assets = await seed(db, opts.assets);
    const mqttPassword = 'bench-broker-password';
    const platform = await startPlatform(
      loadConfig({
        DATA_DIR: dataDir,
        DATABASE_URL: databaseUrl,
        DEMO: 'false',
        PORT: '0',
        HOST: '127.0.0.1',
        MQTT_URL: brokerUrl,
        MQTT_PORT: String(await freePort()),
        MQTT_PASSWORD: mqttPassword,
        MQTT_CLIENT_ID: `preempt-bench-${process.pid}`,
        LOG_LEVEL: 'warn',
      }),
      { log: createLogger({ level: 'warn' }) },
    );
    stops.push(() => platform.close());
    return {
      platform,
      db,
      assets,
      brokerKind,
      brokerPid,
      dbPids: () => (postmaster ? processTree(postmaster) : undefined),
      broker: { url: platform.mqttUrl, username: 'preempt-ingest', password: mqttPassword },
      token: async () => {
        const res = await fetch(`${platform.url}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(BENCH_USER),
        });
        return ((await res.json()) as { token: string }).token;
      },
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
