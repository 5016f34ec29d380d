import { describe, expect, it } from 'vitest';
import { applyConservative, fitConservativeShift, shiftAt } from './conservative.ts';
import { nasaScore } from './metrics.ts';
import { createRng } from './random.ts';

/** Synthetic out-of-fold set: errors are symmetric and larger at low predicted RUL. */
function residualSet(n: number): { pred: number[]; truth: number[] } {
  const rng = createRng(3);
  const pred: number[] = [];
  const truth: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = rng.next() * 150;
    const spread = t < 50 ? 20 : 8;
    const p = Math.max(0, t + (rng.next() * 2 - 1) * spread);
    pred.push(p);
    truth.push(t);
  }
  return { pred, truth };
}

describe('conservative shift', () => {
  it('interpolates between knots, flat outside, never below 0', () => {
    const c = { knots: [10, 50, 100], shifts: [12, 6, 0] };
    expect(shiftAt(c, 0)).toBe(12);
    expect(shiftAt(c, 30)).toBeCloseTo(9);
    expect(shiftAt(c, 75)).toBeCloseTo(3);
    expect(shiftAt(c, 200)).toBe(0);
    expect(applyConservative(c, 5)).toBe(0);
    expect(applyConservative(c, 120)).toBe(120);
    expect(applyConservative({ knots: [], shifts: [] }, 42)).toBe(42);
  });

  it('lowers late errors near the end of life and the NASA score on a synthetic residual set', () => {
    const { pred, truth } = residualSet(4000);
    const c = fitConservativeShift(pred, truth);
    for (let i = 1; i < c.shifts.length; i++)
      expect(c.shifts[i] as number).toBeLessThanOrEqual(c.shifts[i - 1] as number);
    expect(c.shifts[0] as number).toBeGreaterThan(c.shifts[c.shifts.length - 1] as number);
    const shifted = pred.map((p) => applyConservative(c, p));
    const late = (ps: number[]) => {
      let s = 0;
      let n = 0;
      ps.forEach((p, i) => {
        if ((truth[i] as number) <= 50) {
          s += Math.max(0, p - (truth[i] as number));
          n++;
        }
      });
      return s / n;
    };
    expect(late(shifted)).toBeLessThan(0.6 * late(pred));
    expect(nasaScore(shifted, truth)).toBeLessThan(nasaScore(pred, truth));
    expect(shifted.every((p, i) => p <= (pred[i] as number) && p >= 0)).toBe(true);
  });

  it('needs no shift when predictions are never late', () => {
    const pred = Array.from({ length: 200 }, (_, i) => i / 2);
    const truth = pred.map((p) => p + 5);
    expect(fitConservativeShift(pred, truth).shifts.every((s) => s === 0)).toBe(true);
  });

  it('rejects length mismatches', () => {
    expect(() => fitConservativeShift([1, 2], [1])).toThrow(/length mismatch/);
  });
});
