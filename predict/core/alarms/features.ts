/**
 * Windowed features per asset and telemetry step: rolling mean, std and slope of every metric over a
 * short and a long window plus the short and long means' deviations from the asset's own history (in the
 * metric's units and in the asset's own standard deviations), the deviation and slope over a trend window
 * of days (a failure's drift lasts, an excursion comes back), event counts per code over one and two event
 * windows, hours since the last event of each code, the last maintenance of each component and the last
 * failure of each mode, and the asset's attributes. Windows count telemetry steps (the data's own step).
 */
import type { AssetHistory, FleetHistory } from './history.ts';

export interface FeatureOptions {
  /** Short and long windows, in steps. */
  shortSteps: number;
  longSteps: number;
  /** Trend window, in steps (default: 3 long windows). */
  trendSteps?: number;
  /** Event-count window (ms). */
  eventWindowMs: number;
  /**
   * Hours-since features are clipped here: after the training period no maintenance or failure is
   * known, so unclipped values would grow beyond anything the model was trained on.
   */
  sinceCapHours: number;
  /** Hours since the last maintenance of each component (false: left out). */
  maintenanceFeatures?: boolean;
  /**
   * The step's hour of the day (UTC), last column (absent: left out). Records are often written at fixed
   * times (a shift, a daily export: every failure of the Azure data is at 06:00), and the hour then tells
   * whether the next such time is within the horizon.
   */
  timeOfDay?: boolean;
  /**
   * Per code, the hour of the day (UTC) of its last event, -1 before the first; after the hour of the day, last
   * columns (absent: left out). Equipment that logs some codes at a fixed time (a daily self-test) and others
   * whenever they occur makes the first kind tellable from the second with one split: in the Azure data every
   * code that announces a failure is logged at 06:00 the day before, the others at any hour.
   */
  eventHourOfDay?: boolean;
}

export function defaultFeatureOptions(
  stepMs: number,
  sinceCapHours = NEVER_HOURS,
  shortHours = 3,
  longHours = 24,
): FeatureOptions {
  return {
    sinceCapHours,
    shortSteps: Math.max(2, Math.round((shortHours * 3_600_000) / stepMs)),
    longSteps: Math.max(3, Math.round((longHours * 3_600_000) / stepMs)),
    trendSteps: Math.max(4, Math.round((3 * longHours * 3_600_000) / stepMs)),
    eventWindowMs: 24 * 3_600_000,
  };
}

/** Hours recorded when there was no maintenance / failure yet. */
export const NEVER_HOURS = 10_000;

const PER_METRIC = ['mean', 'std', 'slope'] as const;

export function featureNames(fleet: FleetHistory, opts: FeatureOptions): string[] {
  const names: string[] = [];
  for (const m of fleet.metrics) {
    for (const [w, steps] of [
      ['short', opts.shortSteps],
      ['long', opts.longSteps],
    ] as const)
      for (const s of PER_METRIC) names.push(`${m}.${s}.${w}${steps}`);
    names.push(`${m}.dev.long${opts.longSteps}`, `${m}.dev.short${opts.shortSteps}`);
    const tw = trendSteps(opts);
    names.push(
      `${m}.z.long${opts.longSteps}`,
      `${m}.z.short${opts.shortSteps}`,
      `${m}.z.trend${tw}`,
      `${m}.slope.trend${tw}`,
    );
  }
  for (const c of fleet.codes) names.push(`events.${c}.24h`);
  names.push('events.all.24h');
  for (const c of fleet.codes) names.push(`events.${c}.48h`);
  for (const c of fleet.codes) names.push(`hoursSinceEvent.${c}`);
  if (opts.maintenanceFeatures !== false)
    for (const c of fleet.components) names.push(`hoursSinceMaintenance.${c}`);
  for (const m of fleet.modes) names.push(`hoursSinceFailure.${m}`);
  names.push('hoursSinceAnyFailure');
  for (const a of fleet.attributeNames) names.push(`attr.${a}`);
  if (opts.timeOfDay === true) names.push('time.hourOfDay');
  if (opts.eventHourOfDay === true) for (const c of fleet.codes) names.push(`eventHourOfDay.${c}`);
  return names;
}

