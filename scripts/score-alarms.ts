/**
 * Score the output of `npm run predict:alarms` against the failures of the period it covers:
 * event recall with ≥ 2 h lead, false episodes per asset-year, episode precision, lead times, per mode.
 *
 *   npm run --silent alarms:score -- --alarms out.json --failures truth.csv --from ISO --to ISO --assets N \
 *     [--horizon 24h] [--min-lead 2h] [--time-col C] [--asset-col C] [--mode-col C]
 * The failures file has a header row and time, asset, failure-mode columns (detected as in predict:alarms, or
 * named). A file that cannot be read or is not what it should be: one line on stderr, exit 2.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { cliPath } from '../common/cli.ts';
import {
  detectKeyedColumns,
  HistoryFileError,
  parseDuration,
  type ColumnFlags,
  parseTimestamp,
} from '../predict/core/alarms/csv-columns.ts';
import { scoreAlarms, type TimedAlarm } from '../predict/core/alarms/episodes.ts';

const args = process.argv.slice(2);
const get = (k: string) => {
  const i = args.indexOf(k);
  return i >= 0 ? args[i + 1] : undefined;
};
const fail = (m: string): never => {
  process.stderr.write(`alarms:score: ${m}\n`);
  process.exit(2);
};
if (args.includes('--help') || args.includes('-h'))
  fail(
    'usage: alarms:score -- --alarms out.json --failures truth.csv --from ISO --to ISO --assets N [--horizon 24h] [--min-lead 2h] [--time-col C] [--asset-col C] [--mode-col C]',
  );
const alarmsFile = cliPath(get('--alarms') ?? fail('--alarms <file> is required'));
const failuresFile = cliPath(get('--failures') ?? fail('--failures <file> is required'));
const from = parseTimestamp(get('--from') ?? '');
const to = parseTimestamp(get('--to') ?? '');
const assets = Number(get('--assets'));
if (Number.isNaN(from) || Number.isNaN(to) || !(to > from))
  fail('--from and --to must be timestamps, from < to');
if (!(assets > 0)) fail('--assets must be the number of assets in the period');
const horizonMs = parseDuration(get('--horizon') ?? '24h');
const minLeadMs = parseDuration(get('--min-lead') ?? '2h');

const read = (file: string): string => {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return fail(`cannot read ${file}: ${code === 'ENOENT' ? 'file not found' : (err as Error).message}`);
  }
};

// the output of predict:alarms: { "alarms": [ { "asset", "failureMode", "at", … } ] }
let out: unknown;
try {
  out = JSON.parse(read(alarmsFile));
} catch (err) {
  fail(`${alarmsFile} is not valid JSON (${(err as Error).message}): give the output of predict:alarms`);
}
const list = (out as { alarms?: unknown } | null)?.alarms;
if (!Array.isArray(list))
  fail(`${alarmsFile} has no "alarms" list: give the output of predict:alarms ({ "alarms": [ … ] })`);
const alarms: TimedAlarm[] = (list as Record<string, unknown>[]).map((a, i) => {
  const at = typeof a?.at === 'string' ? Date.parse(a.at) : NaN;
  if (typeof a?.asset !== 'string' || typeof a.failureMode !== 'string' || Number.isNaN(at))
    return fail(`${alarmsFile}: alarm ${i + 1} needs "asset", "failureMode" and an ISO "at"`);
  return { asset: a.asset, failureMode: a.failureMode, at };
});
let failures: TimedAlarm[] = [];
try {
  const rows = parse(read(failuresFile), { skip_empty_lines: true, bom: true }) as string[][];
  const flags: ColumnFlags = {};
  for (const c of ['time', 'asset', 'mode'] as const) {
    const v = get(`--${c}-col`);
    if (v !== undefined) flags[c] = v;
  }
  const cols = detectKeyedColumns(rows[0] ?? [], failuresFile, 'failures', flags);
  failures = rows
    .slice(1)
    .map((r) => ({
      at: parseTimestamp(r[cols.time] ?? ''),
      asset: (r[cols.asset] ?? '').trim(),
      failureMode: (r[cols.key] ?? '').trim(),
    }))
    .filter((f) => f.at > from && f.at <= to);
} catch (err) {
  if (err instanceof HistoryFileError) fail(`${err.code}: ${err.message}`);
  fail(`${failuresFile}: ${(err as Error).message}`);
}
const score = scoreAlarms(alarms, failures, (assets * (to - from)) / (365.25 * 86_400_000), {
  horizonMs,
  minLeadMs,
  episodeGapMs: 24 * 3_600_000,
});
process.stdout.write(`${JSON.stringify(score, null, 2)}\n`);
