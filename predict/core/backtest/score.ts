// The backtest report from the replayed assets: for failures, recall with the lead-time distribution; for
// alarms, precision and false alarms per asset-year; for RUL-capable models, RMSE and the NASA score.
// Definitions: docs/predict.md.
import { mean, quantileSorted } from 'simple-statistics';
import type { Alarm, AssetReplay, RulPair } from './replay.ts';

const HOURS_PER_YEAR = 8766;

/**
 * A rate per asset-year is extrapolated from the observed asset-time: below a quarter of an asset-year
 * (2,191.5 asset-hours, e.g. 30 assets for 3 days), or with no failure observed to judge the alarms against,
 * it is withheld (null, with the reason) instead of scaled up from a few hours.
 */
export const MIN_ASSET_YEARS_FOR_RATE = 0.25;

/** Why a per-asset-year rate is withheld, or null when it can be reported. */
export function rateWithheld(observedAssetYears: number, failures: number): string | null {
  if (observedAssetYears < MIN_ASSET_YEARS_FOR_RATE)
    return `too little data: ${r4(observedAssetYears * HOURS_PER_YEAR)} asset-hours observed, a rate per asset-year needs at least ${MIN_ASSET_YEARS_FOR_RATE * HOURS_PER_YEAR}`;
  if (failures === 0) return 'no failure observed: the alarms cannot be judged against any';
  return null;
}

export interface LeadTimeStats {
  count: number;
  min: number;
  p10: number;
  p25: number;
  median: number;
  p75: number;
  p90: number;
  max: number;
  mean: number;
}

export interface BacktestReport {
  assets: number;
  readings: number;
  observedAssetYears: number;
  failures: {
    total: number;
    detected: number;
    /** Detected with at least the lead the asset needs (parts and response). */
    inTime: number;
    recall: number | null;
    inTimeRecall: number | null;
    byKind: Record<string, { total: number; detected: number; recall: number | null }>;
  };
  leadTimeHours: LeadTimeStats | null;
  leadTimeHistogram: { from: number; to: number; count: number }[];
  /** Expected failure of the alarm against the real failure, hours (positive: predicted late). */
  timingErrorHours: { mean: number; meanAbsolute: number } | null;
  alarms: {
    total: number;
    truePositive: number;
    falsePositive: number;
    withdrawn: number;
    pending: number;
    precision: number | null;
    /** Null when withheld (see `falseAlarmsRateWithheld`). */
    falseAlarmsPerAssetYear: number | null;
    /** Why the rate per asset-year is not reported (too little asset-time, no failures), else null. */
    falseAlarmsRateWithheld: string | null;
  };
  rul: {
    unit: string;
    cap: number;
    /** Failures (runs) with at least one pair, pairs scored, share of pairs where the model gave an estimate. */
    runs: number;
    pairs: number;
    estimatedShare: number;
    rmse: number;
    /** NASA score per prediction, and scaled to one prediction per run (comparable to the C-MAPSS benchmark). */
    nasaScorePerPrediction: number;
    nasaScore: number;
    /** A sample of (true, predicted) pairs for the scatter plot. */
    sample: { trueRul: number; predictedRul: number }[];
  } | null;
  perAsset: {
    assetId: string;
    readings: number;
    observedHours: number;
    failures: number;
    detected: number;
    alarms: number;
    falseAlarms: number;
  }[];
  /** The alarms, newest last (at most 200). */
  alarmList: Alarm[];
}

const r4 = (x: number) => Math.round(x * 10_000) / 10_000;
const ratio = (a: number, b: number) => (b > 0 ? r4(a / b) : null);

export const nasaTerm = (d: number): number => (d < 0 ? Math.exp(-d / 13) - 1 : Math.exp(d / 10) - 1);

export function leadTimeStats(values: readonly number[]): LeadTimeStats | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const q = (p: number) => r4(quantileSorted(s, p));
  return {
    count: s.length,
    min: r4(s[0]!),
    p10: q(0.1),
    p25: q(0.25),
    median: q(0.5),
    p75: q(0.75),
    p90: q(0.9),
    max: r4(s.at(-1)!),
    mean: r4(mean(s)),
  };
}

