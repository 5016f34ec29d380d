/**
 * Failure alarms from a fleet history: per failure mode, P(a failure of that mode within the horizon)
 * per asset and telemetry step, from boosted trees on windowed features (two models per mode by default,
 * their mean log-odds: ours and the plain recipe's features and rows), calibrated (Platt) on
 * out-of-fold predictions of time-blocked cross-validation; the alarm rule (probability threshold and
 * consecutive steps, or k of the last m on request) is chosen per mode on those out-of-fold predictions by one criterion: the most
 * failures caught with the minimum lead, with all modes together at most `maxFalsePerAssetYear`
 * false episodes per asset-year.
 */
import { binMatrix, predictGbdtRow, type GbdtModel } from '../rul/gbdt.ts';
import { createRng } from '../rul/random.ts';
import {
  compileEnsemble,
  scoreEnsemble,
  type CompiledEnsemble,
  DEFAULT_LOGIT_BOOST,
  fitPlatt,
  plattProbability,
  trainLogitBoost,
  type LogitBoostParams,
} from './boost.ts';
import { countOutcome, rocAuc } from './episodes.ts';
import {
  assetFeatures,
  defaultFeatureOptions,
  featureNames,
  NEVER_HOURS,
  type FeatureOptions,
} from './features.ts';
import type { AssetHistory, FleetHistory } from './history.ts';
import { hoursSinceKnown, kthOfLast, PersistenceRule } from './known-history.ts';

const HOUR = 3_600_000;
const YEAR = 365.25 * 24 * HOUR;

export interface AlarmOptions {
  horizonMs: number;
  minLeadMs: number;
  episodeGapMs: number;
  /** The alarm rule's budget on the cross-validated false episodes (all modes together). */
  maxFalsePerAssetYear: number;
  folds: number;
  /** Training rows kept per model (every positive step, negatives sampled and weighted). */
  maxTrainRows: number;
  /** Consecutive alarming steps tried by the rule search (used when `persistence` is empty). */
  consecutive: number[];
  /**
   * Persistence rules tried by the rule search, [k, m]: alarm when at least k of the last m steps are at or
   * above the threshold ([k, k] is k consecutive steps).
   */
  persistence: [number, number][];
  /**
   * Train and cross-validate the hours since maintenance / failure as they will be known when scoring: after
   * `--train-until` the files end, so each training row gets a knowledge cut drawn up to the scoring span
   * before its time, and each held-out block sees only what was known at its start (`known-history.ts`).
   */
  staleKnowledge: boolean;
  /** The step's hour of the day as a feature (`FeatureOptions.timeOfDay`; measured no gain on synthetic fleets whose failures are all at 06:00, so off). */
  timeOfDay: boolean;
  /** Per code, the hour of the day of its last event (`FeatureOptions.eventHourOfDay`). */
  eventHourOfDay: boolean;
  /**
   * The clock features together (`timeOfDay` and `eventHourOfDay`): 'on', 'off', or 'auto' — trained both ways
   * and the model the criterion prefers kept (more failures caught in cross-validation, then fewer false
   * episodes; a tie keeps them out). Equipment that logs some codes at a fixed hour (a daily self-test; the
   * Azure data's codes that announce a failure are all logged at 06:00 the day before, the others at any hour)
   * is told apart by them; elsewhere they only add splits to overfit. 'auto' without codes is 'off'.
   */
  hourFeatures: 'on' | 'off' | 'auto';
  /**
   * Leave out of training and of the rule's cross-validation the steps whose long window holds a failure.
   * Scoring cannot (failures after `--train-until` are unknown), and there the windows still hold the
   * failed component's drift: kept (false), the trees learn that a drift that ended abruptly is no warning.
   */
  skipAfterFailure: boolean;
  boost: Partial<LogitBoostParams>;
  /**
   * The models of each mode (at least one): each trains on the same sampled rows with its own seed, feature
   * exclusions (`exclude` when absent) and, on request, without the steps whose long window holds a failure;
   * a step's score is their mean log-odds, out of fold (one fold model per member) as when scoring (one
   * refit per member), so the rule is chosen on the score that runs.
   */
  members: AlarmMember[];
  /** Feature windows (hours). */
  shortWindowHours: number;
  longWindowHours: number;
  /** Use hours since maintenance as features (unknown after the training period, so clipped). */
  maintenanceFeatures: boolean;
  /** Score new steps with one model trained on all rows (true) or the mean of the fold models. */
  refit: boolean;
  /**
   * Features the trees may not split on (regular expressions on the feature names). By default those that
   * tell the machines apart more than they tell a failure coming (raw levels, attributes) and those unknown
   * after `--train-until` (hours since maintenance or failure: the files end there): with a few dozen
   * failures per mode the trees otherwise learn which machines failed (measured: docs/predict.md).
   */
  exclude: string[];
  seed: number;
}

