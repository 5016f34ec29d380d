// The model kinds behind the one Evaluator interface, on synthetic degradations with known answers.
import { describe, expect, it } from 'vitest';
import { createEvaluator } from './create-evaluator.ts';
import type { AnomalyParams, ThresholdParams } from './params.ts';

const t0 = Date.parse('2026-05-01T00:00:00Z');
const MIN = 60_000;
const noise = (i: number) => Math.sin(i * 12.9898) * 0.5 + Math.sin(i * 78.233) * 0.5;
const rules = { horizonHours: 24, confirmations: 2, marginMinutes: 30 };

const threshold: ThresholdParams = {
  metric: 'temp',
  direction: 'up',
  alertLevel: 80,
  failureLevel: 100,
  leadHours: 10,
  ewmaAlpha: 1,
  windowPoints: 10,
  ...rules,
};

describe('THRESHOLD', () => {
  it('is silent below the alert level and expects failure sooner the closer the metric is to failure', () => {
    const e = createEvaluator('THRESHOLD', threshold);
    e.add(t0, { temp: 70 });
    expect(e.assess()).toBeUndefined();
    e.add(t0 + MIN, { temp: 85 });
    const a = e.assess()!;
    // a quarter of the way from alert to failure: 7.5 of the 10 lead hours left
    expect((a.expectedFailureAt.getTime() - (t0 + MIN)) / 3_600_000).toBeCloseTo(7.5, 6);
    expect(a.earliestAt.getTime()).toBeLessThan(a.expectedFailureAt.getTime());
    expect(a.latestAt.getTime()).toBeGreaterThan(a.expectedFailureAt.getTime());
    expect(a.evidence.kind).toBe('THRESHOLD');
    expect(a.evidence.features[0]).toMatchObject({
      metric: 'temp',
      feature: 'level',
      value: 85,
      reference: 80,
    });
    e.add(t0 + 2 * MIN, { temp: 95 });
    expect(e.assess()!.confidence).toBeGreaterThan(a.confidence);
  });

  it('reports an immediate failure past the failure level, and reads the other metrics not at all', () => {
    const e = createEvaluator('THRESHOLD', threshold);
    e.add(t0, { temp: 101, other: 5 });
    expect(e.assess()!.expectedFailureAt.getTime()).toBe(t0);
    expect(e.metrics).toEqual(['temp']);
  });
});

const anomaly = (method: 'ewma' | 'cusum'): AnomalyParams => ({
  metrics: ['vib', 'temp'],
  method,
  direction: 'up',
  leadHours: 6,
  baselinePoints: 60,
  ewmaAlpha: 1,
  windowPoints: 30,
  limitSigma: 3,
  cusumH: 5,
  ...rules,
});

describe.each(['ewma', 'cusum'] as const)('ANOMALY (%s)', (method) => {
  it("stays in control on the asset's own noise, signals a drift, and says which metric moved", () => {
    const e = createEvaluator('ANOMALY', anomaly(method));
    for (let i = 0; i < 400; i++) e.add(t0 + i * MIN, { vib: 2 + 0.1 * noise(i), temp: 50 + noise(i + 7) });
    expect(e.assess()).toBeUndefined();
    let at = 0;
    for (let i = 400; i < 520; i++) {
      e.add(t0 + i * MIN, { vib: 2 + 0.1 * noise(i) + 0.01 * (i - 400), temp: 50 + noise(i + 7) });
      if (!at && e.assess()) at = i;
    }
    expect(at).toBeGreaterThan(400);
    expect(at).toBeLessThan(480);
    const a = e.assess()!;
    expect(a.evidence.kind).toBe('ANOMALY');
    expect(a.evidence.metrics).toEqual(['vib']);
    expect(a.evidence.features[0]).toMatchObject({
      metric: 'vib',
      feature: method === 'ewma' ? 'ewmaChart' : 'cusum',
    });
    expect(a.evidence.features.some((f) => f.feature === 'baselineDeviation' && f.metric === 'vib')).toBe(
      true,
    );
    // failure expected the learned lead after the latest point
    expect(a.expectedFailureAt.getTime()).toBe(t0 + 519 * MIN + 6 * 3_600_000);
  });

  it('ignores a drift in the other direction when watching upward moves only', () => {
    const e = createEvaluator('ANOMALY', anomaly(method));
    for (let i = 0; i < 60; i++) e.add(t0 + i * MIN, { vib: 2 + 0.1 * noise(i), temp: 50 + noise(i) });
    for (let i = 60; i < 300; i++) e.add(t0 + i * MIN, { vib: 1, temp: 40 });
    expect(e.assess()).toBeUndefined();
  });
});

describe('TREND', () => {
  it('gives an RUL estimate with a band and the features that moved', () => {
    const e = createEvaluator('TREND', {
      metric: 'vib',
      failureLevel: 11,
      direction: 'up',
      windowPoints: 40,
      minPoints: 20,
      ewmaAlpha: 0.3,
      minR2: 0.6,
      ...rules,
    });
    expect(e.rulCapable).toBe(true);
    for (let i = 0; i <= 40; i++) e.add(t0 + i * MIN, { vib: 2 + i / 60 + 0.01 * noise(i) });
    const a = e.assess()!;
    expect((a.expectedFailureAt.getTime() - t0) / 3_600_000).toBeGreaterThan(8.5);
    expect(a.evidence.kind).toBe('TREND');
    expect(a.evidence.metric).toBe('vib');
    expect(a.evidence.features.map((f) => f.feature)).toContain('slopePerHour');
    expect(e.assess()).toBe(a); // unchanged until a new point is kept
  });
});
