/**
 * The probability that an asset needs a part within a review's horizon (docs/parts-planning.md, "How the
 * demand is calibrated"). Pure: the history comes in as plain data through a port (PartsDemandHistory).
 *
 * - **Live prediction**: predict's confidence is a score, not a probability. It is calibrated against the
 *   outcomes of resolved predictions (a repair depot's finding confirmed or refuted them): histogram binning of
 *   the confidence (10 bins), each bin's confirmed share shrunk towards the raw confidence by `priorStrength`
 *   pseudo-observations (a bin with no history keeps the raw confidence), then made non-decreasing
 *   (pool-adjacent-violators), and read by linear interpolation between bin centres.
 * - **No live prediction**: the failure mode's base rate from history, a gamma–Poisson posterior mean
 *   (failures + prior rate × prior days) / (exposure days + prior days): failures are completed orders of the
 *   mode that no depot found fault-free plus failed imported run-to-failure histories; exposure is the asset-days
 *   since installation of the equipment model's assets plus the histories' run time. pFail = 1 − e^(−rate × H).
 */

export interface ResolvedPrediction {
  confidence: number;
  /** True when the depot's finding confirmed the predicted failure. */
  confirmed: boolean;
}

export interface FailureModeHistory {
  failureModeKey: string;
  failures: number;
  exposureDays: number;
}

/** What the demand needs from history (read by an adapter; dispatch/adapters/parts-demand-history.ts). */
export interface PartsDemandHistory {
  resolvedPredictions(): Promise<ResolvedPrediction[]>;
  failureModeHistory(now: Date): Promise<FailureModeHistory[]>;
}

export interface CalibrationBin {
  lo: number;
  hi: number;
  /** Resolved predictions with a confidence in [lo, hi). */
  n: number;
  confirmed: number;
  /** The calibrated probability at the bin's centre. */
  p: number;
}

export interface Calibration {
  bins: CalibrationBin[];
  /** Resolved predictions learned from. */
  n: number;
}

const clamp01 = (x: number): number => Math.min(1, Math.max(0, x));

export function learnCalibration(
  resolved: readonly ResolvedPrediction[],
  opts: { bins?: number; priorStrength?: number } = {},
): Calibration {
  const k = opts.bins ?? 10;
  const prior = opts.priorStrength ?? 5;
  const n = new Array<number>(k).fill(0);
  const yes = new Array<number>(k).fill(0);
  for (const r of resolved) {
    if (!Number.isFinite(r.confidence)) continue;
    const b = Math.min(k - 1, Math.floor(clamp01(r.confidence) * k));
    n[b] = (n[b] as number) + 1;
    if (r.confirmed) yes[b] = (yes[b] as number) + 1;
  }
  // shrink each bin's confirmed share towards its centre (the raw confidence)
  const raw = n.map((ni, b) => ((yes[b] as number) + prior * ((b + 0.5) / k)) / (ni + prior));
  const weight = n.map((ni) => ni + prior);
  const p = poolAdjacentViolators(raw, weight);
  return {
    n: n.reduce((s, x) => s + x, 0),
    bins: p.map((pb, b) => ({
      lo: b / k,
      hi: (b + 1) / k,
      n: n[b] as number,
      confirmed: yes[b] as number,
      p: pb,
    })),
  };
}

/** Weighted isotonic (non-decreasing) regression of `y`. */
function poolAdjacentViolators(y: readonly number[], w: readonly number[]): number[] {
  const blocks: { v: number; w: number; len: number }[] = [];
  for (let i = 0; i < y.length; i++) {
    blocks.push({ v: y[i] as number, w: w[i] as number, len: 1 });
    while (blocks.length > 1) {
      const b = blocks[blocks.length - 1] as { v: number; w: number; len: number };
      const a = blocks[blocks.length - 2] as { v: number; w: number; len: number };
      if (a.v <= b.v) break;
      blocks.splice(blocks.length - 2, 2, {
        v: (a.v * a.w + b.v * b.w) / (a.w + b.w),
        w: a.w + b.w,
        len: a.len + b.len,
      });
    }
  }
  return blocks.flatMap((b) => new Array<number>(b.len).fill(b.v));
}