export interface AlarmMember {
  /** Features this member may not split on (default: `AlarmOptions.exclude`). */
  exclude?: string[];
  /** Train this member without the steps whose long window holds a failure (it is still scored on them). */
  skipAfterFailure?: boolean;
  boost?: Partial<LogitBoostParams>;
}

/**
 * What the plain recipe (`PREVIOUS_ALARM_OPTIONS`) does not split on: raw levels, attributes and the hours since
 * maintenance / failure.
 */
const PLAIN_RECIPE_EXCLUDE = [
  '\\.mean\\.',
  '\\.dev\\.',
  '^attr\\.',
  '^hoursSinceMaintenance\\.',
  '^hoursSinceFailure\\.',
  '^hoursSinceAnyFailure$',
];

export const DEFAULT_ALARM_OPTIONS: AlarmOptions = {
  horizonMs: 24 * HOUR,
  minLeadMs: 2 * HOUR,
  episodeGapMs: 24 * HOUR,
  maxFalsePerAssetYear: 1,
  folds: 4,
  maxTrainRows: 25_000,
  consecutive: [1, 2, 3],
  boost: {},
  // Ours and the plain recipe's model (its features, trained without the steps just after a failure), their
  // mean log-odds: cross-validated 441 vs 432 of 484 failures caught at 40 vs 44 false episodes on the tuning
  // fleets (docs/adr/0016, revision c).
  members: [{}, { exclude: PLAIN_RECIPE_EXCLUDE, skipAfterFailure: true }],
  shortWindowHours: 3,
  longWindowHours: 24,
  maintenanceFeatures: true,
  refit: true,
  // k of m (e.g. [2, 3], [3, 5]) only on request: it measured no gain (docs/adr/0016). Its versions carry
  // `window` and the live ALARM kind (core/models/alarm-evaluator.ts) runs it as predictAlarms does.
  persistence: [],
  staleKnowledge: true,
  timeOfDay: false,
  eventHourOfDay: false,
  hourFeatures: 'auto',
  skipAfterFailure: false,
  exclude: ['\\.mean\\.', '\\.dev\\.', '^attr\\.'],
  seed: 1,
};

/** The options of the model before the known-at-a-cut hours and persistence rules (for comparison runs). */
export const PREVIOUS_ALARM_OPTIONS: Partial<AlarmOptions> = {
  persistence: [],
  staleKnowledge: false,
  timeOfDay: false,
  eventHourOfDay: false,
  hourFeatures: 'off',
  skipAfterFailure: true,
  members: [{}],
  exclude: PLAIN_RECIPE_EXCLUDE,
};

export interface ModeRule {
  mode: string;
  /**
   * The models that score new steps, their mean log-odds the score: one per member (`AlarmOptions.members`)
   * trained on every sampled row (`refit`, the default), or the fold models of every member. A mean of several models has a narrower spread than the single
   * out-of-fold models the threshold was chosen on, so it alarms less than the rule intends.
   */
  models: GbdtModel[];
  platt: { a: number; b: number };
  /**
   * Alarm when the probability is ≥ threshold in at least `consecutive` of the last `window` steps (never if
   * null); `window` absent: `consecutive` steps in a row.
   */
  threshold: number | null;
  consecutive: number;
  window?: number;
  cv: {
    failures: number;
    caught: number;
    falseEpisodes: number;
    episodes: number;
    positives: number;
    rowAuc: number;
    /** The most failures caught at ≤ f cross-validated false episodes, f = 0, 1, … (this mode alone). */
    frontier?: number[];
  };
}

