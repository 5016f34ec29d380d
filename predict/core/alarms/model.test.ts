import { describe, expect, it } from 'vitest';
import type { GbdtModel } from '../rul/gbdt.ts';
import type { AssetHistory, FleetHistory } from './history.ts';
import { AlarmDataError, predictAlarms, trainAlarmModel } from './model.ts';
import { generateSyntheticFleet } from './synthetic-fleet.ts';

const H = 3_600_000;

/** A small synthetic fleet as a FleetHistory (model and age left out). */
function fleetOf(assets: number, days: number): FleetHistory {
  const metrics = ['volt', 'rotate', 'pressure', 'vibration'];
  const keys = { codes: [] as string[], modes: [] as string[], components: [] as string[] };
  const rows = new Map<
    string,
    { times: number[]; values: number[]; ev: number[][]; fa: number[][]; ma: number[][] }
  >();
  const at = (a: string) => {
    let r = rows.get(a);
    if (!r) rows.set(a, (r = { times: [], values: [], ev: [], fa: [], ma: [] }));
    return r;
  };
  const key = (list: string[], k: string) => (list.includes(k) ? list.indexOf(k) : list.push(k) - 1);
  generateSyntheticFleet(
    { assets, days, seed: 3, failureRate: 6 },
    {
      asset: (id) => void at(id),
      telemetry: (t, a, v) => {
        at(a).times.push(t);
        at(a).values.push(...v);
      },
      event: (t, a, c) => void at(a).ev.push([t, key(keys.codes, c)]),
      failure: (t, a, c) => void at(a).fa.push([t, key(keys.modes, c)]),
      maintenance: (t, a, c) => void at(a).ma.push([t, key(keys.components, c)]),
    },
  );
  const timed = (l: number[][]) => {
    l.sort((x, y) => (x[0] as number) - (y[0] as number));
    return { t: Float64Array.from(l, (x) => x[0] as number), key: Int32Array.from(l, (x) => x[1] as number) };
  };
  const list: AssetHistory[] = [...rows].map(([id, r]) => ({
    id,
    times: Float64Array.from(r.times),
    values: Float32Array.from(r.values),
    events: timed(r.ev),
    failures: timed(r.fa),
    maintenance: timed(r.ma),
    attributes: new Float32Array(0),
  }));
  return { metrics, ...keys, attributeNames: [], assets: list, stepMs: H };
}

describe('trainAlarmModel', () => {
  const fleet = fleetOf(10, 40);
  const trainUntil = (fleet.assets[0]?.times[0] as number) + 30 * 24 * H;

  it('trains one model per member and mode; a member never splits on the features it excludes', () => {
    const model = trainAlarmModel(fleet, trainUntil, {
      boost: { rounds: 20 },
      members: [{}, { exclude: ['\\.mean\\.', '\\.dev\\.', '^hoursSince'], skipAfterFailure: true }],
    });
    const splits = (m: GbdtModel) =>
      new Set(m.trees.flatMap((t) => t.feature.filter((f) => f >= 0).map((f) => model.features[f])));
    expect(model.rules.length).toBe(fleet.modes.length);
    for (const rule of model.rules) {
      expect(rule.models).toHaveLength(2);
      const [ours, plain] = rule.models as [GbdtModel, GbdtModel];
      for (const f of splits(ours)) expect(f).not.toMatch(/\.mean\.|\.dev\./);
      for (const f of splits(plain)) expect(f).not.toMatch(/\.mean\.|\.dev\.|^hoursSince/);
    }
    const alarms = predictAlarms(model, fleet);
    expect(alarms.every((a) => a.at > trainUntil && a.probability >= 0 && a.probability <= 1)).toBe(true);
  });

  it('tries the clock features on a fleet with codes and keeps the model the criterion prefers', () => {
    const quick = { boost: { rounds: 10 } };
    const without = trainAlarmModel(fleet, trainUntil, { ...quick, hourFeatures: 'off' });
    const withHours = trainAlarmModel(fleet, trainUntil, { ...quick, hourFeatures: 'on' });
    expect(withHours.features.slice(-fleet.codes.length - 1)).toEqual([
      'time.hourOfDay',
      ...fleet.codes.map((c) => `eventHourOfDay.${c}`),
    ]);
    expect(without.features).not.toContain('time.hourOfDay');
    const auto = trainAlarmModel(fleet, trainUntil, { ...quick, hourFeatures: 'auto' });
    const used =
      withHours.cv.caught > without.cv.caught ||
      (withHours.cv.caught === without.cv.caught && withHours.cv.falseEpisodes < without.cv.falseEpisodes);
    expect(auto.cv.hourFeatures).toEqual({
      used,
      caught: [without.cv.caught, withHours.cv.caught],
      falseEpisodes: [without.cv.falseEpisodes, withHours.cv.falseEpisodes],
    });
    expect(auto.features).toEqual((used ? withHours : without).features);
    expect(auto.rules).toEqual((used ? withHours : without).rules);
    // without codes there is nothing to tell apart by the hour: trained once, without them
    const noCodes: FleetHistory = {
      ...fleet,
      codes: [],
      assets: fleet.assets.map((a) => ({ ...a, events: { t: new Float64Array(0), key: new Int32Array(0) } })),
    };
    const plain = trainAlarmModel(noCodes, trainUntil, { ...quick, hourFeatures: 'auto' });
    expect(plain.cv.hourFeatures).toBeUndefined();
    expect(plain.features).not.toContain('time.hourOfDay');
  });

  it('refuses, with a code, a history it cannot learn from as asked', () => {
    const first = fleet.assets[0]?.times[0] as number;
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (err) {
        return err instanceof AlarmDataError ? err.code : (err as Error).message;
      }
      return 'no error';
    };
    const quick = { boost: { rounds: 2 } };
    // no labelled step: a long window and a horizon do not fit before --train-until
    expect(code(() => trainAlarmModel(fleet, first + 40 * H, quick))).toBe('ALARMS_TOO_LITTLE_HISTORY');
    // labelled steps over 7 hours, within every fold's purge band (it threw 'trainLogitBoost: no rows')
    expect(code(() => trainAlarmModel(fleet, first + 54 * H, quick))).toBe('ALARMS_TOO_LITTLE_HISTORY');
    expect(code(() => trainAlarmModel({ ...fleet, modes: [] }, trainUntil, quick))).toBe(
      'ALARMS_NO_FAILURES',
    );
  });
});
