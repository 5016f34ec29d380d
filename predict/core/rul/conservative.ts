/**
 * Conservative correction near the end of life. A late prediction (predicted RUL above the true
 * one) is the costly error for a service business, and the NASA score penalises it with
 * exp(d/10) against exp(-d/13) for an early one. The correction subtracts a shift δ(p) from a
 * predicted RUL p, with δ interpolated linearly between knots of p and non-increasing in p (it
 * grows as the predicted RUL falls), and never predicts below 0. The shift at each knot is the
 * one that minimises the mean NASA score of out-of-fold predictions of the training units whose
 * prediction falls in that knot's bin (`fitConservativeShift`); the defaults were fitted that
 * way (see docs/rul-model.md).
 */

export interface ConservativeShift {
  /** Predicted-RUL knots (cycles), ascending. */
  knots: number[];
  /** Cycles subtracted at each knot, ≥ 0 and non-increasing. */
  shifts: number[];
}

/** δ(p): linear between knots, flat beyond the first and last. */
export function shiftAt(c: ConservativeShift, p: number): number {
  const { knots, shifts } = c;
  const n = knots.length;
  if (n === 0) return 0;
  if (p <= (knots[0] as number)) return shifts[0] as number;
  if (p >= (knots[n - 1] as number)) return shifts[n - 1] as number;
  let i = 1;
  while ((knots[i] as number) < p) i++;
  const k0 = knots[i - 1] as number;
  const k1 = knots[i] as number;
  const t = (p - k0) / (k1 - k0);
  return (shifts[i - 1] as number) * (1 - t) + (shifts[i] as number) * t;
}

/** The conservative prediction max(0, p − δ(p)). */
export function applyConservative(c: ConservativeShift, p: number): number {
  return Math.max(0, p - shiftAt(c, p));
}

/** NASA score of one error d = predicted − true. */
function nasa(d: number): number {
  return d < 0 ? Math.exp(-d / 13) - 1 : Math.exp(d / 10) - 1;
}

export interface FitConservativeOptions {
  /** Bin edges on the predicted RUL (ascending); the knot of a bin is its mean prediction. */
  edges?: number[];
  /** Largest shift tried (cycles). */
  maxShift?: number;
  /** Grid step of the shifts tried (cycles). */
  step?: number;
  /** Bins with fewer predictions are dropped. */
  minCount?: number;
}

export const DEFAULT_FIT_EDGES = [0, 20, 40, 60, 80, 100, 125, Infinity];

/**
 * Fit the shift on (predicted, true) pairs: per bin of the prediction, the shift in
 * [0, maxShift] minimising the mean NASA score of max(0, p − δ) − t; then made non-increasing
 * in p (a bin's shift is at least that of every bin above it).
 */
export function fitConservativeShift(
  predicted: ArrayLike<number>,
  truth: ArrayLike<number>,
  opts: FitConservativeOptions = {},
): ConservativeShift {
  if (predicted.length !== truth.length)
    throw new Error(`length mismatch: ${predicted.length} predictions vs ${truth.length} truths`);
  const edges = opts.edges ?? DEFAULT_FIT_EDGES;
  const maxShift = opts.maxShift ?? 40;
  const step = opts.step ?? 0.5;
  const minCount = opts.minCount ?? 20;
  const knots: number[] = [];
  const shifts: number[] = [];
  for (let b = 0; b + 1 < edges.length; b++) {
    const lo = edges[b] as number;
    const hi = edges[b + 1] as number;
    const idx: number[] = [];
    for (let i = 0; i < predicted.length; i++) {
      const p = predicted[i] as number;
      if (p >= lo && (p < hi || (b + 2 === edges.length && p === hi))) idx.push(i);
    }
    if (idx.length < minCount) continue;
    let best = 0;
    let bestLoss = Infinity;
    for (let s = 0; s <= maxShift + 1e-9; s += step) {
      let loss = 0;
      for (const i of idx) loss += nasa(Math.max(0, (predicted[i] as number) - s) - (truth[i] as number));
      if (loss < bestLoss - 1e-12) {
        bestLoss = loss;
        best = s;
      }
    }
    knots.push(idx.reduce((sum, i) => sum + (predicted[i] as number), 0) / idx.length);
    shifts.push(best);
  }
  for (let i = shifts.length - 2; i >= 0; i--)
    shifts[i] = Math.max(shifts[i] as number, shifts[i + 1] as number);
  return { knots, shifts };
}