export interface AlarmModel {
  features: string[];
  featureOptions: FeatureOptions;
  trainUntil: number;
  horizonMs: number;
  rules: ModeRule[];
  cv: {
    assetYears: number;
    rows: number;
    trainRows: number;
    failures: number;
    caught: number;
    falseEpisodes: number;
    falsePerAssetYear: number;
    budget: number;
    /** `hourFeatures: 'auto'`: whether the clock features were kept, and the criterion without / with them. */
    hourFeatures?: { used: boolean; caught: [number, number]; falseEpisodes: [number, number] };
  };
}

export type Log = (msg: string) => void;

/**
 * A history the models cannot be trained on as asked: no failure at all (`ALARMS_NO_FAILURES`), or
 * `trainUntil` too early for one long window and one horizon of labelled steps, or for steps to train each
 * cross-validation fold on (`ALARMS_TOO_LITTLE_HISTORY`).
 */
export class AlarmDataError extends Error {
  constructor(
    readonly code: 'ALARMS_NO_FAILURES' | 'ALARMS_TOO_LITTLE_HISTORY',
    message: string,
  ) {
    super(message);
    this.name = 'AlarmDataError';
  }
}

interface AssetPlan {
  /** Step indices with a known label, ascending. */
  eligible: Int32Array;
  /** Fold of each eligible step. */
  fold: Int8Array;
  /** Per mode, 0/1 per eligible step. */
  labels: Uint8Array[];
  /** 1 where the step's long window holds a failure. */
  afterFailure: Uint8Array;
}

function nextFailureLabels(
  asset: AssetHistory,
  mode: number,
  steps: Int32Array,
  horizonMs: number,
): Uint8Array {
  const ft = asset.failures.t;
  const fk = asset.failures.key;
  const times: number[] = [];
  for (let i = 0; i < ft.length; i++) if (fk[i] === mode) times.push(ft[i] as number);
  const out = new Uint8Array(steps.length);
  let p = 0;
  for (let j = 0; j < steps.length; j++) {
    const t = asset.times[steps[j] as number] as number;
    while (p < times.length && (times[p] as number) <= t) p++;
    out[j] = p < times.length && (times[p] as number) <= t + horizonMs ? 1 : 0;
  }
  return out;
}

