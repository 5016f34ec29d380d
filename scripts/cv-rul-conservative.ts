/**
 * `npx tsx scripts/cv-rul-conservative.ts --subset FD001 [--data <dir>] [--folds 4] [--out file.json]`
 * then `npx tsx scripts/cv-rul-conservative.ts --fit file.json[,more.json]`:
 * out-of-fold predictions of the RUL model on **training units only** (the test files are not
 * read), from which the conservative near-end-of-life shift (`conservative.ts`) was chosen.
 * Units are split into folds; a model (one seed per ensemble) is trained on the other folds and
 * each held-out unit is cut like a test unit: 6 cuts with RUL uniform in [0, 200] and 6 at a
 * uniform fraction of life in [0.25, 1] (at least 20 cycles seen). Writes
 * `[{unit, scheme, pred, truth}]` (pred before any conservative shift, i.e. the model trained with
 * `conservative: false`); `--fit` prints the shift fitted on such files and the out-of-fold
 * errors without and with it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseCmapss } from '../predict/core/rul/cmapss-parse.ts';
import type { UnitHistory } from '../predict/core/rul/cmapss-parse.ts';
import { N_SENSORS, N_SETTINGS } from '../predict/core/rul/cmapss-parse.ts';
import { applyConservative, fitConservativeShift } from '../predict/core/rul/conservative.ts';
import { endOfLifeErrors, nasaScore, rmse } from '../predict/core/rul/metrics.ts';
import { createRng } from '../predict/core/rul/random.ts';
import { trainRulModel } from '../predict/core/rul/rul-model.ts';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** The first `n` cycles of a unit, as a test file would hold them. */
function truncate(u: UnitHistory, n: number): UnitHistory {
  return {
    unit: u.unit,
    length: n,
    cycles: u.cycles.slice(0, n),
    settings: u.settings.slice(0, n * N_SETTINGS),
    sensors: u.sensors.slice(0, n * N_SENSORS),
  };
}

type Row = { unit: number; scheme: string; pred: number; truth: number };

function fit(files: string[]): void {
  const rows = files.flatMap((f) => JSON.parse(readFileSync(f, 'utf8')) as Row[]);
  const shift = fitConservativeShift(
    rows.map((r) => r.pred),
    rows.map((r) => r.truth),
  );
  const r2 = (x: number) => Math.round(x * 100) / 100;
  const report = (pred: number[], truth: number[]) => {
    const capped = truth.map((t) => Math.min(125, t));
    const eol = endOfLifeErrors(pred, truth, 50);
    return {
      rmse: r2(rmse(pred, truth)),
      meanScore: r2(nasaScore(pred, truth) / pred.length),
      rmseTruthCapped: r2(rmse(pred, capped)),
      meanScoreTruthCapped: r2(nasaScore(pred, capped) / pred.length),
      truthAtMost50: { ...eol, rmse: r2(eol.rmse), meanLate: r2(eol.meanLate), meanEarly: r2(eol.meanEarly) },
    };
  };
  const bySubset: Record<string, unknown> = {};
  for (const f of files) {
    const part = JSON.parse(readFileSync(f, 'utf8')) as Row[];
    const truth = part.map((r) => r.truth);
    bySubset[path.basename(f)] = {
      unshifted: report(
        part.map((r) => r.pred),
        truth,
      ),
      conservative: report(
        part.map((r) => applyConservative(shift, r.pred)),
        truth,
      ),
    };
  }
  process.stdout.write(
    `${JSON.stringify({ shift: { knots: shift.knots.map(r2), shifts: shift.shifts }, bySubset }, null, 2)}\n`,
  );
}

const fitFiles = arg('--fit');
if (fitFiles !== undefined) {
  fit(fitFiles.split(','));
  process.exit(0);
}

const subset = arg('--subset') ?? 'FD001';
const dataDir = path.resolve(arg('--data') ?? process.env.CMAPSS_DIR ?? '../shared/datasets/cmapss');
const folds = Number(arg('--folds') ?? 4);
const out = arg('--out') ?? `cv-rul-conservative-${subset}.json`;
const file = path.join(dataDir, `train_${subset}.txt`);
const units = parseCmapss(readFileSync(file, 'utf8'), file);
const rng = createRng(7);
const order = units.map((_, i) => i);
for (let i = order.length - 1; i > 0; i--) {
  const j = rng.int(i + 1);
  [order[i], order[j]] = [order[j] as number, order[i] as number];
}
const rows: Row[] = [];
for (let f = 0; f < folds; f++) {
  const held = new Set(order.filter((_, k) => k % folds === f));
  const train = units.filter((_, i) => !held.has(i));
  const t0 = performance.now();
  const model = trainRulModel(train, { seed: 42, ensemble: 1, conservative: false });
  process.stderr.write(`${subset} fold ${f}: trained in ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
  for (const i of held) {
    const u = units[i] as UnitHistory;
    const L = u.length;
    for (let c = 0; c < 12; c++) {
      const rul =
        c < 6
          ? rng.int(Math.min(200, L - 20) + 1)
          : L - Math.max(20, Math.round(L * (0.25 + 0.75 * rng.next())));
      const seen = L - Math.max(0, rul);
      rows.push({
        unit: u.unit,
        scheme: c < 6 ? 'rul200' : 'frac25',
        pred: model.predict(truncate(u, seen)),
        truth: L - seen,
      });
    }
  }
}
writeFileSync(out, JSON.stringify(rows));
process.stderr.write(`${subset}: ${rows.length} out-of-fold predictions -> ${out}\n`);
