/**
 * Train a remaining-useful-life model on a C-MAPSS training file and predict the RUL at the
 * last cycle of every unit in a test file. Prints one JSON object on stdout (nothing else):
 * predictions, and with --truth the RMSE and NASA score against the RUL file plus
 * `rmseCapped125` / `scoreCapped125` against the truth capped at 125 (a convention of many
 * papers). Predictions near the end of life are shifted down (conservative, the default) unless
 * `--conservative off`;
 * progress goes to stderr, errors as one line on stderr with exit code 1 (2 for bad usage).
 *
 *   npm run --silent predict:rul -- --train train_FD001.txt --test test_FD001.txt \
 *     [--truth RUL_FD001.txt] [--seed N] [--cap 125] [--ensemble 3] [--conservative on|off] \
 *     [--save-model model.json]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { cliPath } from '../../common/cli.ts';
import { parseCmapss, parseRulTruth } from '../core/rul/cmapss-parse.ts';
import { nasaScore, rmse } from '../core/rul/metrics.ts';
import { DEFAULT_RUL_OPTIONS, trainRulModel } from '../core/rul/rul-model.ts';

interface CliArgs {
  train: string;
  test: string;
  truth?: string;
  seed: number;
  cap: number;
  ensemble: number;
  conservative: boolean;
  saveModel?: string;
}

class UsageError extends Error {}

const USAGE =
  'usage: predict:rul -- --train <train.txt> --test <test.txt> [--truth <RUL.txt>] [--seed N] [--cap N] [--ensemble N] [--conservative on|off] [--save-model <file.json>]';

const KNOWN = new Set([
  '--train',
  '--test',
  '--truth',
  '--seed',
  '--cap',
  '--ensemble',
  '--conservative',
  '--save-model',
]);

function parseArgs(argv: string[]): CliArgs {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--help' || a === '-h') throw new UsageError(USAGE);
    const eq = a.indexOf('=');
    const key = eq > 0 ? a.slice(0, eq) : a;
    if (!KNOWN.has(key)) throw new UsageError(`unknown argument "${a}"; ${USAGE}`);
    const value = eq > 0 ? a.slice(eq + 1) : argv[++i];
    if (value === undefined || value === '') throw new UsageError(`${key} needs a value; ${USAGE}`);
    values.set(key, value);
  }
  for (const key of ['--train', '--test', '--truth', '--save-model']) {
    const file = values.get(key);
    if (file !== undefined) values.set(key, cliPath(file));
  }
  const train = values.get('--train');
  const test = values.get('--test');
  if (train === undefined || test === undefined)
    throw new UsageError(`--train and --test are required; ${USAGE}`);
  const int = (key: string, min: number, fallback: number): number => {
    const v = values.get(key);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isSafeInteger(n) || n < min)
      throw new UsageError(`${key} must be an integer >= ${min}, got "${v}"`);
    return n;
  };
  const conservative = values.get('--conservative') ?? 'on';
  if (conservative !== 'on' && conservative !== 'off')
    throw new UsageError(`--conservative must be on or off, got "${conservative}"`);
  return {
    train,
    test,
    truth: values.get('--truth'),
    seed: int('--seed', 0, DEFAULT_RUL_OPTIONS.seed),
    cap: int('--cap', 1, DEFAULT_RUL_OPTIONS.cap),
    ensemble: int('--ensemble', 1, DEFAULT_RUL_OPTIONS.ensemble),
    conservative: conservative === 'on',
    saveModel: values.get('--save-model'),
  };
}

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(`cannot read ${what} file "${path}"${code ? ` (${code})` : ''}`);
  }
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function log(msg: string): void {
  process.stderr.write(`predict:rul: ${msg}\n`);
}

function main(argv: string[]): void {
  const args = parseArgs(argv);
  const trainUnits = parseCmapss(readText(args.train, 'training'), args.train);
  const testUnits = parseCmapss(readText(args.test, 'test'), args.test);
  const truth =
    args.truth === undefined ? undefined : parseRulTruth(readText(args.truth, 'truth'), args.truth);
  if (truth !== undefined && truth.length !== testUnits.length) {
    throw new Error(`${args.truth}: ${truth.length} RUL values for ${testUnits.length} test units`);
  }
  const t0 = performance.now();
  const model = trainRulModel(trainUnits, {
    seed: args.seed,
    cap: args.cap,
    ensemble: args.ensemble,
    conservative: args.conservative,
  });
  log(
    `trained on ${trainUnits.length} units (${model.data.regimes.k} operating regime(s), ` +
      `${model.data.normalizer.keep.length} sensors kept) in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  if (args.saveModel !== undefined) writeFileSync(args.saveModel, JSON.stringify(model.toJSON()));
  const predicted = testUnits.map((u) => model.predict(u));
  const out: {
    predictions: { unit: number; rul: number }[];
    rmse?: number;
    rmseCapped125?: number;
    score?: number;
    scoreCapped125?: number;
  } = {
    predictions: testUnits.map((u, i) => ({ unit: u.unit, rul: round(predicted[i] as number, 2) })),
  };
  if (truth !== undefined) {
    // The convention of many papers: truth capped at 125 like the usual training target.
    const capped = truth.map((t) => Math.min(125, t));
    out.rmse = round(rmse(predicted, truth), 4);
    out.rmseCapped125 = round(rmse(predicted, capped), 4);
    out.score = round(nasaScore(predicted, truth), 2);
    out.scoreCapped125 = round(nasaScore(predicted, capped), 2);
  }
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

try {
  main(process.argv.slice(2));
} catch (err) {
  const msg = err instanceof Error ? err.message : String(err);
  log(msg.split('\n')[0] ?? msg);
  process.exitCode = err instanceof UsageError ? 2 : 1;
}
