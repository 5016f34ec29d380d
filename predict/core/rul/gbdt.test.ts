import { describe, expect, it } from 'vitest';
import { binMatrix, predictGbdt, trainGbdt } from './gbdt.ts';
import { createRng } from './random.ts';

function dataset(n: number, seed: number) {
  const rng = createRng(seed);
  const F = 4;
  const data = new Float32Array(n * F);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let f = 0; f < F; f++) data[i * F + f] = rng.next() * 2 - 1;
    const a = data[i * F] as number;
    const b = data[i * F + 1] as number;
    // Feature 2 and 3 are noise.
    y[i] = Math.sin(3 * a) + (b > 0.2 ? 1 : 0) + a * b;
  }
  return { X: { data, rows: n, cols: F }, y };
}

describe('trainGbdt', () => {
  it('fits a known nonlinear function', () => {
    const train = dataset(4000, 1);
    const test = dataset(1000, 2);
    const model = trainGbdt(train.X, train.y, { rounds: 300, maxDepth: 4, learningRate: 0.1, seed: 3 });
    const pred = predictGbdt(model, test.X);
    let se = 0;
    let variance = 0;
    let mean = 0;
    for (let i = 0; i < test.y.length; i++) mean += test.y[i] as number;
    mean /= test.y.length;
    for (let i = 0; i < test.y.length; i++) {
      se += ((pred[i] as number) - (test.y[i] as number)) ** 2;
      variance += ((test.y[i] as number) - mean) ** 2;
    }
    const r2 = 1 - se / variance;
    expect(r2).toBeGreaterThan(0.95);
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const { X, y } = dataset(1000, 5);
    const opts = { rounds: 30, subsample: 0.5, colsample: 0.5 };
    const a = trainGbdt(X, y, { ...opts, seed: 7 });
    const b = trainGbdt(X, y, { ...opts, seed: 7 });
    const c = trainGbdt(X, y, { ...opts, seed: 8 });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.stringify(a)).not.toBe(JSON.stringify(c));
  });

  it('predicts identically after a JSON round trip', () => {
    const { X, y } = dataset(500, 6);
    const model = trainGbdt(X, y, { rounds: 20 });
    const restored = JSON.parse(JSON.stringify(model)) as typeof model;
    expect(Array.from(predictGbdt(restored, X))).toEqual(Array.from(predictGbdt(model, X)));
  });
});

describe('binMatrix', () => {
  it('bins few distinct values exactly and trains the same from a pre-binned matrix', () => {
    const data = Float32Array.from([0, 1, 0, 1, 2, 0.5, 2, 0.5]);
    const X = { data, rows: 4, cols: 2 };
    const b = binMatrix(X, 64);
    expect(Array.from(b.nBins)).toEqual([2, 2]);
    expect(Array.from(b.bins)).toEqual([0, 1, 0, 1, 1, 0, 1, 0]);
    const { X: big, y } = dataset(600, 11);
    const opts = { rounds: 20, seed: 4 };
    expect(JSON.stringify(trainGbdt(binMatrix(big, 64), y, opts))).toBe(
      JSON.stringify(trainGbdt(big, y, opts)),
    );
  });
});
