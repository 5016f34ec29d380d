// The availability panel of one asset: uptime share over 24 h / 7 d / 30 d, MTBF, MTTR and a timeline of
// up / degraded / down / not reporting (GET /api/assets/:id/availability). Down is the machine's reported failure;
// a device offline is "not reporting", shown apart and never counted as down (docs/adr/0028). Its period tabs also drive the page's charts (onPeriod).
import { fill, h } from './dom.js';
import { failedPanel } from './panel-load.js';
import { dateTime, duration, inUnit, percent, time } from './format.js';

export const WINDOWS = [
  { key: '24h', label: inUnit(24, 'hour') },
  { key: '7d', label: inUnit(7, 'day') },
  { key: '30d', label: inUnit(30, 'day') },
];
const STATES = [
  { key: 'up', label: 'Up' },
  { key: 'degraded', label: 'Degraded' },
  { key: 'down', label: 'Down (reported failure)' },
  { key: 'not_reporting', label: 'Not reporting (offline)' },
  { key: 'unknown', label: 'No data' },
];

const tone = (v) => (v === null ? '' : v >= 0.99 ? 'ok' : v >= 0.95 ? 'warn' : 'bad');

function figure(label, value, { tone: t, title, testid, selected } = {}) {
  return h(
    'div',
    {
      class: `avail-figure ${t ? `kpi-${t}` : ''} ${selected ? 'avail-selected' : ''}`.trim(),
      title,
      'data-testid': testid,
      'data-selected': selected === undefined ? undefined : String(selected),
    },
    h('span', { class: 'avail-value' }, value),
    h('span', { class: 'avail-label' }, label),
  );
}

function timeline(report) {
  const from = new Date(report.from).getTime();
  const span = new Date(report.to).getTime() - from || 1;
  return h(
    'div',
    {
      class: 'timeline',
      'data-testid': 'availability-timeline',
      'data-window': report.window,
      role: 'img',
      'aria-label': `State timeline, last ${report.window}`,
    },
    h(
      'div',
      { class: 'timeline-bar' },
      report.segments.map((s) => {
        const start = new Date(s.from).getTime();
        const end = new Date(s.to).getTime();
        return h('span', {
          class: `tl-seg tl-${s.state}`,
          'data-state': s.state,
          style: {
            left: `${((start - from) / span) * 100}%`,
            width: `${Math.max(0.2, ((end - start) / span) * 100)}%`,
          },
          title: `${s.state === 'not_reporting' ? 'not reporting' : s.state}: ${dateTime(s.from)} – ${dateTime(s.to)} (${duration(end - start)})`,
        });
      }),
    ),
    h('div', { class: 'timeline-axis muted small' }, h('span', {}, time(report.from)), h('span', {}, 'now')),
  );
}

export function availabilityPanel({ api, assetId, period = '24h', onPeriod = () => {} }) {
  let shown = period;
  let reports = {};
  const figures = h('div', { class: 'avail-figures' });
  const tabs = h('div', {
    class: 'tabs',
    role: 'tablist',
    'aria-label': 'Period of the availability and the charts',
    'data-testid': 'period-tabs',
  });
  const bar = h('div', {});
  const legend = h(
    'ul',
    { class: 'timeline-legend' },
    STATES.map((s) => h('li', {}, h('span', { class: `tl-swatch tl-${s.key}` }), s.label)),
  );
  const el = h(
    'div',
    { class: 'availability', 'data-testid': 'availability' },
    figures,
    h('div', { class: 'timeline-head' }, tabs, legend),
    bar,
  );

  function render() {
    const month = reports['30d'];
    fill(
      figures,
      WINDOWS.map((w) => {
        const r = reports[w.key];
        // withheld below the stated coverage: no "100%" over 30 days from two minutes of data
        const value = !r
          ? '…'
          : r.withheld
            ? `withheld (${percent(r.coverage)} covered)`
            : `${percent(r.availability)} · ${percent(r.coverage)} covered`;
        return figure(`Availability ${w.label}`, value, {
          tone: r && !r.withheld ? tone(r.availability) : '',
          title: r
            ? `up ${duration(r.upMs)}, degraded ${duration(r.degradedMs)}, down ${duration(r.downMs)}, not reporting ${duration(r.notReportingMs ?? 0)}, no data ${duration(r.unknownMs)}` +
              (r.withheld
                ? `; data covers ${percent(r.coverage)} of the window, a figure needs ${percent(r.minCoverage)}`
                : '')
            : undefined,
          testid: `availability-${w.key}`,
          selected: w.key === shown,
        });
      }),
      figure(
        `MTBF (${inUnit(30, 'day')})`,
        !month ? '…' : month.mtbfMs === null ? 'no failures' : duration(month.mtbfMs),
        { testid: 'mtbf' },
      ),
      figure(
        `MTTR (${inUnit(30, 'day')})`,
        !month ? '…' : month.mttrMs === null ? '—' : duration(month.mttrMs),
        {
          testid: 'mttr',
        },
      ),
      // shown apart from downtime: a device offline is not a machine down
      figure(
        `Not reporting (${inUnit(30, 'day')})`,
        !month ? '…' : (month.notReportingMs ?? 0) === 0 ? 'none' : duration(month.notReportingMs),
        {
          testid: 'not-reporting',
          title: 'Time the device was offline while its machine last reported up: not counted as downtime',
        },
      ),
    );
    fill(
      tabs,
      WINDOWS.map((w) =>
        h(
          'button',
          {
            type: 'button',
            role: 'tab',
            class: 'tab',
            'data-period': w.key,
            'aria-selected': String(w.key === shown),
            onclick: () => {
              if (shown === w.key) return;
              shown = w.key;
              render();
              onPeriod(w.key);
            },
          },
          w.label,
        ),
      ),
    );
    fill(
      bar,
      reports[shown] ? timeline(reports[shown]) : h('div', { class: 'timeline-bar timeline-loading' }),
    );
  }

  async function refresh() {
    try {
      const list = await Promise.all(
        WINDOWS.map((w) =>
          api(`/api/assets/${encodeURIComponent(assetId)}/availability`, { query: { window: w.key } }),
        ),
      );
      reports = Object.fromEntries(list.map((r) => [r.window, r]));
      render();
    } catch (err) {
      fill(bar, failedPanel(err, refresh));
    }
  }

  render();
  void refresh();
  return { el, refresh };
}
