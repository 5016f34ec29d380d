// A backtest run for people: the headline figures (recall with lead times, precision, false alarms per
// asset-year, RMSE and NASA score for RUL models), the failures by kind, warnings, and the charts.
import { badge, h, kpi } from './dom.js';
import { dateTime, inUnit, number, percent } from './format.js';
import { leadTimeHistogram, rulScatter } from './backtest-charts.js';

const dash = (v, f) => (v === null || v === undefined ? '—' : f(v));
/** A lead time with its unit: hours in the locale ("9.5 hrs", "9,5 Std."), or cycles for run-to-failure files. */
const lead = (x, v, digits) =>
  x?.timeUnit === 'cycles' ? `${number(v, digits)} cycles` : inUnit(v, 'hour', digits);

/** Headline figures of a run summary or report, as short text (for tables). */
export function summaryText(s) {
  if (!s) return '—';
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

/** The figures of a report as [label, value] rows (also used side by side in the comparison). */
export function reportFigures(r) {
  if (!r) return [];
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
    {
      class: 'backtest-report',
      'data-testid': 'backtest-report',
      'data-status': run.status,
      'data-run-id': run.id,
    },
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
