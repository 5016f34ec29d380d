import { describe, expect, it } from 'vitest';
import { versionParams } from '../alarms/alarm-versions.ts';
import { featureNames, type FeatureOptions } from '../alarms/features.ts';
import type { FleetHistory } from '../alarms/history.ts';
import { predictAlarms, type AlarmModel } from '../alarms/model.ts';
import { AlarmEvaluator } from './alarm-evaluator.ts';
import { checkParams, type AlarmParams } from './params.ts';

const H = 3_600_000;
const T0 = Date.UTC(2026, 0, 1);

/** One metric, one code; a single tree: P ≈ 0.99 with a code in the last day, else ≈ 0.01. */
function params(consecutive = 2): AlarmParams {
  const codeColumn = 12; // after the metric's 12 columns
  return {
    metrics: ['x'],
    failureMode: 'bearing',
    features: {
      codes: ['E-BEARING'],
      components: [],
      modes: ['bearing'],
      attributeNames: [],
      stepMs: H,
      options: { shortSteps: 2, longSteps: 3, trendSteps: 4, eventWindowMs: 24 * H, sinceCapHours: 100 },
    },
    rule: {
      models: [
        {
          nFeatures: 20,
          base: 0,
          trees: [
            {
              feature: [codeColumn, -1, -1],
              threshold: [0.5, 0, 0],
              left: [1, 0, 0],
              right: [2, 0, 0],
              value: [0, -5, 5],
            },
          ],
        },
      ],
      platt: { a: 1, b: 0 },
      threshold: 0.5,
      consecutive,
    },
    horizonHours: 24,
    confirmations: 1,
    marginMinutes: 0,
  };
}

/** Readings every 10 minutes from `from` for `hours`. */
function feed(ev: AlarmEvaluator, from: number, hours: number): void {
  for (let t = from; t < from + hours * H; t += 10 * 60_000) ev.add(t, { x: 1 + (t % 7) / 10 });
}

