// Two versions of a model side by side: their parameters (changed ones marked) and the figures and lead-time
// histograms of their latest finished backtests.
import { badge, h } from './dom.js';
import { leadTimeHistogram } from './backtest-charts.js';
import { isAlarmReport, reportFigures } from './backtest-figures.js';

const show = (v) =>
  v === null || v === undefined ? '—' : typeof v === 'object' ? JSON.stringify(v) : String(v);
const clip = (s) => (s.length > 60 ? `${s.slice(0, 57)}…` : s);

export function compareView(c) {
  const charts = [];
  const a = c.backtests.a?.report;
  const b = c.backtests.b?.report;
  const label = (v) => h('span', {}, `v${v.version} `, badge(v.status));
  const head = h('tr', {}, h('th', {}, ''), h('th', {}, label(c.a)), h('th', {}, label(c.b)));
  const params = h(
    'table',
    { class: 'table compare-table', 'data-testid': 'compare-params' },
    h('thead', {}, head.cloneNode(true)),
    h(
      'tbody',
      {},
      c.params.map((p) =>
        h(
          'tr',
          {
            class: p.changed ? 'changed' : undefined,
            'data-testid': 'compare-param',
            'data-key': p.key,
            'data-changed': String(p.changed),
          },
          h('td', {}, p.key),
          h('td', { title: show(p.a) }, clip(show(p.a))),
          h('td', { title: show(p.b) }, clip(show(p.b))),
        ),
      ),
    ),
  );
  const fa = reportFigures(a);
  const fb = reportFigures(b);
  // by label: an ALARM version's backtest and a replay have different figures
  const va = new Map(fa);
  const vb = new Map(fb);
  const rows = [...new Set([...va.keys(), ...vb.keys()])].map((k) => [k, va.get(k) ?? '—', vb.get(k) ?? '—']);
  const figures = rows.length
    ? h(
        'table',
        { class: 'table compare-table', 'data-testid': 'compare-figures' },
        h('thead', {}, head),
        h(
          'tbody',
          {},
          rows.map(([k, x, y]) =>
            h(
              'tr',
              { class: x !== y ? 'changed' : undefined },
              h('td', {}, k),
              h('td', {}, x),
              h('td', {}, y),
            ),
          ),
        ),
      )
    : h(
        'p',
        { class: 'muted small' },
        'Neither version has a finished backtest yet: run one on each to compare results.',
      );
  const hists = [a, b].map((r, i) => {
    // an ALARM version's backtest lists its failure events, not a lead-time histogram
    if (!r || isAlarmReport(r)) return null;
    const chart = leadTimeHistogram(r.leadTimeHistogram, {
      width: 300,
      height: 140,
      color: i ? '#f2a93b' : '#5b8def',
      title: `Lead times, v${i ? c.b.version : c.a.version} (${r.timeUnit ?? 'hours'})`,
    });
    charts.push(chart);
    return chart.el;
  });
  const el = h(
    'div',
    {
      class: 'version-compare',
      'data-testid': 'compare-view',
      'data-a': String(c.a.version),
      'data-b': String(c.b.version),
    },
    h(
      'div',
      { class: 'compare-grid' },
      h('div', {}, h('h4', {}, 'Parameters'), params),
      h('div', {}, h('h4', {}, 'Latest backtests'), figures),
    ),
    h('div', { class: 'chart-grid' }, hists),
  );
  return { el, destroy: () => charts.forEach((x) => x.destroy()) };
}
