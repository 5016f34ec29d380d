/**
 * Remaining-useful-life model: operating regimes (k-means on the settings) → per-regime sensor
 * z-scores (constant sensors dropped) → health-index channel → trailing-window features at every
 * cycle → an ensemble of gradient-boosted trees on the RUL capped at `cap` (piecewise-linear
 * target), plus an ensemble on the uncapped RUL that extends predictions near the cap beyond it
 * (`blendBeyondCap`), then a conservative shift near the end of life (`conservative.ts`). The
 * trained model is plain JSON data (`RulModelData`) so it can be stored.
 */
import { N_SENSORS, N_SETTINGS } from './cmapss-parse.ts';
import { applyConservative } from './conservative.ts';
import type { ConservativeShift } from './conservative.ts';
import type { UnitHistory } from './cmapss-parse.ts';
import { DEFAULT_GBDT, binMatrix, predictGbdtRow, trainGbdt } from './gbdt.ts';
import type { BinnedMatrix, GbdtModel, GbdtParams } from './gbdt.ts';
import { applyHealthIndex, fitHealthIndex } from './health-index.ts';
import type { HealthIndex } from './health-index.ts';
import { fitNormalizer, normalizeSensors } from './normalize.ts';
import type { SensorNormalizer } from './normalize.ts';
import { assignRegimes, fitRegimes } from './regimes.ts';
import type { RegimeModel } from './regimes.ts';
import { DEFAULT_FEATURES, featureCount, windowFeatures } from './window-features.ts';
import type { FeatureConfig } from './window-features.ts';

export const RUL_MODEL_FORMAT = 'preempt.rul.gbdt/4';
/** Older formats (/2 without the beyond-the-cap extension, /3 without the conservative shift). */
const OLDER_FORMATS = new Set(['preempt.rul.gbdt/2', 'preempt.rul.gbdt/3']);

/**
 * Conservative shift applied by default (cycles subtracted at each predicted RUL), fitted on
 * out-of-fold predictions of the FD001 training units at test-like cuts
 * (`scripts/cv-rul-conservative.ts`; see docs/rul-model.md): 2.5 cycles up to a predicted RUL of
 * 90, tapering to 0 at 114. Tied to the default cap of 125.
 */
export const DEFAULT_CONSERVATIVE: ConservativeShift = { knots: [90, 114], shifts: [2.5, 0] };

/**
 * How a prediction near the cap is extended beyond it: when the capped ensemble predicts `c`,
 * the uncapped ensemble `u` (clamped to [0, maxRul]) is blended in with weight
 * `shrink · w(c)`, w rising smoothly from 0 at `lo` to 1 at `hi` (see `blendBeyondCap`).
 */
export interface BeyondCapParams {
  lo: number;
  hi: number;
  shrink: number;
}

/**
 * The uncapped ensemble learns from the training rows with at most this many cycles left, i.e.
 * as if test histories were cut uniformly within their last 200 cycles (which the test lengths of
 * FD001/FD002 fit better than a cut at a uniform fraction of life; see docs/rul-model.md).
 */
export const DEFAULT_TRAIN_MAX_RUL = 200;

/** Blend defaults for a given cap (chosen by cross-validation, see docs/rul-model.md). */
export function defaultBeyondCap(cap: number): BeyondCapParams {
  return { lo: cap - 30, hi: cap - 20, shrink: 0.6 };
}

