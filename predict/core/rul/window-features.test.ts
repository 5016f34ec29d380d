import { describe, expect, it } from 'vitest';
import { featureCount, featureNames, windowFeatures } from './window-features.ts';
import type { FeatureConfig } from './window-features.ts';

const cfg: FeatureConfig = { windows: [3], spans: [1], baselineCycles: 2, regimeHistory: true };

describe('windowFeatures', () => {
  const n = 5;
  // One channel: y = 2 * i + 1.
  const values = Float64Array.from({ length: n }, (_, i) => 2 * i + 1);
  const series = {
    values,
    channels: 1,
    cycles: Float64Array.from({ length: n }, (_, i) => i + 1),
    regimes: Int32Array.from([0, 1, 1, 0, 1]),
    k: 2,
  };

  it('computes last, window mean, slope, EWMA, baseline delta, cycle and regime shares', () => {
    const F = featureCount(1, 2, cfg);
    expect(F).toBe(8);
    expect(featureNames(['hi'], 2, cfg)).toHaveLength(F);
    const X = windowFeatures(series, cfg);
    expect(X.length).toBe(n * F);
    const last = Array.from(X.subarray(4 * F, 5 * F));
    // window rows 2..4 → values 5,7,9; EWMA span 1 = last value; baseline = mean(1,3) = 2.
    expect(last.slice(0, 6)).toEqual([9, 7, 2, 9, 7, 5]);
    expect(last[6]).toBeCloseTo(0.4, 6);
    expect(last[7]).toBeCloseTo(0.6, 6);
    // A one-row history: the window holds just that row, slope 0.
    expect(Array.from(X.subarray(0, F))).toEqual([1, 1, 0, 1, 0, 1, 1, 0]);
  });

  it('gives the same last-row features when computed from a later start', () => {
    const F = featureCount(1, 2, cfg);
    const all = windowFeatures(series, cfg);
    const tail = windowFeatures(series, cfg, n - 1);
    expect(Array.from(tail)).toEqual(Array.from(all.subarray((n - 1) * F)));
  });

  it('uses the whole history for windows longer than it and handles several windows', () => {
    const two: FeatureConfig = { windows: [2, 100], spans: [], baselineCycles: 1, regimeHistory: false };
    const F = featureCount(1, 2, two);
    expect(F).toBe(1 + 4 + 1 + 1);
    const row = Array.from(windowFeatures(series, two, n - 1));
    // last 9; mean/slope over rows 3..4 = 8, 2; over all rows = 5, 2; drift = mean(all) - 1; cycle 5.
    expect(row).toEqual([9, 8, 2, 5, 2, 4, 5]);
  });
});
