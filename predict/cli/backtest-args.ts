// The arguments of `npm run backtest` (cli/backtest.ts), checked before anything is read or connected.
import { MODEL_KINDS, type EditableKind } from '../core/models/params.ts';

export class UsageError extends Error {}

const USAGE = `usage: npm run --silent backtest -- --model <key> --version <n> [--from <iso>] [--to <iso>] [--truth <file>]
       npm run --silent backtest -- --model <key> --version <n> (--cmapss <file> [--rul-truth <file>] | --history <id>)
       npm run --silent backtest -- --model <key> --params <file.json> [source as above]   (unsaved parameters)
       npm run --silent backtest -- --kind <${MODEL_KINDS.join('|')}> (--params <file.json> | --train <train file>) --cmapss <file> [--rul-truth <file>]
options: --horizon <hours>  --units <n>  --rul-cap <n>  --no-save`;

const VALUED = [
  '--model',
  '--version',
  '--from',
  '--to',
  '--truth',
  '--cmapss',
  '--rul-truth',
  '--history',
  '--kind',
  '--params',
  '--train',
  '--horizon',
  '--units',
  '--rul-cap',
];

export function parseArgs(argv: string[]): Map<string, string> {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--help' || a === '-h') throw new UsageError(USAGE);
    if (a === '--no-save') {
      values.set(a, 'true');
      continue;
    }
    const eq = a.indexOf('=');
    const key = eq > 0 ? a.slice(0, eq) : a;
    if (!VALUED.includes(key)) throw new UsageError(`unknown argument "${a}"\n${USAGE}`);
    const value = eq > 0 ? a.slice(eq + 1) : argv[++i];
    if (value === undefined || value === '') throw new UsageError(`${key} needs a value\n${USAGE}`);
    values.set(key, value);
  }
  const has = (k: string) => values.has(k);
  if (has('--model') && has('--version') === has('--params'))
    throw new UsageError(`--model needs --version, or --params to try unsaved parameters\n${USAGE}`);
  if (has('--version') && !has('--model')) throw new UsageError(`--version needs --model\n${USAGE}`);
  if (!has('--model') && !has('--kind'))
    throw new UsageError(`--model/--version or --kind is needed\n${USAGE}`);
  if (has('--model') && has('--kind'))
    throw new UsageError(`--kind is for a version outside the database\n${USAGE}`);
  if (has('--kind')) {
    if (!MODEL_KINDS.includes(values.get('--kind') as EditableKind))
      throw new UsageError(`--kind must be one of ${MODEL_KINDS.join(', ')}`);
    if (!has('--cmapss')) throw new UsageError(`--kind needs --cmapss <file>\n${USAGE}`);
    if (has('--params') === has('--train'))
      throw new UsageError(`--kind needs --params or (LEARNED) --train\n${USAGE}`);
    if (has('--train') && values.get('--kind') !== 'LEARNED')
      throw new UsageError('--train trains a LEARNED model');
  }
  if (
    [has('--cmapss'), has('--history'), has('--from') || has('--to') || has('--truth')].filter(Boolean)
      .length > 1
  )
    throw new UsageError(
      `one source: --cmapss, --history, or the telemetry store (--from/--to/--truth)\n${USAGE}`,
    );
  if (has('--rul-truth') && !has('--cmapss')) throw new UsageError('--rul-truth goes with --cmapss');
  for (const k of ['--version', '--units'])
    if (has(k) && !(Number.isSafeInteger(Number(values.get(k))) && Number(values.get(k)) > 0))
      throw new UsageError(`${k} must be a positive integer`);
  for (const k of ['--horizon', '--rul-cap'])
    if (has(k) && !(Number(values.get(k)) > 0)) throw new UsageError(`${k} must be a positive number`);
  for (const k of ['--from', '--to'])
    if (has(k) && Number.isNaN(Date.parse(values.get(k)!)))
      throw new UsageError(`${k} must be an ISO-8601 time`);
  return values;
}
