// Charts of a backtest report with uPlot: the lead-time distribution as a histogram, and predicted against
// true remaining useful life as a scatter with the diagonal of perfect predictions. Each figure carries
// data-* counts that the browser tests read.
import uPlot from '/vendor/uplot/uPlot.esm.js';
import { h } from './dom.js';
import { number } from './format.js';

const AXIS = {
  stroke: '#8b95a5',
  grid: { stroke: 'rgba(139,149,165,0.12)', width: 1 },
  ticks: { stroke: 'rgba(139,149,165,0.25)', width: 1 },
  font: '11px Inter, system-ui, sans-serif',
};

function figure(testid, title, attrs, body) {
  return h(
    'figure',
    { class: 'chart backtest-chart', 'data-testid': testid, ...attrs },
    h('figcaption', { class: 'chart-head' }, h('span', { class: 'chart-title' }, title)),
    body,
  );
}

/** Bars of the lead-time histogram (report.leadTimeHistogram: [{ from, to, count }]). */
export function leadTimeHistogram(bins, { width = 420, height = 170, color = '#5b8def', title } = {}) {
  const plotEl = h('div', { class: 'chart-plot' });
  const el = figure(
    'backtest-lead-histogram',
    title ?? 'Lead time before failure (hours)',
    { 'data-bins': String(bins.length), 'data-count': String(bins.reduce((s, b) => s + b.count, 0)) },
    bins.length ? plotEl : h('p', { class: 'empty' }, 'No failure was detected: no lead times.'),
  );
  if (!bins.length) return { el, destroy() {} };
  const xs = bins.map((b) => (b.from + b.to) / 2);
  const plot = new uPlot(
    {
      width,
      height,
      legend: { show: false },
      cursor: { drag: { x: false, y: false } },
      scales: {
        x: { time: false, range: [bins[0].from, bins[bins.length - 1].to] },
        y: { range: (_u, _min, max) => [0, Math.max(1, max)] },
      },
      axes: [
        { ...AXIS, values: (_u, vals) => vals.map((v) => number(v, 1)) },
        { ...AXIS, size: 40, values: (_u, vals) => vals.map((v) => (Number.isInteger(v) ? String(v) : '')) },
      ],
      series: [
        {},
        {
          label: 'failures',
          stroke: color,
          fill: `${color}66`,
          width: 1,
          points: { show: false },
          paths: uPlot.paths.bars({ size: [0.9, 100], align: 0 }),
        },
      ],
    },
    [xs, bins.map((b) => b.count)],
    plotEl,
  );
  return { el, destroy: () => plot.destroy() };
}

/** Predicted against true RUL (report.rul.sample: [{ trueRul, predictedRul }]). */
export function rulScatter(rul, { width = 420, height = 220 } = {}) {
  const pairs = [...(rul?.sample ?? [])].sort((a, b) => a.trueRul - b.trueRul);
  const plotEl = h('div', { class: 'chart-plot' });
  const el = figure(
    'backtest-rul-scatter',
    `Predicted vs true RUL (${rul?.unit ?? ''})`,
    { 'data-points': String(pairs.length) },
    plotEl,
  );
  if (!pairs.length) return { el, destroy() {} };
  const cap = rul.cap;
  const xs = pairs.map((p) => p.trueRul);
  const plot = new uPlot(
    {
      width,
      height,
      legend: { show: false },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: false, range: [0, cap * 1.05] }, y: { range: [0, cap * 1.05] } },
      axes: [
        { ...AXIS, label: `true (${rul.unit})`, values: (_u, vals) => vals.map((v) => number(v, 0)) },
        { ...AXIS, size: 44, label: 'predicted', values: (_u, vals) => vals.map((v) => number(v, 0)) },
      ],
      series: [
        {},
        {
          label: 'predicted',
          stroke: '#f2a93b',
          paths: () => null,
          points: { show: true, size: 4, fill: '#f2a93b66', stroke: '#f2a93b' },
        },
        { label: 'perfect', stroke: '#3fb68b', width: 1, dash: [4, 4], points: { show: false } },
      ],
    },
    [xs, pairs.map((p) => p.predictedRul), xs.map((x) => Math.min(x, cap))],
    plotEl,
  );
  return { el, destroy: () => plot.destroy() };
}