export interface RulTrainOptions {
  seed?: number;
  /** Piecewise-linear cap on the training target (cycles); the capped ensemble predicts in [0, cap]. */
  cap?: number;
  /** Number of boosted models (different seeds) averaged. */
  ensemble?: number;
  gbdt?: Partial<Omit<GbdtParams, 'seed'>>;
  features?: Partial<FeatureConfig>;
  /** Add the health-index channel (default true). */
  healthIndex?: boolean;
  /**
   * Also train an ensemble on the uncapped RUL and use it to predict beyond the cap for units
   * whose capped prediction is near the cap (default true); `false` gives the capped model only.
   */
  beyondCap?: boolean | (Partial<BeyondCapParams> & { trainMaxRul?: number });
  /**
   * Subtract a shift near the end of life so that predictions err early rather than late
   * (default true: `DEFAULT_CONSERVATIVE`, which is fitted for the default cap of 125 and not
   * applied with another cap); `false` turns it off, or give another shift.
   */
  conservative?: boolean | ConservativeShift;
}

export const DEFAULT_RUL_OPTIONS = {
  seed: 42,
  cap: 125,
  ensemble: 3,
  healthIndex: true,
  /** Chosen by 4-fold cross-validation over training units of FD001 and FD002. */
  gbdt: { rounds: 300, maxDepth: 6, minLeaf: 100, learningRate: 0.05 } as Partial<GbdtParams>,
};

export interface RulModelData {
  format: typeof RUL_MODEL_FORMAT;
  cap: number;
  regimes: RegimeModel;
  normalizer: SensorNormalizer;
  healthIndex: HealthIndex | null;
  features: FeatureConfig;
  models: GbdtModel[];
  /** Uncapped ensemble and blend parameters; absent or null: predictions stay in [0, cap]. */
  beyondCap?: (BeyondCapParams & { maxRul: number; models: GbdtModel[] }) | null;
  /** Conservative shift applied last; absent or null: none. */
  conservative?: ConservativeShift | null;
}

export interface RulModel {
  readonly data: RulModelData;
  /** Predicted RUL (cycles) at the last cycle of `unit`. */
  predict(unit: UnitHistory): number;
  /**
   * The capped and (if trained) uncapped ensemble predictions behind `predict`, and the
   * prediction before the conservative shift.
   */
  predictParts(unit: UnitHistory): { capped: number; uncapped: number | null; unshifted: number };
  toJSON(): RulModelData;
}

type Preprocessing = Pick<RulModelData, 'regimes' | 'normalizer' | 'healthIndex' | 'features'>;

