// `npm run bench:predict-workers`: evaluations per second of predict workers on NATS JetStream, with one worker
// and with two, over the same stream of readings. A fresh database (BENCH_DATABASE_URL, an admin URL; default the
// machine's PostgreSQL) gets ASSETS pumps with two active model versions each (TREND and THRESHOLD on vibration);
// READINGS healthy readings (the last half hour, in order per asset) are published to a fresh stream first, then
// each run starts its worker processes, lets them join, says go, and the workers replay the stream from its start.
// Per worker: readings and evaluations handled, the time from its first to its last reading, and the CPU its
// process used meanwhile. Prints JSON. Needs NATS with JetStream (NATS_URL, default nats://127.0.0.1:4222).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { connect } from 'nats';
import pg from 'pg';
import { createDb } from '../common/db.ts';
import { createLogger } from '../common/logger.ts';
import { PostgresTelemetryStore } from '../common/telemetry/postgres-store.ts';
import { migrate } from '../common/migrate.ts';
import { connectNats, ensureStreams, natsNames, ReadingPublisher } from '../predict/adapters/nats-carrier.ts';
import { minimalWorld } from '../test/helpers/fixtures.ts';

const ASSETS = Number(process.env.ASSETS ?? 2_000);
const READINGS = Number(process.env.READINGS ?? 200_000);
const PARTITIONS = Number(process.env.PARTITIONS ?? 64);
const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const log = createLogger({ level: 'warn' });

/** CPU seconds of the nats-server process(es) on this machine (utime + stime from /proc), if any. */
function natsServerCpu(): number | undefined {
  let total: number | undefined;
  const tick = 100; // USER_HZ on Linux
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      if (comm !== 'nats-server') continue;
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      total = (total ?? 0) + (Number(f[11]) + Number(f[12])) / tick;
    } catch {
      /* gone meanwhile */
    }
  }
  return total;
}

async function seed(databaseUrl: string) {
  const db = createDb(databaseUrl);
  const { tenant, model, failureMode } = await minimalWorld(db, {
    assets: ASSETS,
    slug: 'bench',
    name: 'Bench',
  });
  const version = (params: object) => ({
    create: { version: 1, status: 'ACTIVE' as const, author: 'bench', params },
  });
  await db.predictionModel.create({
    data: {
      key: 'pump/bearing/trend',
      name: 'Trend',
      kind: 'TREND',
      equipmentModelId: model.id,
      failureModeId: failureMode.id,
      versions: version({
        metric: 'vibration',
        failureLevel: 12,
        direction: 'up',
        shape: 'exponential',
        baseline: 2,
        alertLevel: 3.5,
        minPoints: 12,
        minR2: 0.7,
        ewmaAlpha: 0.2,
        windowPoints: 72,
        horizonHours: 24,
        confirmations: 3,
        marginMinutes: 240,
      }),
    },
  });
  await db.predictionModel.create({
    data: {
      key: 'pump/bearing/threshold',
      name: 'Threshold',
      kind: 'THRESHOLD',
      equipmentModelId: model.id,
      failureModeId: failureMode.id,
      versions: version({
        metric: 'vibration',
        direction: 'up',
        alertLevel: 8,
        leadHours: 3,
        ewmaAlpha: 0.3,
        windowPoints: 30,
        horizonHours: 48,
        confirmations: 2,
        marginMinutes: 60,
      }),
    },
  });
  await db.$disconnect();
  return tenant.id;
}

interface ChildReport {
  id: string;
  rebuilt: number;
  takeSeconds: number;
  heapMb: number;
  partitions: number;
  readings: number;
  evaluations: number;
  busySeconds: number;
  busyCpuSeconds: number;
}