/** Train per-mode alarm models on the history before `trainUntil` (ms). */
export function trainAlarmModel(
  fleet: FleetHistory,
  trainUntil: number,
  options: Partial<AlarmOptions> = {},
  log: Log = () => undefined,
): AlarmModel {
  const o = { ...DEFAULT_ALARM_OPTIONS, ...options };
  if (o.hourFeatures === 'auto') {
    if (fleet.codes.length === 0)
      return trainAlarmModel(fleet, trainUntil, { ...options, hourFeatures: 'off' }, log);
    const without = trainAlarmModel(fleet, trainUntil, { ...options, hourFeatures: 'off' }, log);
    log("alarms: the same with the clock features (hour of the day, each code's last hour)");
    const withHours = trainAlarmModel(fleet, trainUntil, { ...options, hourFeatures: 'on' }, log);
    const used =
      withHours.cv.caught > without.cv.caught ||
      (withHours.cv.caught === without.cv.caught && withHours.cv.falseEpisodes < without.cv.falseEpisodes);
    const m = used ? withHours : without;
    const tried = {
      used,
      caught: [without.cv.caught, withHours.cv.caught] as [number, number],
      falseEpisodes: [without.cv.falseEpisodes, withHours.cv.falseEpisodes] as [number, number],
    };
    log(
      `alarms: clock features ${used ? 'kept' : 'left out'} (cross-validated ${tried.caught[0]} caught at ${tried.falseEpisodes[0]} false episodes without, ${tried.caught[1]} at ${tried.falseEpisodes[1]} with)`,
    );
    return { ...m, cv: { ...m.cv, hourFeatures: tried } };
  }
  let first = Infinity;
  for (const a of fleet.assets) if (a.times.length > 0) first = Math.min(first, a.times[0] as number);
  // Hours-since features saturate at half the training span (see FeatureOptions.sinceCapHours), or at the
  // whole span when the training rows see them as stale as scoring will.
  const fo = defaultFeatureOptions(
    fleet.stepMs,
    Math.max(24, (trainUntil - first) / HOUR / (o.staleKnowledge ? 1 : 2)),
    o.shortWindowHours,
    o.longWindowHours,
  );
  fo.maintenanceFeatures = o.maintenanceFeatures;
  if (o.timeOfDay || o.hourFeatures === 'on') fo.timeOfDay = true;
  if (o.eventHourOfDay || o.hourFeatures === 'on') fo.eventHourOfDay = true;
  const names = featureNames(fleet, fo);
  const F = names.length;
  const Q = fleet.modes.length;
  if (Q === 0)
    throw new AlarmDataError('ALARMS_NO_FAILURES', 'no failures before --train-until: nothing to learn');
  const longMs = fo.longSteps * fleet.stepMs;
  const labelEnd = trainUntil - o.horizonMs;
  // Columns of the hours since maintenance (K) and since failure (Q + any), and the scoring span after
  // `trainUntil` over which they go stale.
  const maintCol = names.findIndex((x) => x.startsWith('hoursSinceMaintenance.'));
  const failCol = names.findIndex((x) => x.startsWith('hoursSinceFailure.'));
  let last = -Infinity;
  for (const a of fleet.assets)
    if (a.times.length > 0) last = Math.max(last, a.times[a.times.length - 1] as number);
  const staleSpan = o.staleKnowledge ? Math.min(Math.max(0, last - trainUntil), trainUntil - first) : 0;
  const sinceCap = Math.min(NEVER_HOURS, fo.sinceCapHours);
  const makeStale = (a: AssetHistory, row: Float32Array, offset: number, t: number, knownUntil: number) => {
    if (maintCol >= 0)
      hoursSinceKnown(
        a.maintenance,
        fleet.components.length,
        t,
        knownUntil,
        sinceCap,
        false,
        row,
        offset + maintCol,
      );
    if (failCol >= 0)
      hoursSinceKnown(a.failures, fleet.modes.length, t, knownUntil, sinceCap, true, row, offset + failCol);
  };

  // Pass 1: eligible steps, labels, time range.
  let evalStart = Infinity;
  for (const a of fleet.assets) {
    const i = fo.longSteps - 1;
    if (i < a.times.length) evalStart = Math.min(evalStart, a.times[i] as number);
  }
  if (!(evalStart < labelEnd))
    throw new AlarmDataError(
      'ALARMS_TOO_LITTLE_HISTORY',
      'not enough history before --train-until for one horizon',
    );
  const blockMs = (labelEnd - evalStart) / o.folds;
  const foldOf = (t: number) => Math.min(o.folds - 1, Math.floor((t - evalStart) / blockMs));
  const plans: AssetPlan[] = fleet.assets.map((a) => {
    const steps: number[] = [];
    const after: number[] = [];
    let fp = 0;
    const ft = a.failures.t;
    for (let i = fo.longSteps - 1; i < a.times.length; i++) {
      const t = a.times[i] as number;
      if (t > labelEnd) break;
      // Skip steps whose long window holds a failure (the asset was failing or just repaired).
      while (fp < ft.length && (ft[fp] as number) <= t - longMs) fp++;
      const holds = fp < ft.length && (ft[fp] as number) <= t;
      if (o.skipAfterFailure && holds) continue;
      steps.push(i);
      after.push(holds ? 1 : 0);
    }
    const eligible = Int32Array.from(steps);
    const fold = Int8Array.from(steps, (i) => foldOf(a.times[i] as number));
    const labels = fleet.modes.map((_, m) => nextFailureLabels(a, m, eligible, o.horizonMs));
    return { eligible, fold, labels, afterFailure: Uint8Array.from(after) };
  });
  let nPos = 0;
  let nRows = 0;
  for (const p of plans) {
    nRows += p.eligible.length;
    for (let j = 0; j < p.eligible.length; j++) if (p.labels.some((l) => l[j] === 1)) nPos++;
  }
  const nNeg = nRows - nPos;
  const rate = Math.min(1, Math.max(0.01, (o.maxTrainRows - nPos) / Math.max(1, nNeg)));
  log(`alarms: ${nRows} labelled steps (${nPos} before a failure), negatives sampled at ${rate.toFixed(3)}`);

  // Pass 2: features of the sampled steps.
  const rng = createRng(o.seed);
  const cap = nPos + Math.ceil(nNeg * rate * 1.1) + 16;
  let X = new Float32Array(cap * F);
  let y = fleet.modes.map(() => new Uint8Array(cap));
  let w = new Float32Array(cap);
  let rowTime = new Float64Array(cap);
  let rowFold = new Int8Array(cap);
  let rowAfter = new Uint8Array(cap);
  let n = 0;
  const grow = () => {
    const c = Math.ceil(X.length / F) * 2;
    const X2 = new Float32Array(c * F);
    X2.set(X);
    X = X2;
    y = y.map((l) => {
      const l2 = new Uint8Array(c);
      l2.set(l);
      return l2;
    });
    const w2 = new Float32Array(c);
    w2.set(w);
    w = w2;
    const t2 = new Float64Array(c);
    t2.set(rowTime);
    rowTime = t2;
    const f2 = new Int8Array(c);
    f2.set(rowFold);
    rowFold = f2;
    const a2 = new Uint8Array(c);
    a2.set(rowAfter);
    rowAfter = a2;
  };
  fleet.assets.forEach((a, ai) => {
    const plan = plans[ai] as AssetPlan;
    const feats = assetFeatures(a, fleet, fo);
    for (let j = 0; j < plan.eligible.length; j++) {
      const pos = plan.labels.some((l) => l[j] === 1);
      if (!pos && rng.next() >= rate) continue;
      if (n * F >= X.length) grow();
      const i = plan.eligible[j] as number;
      X.set(feats.subarray(i * F, (i + 1) * F), n * F);
      if (staleSpan > 0) {
        const t = a.times[i] as number;
        makeStale(a, X, n * F, t, t - rng.next() * staleSpan);
      }
      for (let m = 0; m < Q; m++) (y[m] as Uint8Array)[n] = (plan.labels[m] as Uint8Array)[j] as number;
      w[n] = pos ? 1 : 1 / rate;
      rowTime[n] = a.times[i] as number;
      rowFold[n] = plan.fold[j] as number;
      rowAfter[n] = plan.afterFailure[j] as number;
      n++;
    }
  });
  const binned = binMatrix({ data: X.subarray(0, n * F), rows: n, cols: F });
  // Per member, the binned matrix with its excluded features made unsplittable (one bin).
  if (o.members.length === 0) throw new Error('trainAlarmModel: no members');
  const members = o.members.map((mb, e) => {
    const excluded = (mb.exclude ?? o.exclude).map((r) => new RegExp(r));
    const nBins = Int32Array.from(binned.nBins);
    names.forEach((name, f) => {
      if (excluded.some((r) => r.test(name))) nBins[f] = 1;
    });
    return {
      binned: { ...binned, nBins },
      skip: mb.skipAfterFailure === true,
      params: { ...DEFAULT_LOGIT_BOOST, ...o.boost, ...mb.boost },
      seed: o.seed + 7919 * e,
    };
  });
  const E = members.length;
  log(`alarms: ${n} training rows × ${F} features, ${E} model(s) per mode`);

  // Fold models: trained on the other blocks, minus a purge band around the held-out block.
  // models[m][k * E + e]: mode m, fold k, member e.
  const models: GbdtModel[][] = fleet.modes.map(() => []);
  for (let k = 0; k < o.folds; k++) {
    const lo = evalStart + k * blockMs - o.horizonMs;
    const hi = evalStart + (k + 1) * blockMs + longMs;
    for (const mb of members) {
      const rows: number[] = [];
      for (let r = 0; r < n; r++) {
        const t = rowTime[r] as number;
        if (mb.skip && rowAfter[r] === 1) continue;
        if (rowFold[r] !== k && (t < lo || t >= hi)) rows.push(r);
      }
      const idx = Uint32Array.from(rows);
      // the labelled span shorter than a held-out block's purge band: nothing left to train this fold on
      if (idx.length === 0)
        throw new AlarmDataError(
          'ALARMS_TOO_LITTLE_HISTORY',
          `too little history before --train-until for ${o.folds} time-blocked cross-validation folds (fold ${k + 1} has no step to train on)`,
        );
      for (let m = 0; m < Q; m++) {
        const model = trainLogitBoost(mb.binned, idx, y[m] as Uint8Array, w, {
          ...mb.params,
          seed: mb.seed + 31 * k + m,
        });
        (models[m] as GbdtModel[]).push(model);
      }
    }
    log(`alarms: fold ${k + 1}/${o.folds} trained (${Q} modes × ${E})`);
  }
  X = new Float32Array(0);
  const finals: GbdtModel[][] = o.refit
    ? fleet.modes.map((_, m) =>
        members.map((mb) => {
          const rows: number[] = [];
          for (let r = 0; r < n; r++) if (!(mb.skip && rowAfter[r] === 1)) rows.push(r);
          return trainLogitBoost(mb.binned, Uint32Array.from(rows), y[m] as Uint8Array, w, {
            ...mb.params,
            seed: mb.seed + 997 + m,
          });
        }),
      )
    : models;
  if (o.refit) log(`alarms: final models trained on all ${n} rows`);

  // Out-of-fold scores of every labelled step.
  const oof: Float32Array[][] = plans.map((p) => fleet.modes.map(() => new Float32Array(p.eligible.length)));
  fleet.assets.forEach((a, ai) => {
    const plan = plans[ai] as AssetPlan;
    const feats = assetFeatures(a, fleet, fo);
    for (let j = 0; j < plan.eligible.length; j++) {
      const i = plan.eligible[j] as number;
      const k = plan.fold[j] as number;
      // A held-out block knows the maintenance and failures before its start only, as scoring will.
      if (staleSpan > 0) makeStale(a, feats, i * F, a.times[i] as number, evalStart + k * blockMs);
      for (let m = 0; m < Q; m++) {
        let s = 0;
        for (let e = 0; e < E; e++)
          s += predictGbdtRow((models[m] as GbdtModel[])[k * E + e] as GbdtModel, feats, i * F);
        (oof[ai]![m] as Float32Array)[j] = s / E;
      }
    }
  });
  let assetYears = 0;
  for (const p of plans) assetYears += (p.eligible.length * fleet.stepMs) / YEAR;
  const budget = Math.floor(o.maxFalsePerAssetYear * assetYears + 1e-9);

  // Calibration and the rule's options per mode.
  interface Option {
    threshold: number | null;
    consecutive: number;
    window: number;
    caught: number;
    falseEpisodes: number;
    episodes: number;
  }
  const modeOptions: Option[][] = [];
  const platts: { a: number; b: number }[] = [];
  const modeFailures: number[] = [];
  const positives: number[] = [];
  const aucs: number[] = [];
  for (let m = 0; m < Q; m++) {
    const scores: number[] = [];
    const labels: number[] = [];
    plans.forEach((p, ai) => {
      const s = oof[ai]![m] as Float32Array;
      const l = p.labels[m] as Uint8Array;
      for (let j = 0; j < s.length; j++) {
        scores.push(s[j] as number);
        labels.push(l[j] as number);
      }
    });
    const platt = fitPlatt(scores, labels);
    platts.push(platt);
    positives.push(labels.reduce((x, v) => x + v, 0));
    aucs.push(Math.round(rocAuc(scores, labels) * 1000) / 1000);
    // Failures the held-out steps could have caught: those with their whole lead window labelled.
    const fails: Float64Array[] = fleet.assets.map((a, ai) => {
      const p = plans[ai] as AssetPlan;
      if (p.eligible.length === 0) return new Float64Array(0);
      const first = a.times[p.eligible[0] as number] as number;
      const out: number[] = [];
      for (let i = 0; i < a.failures.t.length; i++) {
        const t = a.failures.t[i] as number;
        if (a.failures.key[i] === m && t - o.horizonMs >= first && t - o.minLeadMs <= labelEnd) out.push(t);
      }
      return Float64Array.from(out);
    });
    modeFailures.push(fails.reduce((x, f) => x + f.length, 0));
    // Candidate thresholds: probabilities at geometric ranks of the top of the distribution.
    const probs = Float64Array.from(scores, (s) => plattProbability(platt, s))
      .sort()
      .reverse();
    const cands = new Set<number>();
    for (let r = 1; r < probs.length * 0.2; r = Math.max(r + 1, Math.floor(r * 1.04)))
      cands.add(probs[r - 1] as number);
    const opts: Option[] = [
      { threshold: null, consecutive: 1, window: 1, caught: 0, falseEpisodes: 0, episodes: 0 },
    ];
    const minCand = Math.min(...cands);
    const probSeries = plans.map((_, ai) =>
      Float64Array.from(oof[ai]![m] as Float32Array, (s) => plattProbability(platt, s)),
    );
    const shapes: [number, number][] =
      o.persistence.length > 0 ? o.persistence : o.consecutive.map((k) => [k, k]);
    for (const [kc, wm] of shapes) {
      // Per asset: steps whose k-th largest of the last m probabilities is ≥ the lowest candidate, with it.
      const series = fleet.assets.map((a, ai) => {
        const p = plans[ai] as AssetPlan;
        const kth = kthOfLast(probSeries[ai] as Float64Array, kc, wm);
        const runMin: number[] = [];
        const times: number[] = [];
        for (let j = 0; j < kth.length; j++) {
          const v = kth[j] as number;
          if (v < minCand) continue;
          runMin.push(v);
          times.push(a.times[p.eligible[j] as number] as number);
        }
        return { runMin, times };
      });
      for (const tau of cands) {
        let caught = 0;
        let falseEpisodes = 0;
        let episodes = 0;
        series.forEach((s, ai) => {
          const alarms: number[] = [];
          for (let j = 0; j < s.runMin.length; j++)
            if ((s.runMin[j] as number) >= tau) alarms.push(s.times[j] as number);
          const r = countOutcome(alarms, fails[ai] as Float64Array, o);
          caught += r.caught;
          falseEpisodes += r.falseEpisodes;
          episodes += r.episodes;
        });
        opts.push({ threshold: tau, consecutive: kc, window: wm, caught, falseEpisodes, episodes });
      }
    }
    modeOptions.push(opts);
  }

  // Pick one option per mode: most caught in total within the false-episode budget (knapsack).
  const choice = chooseOptions(modeOptions, budget);
  const rules: ModeRule[] = fleet.modes.map((mode, m) => {
    const c = (modeOptions[m] as Option[])[choice[m] as number] as Option;
    return {
      mode,
      models: finals[m] as GbdtModel[],
      platt: platts[m] as { a: number; b: number },
      threshold: c.threshold,
      consecutive: c.consecutive,
      window: c.window,
      cv: {
        failures: modeFailures[m] as number,
        caught: c.caught,
        falseEpisodes: c.falseEpisodes,
        episodes: c.episodes,
        positives: positives[m] as number,
        rowAuc: aucs[m] as number,
        frontier: Array.from({ length: 2 * budget + 1 }, (_, f) =>
          (modeOptions[m] as Option[]).reduce(
            (x, op) => (op.falseEpisodes <= f ? Math.max(x, op.caught) : x),
            0,
          ),
        ),
      },
    };
  });
  const caught = rules.reduce((x, r) => x + r.cv.caught, 0);
  const falseEpisodes = rules.reduce((x, r) => x + r.cv.falseEpisodes, 0);
  return {
    features: names,
    featureOptions: fo,
    trainUntil,
    horizonMs: o.horizonMs,
    rules,
    cv: {
      assetYears: Math.round(assetYears * 100) / 100,
      rows: nRows,
      trainRows: n,
      failures: modeFailures.reduce((x, v) => x + v, 0),
      caught,
      falseEpisodes,
      falsePerAssetYear: Math.round((falseEpisodes / assetYears) * 1000) / 1000,
      budget,
    },
  };
}