const DAY_MS = 86_400_000;
const trendSteps = (opts: FeatureOptions) => opts.trendSteps ?? 3 * opts.longSteps;
const PER_METRIC_COLUMNS = 12;

/**
 * The feature rows of every step of one asset: row-major steps × features (Float32Array).
 * Only events, maintenance and failures at or before a step's time count for it.
 */
export function assetFeatures(asset: AssetHistory, fleet: FleetHistory, opts: FeatureOptions): Float32Array {
  const M = fleet.metrics.length;
  const C = fleet.codes.length;
  const K = opts.maintenanceFeatures === false ? 0 : fleet.components.length;
  const Q = fleet.modes.length;
  const A = fleet.attributeNames.length;
  const E = opts.eventHourOfDay === true ? C : 0;
  const F = M * PER_METRIC_COLUMNS + C + 1 + C + C + K + Q + 1 + A + (opts.timeOfDay === true ? 1 : 0) + E;
  const T = trendSteps(opts);
  const n = asset.times.length;
  const out = new Float32Array(n * F);
  const { times, values } = asset;
  const hourMs = 3_600_000;
  const stepH = fleet.stepMs / hourMs;
  // Prefix sums per metric of x, x², i·x.
  const s1 = new Float64Array(n + 1);
  const s2 = new Float64Array(n + 1);
  const sx = new Float64Array(n + 1);
  for (let j = 0; j < M; j++) {
    for (let i = 0; i < n; i++) {
      const v = values[i * M + j] as number;
      s1[i + 1] = (s1[i] as number) + v;
      s2[i + 1] = (s2[i] as number) + v * v;
      sx[i + 1] = (sx[i] as number) + i * v;
    }
    const base = j * PER_METRIC_COLUMNS;
    for (let i = 0; i < n; i++) {
      const o = i * F + base;
      let k = 0;
      let longMean = 0;
      let shortMean = 0;
      for (const w of [opts.shortSteps, opts.longSteps]) {
        const a = Math.max(0, i - w + 1);
        const cnt = i - a + 1;
        const sum = (s1[i + 1] as number) - (s1[a] as number);
        const mean = sum / cnt;
        const varr = Math.max(0, ((s2[i + 1] as number) - (s2[a] as number)) / cnt - mean * mean);
        // Least-squares slope over indices a..i, per hour.
        let slope = 0;
        if (cnt > 1) {
          const xm = (a + i) / 2;
          const sxx = (cnt * (cnt * cnt - 1)) / 12;
          const sxy = (sx[i + 1] as number) - (sx[a] as number) - xm * sum;
          slope = sxy / sxx / stepH;
        }
        out[o + k++] = mean;
        out[o + k++] = Math.sqrt(varr);
        out[o + k++] = slope;
        if (w === opts.shortSteps && k === 3) shortMean = mean;
        longMean = mean;
      }
      // Deviation of the long mean from the mean of everything before the long window.
      const a = Math.max(0, i - opts.longSteps + 1);
      const baseline = a > 0 ? (s1[a] as number) / a : NaN;
      out[o + 6] = a > 0 ? longMean - baseline : 0;
      out[o + 7] = a > 0 ? shortMean - baseline : 0;
      // The same in the asset's own standard deviations (of everything before the long window).
      const bsd = a > 1 ? Math.sqrt(Math.max(0, (s2[a] as number) / a - baseline * baseline)) : 0;
      out[o + 8] = bsd > 0 ? (longMean - baseline) / bsd : 0;
      out[o + 9] = bsd > 0 ? (shortMean - baseline) / bsd : 0;
      // Trend window: its mean against everything before it (asset σ), and its slope per hour.
      const ta = Math.max(0, i - T + 1);
      const tc = i - ta + 1;
      const tsum = (s1[i + 1] as number) - (s1[ta] as number);
      if (ta > 1) {
        const tb = (s1[ta] as number) / ta;
        const tsd = Math.sqrt(Math.max(0, (s2[ta] as number) / ta - tb * tb));
        out[o + 10] = tsd > 0 ? (tsum / tc - tb) / tsd : 0;
      } else out[o + 10] = 0;
      if (tc > 1) {
        const xm = (ta + i) / 2;
        const sxx = (tc * (tc * tc - 1)) / 12;
        out[o + 11] = ((sx[i + 1] as number) - (sx[ta] as number) - xm * tsum) / sxx / stepH;
      } else out[o + 11] = 0;
    }
  }
  let col = M * PER_METRIC_COLUMNS;
  // Event counts per code in (t - window, t].
  {
    const et = asset.events.t;
    const ek = asset.events.key;
    const counts = new Int32Array(C);
    let lo = 0;
    let hi = 0;
    let total = 0;
    for (let i = 0; i < n; i++) {
      const t = times[i] as number;
      while (hi < et.length && (et[hi] as number) <= t) {
        counts[ek[hi] as number]!++;
        total++;
        hi++;
      }
      while (lo < hi && (et[lo] as number) <= t - opts.eventWindowMs) {
        counts[ek[lo] as number]!--;
        total--;
        lo++;
      }
      const o = i * F + col;
      for (let c = 0; c < C; c++) out[o + c] = counts[c] as number;
      out[o + C] = total;
    }
    col += C + 1;
  }
  // Event counts per code in (t - 2 windows, t].
  {
    const et = asset.events.t;
    const ek = asset.events.key;
    const counts = new Int32Array(C);
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < n; i++) {
      const t = times[i] as number;
      while (hi < et.length && (et[hi] as number) <= t) counts[ek[hi++] as number]!++;
      while (lo < hi && (et[lo] as number) <= t - 2 * opts.eventWindowMs) counts[ek[lo++] as number]!--;
      out.set(counts, i * F + col);
    }
    col += C;
  }
  // Hours since the last maintenance per component, since the last failure per mode and of any mode.
  const cap = Math.min(NEVER_HOURS, opts.sinceCapHours);
  const since = (tk: { t: Float64Array; key: Int32Array }, width: number, withAny: boolean) => {
    const last = new Float64Array(width).fill(NaN);
    let lastAny = NaN;
    let p = 0;
    for (let i = 0; i < n; i++) {
      const t = times[i] as number;
      while (p < tk.t.length && (tk.t[p] as number) <= t) {
        last[tk.key[p] as number] = tk.t[p] as number;
        lastAny = tk.t[p] as number;
        p++;
      }
      const o = i * F + col;
      for (let c = 0; c < width; c++) {
        const l = last[c] as number;
        out[o + c] = Number.isNaN(l) ? cap : Math.min(cap, (t - l) / hourMs);
      }
      if (withAny) out[o + width] = Number.isNaN(lastAny) ? cap : Math.min(cap, (t - lastAny) / hourMs);
    }
    col += width + (withAny ? 1 : 0);
  };
  since(asset.events, C, false);
  since(asset.maintenance, K, false);
  since(asset.failures, Q, true);
  for (let i = 0; i < n; i++) out.set(asset.attributes, i * F + col);
  const hourOf = (t: number) => (((t % DAY_MS) + DAY_MS) % DAY_MS) / hourMs;
  if (opts.timeOfDay === true)
    for (let i = 0; i < n; i++) out[i * F + F - E - 1] = hourOf(times[i] as number);
  if (E > 0) {
    const last = new Float64Array(C).fill(NaN);
    let p = 0;
    for (let i = 0; i < n; i++) {
      const t = times[i] as number;
      while (p < asset.events.t.length && (asset.events.t[p] as number) <= t) {
        last[asset.events.key[p] as number] = asset.events.t[p] as number;
        p++;
      }
      for (let c = 0; c < C; c++) {
        const l = last[c] as number;
        out[i * F + F - E + c] = Number.isNaN(l) ? -1 : hourOf(l);
      }
    }
  }
  return out;
}
