// Replay and scoring on histories with known answers.
import { describe, expect, it } from 'vitest';
import type { ThresholdParams, TrendParamsInput } from '../models/params.ts';
import { parseCmapss } from '../rul/cmapss-parse.ts';
import { cmapssHistories, CMAPSS_METRICS, unitColumns, unitReadings } from './cmapss-history.ts';
import { failuresByAsset, parseGroundTruth } from './ground-truth.ts';
import { mergeSeries, type History } from './history.ts';
import { observedMs, replayHistory } from './replay.ts';
import {
  histogram,
  leadTimeStats,
  MIN_ASSET_YEARS_FOR_RATE,
  nasaTerm,
  rateWithheld,
  sampleSpread,
  scoreBacktest,
} from './score.ts';

const H = 3_600_000;
const MIN = 60_000;
const t0 = Date.parse('2026-05-01T00:00:00Z');
const opts = { rulUnitMs: H, rulCap: 24, rulEvery: 0.5 };

const threshold: ThresholdParams = {
  metric: 'temp',
  direction: 'up',
  alertLevel: 80,
  failureLevel: 100,
  leadHours: 6,
  ewmaAlpha: 1,
  windowPoints: 5,
  horizonHours: 24,
  confirmations: 3,
  marginMinutes: 0,
  clearAfter: 10,
};

/** Readings every 10 minutes for `hours`, the value given by `f(hour)`. */
function readings(hours: number, f: (h: number) => number) {
  return Array.from({ length: hours * 6 }, (_, i) => ({
    at: t0 + i * 10 * MIN,
    metrics: { temp: f(i / 6) },
  }));
}

describe('replaying a history', () => {
  it('detects a failure it alarmed on, with the lead time, and starts afresh after the repair', () => {
    // 70 until hour 10, then rising 5/h (crosses 80 at hour 12) until the failure at hour 14; healthy again
    // after it; a second failure at hour 40 without warning
    const h: History = {
      assetId: 'a',
      readings: readings(48, (x) => (x < 10 || x >= 14 ? 70 : 70 + 5 * (x - 10))),
      failures: [
        { at: t0 + 14 * H, kind: 'degradation' },
        { at: t0 + 40 * H, kind: 'sudden' },
      ],
      horizonHours: 24,
      requiredLeadHours: 1,
    };
    const r = replayHistory('THRESHOLD', threshold, h, opts);
    expect(r.failures).toHaveLength(2);
    expect(r.failures[0]).toMatchObject({ kind: 'degradation', detected: true, inTime: true });
    // crosses 80 at hour 12; the third confirmation is two readings (20 min) later
    expect(r.failures[0]!.leadHours).toBeCloseTo(2 - 20 / 60, 6);
    expect(r.failures[1]).toMatchObject({ kind: 'sudden', detected: false });
    expect(r.alarms).toHaveLength(1);
    expect(r.alarms[0]).toMatchObject({ outcome: 'detected', closedAt: t0 + 14 * H });
    expect(r.rul).toEqual([]); // a threshold gives no RUL estimate
    expect(r.observedHours).toBeCloseTo(48 - 1 / 6, 6);
  });

  it('withdraws an alarm whose risk clears, and leaves one open at the end pending', () => {
    const h: History = {
      assetId: 'b',
      // a spike to 85 for an hour at hour 5, then from hour 20 a rise that has not failed yet
      readings: readings(24, (x) => (x >= 5 && x < 6 ? 85 : x >= 20 ? 90 : 70)),
      failures: [],
      horizonHours: 24,
    };
    const r = replayHistory('THRESHOLD', threshold, h, opts);
    expect(r.alarms.map((a) => a.outcome)).toEqual(['withdrawn', 'pending']);
  });

  it('calls an alarm false once its band has passed without a failure', () => {
    const h: History = {
      assetId: 'c',
      readings: readings(30, (x) => (x >= 2 ? 99 : 70)),
      failures: [],
      horizonHours: 24,
    };
    expect(replayHistory('THRESHOLD', threshold, h, opts).alarms.map((a) => a.outcome)).toEqual(['false']);
  });

  it('samples true and predicted RUL for a trend model', () => {
    const trend: TrendParamsInput = {
      metric: 'temp',
      failureLevel: 100,
      direction: 'up',
      windowPoints: 30,
      minPoints: 10,
      ewmaAlpha: 1,
      minR2: 0.5,
      horizonHours: 24,
      confirmations: 3,
      marginMinutes: 0,
    };
    // a straight rise of 2/h from 52: failure (100) at hour 24
    const h: History = {
      assetId: 'd',
      readings: readings(24, (x) => 52 + 2 * x),
      failures: [{ at: t0 + 24 * H, kind: 'degradation' }],
      horizonHours: 24,
      endAt: t0 + 24 * H,
    };
    const r = replayHistory('TREND', trend, h, opts);
    expect(r.failures[0]!.detected).toBe(true);
    const late = r.rul.filter((p) => p.estimated);
    expect(late.length).toBeGreaterThan(30);
    for (const p of late) expect(Math.abs(p.predictedRul - p.trueRul)).toBeLessThan(0.2);
    expect(r.rul[0]).toMatchObject({ estimated: false, predictedRul: 24 });
    const report = scoreBacktest([r], { rulUnit: 'hours', rulCap: 24 });
    expect(report.rul!.runs).toBe(1);
    expect(report.rul!.rmse).toBeLessThan(2);
  });
});