/** Knapsack over modes: one option each, total false episodes ≤ budget, most caught (then fewest false). */
export function chooseOptions(
  options: { caught: number; falseEpisodes: number }[][],
  budget: number,
): number[] {
  const NEG = -1;
  let best = new Array<{ caught: number; fe: number; picks: number[] } | null>(budget + 1).fill(null);
  best[0] = { caught: 0, fe: 0, picks: [] };
  for (const opts of options) {
    const next = new Array<{ caught: number; fe: number; picks: number[] } | null>(budget + 1).fill(null);
    best.forEach((b, used) => {
      if (!b) return;
      opts.forEach((op, k) => {
        const u = used + op.falseEpisodes;
        if (u > budget) return;
        const c = b.caught + op.caught;
        const cur = next[u];
        if (!cur || c > cur.caught) next[u] = { caught: c, fe: u, picks: [...b.picks, k] };
      });
    });
    best = next;
  }
  let pick: { caught: number; picks: number[] } | null = null;
  let bc = NEG;
  for (const b of best) {
    if (b && b.caught > bc) {
      bc = b.caught;
      pick = b;
    }
  }
  return pick ? pick.picks : options.map(() => 0);
}

export interface Alarm {
  asset: string;
  failureMode: string;
  at: number;
  probability: number;
}

