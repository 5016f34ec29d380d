// A backtest run for people: the headline figures (recall with lead times, precision, false alarms per
// asset-year, RMSE and NASA score for RUL models), the failures by kind, warnings, and the charts.
import { badge, h, kpi } from './dom.js';
import { dateTime, inUnit, number, percent } from './format.js';
import { leadTimeHistogram, rulScatter } from './backtest-charts.js';
import {
  alarmFigures,
  alarmReportText,
  dash,
  isAlarmReport,
  lead,
  reportFigures,
  summaryText,
} from './backtest-figures.js';

export { reportFigures, summaryText };

/** The report's element: its run and status for the tests and styles. */
const reportAttrs = (run) => ({
  class: 'backtest-report',
  'data-testid': 'backtest-report',
  'data-status': run.status,
  'data-run-id': run.id,
});

/** An ALARM version's backtest after its training period: its figures, then each failure event, caught or not. */
function alarmReportView(run, head) {
  const r = run.report;
  const f = alarmFigures(r);
  const el = h(
    'div',
    { ...reportAttrs(run), 'data-kind': 'ALARM' },
    head,
    h(
      'div',
      { class: 'kpis kpis-tight' },
      kpi('Recall', dash(f.recall, percent), undefined, 'report-recall'),
      kpi('Precision', dash(f.precision, percent), undefined, 'report-precision'),
      kpi(
        'False alarms / asset-yr',
        dash(f.falsePerAssetYear, (v) => number(v, 1)),
        undefined,
        'report-false-alarms',
      ),
      kpi('Median lead', f.leadHours ? lead(r, f.leadHours.median, 1) : '—', undefined, 'report-lead'),
      kpi(
        'Row AUC',
        dash(f.rowAuc, (v) => number(v, 2)),
        undefined,
        'report-row-auc',
      ),
    ),
    h('p', { class: 'muted small', 'data-testid': 'report-text' }, alarmReportText(r)),
    r.failures?.length
      ? h(
          'ul',
          { class: 'small', 'data-testid': 'report-failures' },
          r.failures
            .slice(0, 100)
            .map((e) =>
              h(
                'li',
                { 'data-testid': 'report-failure', 'data-caught': String(e.caught) },
                `${e.asset}, ${e.failureMode}, ${dateTime(e.at)}: ` +
                  (e.caught ? `caught ${lead(r, e.leadHours, 1)} before` : 'missed'),
              ),
            ),
        )
      : null,
    r.failures?.length > 100
      ? h('p', { class: 'muted small' }, `The first 100 of ${r.failures.length} failures.`)
      : null,
  );
  return { el, destroy() {} };
}

export function reportView(run) {
  const charts = [];
  const r = run.report;
  const head = h(
    'div',
    { class: 'report-head' },
    h('strong', {}, `${run.modelKey} v${run.version}`),
    badge(run.status, run.status === 'DONE' ? 'ok' : run.status === 'FAILED' ? 'bad' : 'info'),
    h('span', { class: 'muted small' }, `${run.source} · ${dateTime(run.startedAt)} · ${run.author}`),
  );
  if (run.status === 'DONE' && isAlarmReport(r)) return alarmReportView(run, head);
  if (run.status !== 'DONE' || !r) {
    return {
      el: h(
        'div',
        { class: 'backtest-report', 'data-testid': 'backtest-report', 'data-status': run.status },
        head,
        run.error ? h('p', { class: 'error-box', role: 'alert' }, run.error) : null,
      ),
      destroy() {},
    };
  }
  const hist = leadTimeHistogram(r.leadTimeHistogram, {
    title: `Lead time before failure (${r.timeUnit ?? 'hours'})`,
  });
  charts.push(hist);
  const kinds = Object.entries(r.failures.byKind);
  const scatter = r.rul ? rulScatter(r.rul) : null;
  if (scatter) charts.push(scatter);
  const el = h(
    'div',
    reportAttrs(run),
    head,
    h(
      'div',
      { class: 'kpis kpis-tight' },
      kpi('Recall', dash(r.failures.recall, percent), undefined, 'report-recall'),
      kpi('Precision', dash(r.alarms.precision, percent), undefined, 'report-precision'),
      kpi(
        'False alarms / asset-yr',
        dash(r.alarms.falseAlarmsPerAssetYear, (v) => number(v, 1)),
        undefined,
        'report-false-alarms',
      ),
      kpi(
        'Median lead',
        r.leadTimeHours ? lead(r, r.leadTimeHours.median, 1) : '—',
        undefined,
        'report-lead',
      ),
      r.rul ? kpi(`RMSE (${r.rul.unit})`, number(r.rul.rmse, 1), undefined, 'report-rmse') : null,
      r.rul ? kpi('NASA score', number(r.rul.nasaScore, 0), undefined, 'report-nasa') : null,
    ),
    h(
      'p',
      { class: 'muted small' },
      `${r.assets} assets, ${number(r.readings, 0)} readings, ${number(r.observedAssetYears * 8766, 1)} asset-${r.timeUnit === 'cycles' ? 'cycles' : 'hours'} observed; ` +
        `${r.failures.total} failures (${kinds.map(([k, v]) => `${k} ${v.detected}/${v.total}`).join(', ') || 'none'}), ` +
        `${r.alarms.total} alarms: ${r.alarms.truePositive} before a failure, ${r.alarms.falsePositive} false (${r.alarms.withdrawn} withdrawn), ${r.alarms.pending} pending.` +
        (r.alarms.falseAlarmsRateWithheld
          ? ` No rate per asset-year: ${r.alarms.falseAlarmsRateWithheld}.`
          : '') +
        (r.rul
          ? ` RUL: ${r.rul.pairs} points over ${r.rul.runs} runs, cap ${r.rul.cap} ${r.rul.unit}.`
          : '') +
        ` ${inUnit(r.durationMs / 1000, 'second')}.`,
    ),
    r.warnings?.length
      ? h(
          'ul',
          { class: 'warnings' },
          r.warnings.map((w) => h('li', {}, w)),
        )
      : null,
    h('div', { class: 'chart-grid backtest-charts' }, hist.el, scatter?.el),
  );
  return { el, destroy: () => charts.forEach((c) => c.destroy()) };
}
