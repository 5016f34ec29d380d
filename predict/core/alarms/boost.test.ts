import { describe, expect, it } from 'vitest';
import { binMatrix, predictGbdtRow } from '../rul/gbdt.ts';
import { createRng } from '../rul/random.ts';
import { fitPlatt, plattProbability, trainLogitBoost } from './boost.ts';
import { rocAuc } from './episodes.ts';

describe('trainLogitBoost', () => {
  it('learns a noisy rule from weighted, subsampled rows and calibrates with Platt', () => {
    const rng = createRng(3);
    const n = 4000;
    const F = 3;
    const data = new Float32Array(n * F);
    const y = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      for (let f = 0; f < F; f++) data[i * F + f] = rng.next();
      const p = (data[i * F] as number) > 0.7 ? 0.8 : 0.05;
      y[i] = rng.next() < p ? 1 : 0;
    }
    const X = binMatrix({ data, rows: n, cols: F });
    const train = Uint32Array.from({ length: n / 2 }, (_, i) => i);
    const model = trainLogitBoost(X, train, y, new Float32Array(n).fill(1), { rounds: 60 });
    const scores: number[] = [];
    const labels: number[] = [];
    for (let i = n / 2; i < n; i++) {
      scores.push(predictGbdtRow(model, data, i * F));
      labels.push(y[i] as number);
    }
    expect(rocAuc(scores, labels)).toBeGreaterThan(0.8);
    const platt = fitPlatt(scores, labels);
    const hi = scores.filter((_, k) => (data[(k + n / 2) * F] as number) > 0.75);
    const meanHi = hi.reduce((a, s) => a + plattProbability(platt, s), 0) / hi.length;
    expect(meanHi).toBeGreaterThan(0.6);
    expect(meanHi).toBeLessThan(0.95);
  });
});
