// A backtest's figures as text, for the models list, the report and the comparison of two versions. No DOM and
// no charts here (only format.js), so the figures are unit-tested in Node (test/unit/backtest-figures.test.ts).
// Two report shapes: a replay backtest (core/backtest: failures, alarms, lead times, RUL) and an ALARM version's
// backtest per failure event after its training period (report.kind 'ALARM', predict/alarm-training-run.ts:
// the mode's score, the failure events, the row AUC), which holds no replay counts.
import { dateTime, inUnit, number, percent } from './format.js';

export const dash = (v, f) => (v === null || v === undefined ? '—' : f(v));
/** A lead time with its unit: hours in the locale ("9.5 hrs", "9,5 Std."), or cycles for run-to-failure files. */
export const lead = (x, v, digits) =>
  x?.timeUnit === 'cycles' ? `${number(v, digits)} cycles` : inUnit(v, 'hour', digits);

/** An ALARM version's backtest (report.kind 'ALARM'). */
export const isAlarmReport = (r) => r?.kind === 'ALARM';

/** Headline figures of a run summary or report, as short text (for tables). */
export function summaryText(s) {
  if (!s) return '—';
  // an ALARM version's backtest with no failure after the training period: its alarms cannot be judged
  if (s.failures === 0 && s.rateWithheld) return `not judged: no failure after the training period`;
  const parts = [];
  if (s.failures !== undefined)
    parts.push(`recall ${dash(s.recall, percent)} (${s.detected ?? 0}/${s.failures})`);
  parts.push(`precision ${dash(s.precision, percent)}`);
  if (s.medianLeadHours !== null && s.medianLeadHours !== undefined)
    parts.push(`lead ${lead(s, s.medianLeadHours, 1)}`);
  if (s.rmse !== null && s.rmse !== undefined)
    parts.push(`RMSE ${number(s.rmse, 1)} ${s.rulUnit ?? ''}`.trim());
  return parts.join(' · ');
}

/**
 * The headline figures of an ALARM report: { failures, caught, recall, precision, falsePerAssetYear,
 * leadHours, episodes, falseEpisodes, rowAuc, withheld }. Without a failure of the mode after the training
 * period there is nothing to judge its episodes against: recall and precision are null then.
 */
export function alarmFigures(r) {
  const s = r.score ?? {};
  const failures = s.failures ?? r.failures?.length ?? 0;
  return {
    failures,
    caught: s.caught ?? 0,
    recall: failures ? (s.recall ?? null) : null,
    precision: failures ? (s.episodePrecision ?? null) : null,
    falsePerAssetYear: r.rateWithheld ? null : (s.falseEpisodesPerAssetYear ?? null),
    leadHours: s.leadHours ?? null,
    episodes: s.episodes ?? 0,
    falseEpisodes: s.falseEpisodes ?? 0,
    rowAuc: r.rowAuc ?? null,
    withheld: r.rateWithheld ?? null,
  };
}

/** The figures of a report as [label, value] rows (also used side by side in the comparison). */
export function reportFigures(r) {
  if (!r) return [];
  if (isAlarmReport(r)) {
    const f = alarmFigures(r);
    return [
      ['Backtest from', dateTime(r.from)],
      ['Asset-years', number(r.assetYears, 2)],
      ['Failures', String(f.failures)],
      ['Recall', `${dash(f.recall, percent)} (${f.caught})`],
      ['Median lead', f.leadHours ? lead(r, f.leadHours.median, 2) : '—'],
      ['Lead p10–p90', f.leadHours ? `${number(f.leadHours.p10, 2)}–${lead(r, f.leadHours.p90, 2)}` : '—'],
      ['Alarm episodes', String(f.episodes)],
      ['Precision', dash(f.precision, percent)],
      ['False alarms / asset-year', dash(f.falsePerAssetYear, (v) => number(v, 1))],
      ['Row AUC', dash(f.rowAuc, (v) => number(v, 2))],
    ];
  }
  return [
    ['Assets', String(r.assets)],
    ['Failures', String(r.failures.total)],
    ['Recall', `${dash(r.failures.recall, percent)} (${r.failures.detected})`],
    ['In time', `${dash(r.failures.inTimeRecall, percent)} (${r.failures.inTime})`],
    ['Median lead', r.leadTimeHours ? lead(r, r.leadTimeHours.median, 2) : '—'],
    [
      'Lead p10–p90',
      r.leadTimeHours ? `${number(r.leadTimeHours.p10, 2)}–${lead(r, r.leadTimeHours.p90, 2)}` : '—',
    ],
    ['Alarms', String(r.alarms.total)],
    ['Precision', dash(r.alarms.precision, percent)],
    ['False alarms / asset-year', dash(r.alarms.falseAlarmsPerAssetYear, (v) => number(v, 1))],
    ['RMSE', r.rul ? `${number(r.rul.rmse, 2)} ${r.rul.unit}` : '—'],
    ['NASA score', r.rul ? number(r.rul.nasaScore, 1) : '—'],
  ];
}

/** The sentence under an ALARM report's figures: the period, the failures and episodes, why a figure is missing. */
export function alarmReportText(r) {
  const f = alarmFigures(r);
  const episodes = `${f.episodes} alarm episode${f.episodes === 1 ? '' : 's'}`;
  const head = `After ${dateTime(r.from)} (${number(r.assetYears, 2)} asset-years): `;
  if (!f.failures)
    return (
      `${head}no failure in the history, so its ${episodes} cannot be judged. ` +
      'Import a failures file that also covers the time after the training period to judge them.'
    );
  return (
    `${head}${f.failures} failure${f.failures === 1 ? '' : 's'}, ${f.caught} caught with at least the minimum lead; ` +
    `${episodes}, ${f.falseEpisodes} false.` +
    (f.withheld ? ` No rate per asset-year: ${f.withheld}.` : '')
  );
}
