// The LEARNED kind on synthetic run-to-failure lives: two operating regimes, a sensor that wears, one that is
// noise and one that is constant.
import { describe, expect, it } from 'vitest';
import { createEvaluator } from '../create-evaluator.ts';
import { checkParams } from '../params.ts';
import { fitRegimes, regimeOf } from './regimes.ts';
import { RidgeAccumulator } from './ridge.ts';
import { healthIndex, trainHealthIndex, type RunToFailure } from './health-index.ts';
import { trainLearned } from './train-learned.ts';

const noise = (i: number) => Math.sin(i * 12.9898) * 0.5 + Math.sin(i * 78.233) * 0.5;

/** A life of `n` cycles: wear shows in `s1` over the last 100 cycles, offset by the regime. */
function life(n: number, seed: number): RunToFailure {
  return {
    readings: Array.from({ length: n }, (_, i) => {
      const regime = (i + seed) % 2;
      const rul = n - 1 - i;
      const wear = Math.max(0, 1 - rul / 100);
      return {
        setting1: regime === 0 ? 0 + 0.001 * noise(i + seed) : 20 + 0.001 * noise(i + seed),
        s1: (regime === 0 ? 100 : 140) + 10 * wear ** 1.2 + 0.5 * noise(i * 3 + seed),
        s2: 5 + noise(i * 7 + seed),
        s3: 42,
      };
    }),
  };
}

describe('regimes', () => {
  it('finds operating regimes from the settings, not from their noise', () => {
    const rows = Array.from({ length: 600 }, (_, i) => [
      (i % 3) * 10 + 0.002 * noise(i),
      100 + 0.0001 * noise(i + 1),
    ]);
    const regimes = fitRegimes(rows);
    expect(regimes).toHaveLength(3);
    expect(regimeOf(regimes, [20.001, 100])).toBe(
      regimes.findIndex((r) => Math.abs(r.setting[0]! - 20) < 0.1),
    );
    expect(fitRegimes(rows.map((r) => [r[1]!]))).toHaveLength(1);
  });
});

describe('ridge regression', () => {
  it('recovers a linear relation', () => {
    const acc = new RidgeAccumulator(2);
    for (let i = 0; i < 200; i++) {
      const x = [noise(i), noise(i + 100)];
      acc.add(x, 3 * x[0]! - 2 * x[1]! + 1);
    }
    const { weights, bias } = acc.solve(1e-9);
    expect(weights[0]).toBeCloseTo(3, 6);
    expect(weights[1]).toBeCloseTo(-2, 6);
    expect(bias).toBeCloseTo(1, 6);
  });
});

describe('the learned health index', () => {
  const lives = Array.from({ length: 20 }, (_, k) => life(180 + 7 * k, k));
  const o = { settings: ['setting1'], sensors: ['s1', 's2', 's3'], cap: 100 };

  it('weights the wearing sensor, drops the constant one and tracks wear within each regime', () => {
    const t = trainHealthIndex(lives, o);
    expect(t.model.regimes).toHaveLength(2);
    expect(t.droppedSensors).toEqual(['s3']);
    expect(Math.abs(t.model.weights[0]!)).toBeGreaterThan(5 * Math.abs(t.model.weights[1]!));
    expect(t.r2).toBeGreaterThan(0.8);
    expect(t.failureLevel).toBeGreaterThan(t.healthyMean + 0.5);
    const end = lives[0]!.readings.at(-1)!;
    const start = lives[0]!.readings[0]!;
    expect(healthIndex(t.model, end)!).toBeGreaterThan(healthIndex(t.model, start)! + 0.5);
    expect(healthIndex(t.model, { setting1: 0 })).toBeUndefined();
  });

  it('becomes valid LEARNED parameters whose evaluator counts down the remaining life', () => {
    const { params } = trainLearned(lives, { ...o, source: 'synthetic', trainedAt: new Date(0) });
    expect(checkParams('LEARNED', params)).toEqual({ ok: true });
    const e = createEvaluator('LEARNED', params);
    const test = life(200, 99);
    const t0 = Date.parse('2026-05-01T00:00:00Z');
    const rulAt = (cycle: number) => {
      const a = e.assess()!;
      return (a.expectedFailureAt.getTime() - (t0 + cycle * 3_600_000)) / 3_600_000;
    };
    test.readings.slice(0, 150).forEach((r, i) => e.add(t0 + i * 3_600_000, r));
    expect(Math.abs(rulAt(149) - 50)).toBeLessThan(15);
    test.readings.slice(150, 190).forEach((r, i) => e.add(t0 + (150 + i) * 3_600_000, r));
    expect(Math.abs(rulAt(189) - 10)).toBeLessThan(10);
    const ev = e.assess()!.evidence;
    expect(ev.kind).toBe('LEARNED');
    expect(ev.features.some((f) => f.metric === 's1' && f.feature === 'healthIndexContribution')).toBe(true);
  });
});