/** Equal-width bins over [0, max] (at most `bins`, of a rounded width). */
export function histogram(
  values: readonly number[],
  bins = 12,
): { from: number; to: number; count: number }[] {
  if (values.length === 0) return [];
  const max = Math.max(...values, 0);
  const raw = max / bins || 1;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const width = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((w) => w >= raw)!;
  const n = Math.max(1, Math.ceil(max / width + 1e-9));
  const out = Array.from({ length: n }, (_, i) => ({
    from: r4(i * width),
    to: r4((i + 1) * width),
    count: 0,
  }));
  for (const v of values) out[Math.min(n - 1, Math.max(0, Math.floor(v / width)))]!.count++;
  return out;
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/**
 * At most `max` of `xs`, spread over the whole list without aliasing with its periods (the pairs of every run
 * have the same length): a golden-ratio stride, coprime to the length, visits the indices in a scattered order.
 */
export function sampleSpread<T>(xs: readonly T[], max: number): T[] {
  const n = xs.length;
  if (n <= max) return [...xs];
  let step = Math.round(n * 0.6180339887);
  while (gcd(step, n) !== 1) step++;
  const picked = Array.from({ length: max }, (_, i) => (i * step) % n).sort((a, b) => a - b);
  return picked.map((i) => xs[i]!);
}

export function scoreBacktest(
  replays: readonly AssetReplay[],
  o: { rulUnit: string; rulCap: number; maxSample?: number },
): BacktestReport {
  const scored = replays.filter((r) => !r.rulOnly);
  const failures = scored.flatMap((r) => r.failures);
  const alarms = scored.flatMap((r) => r.alarms);
  const detected = failures.filter((f) => f.detected);
  const leads = detected.map((f) => f.leadHours!);
  const byKind: BacktestReport['failures']['byKind'] = {};
  for (const f of failures) {
    const k = (byKind[f.kind] ??= { total: 0, detected: 0, recall: null });
    k.total++;
    if (f.detected) k.detected++;
  }
  for (const k of Object.values(byKind)) k.recall = ratio(k.detected, k.total);
  const tp = alarms.filter((a) => a.outcome === 'detected').length;
  const withdrawn = alarms.filter((a) => a.outcome === 'withdrawn').length;
  const fp = alarms.filter((a) => a.outcome === 'false').length + withdrawn;
  const observedHours = scored.reduce((s, r) => s + r.observedHours, 0);
  const withheld = rateWithheld(observedHours / HOURS_PER_YEAR, failures.length);
  const timing = detected.map((f) => f.timingErrorHours!).filter((x) => Number.isFinite(x));

  const pairs: RulPair[] = replays.flatMap((r) => r.rul);
  let rul: BacktestReport['rul'] = null;
  if (pairs.length > 0) {
    const d = pairs.map((p) => p.predictedRul - p.trueRul);
    const runs = new Set(pairs.map((p) => `${p.assetId}|${p.failureAt}`)).size;
    const perPrediction = mean(d.map(nasaTerm));
    rul = {
      unit: o.rulUnit,
      cap: o.rulCap,
      runs,
      pairs: pairs.length,
      estimatedShare: r4(pairs.filter((p) => p.estimated).length / pairs.length),
      rmse: r4(Math.sqrt(mean(d.map((x) => x * x)))),
      nasaScorePerPrediction: r4(perPrediction),
      nasaScore: r4(perPrediction * runs),
      sample: sampleSpread(pairs, o.maxSample ?? 400).map((p) => ({
        trueRul: r4(p.trueRul),
        predictedRul: r4(p.predictedRul),
      })),
    };
  }

  return {
    assets: replays.length,
    readings: replays.reduce((s, r) => s + r.readings, 0),
    observedAssetYears: r4(observedHours / HOURS_PER_YEAR),
    failures: {
      total: failures.length,
      detected: detected.length,
      inTime: detected.filter((f) => f.inTime).length,
      recall: ratio(detected.length, failures.length),
      inTimeRecall: ratio(detected.filter((f) => f.inTime).length, failures.length),
      byKind,
    },
    leadTimeHours: leadTimeStats(leads),
    leadTimeHistogram: histogram(leads),
    timingErrorHours: timing.length
      ? { mean: r4(mean(timing)), meanAbsolute: r4(mean(timing.map(Math.abs))) }
      : null,
    alarms: {
      total: alarms.length,
      truePositive: tp,
      falsePositive: fp,
      withdrawn,
      pending: alarms.filter((a) => a.outcome === 'pending').length,
      precision: ratio(tp, tp + fp),
      falseAlarmsPerAssetYear: withheld === null ? r4(fp / (observedHours / HOURS_PER_YEAR)) : null,
      falseAlarmsRateWithheld: withheld,
    },
    rul,
    perAsset: scored.map((r) => ({
      assetId: r.assetId,
      readings: r.readings,
      observedHours: r4(r.observedHours),
      failures: r.failures.length,
      detected: r.failures.filter((f) => f.detected).length,
      alarms: r.alarms.length,
      falseAlarms: r.alarms.filter((a) => a.outcome === 'false' || a.outcome === 'withdrawn').length,
    })),
    alarmList: alarms.slice(-200),
  };
}
