import { describe, expect, it } from 'vitest';
import { applyLinear, fitRidge } from './linear.ts';
import { createRng } from './random.ts';

describe('fitRidge', () => {
  it('recovers the coefficients of a noiseless linear relation', () => {
    const rng = createRng(1);
    const n = 200;
    const X = new Float64Array(n * 3);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < 3; j++) X[i * 3 + j] = rng.next() * 10 - 5;
      y[i] = 2 * (X[i * 3] as number) - (X[i * 3 + 1] as number) + 0.5 * (X[i * 3 + 2] as number) + 7;
    }
    const m = fitRidge(X, y, 3, 1e-9);
    expect(m.weights[0]).toBeCloseTo(2, 6);
    expect(m.weights[1]).toBeCloseTo(-1, 6);
    expect(m.weights[2]).toBeCloseTo(0.5, 6);
    expect(m.bias).toBeCloseTo(7, 6);
    expect(applyLinear(m, X.subarray(0, 3), 3)[0]).toBeCloseTo(y[0] as number, 6);
  });

  it('copes with a constant (collinear) column and shrinks with a large penalty', () => {
    const X = Float64Array.from([1, 5, 2, 5, 3, 5, 4, 5]);
    const y = [2, 4, 6, 8];
    const m = fitRidge(X, y, 2, 1e-9);
    expect(m.weights[0]).toBeCloseTo(2, 6);
    expect(m.weights[1]).toBeCloseTo(0, 6);
    expect(Math.abs(fitRidge(X, y, 2, 1e6).weights[0] as number)).toBeLessThan(0.01);
  });
});
