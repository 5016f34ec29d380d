// Time series of one metric with uPlot: the store's per-bucket mean with its min–max band over the chosen period
// (24 h, 7 d, 30 d; GET /api/assets/{id}/series), and live readings folded into their bucket as they arrive.
/* global ResizeObserver, requestAnimationFrame */
import uPlot from '/vendor/uplot/uPlot.esm.js';
import { timeAxis, valueAxis } from './chart-axes.js';
import { h } from './dom.js';
import { label, quantity, unit as unitOf } from './format.js';

const PALETTE = ['#5b8def', '#f2a93b', '#3fb68b', '#d65c8a', '#9b7bea'];
const HEIGHT = 180;

/**
 * A chart of one metric over a sliding window of `periodMs` in buckets of `bucketMs`. The element carries
 * data-points (buckets drawn), data-live-points (readings that arrived over the live channel), data-period-ms and
 * data-bucket-ms, which the browser tests read.
 */
export function liveChart({ metric, unit, index = 0, periodMs = 86_400_000, bucketMs = 300_000 }) {
  // one entry per bucket, in time order: start (s), running sum and count, min, max
  let buckets = [];
  let livePoints = 0;
  // live readings since the period was chosen: the ones after the seed's end are folded in again after it
  let recent = [];
  let pending = false;
  const latest = h('span', { class: 'chart-latest', 'data-testid': 'chart-latest' }, '—');
  const plotEl = h('div', { class: 'chart-plot' });
  const none = h('p', { class: 'chart-none muted small' }, 'No readings in this period.');
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
      h('span', { class: 'chart-title' }, label(metric)),
      h('span', { class: 'chart-unit' }, unitOf(unit)),
      latest,
    ),
    plotEl,
    none,
  );
  const color = PALETTE[index % PALETTE.length];
  const edge = { stroke: `${color}55`, width: 1, points: { show: false }, spanGaps: false };
  const plot = new uPlot(
    {
      width: 600,
      height: HEIGHT,
      cursor: { drag: { x: false, y: false }, points: { size: 6 } },
      legend: { show: false },
      scales: {
        // the whole period, however much of it has data
        x: { time: true, range: () => [(Date.now() - periodMs) / 1000, Date.now() / 1000] },
      },
      axes: [timeAxis(), valueAxis(2)],
      series: [
        {},
        { label: 'mean', stroke: color, width: 1.6, points: { show: false }, spanGaps: false },
        { label: 'min', ...edge },
        { label: 'max', ...edge },
      ],
      bands: [{ series: [3, 2], fill: `${color}22` }],
    },
    [[], [], [], []],
    plotEl,
  );

  const fit = () => {
    const width = Math.max(240, plotEl.clientWidth);
    if (width !== plot.width) plot.setSize({ width, height: HEIGHT });
  };
  const resize = new ResizeObserver(fit);
  resize.observe(plotEl);

  function redraw() {
    pending = false;
    const cutoff = (Date.now() - periodMs - bucketMs) / 1000;
    let drop = 0;
    while (drop < buckets.length && buckets[drop].t < cutoff) drop++;
    if (drop) buckets = buckets.slice(drop);
    plot.setData([
      buckets.map((b) => b.t),
      buckets.map((b) => b.sum / b.count),
      buckets.map((b) => b.min),
      buckets.map((b) => b.max),
    ]);
    none.hidden = buckets.length > 0;
    el.dataset.points = String(buckets.length);
    el.dataset.livePoints = String(livePoints);
    el.dataset.periodMs = String(periodMs);
    el.dataset.bucketMs = String(bucketMs);
    const last = buckets[buckets.length - 1];
    latest.textContent = last?.last === undefined ? '—' : quantity(last.last, unit, 2);
  }
  const schedule = () => {
    if (!pending) {
      pending = true;
      requestAnimationFrame(redraw);
    }
  };

  /** Folds one reading (ms epoch) into its bucket; a late one lands in place. */
  function fold(atMs, value) {
    const t = (Math.floor(atMs / bucketMs) * bucketMs) / 1000;
    let i = buckets.length;
    while (i > 0 && buckets[i - 1].t > t) i--;
    const b = buckets[i - 1];
    if (b && b.t === t) {
      b.sum += value;
      b.count++;
      b.min = Math.min(b.min, value);
      b.max = Math.max(b.max, value);
      if (i === buckets.length) b.last = value;
    } else buckets.splice(i, 0, { t, sum: value, count: 1, min: value, max: value, last: value });
  }

  return {
    el,
    /** A new period: the data are dropped until the next seed. */
    setWindow(next) {
      periodMs = next.periodMs;
      bucketMs = next.bucketMs;
      buckets = [];
      recent = [];
      schedule();
    },
    /** Replaces the data with the store's buckets [{ ts, mean, min, max, count }] up to `to` (ISO). */
    seed(points, to) {
      buckets = points.map((p) => ({
        t: new Date(p.ts).getTime() / 1000,
        sum: p.mean * p.count,
        count: p.count,
        min: p.min,
        max: p.max,
        last: p.mean,
      }));
      const end = to ? new Date(to).getTime() : -Infinity;
      for (const [at, v] of recent) if (at > end) fold(at, v);
      recent = [];
      schedule();
    },
    /** One live reading (ms epoch). */
    push(atMs, value) {
      fold(atMs, value);
      if (recent.length < 5_000) recent.push([atMs, value]);
      livePoints++;
      schedule();
    },
    fit,
    destroy() {
      resize.disconnect();
      plot.destroy();
    },
  };
}