describe('scoring', () => {
  it('reports recall with the lead times, precision and false alarms per asset-year', () => {
    const base = { rulOnly: false, readings: 10, rul: [] };
    const alarm = (outcome: 'detected' | 'false' | 'withdrawn' | 'pending') => ({
      assetId: 'x',
      openedAt: 0,
      expectedFailureAt: 0,
      earliestAt: 0,
      latestAt: 0,
      confidence: 0.5,
      outcome,
      evidence: '',
    });
    const report = scoreBacktest(
      [
        {
          ...base,
          assetId: 'a',
          observedHours: 8766 / 2,
          alarms: [alarm('detected'), alarm('detected'), alarm('false')],
          failures: [
            {
              assetId: 'a',
              at: 1,
              kind: 'degradation',
              detected: true,
              leadHours: 2,
              inTime: true,
              timingErrorHours: 1,
            },
            {
              assetId: 'a',
              at: 2,
              kind: 'degradation',
              detected: true,
              leadHours: 4,
              inTime: false,
              timingErrorHours: -3,
            },
          ],
        },
        {
          ...base,
          assetId: 'b',
          observedHours: 8766 / 2,
          alarms: [alarm('withdrawn'), alarm('pending')],
          failures: [{ assetId: 'b', at: 3, kind: 'sudden', detected: false }],
        },
      ],
      { rulUnit: 'hours', rulCap: 24 },
    );
    expect(report.failures).toMatchObject({
      total: 3,
      detected: 2,
      inTime: 1,
      recall: 0.6667,
      inTimeRecall: 0.3333,
    });
    expect(report.failures.byKind).toEqual({
      degradation: { total: 2, detected: 2, recall: 1 },
      sudden: { total: 1, detected: 0, recall: 0 },
    });
    expect(report.leadTimeHours).toMatchObject({ count: 2, min: 2, max: 4, median: 3, mean: 3 });
    expect(report.alarms).toMatchObject({
      total: 5,
      truePositive: 2,
      falsePositive: 2,
      withdrawn: 1,
      pending: 1,
      precision: 0.5,
      falseAlarmsPerAssetYear: 2,
      falseAlarmsRateWithheld: null,
    });
    expect(report.timingErrorHours).toEqual({ mean: -1, meanAbsolute: 2 });
    expect(report.observedAssetYears).toBe(1);
    expect(report.rul).toBeNull();
  });

  it('withholds the false alarms per asset-year on too little asset-time or with no failure', () => {
    const alarm = {
      assetId: 'x',
      openedAt: 0,
      expectedFailureAt: 0,
      earliestAt: 0,
      latestAt: 0,
      confidence: 0.5,
      outcome: 'false' as const,
      evidence: '',
    };
    // 38 asset-hours, 0 failures: once reported as 225.8 false alarms / asset-yr
    const short = scoreBacktest(
      [
        {
          assetId: 'a',
          rulOnly: false,
          readings: 38,
          rul: [],
          observedHours: 38,
          alarms: [alarm],
          failures: [],
        },
      ],
      { rulUnit: 'hours', rulCap: 24 },
    );
    expect(short.alarms.falseAlarmsPerAssetYear).toBeNull();
    expect(short.alarms.falseAlarmsRateWithheld).toMatch(/too little data: 38 asset-hours/);
    expect(short.alarms.falsePositive).toBe(1);
    const noFailure = scoreBacktest(
      [
        {
          assetId: 'a',
          rulOnly: false,
          readings: 10,
          rul: [],
          observedHours: 8766,
          alarms: [alarm],
          failures: [],
        },
      ],
      { rulUnit: 'hours', rulCap: 24 },
    );
    expect(noFailure.alarms.falseAlarmsPerAssetYear).toBeNull();
    expect(noFailure.alarms.falseAlarmsRateWithheld).toMatch(/no failure observed/);
    expect(rateWithheld(MIN_ASSET_YEARS_FOR_RATE, 1)).toBeNull();
  });

  it('samples pairs for the scatter across every position of periodic runs', () => {
    // 100 runs of 126 pairs each (true RUL 125 … 0): an even stride would pick the same few RULs every run
    const pairs = Array.from({ length: 100 * 126 }, (_, i) => 125 - (i % 126));
    const sample = sampleSpread(pairs, 400);
    expect(sample).toHaveLength(400);
    expect(new Set(sample).size).toBeGreaterThan(100);
    expect(sampleSpread([1, 2, 3], 10)).toEqual([1, 2, 3]);
  });

  it('bins lead times and computes the NASA score term', () => {
    expect(histogram([0.5, 1.5, 1.7, 9.9])).toEqual(
      Array.from({ length: 10 }, (_, i) => ({
        from: i,
        to: i + 1,
        count: [1, 2, 0, 0, 0, 0, 0, 0, 0, 1][i],
      })),
    );
    expect(histogram([])).toEqual([]);
    expect(leadTimeStats([])).toBeNull();
    expect(nasaTerm(0)).toBe(0);
    expect(nasaTerm(10)).toBeCloseTo(Math.E - 1, 9); // late by 10
    expect(nasaTerm(-13)).toBeCloseTo(Math.E - 1, 9); // early by 13
  });
});

