import { describe, expect, it } from 'vitest';
import { MetricFeatures, RunningStats } from './metric-features.ts';

const t0 = Date.parse('2026-05-01T00:00:00Z');
const noise = (i: number) => Math.sin(i * 12.9898) * 0.5 + Math.sin(i * 78.233) * 0.5;

describe('MetricFeatures', () => {
  it('keeps a bounded window however many readings arrive', () => {
    const f = new MetricFeatures('x', { ewmaAlpha: 0.5, windowPoints: 10 });
    for (let i = 0; i < 10_000; i++) f.add(t0 + i * 1000, i);
    expect(f.size).toBe(10);
    expect(f.window().t[0]).toBe(t0 + 9990 * 1000);
  });

  it('computes EWMA, rolling mean and deviation, and the slope per hour', () => {
    const f = new MetricFeatures('x', { ewmaAlpha: 1, windowPoints: 61 });
    // 2 units per hour, a reading a minute
    for (let i = 0; i <= 60; i++) f.add(t0 + i * 60_000, 10 + i / 30);
    const s = f.snapshot()!;
    expect(s.ewma).toBeCloseTo(12, 9);
    expect(s.mean).toBeCloseTo(11, 9);
    expect(s.slopePerHour).toBeCloseTo(2, 6);
    expect(s.r2).toBeCloseTo(1, 6);
    expect(s.lineEnd).toBeCloseTo(12, 6);
    expect(s.std).toBeGreaterThan(0.5);
  });

  it("learns the asset's own baseline from its first points and measures the deviation from it", () => {
    const f = new MetricFeatures('x', { ewmaAlpha: 1, windowPoints: 20, baselinePoints: 50 });
    for (let i = 0; i < 50; i++) f.add(t0 + i * 1000, 5 + 0.1 * noise(i));
    expect(f.baseline()!.mean).toBeCloseTo(5, 1);
    for (let i = 50; i < 60; i++) f.add(t0 + i * 1000, 6);
    const s = f.snapshot()!;
    expect(s.baselineMean).toBeCloseTo(5, 1);
    expect(s.deviation).toBeCloseTo(1, 1);
    expect(s.z).toBeGreaterThan(10);
    // frozen once learned
    expect(f.baseline()!.mean).toBeCloseTo(5, 1);
  });

  it('keeps one point per resolution step and ignores out-of-order, duplicate and non-finite readings', () => {
    const f = new MetricFeatures('x', { ewmaAlpha: 0.5, windowPoints: 100, resolutionMs: 60_000 });
    for (let i = 0; i < 300; i++) f.add(t0 + i * 2000, 1);
    expect(f.size).toBe(10);
    const r = f.revision;
    expect(f.add(t0, 100)).toBe(false);
    expect(f.add(t0 + 600_000, Number.NaN)).toBe(false);
    expect(f.revision).toBe(r);
    expect(f.ewma).toBe(1);
  });

  it('uses a fixed baseline when given one', () => {
    const f = new MetricFeatures('x', { ewmaAlpha: 1, windowPoints: 5, baseline: { mean: 2, std: 0.5 } });
    f.add(t0, 3);
    expect(f.snapshot()!.z).toBeCloseTo(2, 9);
  });
});

describe('RunningStats', () => {
  it("matches the textbook mean and sample deviation (Welford's method)", () => {
    const s = new RunningStats();
    for (const x of [2, 4, 4, 4, 5, 5, 7, 9]) s.add(x);
    expect(s.mean).toBe(5);
    expect(s.std).toBeCloseTo(2.13809, 4);
  });
});
