import { describe, expect, it } from 'vitest';
import { TrendState, type TrendParams } from './trend-model.ts';
import { decide, dueBy, initialDecision } from './order-decision.ts';

const params: TrendParams = {
  metric: 'vibration_rms',
  failureLevel: 11,
  direction: 'up',
  windowPoints: 40,
  minPoints: 20,
  ewmaAlpha: 0.3,
  minR2: 0.6,
  horizonHours: 72,
  confirmations: 3,
  marginMinutes: 30,
};
const t0 = Date.parse('2026-05-01T00:00:00Z');
// A deterministic pseudo-noise in [-1, 1]
const noise = (i: number) => Math.sin(i * 12.9898) * 0.5 + Math.sin(i * 78.233) * 0.5;

describe('TrendState', () => {
  it('predicts the crossing time of a linear degradation within its band', () => {
    const s = new TrendState(params);
    // 2 mm/s rising 1 mm/s per hour, a reading a minute: crosses 11 at hour 9
    for (let i = 0; i <= 40; i++) s.add(new Date(t0 + i * 60_000), 2 + i / 60 + 0.01 * noise(i));
    const e = s.estimate()!;
    const hours = (e.expectedFailureAt.getTime() - t0) / 3_600_000;
    expect(hours).toBeGreaterThan(8.5);
    expect(hours).toBeLessThan(9.6);
    expect(e.earliestAt.getTime()).toBeLessThanOrEqual(e.expectedFailureAt.getTime());
    expect(e.latestAt.getTime()).toBeGreaterThanOrEqual(e.expectedFailureAt.getTime());
    expect(e.evidence.slopePerHour).toBeCloseTo(1, 0);
  });

  it('extrapolates exponential wear from the excess over the healthy baseline', () => {
    const s = new TrendState({
      ...params,
      shape: 'exponential',
      baseline: 2,
      resolutionMs: 60_000,
      windowPoints: 90,
    });
    // excess 0.2 doubling every hour: reaches 9 (level 11) at log2(45) = 5.49 h
    for (let i = 0; i <= 120; i++)
      s.add(new Date(t0 + i * 60_000), 2 + 0.2 * 2 ** (i / 60) + 0.005 * noise(i));
    const hours = (s.estimate()!.expectedFailureAt.getTime() - t0) / 3_600_000;
    expect(hours).toBeGreaterThan(5.2);
    expect(hours).toBeLessThan(5.8);
  });

  it('calls a failure imminent, never past, when the fitted line is beyond the level the last point is below', () => {
    const s = new TrendState({ ...params, ewmaAlpha: 1, minR2: 0 });
    // a steep rise to 10.9, just short of 11: the fitted line at the last point lies above 11
    for (let i = 0; i <= 40; i++) s.add(new Date(t0 + i * 60_000), i < 30 ? 2 + i * 0.3 : 10.9);
    const e = s.estimate()!;
    const last = t0 + 40 * 60_000;
    expect(e.expectedFailureAt.getTime()).toBeGreaterThanOrEqual(last);
    expect(e.earliestAt.getTime()).toBeGreaterThanOrEqual(last);
  });

  it('waits for the alert level before a trend counts', () => {
    const s = new TrendState({ ...params, alertLevel: 4 });
    for (let i = 0; i <= 40; i++) s.add(new Date(t0 + i * 60_000), 2 + i / 60);
    expect(s.estimate()).toBeUndefined();
    for (let i = 41; i <= 160; i++) s.add(new Date(t0 + i * 60_000), 2 + i / 60);
    expect(s.estimate()).toBeDefined();
  });

  it('stays silent on a healthy, noisy signal', () => {
    const s = new TrendState(params);
    for (let i = 0; i < 200; i++) s.add(new Date(t0 + i * 60_000), 2.2 + 0.05 * noise(i));
    expect(s.estimate()).toBeUndefined();
    expect(s.size).toBe(params.windowPoints);
  });

  it('reports an immediate failure once the level is reached', () => {
    const s = new TrendState({ ...params, minPoints: 2 });
    for (let i = 0; i < 5; i++) s.add(new Date(t0 + i * 1000), 12);
    expect(s.estimate()!.expectedFailureAt.getTime()).toBe(t0 + 4000);
  });

  it('keeps one point per resolution step, so the window spans time rather than readings', () => {
    const s = new TrendState({ ...params, resolutionMs: 60_000 });
    for (let i = 0; i < 600; i++) s.add(new Date(t0 + i * 2_000), 2 + i * 0.001);
    expect(s.size).toBe(20);
  });

  it('needs minPoints before estimating and ignores duplicate timestamps', () => {
    const s = new TrendState(params);
    for (let i = 0; i < 30; i++) s.add(new Date(t0), 5 + i);
    expect(s.size).toBe(1);
    expect(s.estimate()).toBeUndefined();
  });
});

describe('order decisions', () => {
  const o = { confirmations: 3, clearAfter: 5 };
  it('opens an order only after consecutive confirmations', () => {
    let st = initialDecision();
    const actions = [true, true, false, true, true, true].map((h) => {
      const r = decide(st, h, false, o);
      st = r.state;
      return r.action;
    });
    expect(actions).toEqual(['none', 'none', 'none', 'none', 'none', 'open']);
  });

  it('flags an open order whose risk disappears once, and unflags when it returns', () => {
    let st = initialDecision();
    const seq = [...Array(7).fill(false), true, true, true];
    const actions = seq.map((h) => {
      const r = decide(st, h, true, o);
      st = r.state;
      return r.action;
    });
    expect(actions.filter((a) => a === 'flag_cleared')).toHaveLength(1);
    expect(actions.at(-1)).toBe('unflag');
  });

  it('sets due-by the margin before the failure, never in the past', () => {
    const now = new Date(t0);
    const fail = new Date(t0 + 5 * 3_600_000);
    expect(dueBy(fail, now, 30).getTime()).toBe(fail.getTime() - 30 * 60_000);
    expect(dueBy(new Date(t0 + 60_000), now, 30).getTime()).toBe(t0);
  });
});
