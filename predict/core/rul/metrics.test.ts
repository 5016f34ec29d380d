import { describe, expect, it } from 'vitest';
import { endOfLifeErrors, nasaScore, rmse } from './metrics.ts';

describe('metrics', () => {
  it('rmse on hand-computed values', () => {
    // errors 3, -4 → sqrt((9 + 16) / 2)
    expect(rmse([13, 6], [10, 10])).toBeCloseTo(Math.sqrt(12.5), 12);
    expect(rmse([], [])).toBe(0);
  });

  it('NASA score penalises late predictions more than early ones', () => {
    // d = +10 → e^1 - 1; d = -13 → e^1 - 1; d = 0 → 0
    expect(nasaScore([20], [10])).toBeCloseTo(Math.E - 1, 12);
    expect(nasaScore([0], [13])).toBeCloseTo(Math.E - 1, 12);
    expect(nasaScore([5], [5])).toBe(0);
    expect(nasaScore([15, 5], [10, 10])).toBeCloseTo(Math.exp(0.5) - 1 + Math.exp(5 / 13) - 1, 12);
    expect(nasaScore([15], [10])).toBeGreaterThan(nasaScore([5], [10]));
  });

  it('rejects length mismatches', () => {
    expect(() => rmse([1], [1, 2])).toThrow(/length mismatch/);
  });

  it('splits late and early errors of the units near the end of life', () => {
    const e = endOfLifeErrors([30, 10, 50, 200, 5], [20, 16, 50, 100, 60], 50);
    expect(e).toEqual({
      units: 3,
      rmse: Math.sqrt((100 + 36) / 3),
      late: 1,
      meanLate: 10,
      early: 1,
      meanEarly: 6,
    });
    expect(endOfLifeErrors([1], [99], 50)).toMatchObject({ units: 0, rmse: 0, meanLate: 0 });
  });
});