describe('AlarmEvaluator', () => {
  it('has valid ALARM parameters', () => {
    expect(checkParams('ALARM', params())).toEqual({ ok: true });
    expect(checkParams('ALARM', { ...params(), rule: { ...params().rule, threshold: 2 } }).ok).toBe(false);
  });

  it('refuses trees that would not end, or that point outside themselves', () => {
    const tree = params().rule.models[0] as { trees: Record<string, number[]>[] };
    const withTree = (t: Record<string, unknown>) => ({
      ...params(),
      rule: { ...params().rule, models: [{ ...tree, trees: [{ ...tree.trees[0], ...t }] }] },
    });
    // a node that is its own child: scoring it never ended, and the platform's thread with it
    for (const bad of [
      { left: [0, 0, 0] },
      { right: [2, 0, 0], left: [1, 0, 0], feature: [12, 0, -1] }, // node 1 splits to node 0
      { left: [3, 0, 0] }, // past the tree
      { left: [1.5, 0, 0] },
      { feature: [12, -1] }, // arrays of different lengths
      { feature: [99, -1, -1] }, // a feature the rows do not have (nFeatures 20)
    ])
      expect([bad, checkParams('ALARM', withTree(bad)).ok]).toEqual([bad, false]);
    expect(checkParams('ALARM', { ...params(), rule: { ...params().rule, models: [{}] } }).ok).toBe(false);
    expect(checkParams('ALARM', { ...params(), rule: { ...params().rule, models: ['x'] } }).ok).toBe(false);
    expect(checkParams('ALARM', withTree({})).ok).toBe(true);
  });

  it('refuses feature windows past a million steps (the live ring of each metric of each asset)', () => {
    const withOptions = (o: Record<string, number>) => ({
      ...params(),
      features: { ...params().features, options: { ...params().features.options, ...o } },
    });
    expect(checkParams('ALARM', withOptions({ longSteps: 1_000_000 })).ok).toBe(true);
    for (const o of [{ longSteps: 1_000_001 }, { shortSteps: 2 ** 31 }, { trendSteps: 1e9 }] as Record<
      string,
      number
    >[])
      expect([o, checkParams('ALARM', withOptions(o)).ok]).toEqual([o, false]);
  });

  it('refuses a metric named more than once (a live ring of each, for every asset)', () => {
    // 12,000 times one metric with a million-step window: shadowing it stopped the platform answering at all
    for (const metrics of [['x', 'x'], Array.from({ length: 12_000 }, () => 'x')])
      expect(checkParams('ALARM', { ...params(), metrics }).ok).toBe(false);
    expect(checkParams('ALARM', { ...params(), metrics: ['x', 'y'] }).ok).toBe(true);
  });

  it('scores each step once, alarms after `consecutive` steps, and holds the episode for a day', () => {
    const ev = new AlarmEvaluator(params(2));
    feed(ev, T0, 6);
    expect(ev.assess()).toBeUndefined();
    expect(ev.probability).toBeLessThan(0.05);
    ev.addEvent(T0 + 6 * H + 5 * 60_000, 'E-BEARING');
    ev.addEvent(T0 + 6 * H + 5 * 60_000, 'E-BEARING'); // a redelivery counts once
    feed(ev, T0 + 6 * H, 1); // step 6:00 does not see the code of 6:05
    expect(ev.assess()).toBeUndefined();
    feed(ev, T0 + 7 * H, 1); // 7:00: first alarming step
    expect(ev.probability).toBeGreaterThan(0.95);
    expect(ev.assess()).toBeUndefined();
    feed(ev, T0 + 8 * H, 1); // 8:00: the second in a row
    const a = ev.assess()!;
    expect(a.earliestAt.getTime()).toBe(T0 + 8 * H);
    expect(a.latestAt.getTime()).toBe(T0 + 32 * H);
    expect(a.confidence).toBeGreaterThan(0.95);
    expect(a.evidence.kind).toBe('ALARM');
    expect(a.evidence.features[0]).toMatchObject({ metric: 'E-BEARING', feature: 'eventsPer24h', value: 1 });
    // the code leaves the day's window after 6:00 the next day (the last alarm); the episode lasts 24 h after it
    feed(ev, T0 + 9 * H, 45);
    expect(ev.assess()?.earliestAt.getTime()).toBe(T0 + 8 * H);
    feed(ev, T0 + 54 * H, 1);
    expect(ev.assess()).toBeUndefined();
  });

  it('restarts the episode when an order of the pair closes, keeping its windows', () => {
    const ev = new AlarmEvaluator(params(1));
    feed(ev, T0, 3);
    ev.addEvent(T0 + 2 * H + 1, 'E-BEARING');
    feed(ev, T0 + 3 * H, 1);
    expect(ev.assess()).toBeDefined();
    ev.restart();
    expect(ev.assess()).toBeUndefined();
    feed(ev, T0 + 4 * H, 1); // the code is still in the window: a new episode
    expect(ev.assess()?.earliestAt.getTime()).toBe(T0 + 4 * H);
    ev.add(T0 + 2 * H, { x: 5 }); // an old step: ignored
    expect(ev.assess()?.earliestAt.getTime()).toBe(T0 + 4 * H);
  });
});

