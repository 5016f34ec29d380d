/**
 * `npm run --silent bench:rul [-- --data <dir>] [--seed N] [--subsets FD001,FD002]`: trains and
 * evaluates the RUL model on every C-MAPSS subset found (FD001–FD004; FD001 and FD002 in
 * shared/), each in its own child process so that peak memory is per subset, and prints one
 * JSON object: RMSE and NASA score against the RUL file (plus RMSE against the truth capped like
 * the training target, a convention some papers use), training / prediction seconds, the child's
 * whole wall time (parse + train + predict) and its peak resident memory.
 *
 * The data directory defaults to $CMAPSS_DIR, else ../shared/datasets/cmapss beside the repository.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCmapss, parseRulTruth } from '../predict/core/rul/cmapss-parse.ts';
import { nasaScore, rmse } from '../predict/core/rul/metrics.ts';
import { trainRulModel } from '../predict/core/rul/rul-model.ts';

const self = fileURLToPath(import.meta.url);
const repoRoot = path.resolve(path.dirname(self), '..');

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const round = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d;

/** Child mode: one subset, one JSON line on stdout. */
function runOne(dataDir: string, subset: string, seed: number): void {
  const t0 = performance.now();
  const file = (kind: string) => path.join(dataDir, `${kind}_${subset}.txt`);
  const train = parseCmapss(readFileSync(file('train'), 'utf8'), file('train'));
  const test = parseCmapss(readFileSync(file('test'), 'utf8'), file('test'));
  const truth = parseRulTruth(readFileSync(file('RUL'), 'utf8'), file('RUL'));
  const t1 = performance.now();
  const model = trainRulModel(train, { seed });
  const t2 = performance.now();
  const pred = test.map((u) => model.predict(u));
  const t3 = performance.now();
  const cap = model.data.cap;
  const capped = truth.map((t) => Math.min(cap, t));
  process.stdout.write(
    `${JSON.stringify({
      subset,
      trainUnits: train.length,
      testUnits: test.length,
      regimes: model.data.regimes.k,
      sensorsKept: model.data.normalizer.keep.length,
      rmse: round(rmse(pred, truth), 3),
      score: round(nasaScore(pred, truth), 1),
      rmseTruthCapped: round(rmse(pred, capped), 3),
      scoreTruthCapped: round(nasaScore(pred, capped), 1),
      trainSeconds: round((t2 - t1) / 1000, 2),
      predictSeconds: round((t3 - t2) / 1000, 3),
      totalSeconds: round((t3 - t0) / 1000, 2),
      // process.resourceUsage().maxRSS is in kilobytes.
      peakRssMb: round(process.resourceUsage().maxRSS / 1024, 1),
      modelJsonKb: Math.round(JSON.stringify(model.toJSON()).length / 1024),
    })}\n`,
  );
}

function main(): void {
  const dataDir = path.resolve(
    arg('--data') ?? process.env.CMAPSS_DIR ?? path.resolve(repoRoot, '../shared/datasets/cmapss'),
  );
  const seed = Number(arg('--seed') ?? 42);
  if (!Number.isInteger(seed) || seed < 0) throw new Error(`--seed must be a non-negative integer`);
  const one = arg('--one');
  if (one !== undefined) return runOne(dataDir, one, seed);

  const wanted = (arg('--subsets') ?? 'FD001,FD002,FD003,FD004').split(',');
  const results: Record<string, unknown> = {};
  for (const subset of wanted) {
    const file = (kind: string) => path.join(dataDir, `${kind}_${subset}.txt`);
    if (!['train', 'test', 'RUL'].every((k) => existsSync(file(k)))) continue;
    process.stderr.write(`bench:rul: ${subset}…\n`);
    const started = performance.now();
    const child = spawnSync(
      process.execPath,
      [...process.execArgv, self, '--one', subset, '--data', dataDir, '--seed', String(seed)],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 20 },
    );
    if (child.status !== 0) throw new Error(`${subset}: child exited with ${child.status ?? child.signal}`);
    const row = JSON.parse(child.stdout) as Record<string, unknown>;
    results[subset] = { ...row, wallSeconds: round((performance.now() - started) / 1000, 2) };
  }
  if (Object.keys(results).length === 0) throw new Error(`no C-MAPSS subsets in ${dataDir}`);
  process.stdout.write(`${JSON.stringify({ dataDir, seed, results }, null, 2)}\n`);
}

try {
  main();
} catch (err) {
  process.stderr.write(`bench:rul: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
