/**
 * Import a fleet's history from CSV files into a tenant's named history (docs/predict.md, "Fleet histories"):
 *
 *   npm run --silent history:import -- --tenant acme --name plant-a --telemetry telemetry.csv [--events F]
 *     [--failures F] [--maintenance F] [--assets F] [--time-col C] [--asset-col C] [--code-col C] [--mode-col C]
 *     [--component-col C] [--metric-col C] [--value-col C]
 *
 * Each file is streamed and imported in one transaction (a file that fails validation imports nothing; the
 * files before it stay). A progress bar per file on stderr; one JSON object on stdout: per file its rows, bad
 * rows (the first 100 with line and reason) and the history's id. Exit 2 on bad usage or an invalid file.
 * Database: DATABASE_URL, or the embedded PostgreSQL under DATA_DIR (predict/cli/database.ts).
 */
import { accessSync, constants, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { cliPath, cliUser, configOrExit } from '../../common/cli.ts';
import { createLogger } from '../../common/logger.ts';
import { FLEET_FILE_KINDS, type ColumnFlags } from '../core/fleet-import.ts';
import { FleetImportInvalid, importFleetFile, type FleetImportReport } from '../fleet-import-run.ts';
import { openDatabase } from './database.ts';
import { ProgressBar } from './progress-bar.ts';

function fail(message: string, code = 2): never {
  process.stderr.write(`history:import: ${message}
`);
  process.exit(code);
}

const COLS = ['time', 'asset', 'code', 'mode', 'component', 'metric', 'value'] as const;
let args: Record<string, string | undefined>;
try {
  args = parseArgs({
    options: Object.fromEntries(
      ['tenant', 'name', ...FLEET_FILE_KINDS, ...COLS.map((c) => `${c}-col`)].map((k) => [
        k,
        { type: 'string' },
      ]),
    ),
    strict: true,
  }).values as Record<string, string | undefined>;
} catch (err) {
  fail((err as Error).message);
}
const tenant = args.tenant ?? fail('--tenant <slug> is required');
const name = args.name ?? fail('--name <history name> is required');
const files = FLEET_FILE_KINDS.filter((k) => args[k] !== undefined);
if (files.length === 0) fail(`give at least one file: ${FLEET_FILE_KINDS.map((k) => `--${k} F`).join(', ')}`);
const flags: ColumnFlags = {};
for (const c of COLS) if (args[`${c}-col`] !== undefined) flags[c] = args[`${c}-col`];
// every file readable before anything is imported (a typo in the last one used to fail after the others were in)
for (const kind of files) {
  const file = cliPath(args[kind]!);
  try {
    accessSync(file, constants.R_OK);
    if (statSync(file).isDirectory()) fail(`--${kind} ${file}: is a directory`);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    fail(
      `--${kind} ${file}: cannot read it (${code === 'ENOENT' ? 'file not found' : (code ?? (err as Error).message)})`,
    );
  }
}

const config = configOrExit();
const log = createLogger({ level: 'warn' });
const db = await openDatabase(config, log);
const client = new pg.Client({ connectionString: db.url });
await client.connect();
const found = await client.query<{ id: string }>('SELECT id FROM "Tenant" WHERE slug = $1', [tenant]);
await client.end();
const tenantId = found.rows[0]?.id ?? fail(`no tenant "${tenant}"`);

const reports: Record<string, FleetImportReport | { error: string; bad: number; badRows: unknown[] }> = {};
let invalid = false;
const t0 = Date.now();
for (const kind of files) {
  const file = cliPath(args[kind]!);
  const bar = new ProgressBar(`${kind.padEnd(11)}`);
  try {
    const r = await importFleetFile({
      databaseUrl: db.url,
      tenantId,
      name,
      author: `cli:${cliUser()}`,
      kind,
      file,
      flags,
      onProgress: (p) =>
        bar.update(Math.round(p.bytesDone / 1024), Math.round(p.bytesTotal / 1024), `${p.rows} rows`),
    });
    bar.update(1, 1, `${r.rows} rows`);
    process.stderr.write(`history:import: ${file}: ${r.columns}: ${r.rows} rows, ${r.bad} bad\n`);
    for (const b of r.badRows.slice(0, 5)) process.stderr.write(`  line ${b.line}: ${b.reason}\n`);
    reports[kind] = r;
  } catch (err) {
    if (!(err instanceof FleetImportInvalid)) {
      await db.stop?.();
      fail(`${file}: ${(err as Error).message}`, 1);
    }
    const e = err as FleetImportInvalid;
    invalid = true;
    process.stderr.write(`history:import: ${e.message}\n`);
    for (const b of e.badRows.slice(0, 5)) process.stderr.write(`  line ${b.line}: ${b.reason}\n`);
    reports[kind] = { error: e.message, bad: e.bad, badRows: e.badRows };
  }
}
process.stdout.write(
  JSON.stringify(
    { tenant, name, seconds: Math.round((Date.now() - t0) / 100) / 10, files: reports },
    null,
    2,
  ) + '\n',
);
await db.stop?.();
process.exit(invalid ? 2 : 0);
