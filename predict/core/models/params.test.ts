import { describe, expect, it } from 'vitest';
import { checkParams, metricsOf } from './params.ts';

const trend = {
  metric: 'vibration_rms',
  failureLevel: 11,
  direction: 'up',
  shape: 'exponential',
  baseline: 2.2,
  alertLevel: 3.5,
  resolutionMs: 60_000,
  windowPoints: 90,
  minPoints: 30,
  ewmaAlpha: 0.2,
  minR2: 0.7,
  horizonHours: 24,
  confirmations: 3,
  marginMinutes: 30,
};

const anomaly = {
  metrics: ['vibration_rms', 'bearing_temp'],
  method: 'cusum',
  direction: 'up',
  cusumK: 0.5,
  cusumH: 8,
  leadHours: 4,
  baselinePoints: 60,
  ewmaAlpha: 0.3,
  windowPoints: 30,
  resolutionMs: 60_000,
  horizonHours: 24,
  confirmations: 3,
  marginMinutes: 30,
};

describe('model parameters, per kind', () => {
  it("accepts the demo's trend parameters", () => {
    expect(checkParams('TREND', trend)).toEqual({ ok: true });
  });

  it('names the field and the rule a bad value breaks', () => {
    const r = checkParams('TREND', { ...trend, ewmaAlpha: 2, minPoints: 'many' });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors.some((e) => e.startsWith('/ewmaAlpha'))).toBe(true);
      expect(r.errors.some((e) => e.startsWith('/minPoints'))).toBe(true);
    }
  });

  it('refuses unknown and missing fields', () => {
    const { metric: _m, ...noMetric } = trend;
    expect(checkParams('TREND', noMetric).ok).toBe(false);
    expect(checkParams('TREND', { ...trend, colour: 'red' }).ok).toBe(false);
  });

  it('checks the rules between fields', () => {
    expect(checkParams('TREND', { ...trend, alertLevel: 12 })).toMatchObject({ ok: false });
    expect(checkParams('TREND', { ...trend, minPoints: 100 })).toMatchObject({ ok: false });
    const { baseline: _b, ...noBaseline } = trend;
    expect(checkParams('TREND', noBaseline)).toMatchObject({ ok: false });
    expect(
      checkParams('THRESHOLD', {
        metric: 'x',
        direction: 'down',
        alertLevel: 5,
        failureLevel: 6,
        leadHours: 2,
        ewmaAlpha: 0.5,
        windowPoints: 10,
        horizonHours: 24,
        confirmations: 2,
        marginMinutes: 10,
      }),
    ).toMatchObject({ ok: false });
  });

  it('checks anomaly parameters and lists the metrics each kind reads', () => {
    expect(checkParams('ANOMALY', anomaly)).toEqual({ ok: true });
    expect(checkParams('ANOMALY', { ...anomaly, method: 'magic' }).ok).toBe(false);
    expect(checkParams('ANOMALY', { ...anomaly, metrics: [] }).ok).toBe(false);
    expect(metricsOf('ANOMALY', anomaly)).toEqual(['vibration_rms', 'bearing_temp']);
    expect(metricsOf('TREND', trend)).toEqual(['vibration_rms']);
  });
});
