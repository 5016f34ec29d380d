/**
 * Bring your own history: train per-failure-mode alarm models on everything before --train-until and
 * print the alarms of every later telemetry step as one JSON object on stdout:
 *   { "alarms": [ { "asset", "failureMode", "at", "probability" } ] }
 * Progress, bad rows and the cross-validated figures go to stderr. Exit 2 on bad usage or a file
 * that fails validation (missing column, unreadable header), 1 on other errors.
 *
 *   npm run --silent predict:alarms -- --telemetry F --events F --failures F --maintenance F --assets F \
 *     [--time-col C] [--asset-col C] [--code-col C] [--mode-col C] [--component-col C] \
 *     [--metric-col C] [--value-col C] --train-until ISO [--horizon 24h] [--min-lead 2h] \
 *     [--max-false-rate 1] [--seed N]
 */
import {
  HistoryFileError,
  parseDuration,
  parseTimestamp,
  type ColumnFlags,
} from '../core/alarms/csv-columns.ts';
import { HistoryBuilder } from '../core/alarms/history.ts';
import {
  AlarmDataError,
  DEFAULT_ALARM_OPTIONS,
  predictAlarms,
  trainAlarmModel,
  type AlarmModel,
} from '../core/alarms/model.ts';
import { cliPath } from '../../common/cli.ts';
import { readHistory, type HistoryFiles } from './alarm-csv.ts';

class UsageError extends Error {}

const USAGE =
  'usage: predict:alarms -- --telemetry F --failures F [--events F] [--maintenance F] [--assets F] --train-until ISO ' +
  '[--horizon 24h] [--min-lead 2h] [--max-false-rate 1] [--time-col C] [--asset-col C] [--code-col C] [--mode-col C] ' +
  '[--component-col C] [--metric-col C] [--value-col C] [--seed N]';

const FILES = ['--telemetry', '--events', '--failures', '--maintenance', '--assets'];
const COLS = [
  '--time-col',
  '--asset-col',
  '--code-col',
  '--mode-col',
  '--component-col',
  '--metric-col',
  '--value-col',
];
const KNOWN = new Set([
  ...FILES,
  ...COLS,
  '--train-until',
  '--horizon',
  '--min-lead',
  '--max-false-rate',
  '--seed',
]);

export interface AlarmCliArgs {
  files: HistoryFiles;
  flags: ColumnFlags;
  trainUntil: number;
  horizonMs: number;
  minLeadMs: number;
  maxFalseRate: number;
  seed: number;
}

