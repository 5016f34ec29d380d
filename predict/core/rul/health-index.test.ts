import { describe, expect, it } from 'vitest';
import { applyHealthIndex, fitHealthIndex } from './health-index.ts';

describe('health index', () => {
  it('maps sensor z-scores linearly to the fraction of life left', () => {
    // Two channels: the first falls with wear, the second is noise-free constant 0.
    const n = 50;
    const z = new Float64Array(n * 2);
    const target = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const t = 1 - i / (n - 1);
      target[i] = t;
      z[i * 2] = 3 * t - 1;
    }
    const hi = fitHealthIndex(z, 2, target, 1e-9);
    const out = applyHealthIndex(hi, z);
    for (let i = 0; i < n; i++) expect(out[i]).toBeCloseTo(target[i] as number, 6);
    expect(JSON.parse(JSON.stringify(hi))).toEqual(hi);
  });
});
