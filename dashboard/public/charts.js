// Live time series with uPlot: one chart per metric, seeded from the API, then fed live points.
/* global ResizeObserver, requestAnimationFrame */
import uPlot from '/vendor/uplot/uPlot.esm.js';
import { h } from './dom.js';
import { number } from './format.js';

const AXIS = {
  stroke: '#8b95a5',
  grid: { stroke: 'rgba(139,149,165,0.12)', width: 1 },
  ticks: { stroke: 'rgba(139,149,165,0.25)', width: 1 },
  font: '11px Inter, system-ui, sans-serif',
};
const PALETTE = ['#5b8def', '#f2a93b', '#3fb68b', '#d65c8a', '#9b7bea'];

/**
 * A chart of one metric with a sliding window (ms). The element carries data-points (points drawn) and
 * data-live-points (points that arrived over the live channel), which the browser tests read.
 */
export function liveChart({ metric, unit, index = 0, windowMs = 3_600_000 }) {
  const ts = [];
  const vs = [];
  let livePoints = 0;
  let pending = false;
  const latest = h('span', { class: 'chart-latest', 'data-testid': 'chart-latest' }, '—');
  const plotEl = h('div', { class: 'chart-plot' });
  const el = h(
    'figure',
    {
      class: 'chart',
      'data-testid': 'telemetry-chart',
      'data-metric': metric,
      'data-points': '0',
      'data-live-points': '0',
    },
    h(
      'figcaption',
      { class: 'chart-head' },
      h('span', { class: 'chart-title' }, metric.replaceAll('_', ' ')),
      h('span', { class: 'chart-unit' }, unit),
      latest,
    ),
    plotEl,
  );
  const color = PALETTE[index % PALETTE.length];
  const plot = new uPlot(
    {
      width: 600,
      height: 180,
      cursor: { drag: { x: false, y: false }, points: { size: 6 } },
      legend: { show: false },
      scales: { x: { time: true } },
      axes: [AXIS, { ...AXIS, size: 56, values: (_u, vals) => vals.map((v) => number(v, 2)) }],
      series: [
        {},
        {
          label: metric,
          stroke: color,
          width: 1.6,
          fill: `${color}22`,
          points: { show: false },
          spanGaps: false,
        },
      ],
    },
    [[], []],
    plotEl,
  );

  const fit = () => {
    const width = Math.max(240, plotEl.clientWidth);
    if (width !== plot.width) plot.setSize({ width, height: 180 });
  };
  const resize = new ResizeObserver(fit);
  resize.observe(plotEl);

  function redraw() {
    pending = false;
    const cutoff = Date.now() / 1000 - windowMs / 1000;
    let drop = 0;
    while (drop < ts.length && ts[drop] < cutoff) drop++;
    if (drop) {
      ts.splice(0, drop);
      vs.splice(0, drop);
    }
    plot.setData([ts.slice(), vs.slice()]);
    el.dataset.points = String(ts.length);
    el.dataset.livePoints = String(livePoints);
    latest.textContent = vs.length ? `${number(vs[vs.length - 1], 2)} ${unit}` : '—';
  }
  const schedule = () => {
    if (!pending) {
      pending = true;
      requestAnimationFrame(redraw);
    }
  };

  return {
    el,
    /** Replaces the data with points from the API: [{ ts, value }]. */
    seed(points) {
      const live = ts.map((t, i) => [t, vs[i]]);
      ts.length = 0;
      vs.length = 0;
      for (const p of points) {
        ts.push(new Date(p.ts).getTime() / 1000);
        vs.push(p.value);
      }
      // live points that arrived while the history was loading stay, in order
      for (const [t, v] of live) this.push(t * 1000, v, false);
      schedule();
    },
    /** Appends one point (ms epoch); points arrive in order, a late one is inserted in place. */
    push(atMs, value, live = true) {
      const t = atMs / 1000;
      if (!ts.length || t > ts[ts.length - 1]) {
        ts.push(t);
        vs.push(value);
      } else {
        let i = ts.length;
        while (i > 0 && ts[i - 1] > t) i--;
        if (ts[i - 1] === t) return;
        ts.splice(i, 0, t);
        vs.splice(i, 0, value);
      }
      if (live) livePoints++;
      schedule();
    },
    fit,
    destroy() {
      resize.disconnect();
      plot.destroy();
    },
  };
}
