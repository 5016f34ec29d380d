// The customer's period charts against the PostgreSQL telemetry store: one asset with `--days` of readings every
// `--every` seconds for each of `--metrics` metrics, then GET /api/assets/{id}/series's query for 24 h, 7 d and
// 30 d (store.aggregate at the bucket of fleet/core/telemetry-period.ts) against fetching the raw readings
// (store.range); prints JSON: rows scanned, points returned, median ms of `--runs` runs each.
// PostgreSQL: --database-url (an empty, migrated or new database), else embedded.
//   npm run --silent bench:series -- --days 30 --every 10 --metrics 3
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '../common/embedded/postgres.ts';
import { migrate } from '../common/migrate.ts';
import { PostgresTelemetryStore } from '../common/telemetry/postgres-store.ts';
import { MAX_POINTS, PERIOD_KEYS, seriesWindow } from '../fleet/core/telemetry-period.ts';
import { freePort } from '../test/helpers/ports.ts';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const DAYS = arg('days', 30);
const EVERY_S = arg('every', 10);
const METRICS = arg('metrics', 3);
const RUNS = arg('runs', 5);

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'preempt-series-'));
const urlArg = process.argv.includes('--database-url')
  ? process.argv[process.argv.indexOf('--database-url') + 1]
  : undefined;
const pg = urlArg
  ? undefined
  : await startEmbeddedPostgres({ dataDir, port: await freePort(), persistent: false });
const url = urlArg ?? pg!.url;
await migrate(url);
const store = new PostgresTelemetryStore(url, { max: 2 });

const assetId = `bench-series-${process.pid}`;
const end = Math.floor(Date.now() / 1000) * 1000;
const step = EVERY_S * 1000;
const t0 = performance.now();
let written = 0;
for (let m = 0; m < METRICS; m++) {
  const batch = [];
  for (let t = end - DAYS * 86_400_000; t <= end; t += step) {
    batch.push({ assetId, metric: `m${m}`, ts: new Date(t), value: Math.sin(t / 3_600_000) + m });
    if (batch.length === 50_000) {
      await store.write(batch.splice(0));
      written += 50_000;
    }
  }
  written += batch.length;
  await store.write(batch);
}
const writeMs = performance.now() - t0;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
async function time(fn: () => Promise<number>): Promise<{ ms: number; points: number }> {
  const ms: number[] = [];
  let points = 0;
  for (let i = 0; i < RUNS; i++) {
    const s = performance.now();
    points = await fn();
    ms.push(performance.now() - s);
  }
  return { ms: Math.round(median(ms) * 10) / 10, points };
}

const periods: Record<string, unknown> = {};
for (const period of PERIOD_KEYS) {
  const w = seriesWindow(period, new Date(end));
  const q = { assetId, metric: 'm0', from: w.from, to: w.to };
  const series = await time(
    async () => (await store.aggregate({ ...q, everyMs: w.bucketMs, limit: MAX_POINTS })).length,
  );
  // every metric at once, as the route asks them (in parallel)
  const allMetrics = await time(async () => {
    const all = await Promise.all(
      Array.from({ length: METRICS }, (_, m) =>
        store.aggregate({ ...q, metric: `m${m}`, everyMs: w.bucketMs, limit: MAX_POINTS }),
      ),
    );
    return all.reduce((n, s) => n + s.length, 0);
  });
  const raw = await time(async () => (await store.range({ ...q, limit: 10_000_000 })).length);
  periods[period] = {
    bucketMs: w.bucketMs,
    rowsPerMetric: raw.points,
    series: { points: series.points, medianMs: series.ms },
    seriesAllMetrics: { points: allMetrics.points, medianMs: allMetrics.ms },
    raw: { points: raw.points, medianMs: raw.ms },
  };
}

console.log(
  JSON.stringify(
    {
      store: 'postgres',
      embedded: !urlArg,
      days: DAYS,
      everySeconds: EVERY_S,
      metrics: METRICS,
      written,
      writeMs: Math.round(writeMs),
      runs: RUNS,
      periods,
    },
    null,
    2,
  ),
);
await store.close();
await pg?.stop();
rmSync(dataDir, { recursive: true, force: true });
