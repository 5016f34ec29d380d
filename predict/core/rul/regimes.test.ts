import { describe, expect, it } from 'vitest';
import { createRng } from './random.ts';
import { assignRegimes, fitRegimes } from './regimes.ts';
import { fitNormalizer, normalizeSensors } from './normalize.ts';

const CONDITIONS = [
  [0, 0, 100],
  [10, 0.25, 100],
  [20, 0.7, 100],
  [25, 0.62, 60],
  [35, 0.84, 100],
  [42, 0.84, 100],
];

function settings(n: number, centers: number[][], noise: number, seed: number) {
  const rng = createRng(seed);
  const pts = new Float64Array(n * 3);
  const truth = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = rng.int(centers.length);
    truth[i] = c;
    for (let d = 0; d < 3; d++)
      pts[i * 3 + d] = (centers[c]?.[d] ?? 0) + (rng.next() - 0.5) * noise * (d === 1 ? 0.01 : 1);
  }
  return { pts, truth };
}

describe('fitRegimes', () => {
  it('finds six operating conditions and assigns rows consistently', () => {
    const { pts, truth } = settings(3000, CONDITIONS, 0.004, 3);
    const model = fitRegimes(pts, 3, { seed: 1 });
    expect(model.k).toBe(6);
    const assigned = assignRegimes(model, pts);
    // Same partition as the truth (up to relabelling).
    const map = new Map<number, number>();
    for (let i = 0; i < truth.length; i++) {
      const t = truth[i] as number;
      const a = assigned[i] as number;
      if (!map.has(t)) map.set(t, a);
      expect(map.get(t)).toBe(a);
    }
    expect(new Set(map.values()).size).toBe(6);
  });

  it('finds a single regime in one noisy operating condition', () => {
    const { pts } = settings(2000, [[0, 0, 100]], 0.004, 5);
    expect(fitRegimes(pts, 3, { seed: 1 }).k).toBe(1);
  });

  it('finds three regimes when there are three', () => {
    const { pts } = settings(2000, CONDITIONS.slice(0, 3), 0.004, 9);
    expect(fitRegimes(pts, 3, { seed: 2 }).k).toBe(3);
  });
});

describe('normalizer', () => {
  it('z-scores per regime and drops sensors constant in every regime', () => {
    const n = 400;
    const sensors = new Float64Array(n * 21);
    const regimes = new Int32Array(n);
    const rng = createRng(4);
    for (let i = 0; i < n; i++) {
      const r = i % 2;
      regimes[i] = r;
      for (let s = 0; s < 21; s++) {
        // Sensor 0 is constant within each regime (but differs between them): dropped.
        sensors[i * 21 + s] = s === 0 ? 100 + 50 * r : 10 * s + 1000 * r + rng.next();
      }
    }
    const norm = fitNormalizer([{ sensors, regimes }], 2);
    expect(norm.keep).not.toContain(0);
    expect(norm.keep.length).toBe(20);
    const z = normalizeSensors(norm, { sensors, regimes });
    let mean = 0;
    let sq = 0;
    for (let i = 0; i < n; i += 2) {
      mean += z[i * 20] as number;
      sq += (z[i * 20] as number) ** 2;
    }
    mean /= n / 2;
    expect(mean).toBeCloseTo(0, 10);
    expect(sq / (n / 2)).toBeCloseTo(1, 8);
  });
});
