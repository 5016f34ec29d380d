// The backtest figures of the Models view (dashboard/public/backtest-figures.js) in Node. An ALARM version's
// backtest (trained on a fleet history: report.kind 'ALARM', its mode's score and failure events) has none of a
// replay's counts; the report, the models list and the comparison read it without throwing (the Report of such a
// version failed with "Cannot read properties of undefined (reading 'length')"), and a backtest with no failure
// after the training period says its episodes are not judged instead of "precision 0%".
import { describe, expect, it } from 'vitest';

interface Figures {
  summaryText(s: unknown): string;
  reportFigures(r: unknown): [string, string][];
  alarmReportText(r: unknown): string;
  isAlarmReport(r: unknown): boolean;
}
const f = (await import(
  new URL('../../dashboard/public/backtest-figures.js', import.meta.url).href
)) as Figures;

const alarmReport = (over: Record<string, unknown> = {}) => ({
  kind: 'ALARM',
  from: '2026-03-02T00:00:00.000Z',
  assetYears: 2.47,
  score: {
    failures: 10,
    caught: 5,
    recall: 0.5,
    episodes: 6,
    falseEpisodes: 1,
    falseEpisodesPerAssetYear: 0.406,
    episodePrecision: 0.833,
    leadHours: { p10: 4.057, median: 14.308, p90: 23.716 },
  },
  rateWithheld: null,
  rowAuc: 0.912,
  failures: [
    {
      asset: 'px50-007',
      failureMode: 'bearing',
      at: '2026-03-21T05:00:00.000Z',
      caught: true,
      leadHours: 20,
    },
    {
      asset: 'px50-011',
      failureMode: 'bearing',
      at: '2026-03-25T05:00:00.000Z',
      caught: false,
      leadHours: null,
    },
  ],
  cv: {},
  ...over,
});
/** No failure after trainUntil (the export's failures.csv ends there): scored as the core scores it. */
const unjudged = alarmReport({
  score: {
    failures: 0,
    caught: 0,
    recall: null,
    episodes: 6,
    falseEpisodes: 6,
    falseEpisodesPerAssetYear: 2.43,
    episodePrecision: 0,
    leadHours: null,
  },
  rateWithheld: 'no failure observed: the alarms cannot be judged against any',
  failures: [],
});

describe('backtest figures', () => {
  it("gives an ALARM version's backtest its own figures", () => {
    const rows = new Map(f.reportFigures(alarmReport()));
    expect(rows.get('Failures')).toBe('10');
    expect(rows.get('Recall')).toMatch(/^50\s?% \(5\)$/);
    expect(rows.get('Precision')).toMatch(/^83\s?%$/);
    expect(rows.get('Alarm episodes')).toBe('6');
    expect(rows.get('False alarms / asset-year')).toBe('0.4');
    expect(rows.get('Median lead')).toMatch(/^14\.31 h/);
    expect(rows.get('Row AUC')).toBe('0.91');
    expect(f.alarmReportText(alarmReport())).toMatch(
      /: 10 failures, 5 caught with at least the minimum lead; 6 alarm episodes, 1 false\.$/,
    );
  });

  it('says the episodes are not judged when no failure follows the training period', () => {
    const rows = new Map(f.reportFigures(unjudged));
    expect(rows.get('Precision')).toBe('—');
    expect(rows.get('Recall')).toBe('— (0)');
    expect(rows.get('False alarms / asset-year')).toBe('—');
    expect(f.alarmReportText(unjudged)).toMatch(
      /no failure in the history, so its 6 alarm episodes cannot be judged/,
    );
    // the summary of the run in the models list (backtestSummary of an ALARM run before it nulled precision)
    const summary = {
      failures: 0,
      detected: 0,
      recall: null,
      precision: 0,
      alarms: 6,
      rateWithheld: 'no failure observed',
    };
    expect(f.summaryText(summary)).toBe('not judged: no failure after the training period');
  });

  it('keeps the figures of a replay backtest', () => {
    const replay = {
      assets: 18,
      failures: { total: 2, detected: 1, inTime: 1, recall: 0.5, inTimeRecall: 0.5 },
      leadTimeHours: { p10: 3, median: 10, p90: 20 },
      alarms: { total: 4, precision: 0.25, falseAlarmsPerAssetYear: null },
      rul: null,
      timeUnit: 'hours',
    };
    expect(f.isAlarmReport(replay)).toBe(false);
    const rows = new Map(f.reportFigures(replay));
    expect(rows.get('Assets')).toBe('18');
    expect(rows.get('Alarms')).toBe('4');
    expect(rows.get('Precision')).toMatch(/^25\s?%$/);
    expect(f.summaryText({ failures: 0, detected: 0, recall: null, precision: 0, alarms: 4 })).toMatch(
      /^recall — \(0\/0\) · precision 0\s?%$/,
    );
  });
});