/**
 * Alarms at every step after `model.trainUntil`. `onStep`, when given, sees every such step's
 * probabilities (in `fleet.modes` order), e.g. for scoring.
 */
export function predictAlarms(
  model: AlarmModel,
  fleet: FleetHistory,
  onStep?: (asset: string, t: number, probs: Float64Array) => void,
): Alarm[] {
  const names = featureNames(fleet, model.featureOptions);
  if (names.join('\n') !== model.features.join('\n'))
    throw new Error('predictAlarms: the history does not have the features the model was trained on');
  const F = names.length;
  const alarms: Alarm[] = [];
  const probs = new Float64Array(model.rules.length);
  const compiled = model.rules.map((r) => compileEnsemble(r.models));
  for (const a of fleet.assets) {
    let start = 0;
    while (start < a.times.length && (a.times[start] as number) <= model.trainUntil) start++;
    if (start >= a.times.length) continue;
    const feats = assetFeatures(a, fleet, model.featureOptions);
    const persistence = model.rules.map(
      (r) => new PersistenceRule(r.threshold, r.consecutive, r.window ?? r.consecutive),
    );
    for (let i = start; i < a.times.length; i++) {
      model.rules.forEach((r, m) => {
        const p = plattProbability(r.platt, scoreEnsemble(compiled[m] as CompiledEnsemble, feats, i * F));
        probs[m] = p;
        if ((persistence[m] as PersistenceRule).push(p))
          alarms.push({ asset: a.id, failureMode: r.mode, at: a.times[i] as number, probability: p });
      });
      onStep?.(a.id, a.times[i] as number, probs);
    }
  }
  return alarms;
}
