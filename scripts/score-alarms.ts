/**
 * Score the output of `npm run predict:alarms` against the failures of the period it covers:
 * event recall with ≥ 2 h lead, false episodes per asset-year, episode precision, lead times, per mode.
 *
 *   npm run --silent alarms:score -- --alarms out.json --failures truth.csv --from ISO --to ISO --assets N \
 *     [--horizon 24h] [--min-lead 2h]
 * The failures file has a header row and time, asset, failure-mode columns (detected as in predict:alarms).
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { cliPath } from '../common/cli.ts';
import { detectKeyedColumns, parseDuration, parseTimestamp } from '../predict/core/alarms/csv-columns.ts';
import { scoreAlarms, type TimedAlarm } from '../predict/core/alarms/episodes.ts';

const args = process.argv.slice(2);
const get = (k: string) => {
  const i = args.indexOf(k);
  return i >= 0 ? args[i + 1] : undefined;
};
const fail = (m: string): never => {
  process.stderr.write(`${m}\n`);
  process.exit(2);
};
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

const out = JSON.parse(readFileSync(alarmsFile, 'utf8')) as {
  alarms: { asset: string; failureMode: string; at: string }[];
};
const alarms: TimedAlarm[] = out.alarms.map((a) => ({ ...a, at: Date.parse(a.at) }));
const rows = parse(readFileSync(failuresFile, 'utf8'), { skip_empty_lines: true, bom: true }) as string[][];
const cols = detectKeyedColumns(rows[0] ?? [], failuresFile, 'failures', {});
const failures: TimedAlarm[] = rows
  .slice(1)
  .map((r) => ({
    at: parseTimestamp(r[cols.time] ?? ''),
    asset: (r[cols.asset] ?? '').trim(),
    failureMode: (r[cols.key] ?? '').trim(),
  }))
  .filter((f) => f.at > from && f.at <= to);
const score = scoreAlarms(alarms, failures, (assets * (to - from)) / (365.25 * 86_400_000), {
  horizonMs,
  minLeadMs,
  episodeGapMs: 24 * 3_600_000,
});
process.stdout.write(`${JSON.stringify(score, null, 2)}\n`);
