import { describe, expect, it } from 'vitest';
import { assetFeatures, featureNames, type FeatureOptions } from './features.ts';
import type { FleetHistory } from './history.ts';

const H = 3_600_000;

function fleet(values: number[]): FleetHistory {
  const n = values.length;
  return {
    metrics: ['x'],
    codes: ['e1', 'e2'],
    modes: ['f1'],
    components: ['c1'],
    attributeNames: ['age'],
    stepMs: H,
    assets: [
      {
        id: 'a',
        times: Float64Array.from({ length: n }, (_, i) => i * H),
        values: Float32Array.from(values),
        events: { t: Float64Array.from([1 * H, 2 * H, 2 * H, 5 * H]), key: Int32Array.from([0, 1, 0, 0]) },
        failures: { t: Float64Array.from([3 * H]), key: Int32Array.from([0]) },
        maintenance: { t: Float64Array.from([3 * H]), key: Int32Array.from([0]) },
        attributes: Float32Array.from([12]),
      },
    ],
  };
}

const opts: FeatureOptions = { shortSteps: 2, longSteps: 4, eventWindowMs: 3 * H, sinceCapHours: 100 };

describe('assetFeatures', () => {
  const f = fleet([1, 2, 3, 4, 6, 8]);
  const names = featureNames(f, opts);
  const X = assetFeatures(f.assets[0]!, f, opts);
  const at = (i: number, name: string) => X[i * names.length + names.indexOf(name)];

  it('rolling mean, std and slope per window', () => {
    expect(names.length).toBe(12 + 3 + 2 + 2 + 1 + 1 + 1 + 1);
    expect(at(3, 'x.mean.short2')).toBeCloseTo(3.5);
    expect(at(3, 'x.std.short2')).toBeCloseTo(0.5);
    expect(at(3, 'x.slope.short2')).toBeCloseTo(1);
    expect(at(5, 'x.mean.long4')).toBeCloseTo(5.25);
    expect(at(5, 'x.slope.long4')).toBeCloseTo(1.7);
    // The long mean (steps 2..5) against the mean of steps 0..1.
    expect(at(5, 'x.dev.long4')).toBeCloseTo(5.25 - 1.5);
    expect(at(5, 'x.dev.short2')).toBeCloseTo(7 - 1.5);
    // In the asset's own σ: steps 0..1 have mean 1.5 and σ 0.5.
    expect(at(5, 'x.z.long4')).toBeCloseTo((5.25 - 1.5) / 0.5);
    // The trend window (3 long windows) holds the whole history: no baseline yet, the slope of all six.
    expect(at(5, 'x.z.trend12')).toBe(0);
    expect(at(5, 'x.slope.trend12')).toBeCloseTo(1.3714, 3);
    // Windows shrink at the start of the history.
    expect(at(0, 'x.mean.long4')).toBe(1);
    expect(at(0, 'x.slope.long4')).toBe(0);
  });

  it('event counts per code in (t − window, t], and hours since maintenance and failure', () => {
    expect(at(2, 'events.e1.24h')).toBe(2);
    expect(at(2, 'events.e2.24h')).toBe(1);
    expect(at(4, 'events.e1.24h')).toBe(1); // the events at 1 h drop out, the one at 2 h stays
    expect(at(4, 'events.all.24h')).toBe(2);
    expect(at(5, 'events.e1.48h')).toBe(3); // two windows: (−1 h, 5 h]
    expect(at(5, 'events.e2.48h')).toBe(1);
    expect(at(2, 'hoursSinceMaintenance.c1')).toBe(100); // none yet: the cap
    expect(at(5, 'hoursSinceMaintenance.c1')).toBe(2);
    expect(at(3, 'hoursSinceFailure.f1')).toBe(0);
    expect(at(4, 'hoursSinceAnyFailure')).toBe(1);
    expect(at(4, 'attr.age')).toBe(12);
    expect(at(4, 'hoursSinceEvent.e1')).toBe(2);
    expect(at(0, 'hoursSinceEvent.e2')).toBe(100);
  });
});

describe('time of day', () => {
  it('is the last column when asked for, the hour of the day (UTC)', () => {
    const f = fleet([1, 2, 3, 4, 6, 8]);
    const o = { ...opts, timeOfDay: true };
    const names = featureNames(f, o);
    expect(names[names.length - 1]).toBe('time.hourOfDay');
    expect(names.length).toBe(featureNames(f, opts).length + 1);
    const X = assetFeatures(f.assets[0]!, f, o);
    expect(X[5 * names.length + names.length - 1]).toBe(5);
    // the other columns do not move
    const X0 = assetFeatures(f.assets[0]!, f, opts);
    expect(X[names.length + 3]).toBe(X0[featureNames(f, opts).length + 3]);
  });
});

describe("each code's last hour of the day", () => {
  it('is one column per code after the hour of the day: the hour (UTC) of its last event, -1 before the first', () => {
    const f = fleet([1, 2, 3, 4, 6, 8]);
    const o = { ...opts, timeOfDay: true, eventHourOfDay: true };
    const names = featureNames(f, o);
    const codes = f.codes.map((c) => `eventHourOfDay.${c}`);
    expect(names.slice(-codes.length)).toEqual(codes);
    expect(names[names.length - codes.length - 1]).toBe('time.hourOfDay');
    const X = assetFeatures(f.assets[0]!, f, o);
    const at = (i: number, name: string) => X[i * names.length + names.indexOf(name)];
    const et = f.assets[0]!.events;
    for (let c = 0; c < f.codes.length; c++) {
      const times = Array.from(et.t).filter((_, k) => et.key[k] === c);
      for (let i = 0; i < f.assets[0]!.times.length; i++) {
        const t = f.assets[0]!.times[i] as number;
        const last = times.filter((x) => x <= t).pop();
        expect(at(i, codes[c]!)).toBe(last === undefined ? -1 : (last % 86_400_000) / 3_600_000);
      }
    }
    // the other columns do not move
    const X0 = assetFeatures(f.assets[0]!, f, opts);
    expect(X[names.length + 3]).toBe(X0[featureNames(f, opts).length + 3]);
  });
});
