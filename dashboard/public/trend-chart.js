// The watched metric's recent trend toward its failure level (order detail): the downsampled mean with a dashed
// line at the failure level, drawn once with uPlot. The figure carries data-points and data-failure-level, which
// the browser tests read.
/* global ResizeObserver */
import uPlot from '/vendor/uplot/uPlot.esm.js';
import { h } from './dom.js';
import { timeAxis, valueAxis } from './chart-axes.js';
import { label, quantity, unit } from './format.js';

/** trend: { metric, unit, failureLevel, points: [{ ts, value, min, max }] } from GET /api/orders/{id}/detail. */
export function trendChart(trend, { height = 200 } = {}) {
  const plotEl = h('div', { class: 'chart-plot' });
  // the unit apart from the title, as the customer's charts have it: the title is capitalised word by word (CSS),
  // which wrote "Vibration Rms (Mm/S)"
  const u = unit(trend.unit);
  const el = h(
    'figure',
    {
      class: 'chart trend-chart',
      'data-testid': 'trend-chart',
      'data-metric': trend.metric,
      'data-points': String(trend.points.length),
      'data-failure-level': trend.failureLevel ?? '',
    },
    h(
      'figcaption',
      { class: 'chart-head' },
      h('span', { class: 'chart-title' }, label(trend.metric)),
      u ? h('span', { class: 'chart-unit', 'data-testid': 'trend-unit' }, u) : null,
      trend.failureLevel !== null
        ? h('span', { class: 'chart-unit' }, `failure level ${quantity(trend.failureLevel, trend.unit, 2)}`)
        : null,
    ),
    trend.points.length ? plotEl : h('p', { class: 'empty' }, 'No readings of this metric in the window.'),
  );
  if (!trend.points.length) return { el, fit() {}, destroy() {} };
  const xs = trend.points.map((p) => new Date(p.ts).getTime() / 1000);
  const series = [
    {},
    { label: trend.metric, stroke: '#5b8def', width: 1.6, fill: '#5b8def22', points: { show: false } },
  ];
  const data = [xs, trend.points.map((p) => p.value)];
  if (trend.failureLevel !== null) {
    series.push({
      label: 'failure level',
      stroke: '#d65c5c',
      width: 1.2,
      dash: [6, 4],
      points: { show: false },
    });
    data.push(xs.map(() => trend.failureLevel));
  }
  const plot = new uPlot(
    {
      width: 600,
      height,
      legend: { show: false },
      cursor: { drag: { x: false, y: false }, points: { size: 6 } },
      scales: { x: { time: true } },
      axes: [timeAxis(), valueAxis(2)],
      series,
    },
    data,
    plotEl,
  );
  const fit = () => {
    const width = Math.max(240, plotEl.clientWidth);
    if (width !== plot.width) plot.setSize({ width, height });
  };
  const resize = new ResizeObserver(fit);
  resize.observe(plotEl);
  return {
    el,
    fit,
    destroy() {
      resize.disconnect();
      plot.destroy();
    },
  };
}
