// The axes of the time-series charts (uPlot): times, dates and values in the browser's locale (format.js) rather
// than uPlot's English defaults.
import { clock, dayMonth, number } from './format.js';

export const AXIS = {
  stroke: '#8b95a5',
  grid: { stroke: 'rgba(139,149,165,0.12)', width: 1 },
  ticks: { stroke: 'rgba(139,149,165,0.25)', width: 1 },
  font: '11px Inter, system-ui, sans-serif',
};

const DAY_S = 86_400;

/**
 * Tick labels of a time axis (splits in seconds): the date alone when ticks are a day or more apart, otherwise
 * the time of day, with the date on a second line at the first tick and wherever the day changes.
 */
export function timeTicks(_u, splits, _axis, _space, incr) {
  let day;
  return splits.map((s) => {
    const d = new Date(s * 1000);
    if (incr >= DAY_S) return dayMonth(d);
    const key = d.toDateString();
    const first = key !== day;
    day = key;
    return first ? `${clock(d)}\n${dayMonth(d)}` : clock(d);
  });
}

/**
 * A time x axis with locale labels (two lines where the date shows). Ticks at least 72 px apart: uPlot's 50 px
 * default put hourly ticks on a wide chart, and 12-hour labels ("02:00 AM", about 50 px at 11 px) ran into each
 * other ("02:00 AM03:00 AM" on the order detail's trend chart).
 */
export const timeAxis = (extra = {}) => ({ ...AXIS, size: 44, space: 72, values: timeTicks, ...extra });

/** A value y axis with numbers in the browser's locale. */
export const valueAxis = (digits = 2, extra = {}) => ({
  ...AXIS,
  size: 56,
  values: (_u, vals) => vals.map((v) => number(v, digits)),
  ...extra,
});