async function run(k: number, databaseUrl: string, namespace: string, rebuildHours = 0) {
  const children: ChildProcess[] = [];
  const reports = new Map<string, ChildReport>();
  for (let i = 1; i <= k; i++) {
    const id = `bench-w${i}`;
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'scripts/bench/predict-worker-child.ts',
        databaseUrl,
        NATS_URL,
        namespace,
        id,
        String(PARTITIONS),
      ],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
        env: { ...process.env, PREDICT_REBUILD_HOURS: String(rebuildHours) },
      },
    );
    let buf = '';
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const lines = buf.split('\n');
      buf = lines.pop()!;
      for (const l of lines)
        if (l.startsWith('{')) {
          const r = JSON.parse(l) as ChildReport;
          reports.set(r.id, r);
        }
    });
    children.push(child);
  }
  const nc = await connect({ servers: NATS_URL });
  const kv = await nc.jetstream().views.kv(natsNames(namespace).members);
  const until = Date.now() + 120_000;
  for (;;) {
    const keys: string[] = [];
    for await (const key of await kv.keys()) keys.push(key);
    if (keys.filter((x) => x.startsWith('bench-w')).length >= k) break;
    if (Date.now() > until) throw new Error('workers did not join');
    await new Promise((r) => setTimeout(r, 200));
  }
  const natsCpu0 = natsServerCpu();
  const t0 = performance.now();
  nc.publish(`bench${namespace}.go`);
  await nc.flush();
  const sum = () => [...reports.values()].reduce((s, r) => s + r.readings, 0);
  while (sum() < READINGS || reports.size < k) {
    if (performance.now() - t0 > 300_000) throw new Error(`stuck at ${sum()} of ${READINGS} readings`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const wallSeconds = (performance.now() - t0) / 1000;
  const natsCpu1 = natsServerCpu();
  await new Promise((r) => setTimeout(r, 400)); // a last report of each
  for (const c of children) c.kill('SIGTERM');
  await Promise.all(children.map((c) => new Promise((r) => c.once('exit', r))));
  await nc.close();
  const workers = [...reports.values()].sort((a, b) => a.id.localeCompare(b.id));
  const evaluations = workers.reduce((s, r) => s + r.evaluations, 0);
  const busiest = Math.max(...workers.map((w) => w.busySeconds));
  return {
    workers: workers.map((w) => ({
      id: w.id,
      partitions: w.partitions,
      readings: w.readings,
      evaluations: w.evaluations,
      evaluationsPerSecond: Math.round(w.evaluations / w.busySeconds),
      cpuSecondsPer100kEvaluations: +((w.busyCpuSeconds / w.evaluations) * 100_000).toFixed(2),
      cpuShareWhileBusy: +(w.busyCpuSeconds / w.busySeconds).toFixed(2),
      heapMb: w.heapMb,
      ...(rebuildHours > 0 ? { rebuiltReadings: w.rebuilt, takeSeconds: +w.takeSeconds.toFixed(2) } : {}),
    })),
    readings: READINGS,
    evaluations,
    /** Until the last worker handled its last reading. */
    seconds: +busiest.toFixed(2),
    wallSecondsFromGo: +wallSeconds.toFixed(2),
    evaluationsPerSecond: Math.round(evaluations / busiest),
    natsServerCpuSecondsPer100kEvaluations:
      natsCpu0 !== undefined && natsCpu1 !== undefined
        ? +(((natsCpu1 - natsCpu0) / evaluations) * 100_000).toFixed(2)
        : null,
  };
}

const namespace = `_bench${randomBytes(3).toString('hex')}`;
const dbName = `preempt_bench_pw_${randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: ADMIN_URL });
await admin.connect();
await admin.query(`CREATE DATABASE ${dbName}`);
const u = new URL(ADMIN_URL);
u.pathname = `/${dbName}`;
const databaseUrl = u.toString();
const nc = await connectNats(NATS_URL, 'preempt-bench');
const names = natsNames(namespace);
try {
  await migrate(databaseUrl, log);
  const tenantId = await seed(databaseUrl);
  await ensureStreams(await nc.jetstreamManager(), names, { retentionHours: 1 });
  // the stream first: READINGS readings over the last half hour, in time order per asset
  const publisher = new ReadingPublisher(nc.jetstream(), names, PARTITIONS, log);
  const perAsset = Math.ceil(READINGS / ASSETS);
  const start = Date.now() - 25 * 60_000;
  const step = Math.floor((20 * 60_000) / perAsset);
  const tp = performance.now();
  let n = 0;
  for (let i = 0; i < perAsset && n < READINGS; i++) {
    for (let a = 0; a < ASSETS && n < READINGS; a++, n++) {
      const vibration = 2 + 0.3 * Math.sin(a + i / 7) + ((a * 7919 + i * 104_729) % 100) / 1000;
      publisher.add({
        assetId: `pump-${a}`,
        tenantId,
        ts: new Date(start + i * step),
        metrics: { vibration },
      });
    }
    if (i % 10 === 9) await publisher.flush();
  }
  await publisher.flush();
  const publishSeconds = (performance.now() - tp) / 1000;
  const one = await run(1, databaseUrl, namespace);
  const two = await run(2, databaseUrl, namespace);
  // taking partitions over: a day of history at 15 minutes per asset in the telemetry store (PostgreSQL), read
  // back by one worker that takes all partitions
  const store = new PostgresTelemetryStore(databaseUrl);
  // (ending before the stream's readings begin, so the worker consumes them all)
  const dayAgo = start - 25 * 3_600_000;
  for (let a = 0; a < ASSETS; a++)
    await store.write(
      Array.from({ length: 96 }, (_, i) => ({
        assetId: `pump-${a}`,
        metric: 'vibration',
        ts: new Date(dayAgo + i * 15 * 60_000),
        value: 2,
      })),
    );
  await store.close();
  const rebuild = (await run(1, databaseUrl, namespace, 24)).workers[0]!;
  const cores = os.cpus().length;
  console.log(
    JSON.stringify(
      {
        bench: 'predict-workers',
        assets: ASSETS,
        readings: READINGS,
        modelVersionsPerAsset: 2,
        partitions: PARTITIONS,
        publishedReadingsPerSecond: Math.round(READINGS / publishSeconds),
        oneWorker: one,
        twoWorkers: two,
        scaling: +(two.evaluationsPerSecond / one.evaluationsPerSecond).toFixed(2),
        takeOver: {
          assets: ASSETS,
          rebuiltReadings: rebuild.rebuiltReadings,
          seconds: rebuild.takeSeconds,
          msPerAsset: +(((rebuild.takeSeconds ?? 0) * 1000) / ASSETS).toFixed(2),
        },
        machine: { cores, loadAverage1m: +os.loadavg()[0]!.toFixed(2) },
        limitedBy:
          cores <= 2
            ? `${cores} cores shared by the worker processes, the NATS server and PostgreSQL (and, on this machine, other work: load average above): two workers cannot double one; on a machine with a core per worker the figure per worker holds`
            : 'the worker processes (each one core: evaluation is single-threaded JavaScript)',
      },
      null,
      2,
    ),
  );
} finally {
  const jsm = await nc.jetstreamManager();
  for (const s of [names.readings, names.events, names.control, `KV_${names.members}`, `KV_${names.leases}`])
    await jsm.streams.delete(s).catch(() => undefined);
  await nc.close();
  await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.end();
}