export function parseAlarmArgs(argv: string[]): AlarmCliArgs {
  const v = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--help' || a === '-h') throw new UsageError(USAGE);
    const eq = a.indexOf('=');
    const key = eq > 0 ? a.slice(0, eq) : a;
    if (!KNOWN.has(key)) throw new UsageError(`unknown argument "${a}"; ${USAGE}`);
    const value = eq > 0 ? a.slice(eq + 1) : argv[++i];
    if (value === undefined || value === '') throw new UsageError(`${key} needs a value`);
    v.set(key, FILES.includes(key) ? cliPath(value) : value);
  }
  const telemetry = v.get('--telemetry');
  const failures = v.get('--failures');
  const until = v.get('--train-until');
  if (!telemetry || !failures || !until)
    throw new UsageError(`--telemetry, --failures and --train-until are required; ${USAGE}`);
  const trainUntil = parseTimestamp(until);
  if (Number.isNaN(trainUntil)) throw new UsageError(`--train-until: not a timestamp: "${until}"`);
  const dur = (key: string, fallback: number) => {
    const s = v.get(key);
    if (s === undefined) return fallback;
    const ms = parseDuration(s);
    if (!(ms > 0)) throw new UsageError(`${key}: not a duration like 24h or 90m: "${s}"`);
    return ms;
  };
  const maxFalseRate = Number(v.get('--max-false-rate') ?? DEFAULT_ALARM_OPTIONS.maxFalsePerAssetYear);
  if (!(maxFalseRate >= 0)) throw new UsageError('--max-false-rate must be a number >= 0');
  const seed = Number(v.get('--seed') ?? 1);
  if (!Number.isSafeInteger(seed)) throw new UsageError('--seed must be an integer');
  const horizonMs = dur('--horizon', DEFAULT_ALARM_OPTIONS.horizonMs);
  const minLeadMs = dur('--min-lead', DEFAULT_ALARM_OPTIONS.minLeadMs);
  if (minLeadMs >= horizonMs) throw new UsageError('--min-lead must be shorter than --horizon');
  const col = (k: string) => v.get(k);
  return {
    files: {
      telemetry,
      failures,
      events: v.get('--events'),
      maintenance: v.get('--maintenance'),
      assets: v.get('--assets'),
    },
    flags: {
      time: col('--time-col'),
      asset: col('--asset-col'),
      code: col('--code-col'),
      mode: col('--mode-col'),
      component: col('--component-col'),
      metric: col('--metric-col'),
      value: col('--value-col'),
    },
    trainUntil,
    horizonMs,
    minLeadMs,
    maxFalseRate,
    seed,
  };
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const log = (msg: string) => process.stderr.write(`${msg}\n`);
  let args: AlarmCliArgs;
  try {
    args = parseAlarmArgs(process.argv.slice(2));
  } catch (err) {
    log((err as Error).message);
    process.exit(2);
  }
  const builder = new HistoryBuilder();
  try {
    const counts = await readHistory(args.files, args.flags, builder, log);
    log(`alarms: read ${JSON.stringify(counts)} rows in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  } catch (err) {
    if (err instanceof HistoryFileError) {
      log(`${err.code}: ${err.message}`);
      process.exit(2);
    }
    throw err;
  }
  const bad = builder.badRows;
  for (const [file, n] of Object.entries(bad.counts)) log(`alarms: ${file}: ${n} bad rows`);
  for (const b of bad.examples) log(`  ${b.file}:${b.line}: ${b.reason}`);
  const fleet = builder.build();
  if (fleet.assets.length === 0) {
    log(`HISTORY_EMPTY: ${args.files.telemetry}: no telemetry rows`);
    process.exit(2);
  }
  log(
    `alarms: ${fleet.assets.length} assets, metrics ${fleet.metrics.join(', ')}, step ${fleet.stepMs / 60_000} min, ` +
      `modes ${fleet.modes.join(', ') || '(none)'}`,
  );
  const noAlarms = (why: string): void => {
    log(`alarms: ${why}: no alarms`);
    process.stdout.write(`${JSON.stringify({ alarms: [] })}\n`);
  };
  const until = new Date(args.trainUntil).toISOString();
  // nothing to score: the telemetry ends at or before --train-until (training would be for nothing)
  if (fleet.assets.every((a) => !((a.times[a.times.length - 1] ?? -Infinity) > args.trainUntil))) {
    noAlarms(`no telemetry after --train-until ${until}`);
    return;
  }
  const t1 = performance.now();
  let model: AlarmModel;
  try {
    model = trainAlarmModel(
      fleet,
      args.trainUntil,
      {
        horizonMs: args.horizonMs,
        minLeadMs: args.minLeadMs,
        maxFalsePerAssetYear: args.maxFalseRate,
        seed: args.seed,
      },
      log,
    );
  } catch (err) {
    if (!(err instanceof AlarmDataError)) throw err;
    // a history without a failure is valid, and a model that never saw one predicts none
    if (err.code === 'ALARMS_NO_FAILURES') {
      noAlarms(`${args.files.failures}: no failure to learn from`);
      return;
    }
    const first = Math.min(...fleet.assets.map((a) => a.times[0] ?? Infinity));
    log(
      `${err.code}: ${err.message} (--train-until ${until}, first telemetry ${new Date(first).toISOString()}, ` +
        `a step needs ${DEFAULT_ALARM_OPTIONS.longWindowHours} h of telemetry before it and its ` +
        `${args.horizonMs / 3_600_000} h horizon before --train-until): give a later --train-until`,
    );
    process.exit(2);
  }
  log(
    `alarms: trained in ${((performance.now() - t1) / 1000).toFixed(1)} s; cross-validated ${JSON.stringify(model.cv)}`,
  );
  for (const r of model.rules)
    log(
      `alarms: ${r.mode}: threshold ${r.threshold === null ? 'never' : r.threshold.toFixed(3)} × ${r.consecutive} of ${r.window ?? r.consecutive} steps; ` +
        `cv caught ${r.cv.caught}/${r.cv.failures}, false episodes ${r.cv.falseEpisodes}`,
    );
  const alarms = predictAlarms(model, fleet);
  process.stdout.write(
    `${JSON.stringify({
      alarms: alarms.map((a) => ({
        asset: a.asset,
        failureMode: a.failureMode,
        at: new Date(a.at).toISOString(),
        probability: Math.round(a.probability * 1000) / 1000,
      })),
    })}\n`,
  );
  const mem = process.resourceUsage().maxRSS / 1024;
  log(
    `alarms: ${alarms.length} alarm steps; total ${((performance.now() - t0) / 1000).toFixed(1)} s, peak RSS ${mem.toFixed(0)} MB`,
  );
}

const isMain = process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'));
if (isMain) {
  main().catch((err: unknown) => {
    process.stderr.write(`alarms: ${(err as Error).message}\n`);
    process.exit(1);
  });
}