describe('sources of history', () => {
  it('turns C-MAPSS units into one life each, failing at the last cycle or truth cycles later', () => {
    const row = (unit: number, cycle: number) =>
      [unit, cycle, 0.001, 0, 100, ...Array.from({ length: 21 }, (_, i) => 500 + i + cycle)].join(' ');
    const units = parseCmapss([row(1, 1), row(1, 2), row(1, 3), row(2, 1), row(2, 2)].join('\n'));
    const [a, b] = cmapssHistories(units, { cycleMs: H, horizonHours: 30 });
    expect(a!.readings).toHaveLength(3);
    expect(Object.keys(a!.readings[0]!.metrics)).toEqual(CMAPSS_METRICS);
    expect(a!.readings[2]!.metrics.s4).toBe(506);
    expect(a!.failures).toEqual([{ at: a!.readings[2]!.at, kind: 'run-to-failure' }]);
    expect(b!.assetId).toBe('unit-2');
    const [test] = cmapssHistories(units, { cycleMs: H, horizonHours: 30, truth: [10, 20] });
    expect(test!.failures[0]!.at).toBe(test!.readings[2]!.at + 10 * H);
    expect(test!.rulAtEndOnly).toBe(true);
    expect(() => cmapssHistories(units, { cycleMs: H, horizonHours: 30, truth: [1] })).toThrow(/2 units/);
  });

  it('stores a C-MAPSS unit as column arrays holding the same values as its readings', () => {
    const row = (cycle: number) =>
      [3, cycle, 0.5 + cycle, 0, 100, ...Array.from({ length: 21 }, (_, i) => 500 + i + cycle)].join(' ');
    const [u] = parseCmapss([row(1), row(2), row(4)].join('\n'));
    const cols = unitColumns(u!);
    expect(cols.at).toEqual([1, 2, 4]);
    expect(Object.keys(cols.metrics)).toEqual(CMAPSS_METRICS);
    const readings = unitReadings(u!, 1, 0);
    for (const m of CMAPSS_METRICS) expect(cols.metrics[m]).toEqual(readings.map((r) => r.metrics[m]));
    expect(cols.metrics.setting1).toEqual([1.5, 2.5, 4.5]);
  });

  it("reads the simulator's ground truth: failures of one model and mode that happened", () => {
    const truth = parseGroundTruth({
      source: 'fleet',
      startedAt: '2026-05-01T00:00:00Z',
      endedAt: '2026-05-01T10:00:00Z',
      failures: [
        {
          assetId: 'p1',
          equipment: 'pump',
          failureMode: 'bearing',
          kind: 'degradation',
          onsetAt: '2026-05-01T01:00:00Z',
          failAt: '2026-05-01T03:00:00Z',
        },
        {
          assetId: 'p1',
          equipment: 'pump',
          failureMode: 'bearing',
          kind: 'sudden',
          onsetAt: '2026-05-01T02:00:00Z',
          failAt: '2026-05-01T02:05:00Z',
        },
        {
          assetId: 'p2',
          equipment: 'pump',
          failureMode: 'bearing',
          kind: 'degradation',
          onsetAt: '2026-05-01T09:00:00Z',
          failAt: '2026-05-01T12:00:00Z',
        },
        {
          assetId: 'c1',
          equipment: 'chiller',
          failureMode: 'bearing',
          kind: 'degradation',
          onsetAt: '2026-05-01T01:00:00Z',
          failAt: '2026-05-01T02:00:00Z',
        },
      ],
    });
    const byAsset = failuresByAsset(truth, {
      equipment: 'pump',
      failureMode: 'bearing',
      until: Date.parse('2026-05-02T00:00:00Z'),
    });
    expect([...byAsset.keys()]).toEqual(['p1']);
    expect(byAsset.get('p1')!.map((f) => f.kind)).toEqual(['sudden', 'degradation']);
    expect(() => parseGroundTruth({ failures: [{ assetId: 'x' }] })).toThrow(/failures\[0\]\.equipment/);
  });

  it('merges per-metric series into readings and measures observed time without long gaps', () => {
    const ts = (m: number) => new Date(t0 + m * MIN);
    const merged = mergeSeries({
      a: [
        { ts: ts(0), value: 1 },
        { ts: ts(1), value: 2 },
      ],
      b: [{ ts: ts(1), value: 3 }],
    });
    expect(merged).toEqual([
      { at: t0, metrics: { a: 1 } },
      { at: t0 + MIN, metrics: { a: 2, b: 3 } },
    ]);
    // readings a minute apart for an hour, a 5-hour outage, another hour
    const times = [
      ...Array.from({ length: 61 }, (_, i) => t0 + i * MIN),
      ...Array.from({ length: 61 }, (_, i) => t0 + 6 * H + i * MIN),
    ];
    expect(observedMs(times) / H).toBeCloseTo(2, 6);
  });
});