describe('AlarmEvaluator and the batch scoring (predictAlarms) run the same rule', () => {
  // one metric, the short window one step long: column 0 is the step's value; one tree: P ≈ 0.99 at x ≥ 0.5
  const xs = [0, 1, 0, 1, 0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 1, 0, 1, 1, 1, 0];
  const fo: FeatureOptions = {
    shortSteps: 1,
    longSteps: 3,
    trendSteps: 4,
    eventWindowMs: 24 * H,
    sinceCapHours: 100,
  };
  const fleet: FleetHistory = {
    metrics: ['x'],
    codes: [],
    modes: ['bearing'],
    components: [],
    attributeNames: [],
    stepMs: H,
    assets: [
      {
        id: 'a1',
        times: Float64Array.from(xs, (_, i) => T0 + i * H),
        values: Float32Array.from(xs),
        events: { t: new Float64Array(0), key: new Int32Array(0) },
        failures: { t: new Float64Array(0), key: new Int32Array(0) },
        maintenance: { t: new Float64Array(0), key: new Int32Array(0) },
        attributes: new Float32Array(0),
      },
    ],
  };
  const tree = {
    feature: [0, -1, -1],
    threshold: [0.5, 0, 0],
    left: [1, 0, 0],
    right: [2, 0, 0],
    value: [0, -5, 5],
  };
  // A second model on the long window's mean (column 3): with both, the score is their mean log-odds.
  const longTree = { ...tree, feature: [3, -1, -1], value: [0, -5, 5] };
  const model = (consecutive: number, window: number, members = [[tree]]): AlarmModel => ({
    features: featureNames(fleet, fo),
    featureOptions: fo,
    trainUntil: T0 - H,
    horizonMs: 24 * H,
    rules: [
      {
        mode: 'bearing',
        models: members.map((trees) => ({ nFeatures: featureNames(fleet, fo).length, base: 0, trees })),
        platt: { a: 1, b: 0 },
        threshold: members.length > 1 ? 0.6 : 0.5,
        consecutive,
        window,
        cv: { failures: 0, caught: 0, falseEpisodes: 0, episodes: 0, positives: 0, rowAuc: 0.5 },
      },
    ],
    cv: {
      assetYears: 1,
      rows: 0,
      trainRows: 0,
      failures: 0,
      caught: 0,
      falseEpisodes: 0,
      falsePerAssetYear: 0,
      budget: 1,
    },
  });
  /** Steps (indices) at which each side alarms: the live evaluator's episode gets that step as its last alarm. */
  const fired = (consecutive: number, window: number, members = [[tree]]) => {
    const m = model(consecutive, window, members);
    const batch = predictAlarms(m, fleet).map((a) => (a.at - T0) / H);
    const params = versionParams(m, fleet, 'bearing', { source: 'test', trainedAt: new Date(T0) });
    expect(checkParams('ALARM', params)).toEqual({ ok: true });
    const ev = new AlarmEvaluator(params);
    const live: number[] = [];
    xs.forEach((x, i) => {
      ev.add(T0 + i * H, { x });
      const last = (ev.assess()?.evidence.episode as { last?: string } | undefined)?.last;
      if (last === new Date(T0 + i * H).toISOString()) live.push(i);
    });
    return { batch, live, params };
  };

  it('2 of the last 3 steps: the version carries the window and both fire at the same steps', () => {
    const { batch, live, params } = fired(2, 3);
    expect(params.rule).toMatchObject({ consecutive: 2, window: 3 });
    expect(batch).toEqual([3, 7, 8, 16, 17, 18, 19]);
    expect(live).toEqual(batch);
  });

  it('2 in a row: stored without a window, as before, and the same steps on both sides', () => {
    const { batch, live, params } = fired(2, 2);
    expect(params.rule.window).toBeUndefined();
    expect(batch).toEqual([7, 17, 18]);
    expect(live).toEqual(batch);
  });

  it('several models per mode (members of the ensemble): both sides score their mean log-odds', () => {
    const { batch, live, params } = fired(1, 1, [[tree], [longTree]]);
    expect(params.rule.models).toHaveLength(2);
    // P ≥ 0.6 only where both the step and the mean of the last 3 steps are > 0.5
    expect(batch).toEqual([3, 7, 16, 17, 18]);
    expect(live).toEqual(batch);
  });

  it('a rule the live evaluator cannot run is refused', () => {
    const p = params(2);
    expect(checkParams('ALARM', { ...p, rule: { ...p.rule, window: 1 } }).ok).toBe(false);
    expect(checkParams('ALARM', { ...p, rule: { ...p.rule, persistence: [[2, 3]] } }).ok).toBe(false);
  });
});
