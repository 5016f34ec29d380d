import { describe, expect, it } from 'vitest';
import { backtestSummary, matchModes, type AlarmBacktest } from './alarm-versions.ts';
import { scoreAlarms, type TimedAlarm } from './episodes.ts';

describe('matchModes', () => {
  it("matches the history's failure modes to the equipment model's by key or name, ignoring case and punctuation", () => {
    const modes = [
      { key: 'compressor-bearing', name: 'Compressor bearing wear' },
      { key: 'seal', name: 'Seal leak' },
    ];
    const m = matchModes(['Compressor_Bearing', 'seal leak', 'comp4'], modes);
    expect([...m]).toEqual([
      ['Compressor_Bearing', 'compressor-bearing'],
      ['seal leak', 'seal'],
    ]);
  });
});

describe('backtestSummary', () => {
  const H = 3_600_000;
  const opts = { horizonMs: 24 * H, minLeadMs: 2 * H, episodeGapMs: 24 * H };
  const backtest = (alarms: TimedAlarm[], failures: TimedAlarm[]): AlarmBacktest => ({
    from: new Date(0).toISOString(),
    assetYears: 2,
    score: scoreAlarms(alarms, failures, 2, opts),
    rowAuc: { bearing: null },
    failures: [],
  });
  const alarm = (asset: string, at: number): TimedAlarm => ({ asset, failureMode: 'bearing', at });

  it('judges the episodes against the failures after the training period', () => {
    // m1's alarm 10 h before its failure is true, m2's is false
    const s = backtestSummary(
      backtest([alarm('m1', 100 * H), alarm('m2', 100 * H)], [alarm('m1', 110 * H)]),
      'bearing',
      2,
    );
    expect(s).toMatchObject({ failures: 1, detected: 1, recall: 1, precision: 0.5, alarms: 2 });
    expect(s.rateWithheld).toBeNull();
  });

  it('leaves precision out (null, not 0) when no failure at all follows the training period', () => {
    // a history whose failures file ends at trainUntil: its episodes cannot be judged false
    const s = backtestSummary(backtest([alarm('m1', 100 * H), alarm('m2', 300 * H)], []), 'bearing', 2);
    expect(s).toMatchObject({ failures: 0, detected: 0, recall: null, precision: null, alarms: 2 });
    expect(s.falseAlarmsPerAssetYear).toBeNull();
    expect(s.rateWithheld).toMatch(/no failure observed/);
  });
});
