/**
 * `npm run --silent bench:rul [-- --data <dir>] [--seed N] [--subsets FD001,FD002] [--ensemble N]
 * [--predictions]`: trains and evaluates the RUL model on every C-MAPSS subset found (FD001–FD004; FD001 and FD002
 * in shared/), each in its own child process so that peak memory is per subset, and prints one
 * JSON object: RMSE and NASA score against the RUL file and against the truth capped like the
 * training target (the convention of most papers), and the late/early split of the units with a
 * true RUL ≤ 50, both with the conservative end-of-life shift (the default, `conservative`) and
 * without it (`unshifted`, i.e. `--conservative off`) from the same trained model; training /
 * prediction seconds, the child's whole wall time (parse + train + predict) and its peak resident
 * memory. `--predictions` adds the per-unit predictions before the shift.
 *
 * The data directory defaults to $CMAPSS_DIR, else ../shared/datasets/cmapss beside the repository.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cliPath } from '../common/cli.ts';
import { parseCmapss, parseRulTruth } from '../predict/core/rul/cmapss-parse.ts';
import { endOfLifeErrors, nasaScore, rmse } from '../predict/core/rul/metrics.ts';
import { trainRulModel } from '../predict/core/rul/rul-model.ts';

const self = fileURLToPath(import.meta.url);
const repoRoot = path.resolve(path.dirname(self), '..');

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const round = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d;

function errors(pred: number[], truth: number[], cap: number) {
  const capped = truth.map((t) => Math.min(cap, t));
  const eol = endOfLifeErrors(pred, truth, 50);
  return {
    rmse: round(rmse(pred, truth), 3),
    score: round(nasaScore(pred, truth), 1),
    rmseTruthCapped: round(rmse(pred, capped), 3),
    scoreTruthCapped: round(nasaScore(pred, capped), 1),
    truthAtMost50: {
      units: eol.units,
      rmse: round(eol.rmse, 2),
      late: eol.late,
      meanLate: round(eol.meanLate, 2),
      early: eol.early,
      meanEarly: round(eol.meanEarly, 2),
    },
  };
}

/** Child mode: one subset, one JSON line on stdout. */
function runOne(
  dataDir: string,
  subset: string,
  seed: number,
  ensemble: number | undefined,
  withPredictions: boolean,
): void {
  const t0 = performance.now();
  const file = (kind: string) => path.join(dataDir, `${kind}_${subset}.txt`);
  const train = parseCmapss(readFileSync(file('train'), 'utf8'), file('train'));
  const test = parseCmapss(readFileSync(file('test'), 'utf8'), file('test'));
  const truth = parseRulTruth(readFileSync(file('RUL'), 'utf8'), file('RUL'));
  const t1 = performance.now();
  const model = trainRulModel(train, { seed, ensemble });
  const t2 = performance.now();
  const pred = test.map((u) => model.predict(u));
  const t3 = performance.now();
  const unshifted = test.map((u) => model.predictParts(u).unshifted);
  const cap = model.data.cap;
  process.stdout.write(
    `${JSON.stringify({
      subset,
      trainUnits: train.length,
      testUnits: test.length,
      regimes: model.data.regimes.k,
      sensorsKept: model.data.normalizer.keep.length,
      conservative: errors(pred, truth, cap),
      unshifted: errors(unshifted, truth, cap),
      trainSeconds: round((t2 - t1) / 1000, 2),
      predictSeconds: round((t3 - t2) / 1000, 3),
      totalSeconds: round((t3 - t0) / 1000, 2),
      // process.resourceUsage().maxRSS is in kilobytes.
      peakRssMb: round(process.resourceUsage().maxRSS / 1024, 1),
      modelJsonKb: Math.round(JSON.stringify(model.toJSON()).length / 1024),
      ...(withPredictions ? { predictionsUnshifted: unshifted.map((p) => round(p, 3)), truth } : {}),
    })}\n`,
  );
}

function main(): void {
  // --data and $CMAPSS_DIR are given by the user: relative to the folder npm was run from (cliPath)
  const given = arg('--data') ?? process.env.CMAPSS_DIR;
  const dataDir =
    given === undefined ? path.resolve(repoRoot, '../shared/datasets/cmapss') : path.resolve(cliPath(given));
  const seed = Number(arg('--seed') ?? 42);
  if (!Number.isInteger(seed) || seed < 0) throw new Error(`--seed must be a non-negative integer`);
  const one = arg('--one');
  const withPredictions = process.argv.includes('--predictions');
  const ens = arg('--ensemble');
  const ensemble = ens === undefined ? undefined : Number(ens);
  if (ensemble !== undefined && !(Number.isInteger(ensemble) && ensemble >= 1))
    throw new Error(`--ensemble must be a positive integer`);
  if (one !== undefined) return runOne(dataDir, one, seed, ensemble, withPredictions);

  const wanted = (arg('--subsets') ?? 'FD001,FD002,FD003,FD004').split(',');
  const results: Record<string, unknown> = {};
  for (const subset of wanted) {
    const file = (kind: string) => path.join(dataDir, `${kind}_${subset}.txt`);
    if (!['train', 'test', 'RUL'].every((k) => existsSync(file(k)))) continue;
    process.stderr.write(`bench:rul: ${subset}…\n`);
    const started = performance.now();
    const child = spawnSync(
      process.execPath,
      [
        ...process.execArgv,
        self,
        '--one',
        subset,
        '--data',
        dataDir,
        '--seed',
        String(seed),
        ...(withPredictions ? ['--predictions'] : []),
        ...(ensemble !== undefined ? ['--ensemble', String(ensemble)] : []),
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 20 },
    );
    if (child.status !== 0) throw new Error(`${subset}: child exited with ${child.status ?? child.signal}`);
    const row = JSON.parse(child.stdout) as Record<string, unknown>;
    results[subset] = { ...row, wallSeconds: round((performance.now() - started) / 1000, 2) };
  }
  if (Object.keys(results).length === 0) throw new Error(`no C-MAPSS subsets in ${dataDir}`);
  process.stdout.write(`${JSON.stringify({ dataDir, seed, ensemble, results }, null, 2)}\n`);
}

try {
  main();
} catch (err) {
  process.stderr.write(`bench:rul: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