/** The calibrated probability of a confidence: linear between bin centres, flat beyond the outer ones. */
export function calibrate(c: Calibration, confidence: number): number {
  const x = clamp01(confidence);
  const bins = c.bins;
  if (bins.length === 0) return x;
  const centre = (b: CalibrationBin): number => (b.lo + b.hi) / 2;
  const first = bins[0] as CalibrationBin;
  const last = bins[bins.length - 1] as CalibrationBin;
  if (x <= centre(first)) return first.p;
  if (x >= centre(last)) return last.p;
  for (let i = 1; i < bins.length; i++) {
    const b = bins[i] as CalibrationBin;
    if (x <= centre(b)) {
      const a = bins[i - 1] as CalibrationBin;
      const t = (x - centre(a)) / (centre(b) - centre(a));
      return a.p + t * (b.p - a.p);
    }
  }
  return last.p;
}

/** No history: the raw confidence. */
export const IDENTITY_CALIBRATION: Calibration = learnCalibration([]);

export interface BaseRatePrior {
  ratePerDay: number;
  /** How many asset-days of history the prior weighs. */
  strengthDays: number;
}

export const DEFAULT_BASE_RATE_PRIOR: BaseRatePrior = { ratePerDay: 0.0007, strengthDays: 3650 };

/** Failures per asset-day by failure mode key (the posterior mean). */
export function learnBaseRates(
  history: readonly FailureModeHistory[],
  prior: BaseRatePrior = DEFAULT_BASE_RATE_PRIOR,
): Record<string, number> {
  const sum = new Map<string, { f: number; d: number }>();
  for (const h of history) {
    const s = sum.get(h.failureModeKey) ?? { f: 0, d: 0 };
    s.f += Math.max(0, h.failures);
    s.d += Math.max(0, h.exposureDays);
    sum.set(h.failureModeKey, s);
  }
  const out: Record<string, number> = {};
  for (const [key, s] of sum)
    out[key] = (s.f + prior.ratePerDay * prior.strengthDays) / (s.d + prior.strengthDays);
  return out;
}

/** Probability of at least one failure within `days` at a constant rate. */
export function baseRateProbability(ratePerDay: number, days: number): number {
  return 1 - Math.exp(-Math.max(0, ratePerDay) * Math.max(0, days));
}

/** Reliability diagram: the mean predicted probability and the observed frequency per bin of predictions. */
export function reliabilityDiagram(
  points: readonly { p: number; happened: boolean }[],
  bins = 10,
): { lo: number; hi: number; n: number; meanPredicted: number; observed: number }[] {
  const out = Array.from({ length: bins }, (_, b) => ({
    lo: b / bins,
    hi: (b + 1) / bins,
    n: 0,
    sp: 0,
    so: 0,
  }));
  for (const pt of points) {
    const b = out[Math.min(bins - 1, Math.floor(clamp01(pt.p) * bins))] as (typeof out)[number];
    b.n++;
    b.sp += pt.p;
    if (pt.happened) b.so++;
  }
  return out.map((b) => ({
    lo: b.lo,
    hi: b.hi,
    n: b.n,
    meanPredicted: b.n ? b.sp / b.n : 0,
    observed: b.n ? b.so / b.n : 0,
  }));
}

/** Expected calibration error: the n-weighted mean |predicted − observed| over the bins. */
export function expectedCalibrationError(diagram: ReturnType<typeof reliabilityDiagram>): number {
  const n = diagram.reduce((s, b) => s + b.n, 0);
  return n === 0 ? 0 : diagram.reduce((s, b) => s + b.n * Math.abs(b.meanPredicted - b.observed), 0) / n;
}
