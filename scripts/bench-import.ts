/**
 * How fast a fleet history imports, and in how much memory: writes a wide telemetry CSV of --rows rows (hourly,
 * --assets assets, 4 metrics), imports it with predict/fleet-import-run.ts into a fresh embedded PostgreSQL (or
 * --database-url, an empty database) and prints one JSON line: rows, points, seconds, rows/s, peak RSS and the
 * file's size.
 *
 *   npm run --silent bench:import -- [--rows 1000000] [--assets 1000] [--database-url postgresql://…]
 */
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createDb } from '../common/db.ts';
import { startEmbeddedPostgres } from '../common/embedded/postgres.ts';
import { migrate } from '../common/migrate.ts';
import { importFleetFile } from '../predict/fleet-import-run.ts';
import { freePort } from '../test/helpers/ports.ts';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    assets: { type: 'string', default: '1000' },
    'database-url': { type: 'string' },
  },
});
const rows = Number(values.rows);
const assets = Number(values.assets);
const progress = (m: string) => process.stderr.write(`bench:import: ${m}\n`);

const dir = mkdtempSync(path.join(os.tmpdir(), 'preempt-bench-import-'));
const stops: (() => Promise<unknown>)[] = [];
try {
  let url = values['database-url'];
  if (!url) {
    const pg = await startEmbeddedPostgres({ dataDir: dir, port: await freePort(), persistent: false });
    stops.push(() => pg.stop());
    url = pg.url;
  }
  await migrate(url);
  const db = createDb(url);
  const tenant = await db.tenant.create({ data: { slug: `bench-${Date.now()}`, name: 'Bench' } });
  await db.$disconnect();

  const file = path.join(dir, 'telemetry.csv');
  const out = createWriteStream(file);
  out.write('datetime,asset,volt,rotate,pressure,vibration\n');
  const start = Date.UTC(2015, 0, 1);
  let buf: string[] = [];
  for (let i = 0; i < rows; i++) {
    const t = new Date(start + Math.floor(i / assets) * 3_600_000)
      .toISOString()
      .slice(0, 19)
      .replace('T', ' ');
    const a = (i % assets) + 1;
    buf.push(
      `${t},${a},${(170 + (i % 17)).toFixed(3)},${446 + (i % 29)},${(100 + (i % 7) / 3).toFixed(3)},${40 + (i % 5)}`,
    );
    if (buf.length === 10_000) {
      if (!out.write(buf.join('\n') + '\n')) await new Promise<void>((r) => out.once('drain', () => r()));
      buf = [];
    }
  }
  out.write(buf.join('\n') + (buf.length ? '\n' : ''));
  await new Promise<void>((r) => out.end(() => r()));
  const bytes = statSync(file).size;
  progress(`${rows} rows, ${(bytes / 1048576).toFixed(1)} MiB written; importing`);

  const rssBefore = process.memoryUsage().rss;
  let peakRss = rssBefore;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
  const t0 = performance.now();
  let lastTenth = -1;
  const report = await importFleetFile({
    databaseUrl: url,
    tenantId: tenant.id,
    name: 'bench',
    author: 'bench',
    kind: 'telemetry',
    file,
    flags: {},
    onProgress: (p) => {
      const tenth = Math.floor((p.bytesDone / p.bytesTotal) * 10);
      if (tenth !== lastTenth) progress(`${tenth * 10}% (${p.rows} rows)`);
      lastTenth = tenth;
    },
  });
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  process.stdout.write(
    JSON.stringify({
      rows: report.rows,
      points: report.points,
      bad: report.bad,
      fileMiB: Math.round((bytes / 1048576) * 10) / 10,
      seconds: Math.round(seconds * 10) / 10,
      rowsPerSecond: Math.round(report.rows / seconds),
      rssBeforeMiB: Math.round(rssBefore / 1048576),
      peakRssMiB: Math.round(peakRss / 1048576),
      maxRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
      database: values['database-url'] ? 'given' : 'embedded PostgreSQL',
      cpus: os.cpus().length,
      loadavg: os.loadavg().map((l) => Math.round(l * 10) / 10),
    }) + '\n',
  );
} finally {
  for (const s of stops.reverse()) await s().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
}