export function trainRulModel(units: UnitHistory[], opts: RulTrainOptions = {}): RulModel {
  if (units.length === 0) throw new Error('no training units');
  const seed = opts.seed ?? DEFAULT_RUL_OPTIONS.seed;
  const cap = opts.cap ?? DEFAULT_RUL_OPTIONS.cap;
  const ensemble = Math.max(1, Math.floor(opts.ensemble ?? DEFAULT_RUL_OPTIONS.ensemble));
  const features: FeatureConfig = { ...DEFAULT_FEATURES, ...opts.features };
  for (const u of units) checkUnit(u);

  // 1. Operating regimes from all training settings.
  const regimes = fitRegimes(concat(units.map((u) => u.settings)), N_SETTINGS, { seed });
  const unitRegimes = units.map((u) => assignRegimes(regimes, u.settings));

  // 2. Per-regime z-scores; constant sensors dropped.
  const normalizer = fitNormalizer(
    units.map((u, i) => ({ sensors: u.sensors, regimes: unitRegimes[i] as Int32Array })),
    regimes.k,
  );
  const z = units.map((u, i) =>
    normalizeSensors(normalizer, { sensors: u.sensors, regimes: unitRegimes[i] as Int32Array }),
  );

  // 3. Target: RUL capped at `cap`, at every training cycle.
  const labels = concat(
    units.map((u) => Float64Array.from({ length: u.length }, (_, i) => Math.min(cap, u.length - 1 - i))),
  );

  // 4. Health index: fraction of capped life left, from one cycle's sensors.
  const K = normalizer.keep.length;
  const useHi = (opts.healthIndex ?? DEFAULT_RUL_OPTIONS.healthIndex) && K > 0;
  const healthIndex = useHi
    ? fitHealthIndex(
        concat(z),
        K,
        labels.map((v) => v / cap),
      )
    : null;

  // 5. Window features at every cycle, binned once for all boosted models.
  const pre: Preprocessing = { regimes, normalizer, healthIndex, features };
  const rows = labels.length;
  const perUnit = units.map((u, i) => featuresOf(pre, u, unitRegimes[i] as Int32Array, z[i] as Float64Array));
  const F = (perUnit[0] as Float32Array).length / (units[0] as UnitHistory).length;
  const X = new Float32Array(rows * F);
  let off = 0;
  for (const f of perUnit) {
    X.set(f, off);
    off += f.length;
  }
  const gbdt = { ...DEFAULT_GBDT, ...DEFAULT_RUL_OPTIONS.gbdt, ...opts.gbdt };
  const binned = binMatrix({ data: X, rows, cols: F }, gbdt.maxBins);
  const models: GbdtModel[] = [];
  for (let e = 0; e < ensemble; e++)
    models.push(trainGbdt(binned, labels, { ...gbdt, seed: seed * 1000 + e }));

  // 6. Optional uncapped ensemble (target: cycles to failure) for units near the cap.
  let beyondCap: RulModelData['beyondCap'] = null;
  const bc = opts.beyondCap ?? true;
  if (bc !== false) {
    const { trainMaxRul = DEFAULT_TRAIN_MAX_RUL, ...params } = bc === true ? {} : bc;
    const raw = concat(units.map((u) => Float64Array.from({ length: u.length }, (_, i) => u.length - 1 - i)));
    const keep: number[] = [];
    for (let i = 0; i < rows; i++) if ((raw[i] as number) <= trainMaxRul) keep.push(i);
    const sub = keep.length === rows ? binned : selectRows(binned, keep);
    const y = keep.length === rows ? raw : Float64Array.from(keep, (i) => raw[i] as number);
    const maxRul = Math.min(
      trainMaxRul,
      units.reduce((m, u) => Math.max(m, u.length - 1), 0),
    );
    const uncapped: GbdtModel[] = [];
    for (let e = 0; e < ensemble; e++)
      uncapped.push(trainGbdt(sub, y, { ...gbdt, seed: seed * 1000 + 500 + e }));
    beyondCap = { ...defaultBeyondCap(cap), ...params, maxRul, models: uncapped };
  }
  const cons = opts.conservative ?? true;
  // The default shift was fitted for the default cap; with another cap it applies only if given.
  const conservative =
    cons === false
      ? null
      : cons !== true
        ? cons
        : cap === DEFAULT_RUL_OPTIONS.cap
          ? DEFAULT_CONSERVATIVE
          : null;
  return createRulModel({ format: RUL_MODEL_FORMAT, cap, ...pre, models, beyondCap, conservative });
}

/** Wrap (e.g. deserialised) model data; validates its shape. */
export function createRulModel(data: RulModelData): RulModel {
  if (OLDER_FORMATS.has(data.format as string)) data = { ...data, format: RUL_MODEL_FORMAT };
  if (data.format !== RUL_MODEL_FORMAT)
    throw new Error(`unsupported RUL model format: ${String(data.format)}`);
  if (data.models.length === 0) throw new Error('RUL model has no boosted models');
  const model = data;
  const predictParts = (unit: UnitHistory) => {
    const x = featurizeUnit(model, unit, unit.length - 1);
    const bc = model.beyondCap;
    const capped = predictFeatureRow(model, x, 0);
    const uncapped = bc ? Math.min(bc.maxRul, Math.max(0, meanPrediction(bc.models, x, 0))) : null;
    const unshifted = bc && uncapped !== null ? blendBeyondCap(capped, uncapped, bc) : capped;
    return { capped, uncapped, unshifted };
  };
  const predict = (unit: UnitHistory): number => {
    const { unshifted } = predictParts(unit);
    return model.conservative ? applyConservative(model.conservative, unshifted) : unshifted;
  };
  return { data: model, predict, predictParts, toJSON: () => model };
}

/**
 * Extend a capped prediction `capped` beyond the cap with the uncapped prediction `uncapped`:
 * capped + shrink · w · max(0, uncapped − capped), where w is a smoothstep from 0 at `lo` to 1 at
 * `hi` of the capped prediction. Below `lo` (or when the uncapped model predicts less) the
 * capped prediction is returned unchanged.
 */
export function blendBeyondCap(capped: number, uncapped: number, p: BeyondCapParams): number {
  if (!(uncapped > capped) || capped <= p.lo) return capped;
  const x = p.hi > p.lo ? Math.min(1, (capped - p.lo) / (p.hi - p.lo)) : 1;
  const w = x * x * (3 - 2 * x);
  return capped + p.shrink * w * (uncapped - capped);
}

/** The rows `keep` of a binned matrix (same bin edges). */
function selectRows(X: BinnedMatrix, keep: number[]): BinnedMatrix {
  const bins = new Uint8Array(keep.length * X.cols);
  keep.forEach((r, j) => bins.set(X.bins.subarray(r * X.cols, (r + 1) * X.cols), j * X.cols));
  return { ...X, rows: keep.length, bins };
}

function meanPrediction(models: GbdtModel[], x: ArrayLike<number>, offset: number): number {
  let s = 0;
  for (const m of models) s += predictGbdtRow(m, x, offset);
  return s / models.length;
}

/** Restore a model from its JSON text or parsed object. */
export function loadRulModel(json: string | RulModelData): RulModel {
  return createRulModel(typeof json === 'string' ? (JSON.parse(json) as RulModelData) : json);
}

/** Window features of `unit` for its rows from..n-1 ((n - from) × F, row-major). */
export function featurizeUnit(data: Preprocessing, unit: UnitHistory, from = 0): Float32Array {
  checkUnit(unit);
  const regimes = assignRegimes(data.regimes, unit.settings);
  const z = normalizeSensors(data.normalizer, { sensors: unit.sensors, regimes });
  return featuresOf(data, unit, regimes, z, from);
}

/** RUL predicted from one feature row of `featurizeUnit` starting at `offset`. */
export function predictFeatureRow(data: RulModelData, x: ArrayLike<number>, offset: number): number {
  return Math.min(data.cap, Math.max(0, meanPrediction(data.models, x, offset)));
}

function featuresOf(
  data: Preprocessing,
  unit: UnitHistory,
  regimes: Int32Array,
  z: Float64Array,
  from = 0,
): Float32Array {
  const K = data.normalizer.keep.length;
  const n = unit.length;
  let values = z;
  let channels = K;
  if (data.healthIndex !== null) {
    const hi = applyHealthIndex(data.healthIndex, z);
    channels = K + 1;
    values = new Float64Array(n * channels);
    for (let i = 0; i < n; i++) {
      values.set(z.subarray(i * K, (i + 1) * K), i * channels);
      values[i * channels + K] = hi[i] as number;
    }
  }
  const series = { values, channels, cycles: unit.cycles, regimes, k: data.regimes.k };
  const out = windowFeatures(series, data.features, from);
  if (out.length !== (n - from) * featureCount(channels, data.regimes.k, data.features))
    throw new Error('feature size mismatch');
  return out;
}

function checkUnit(unit: UnitHistory): void {
  if (unit.length === 0) throw new Error(`unit ${unit.unit}: empty history`);
  if (
    unit.cycles.length !== unit.length ||
    unit.sensors.length !== unit.length * N_SENSORS ||
    unit.settings.length !== unit.length * N_SETTINGS
  ) {
    throw new Error(`unit ${unit.unit}: inconsistent history arrays`);
  }
}

function concat(parts: Float64Array[]): Float64Array {
  const out = new Float64Array(parts.reduce((s, p) => s + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}
