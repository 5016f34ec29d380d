/**
 * The alarm model's windowed features of one asset, kept incrementally on the live stream: one telemetry step
 * at a time (O(window) per step, bounded memory), the same row `assetFeatures` (features.ts) computes for that
 * step of the whole history. Error codes, maintenance and failures may arrive at any time; only those at or
 * before a step's time count for it. The feature code itself stays in features.ts: if its layout ever differs
 * from the one this file computes (the names differ), the window keeps a bounded history and calls
 * `assetFeatures` on it instead (exact while the history fits in `maxSteps`). Pure.
 */
import { assetFeatures, featureNames, NEVER_HOURS, type FeatureOptions } from './features.ts';
import type { AssetHistory, FleetHistory } from './history.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** What a trained model's features are made of (the history's names, its step and the feature options). */
export interface AlarmFeatureSpec {
  metrics: string[];
  codes: string[];
  components: string[];
  modes: string[];
  attributeNames: string[];
  stepMs: number;
  featureOptions: FeatureOptions;
}

const fleetOf = (s: AlarmFeatureSpec): FleetHistory => ({ ...s, assets: [] });

const trendOf = (o: FeatureOptions) => o.trendSteps ?? 3 * o.longSteps;

/** The feature names in the layout this file computes (features.ts's layout as of this file). */
function incrementalNames(s: AlarmFeatureSpec): string[] {
  const o = s.featureOptions;
  const names: string[] = [];
  const tw = trendOf(o);
  for (const m of s.metrics) {
    for (const [w, steps] of [
      ['short', o.shortSteps],
      ['long', o.longSteps],
    ] as const)
      for (const f of ['mean', 'std', 'slope']) names.push(`${m}.${f}.${w}${steps}`);
    names.push(`${m}.dev.long${o.longSteps}`, `${m}.dev.short${o.shortSteps}`);
    names.push(`${m}.z.long${o.longSteps}`, `${m}.z.short${o.shortSteps}`, `${m}.z.trend${tw}`);
    names.push(`${m}.slope.trend${tw}`);
  }
  for (const c of s.codes) names.push(`events.${c}.24h`);
  names.push('events.all.24h');
  for (const c of s.codes) names.push(`events.${c}.48h`);
  for (const c of s.codes) names.push(`hoursSinceEvent.${c}`);
  if (o.maintenanceFeatures !== false) for (const c of s.components) names.push(`hoursSinceMaintenance.${c}`);
  for (const m of s.modes) names.push(`hoursSinceFailure.${m}`);
  names.push('hoursSinceAnyFailure');
  for (const a of s.attributeNames) names.push(`attr.${a}`);
  if (o.timeOfDay === true) names.push('time.hourOfDay');
  if (o.eventHourOfDay === true) for (const c of s.codes) names.push(`eventHourOfDay.${c}`);
  return names;
}

/** Sum, sum of squares and count of a metric's values. */
interface Sums {
  sum: number;
  sq: number;
  n: number;
}

/** Times of one kind of record, per key (code, component or mode), ascending. */
class TimedRecords {
  private readonly times: number[][];
  constructor(width: number) {
    this.times = Array.from({ length: width }, () => []);
  }
  /** Adds a record; the same key at the same time again is the same record (a redelivery, a reload). */
  add(key: number, t: number): void {
    const list = this.times[key] as number[];
    let i = list.length;
    while (i > 0 && (list[i - 1] as number) > t) i--;
    if (i > 0 && list[i - 1] === t) return;
    list.splice(i, 0, t);
  }
  /** Records of `key` in (from, to]. */
  count(key: number, from: number, to: number): number {
    let c = 0;
    for (const x of this.times[key] as number[]) if (x > from && x <= to) c++;
    return c;
  }
  /** The last record of `key` at or before `t` (NaN: none). */
  last(key: number, t: number): number {
    const list = this.times[key] as number[];
    for (let i = list.length - 1; i >= 0; i--) if ((list[i] as number) <= t) return list[i] as number;
    return NaN;
  }
  /** Forgets records before `t`, keeping the last one of each key (for hours-since). */
  prune(t: number): void {
    for (const list of this.times) {
      let drop = 0;
      while (drop + 1 < list.length && (list[drop + 1] as number) < t) drop++;
      if (drop > 0) list.splice(0, drop);
    }
  }
  /** All records as the batch's arrays (time order). */
  columns(): { t: Float64Array; key: Int32Array } {
    const all: [number, number][] = [];
    this.times.forEach((l, k) => l.forEach((t) => all.push([t, k])));
    all.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    return { t: Float64Array.from(all, (x) => x[0]), key: Int32Array.from(all, (x) => x[1]) };
  }
}

export class LiveFeatureWindow {
  readonly names: string[];
  /** Whether the row is computed incrementally (else from the kept history by `assetFeatures`). */
  readonly incremental: boolean;
  private readonly M: number;
  private readonly F: number;
  private readonly ring: Float64Array[];
  private readonly ringSize: number;
  private readonly beforeLong: Sums[];
  private readonly beforeTrend: Sums[];
  private readonly last: Float64Array;
  private readonly codeIndex: Map<string, number>;
  private readonly componentIndex: Map<string, number>;
  private readonly modeIndex: Map<string, number>;
  private readonly events: TimedRecords;
  private readonly maintenance: TimedRecords;
  private readonly failures: TimedRecords;
  /** Fallback only: the kept history. */
  private readonly keptTimes: number[] = [];
  private readonly keptValues: number[] = [];
  private n = 0;
  private lastT = -Infinity;

  constructor(
    private readonly spec: AlarmFeatureSpec,
    private readonly attributes: Float32Array = new Float32Array(spec.attributeNames.length).fill(NaN),
    /** Fallback only: steps kept (default 90 days). */
    private readonly maxSteps = Math.ceil((90 * 24 * HOUR) / spec.stepMs),
  ) {
    const o = spec.featureOptions;
    this.names = featureNames(fleetOf(spec), o);
    this.incremental = this.names.join('\n') === incrementalNames(spec).join('\n');
    this.M = spec.metrics.length;
    this.F = this.names.length;
    this.ringSize = Math.max(o.shortSteps, o.longSteps, trendOf(o)) + 1;
    this.ring = spec.metrics.map(() => new Float64Array(this.ringSize));
    this.beforeLong = spec.metrics.map(() => ({ sum: 0, sq: 0, n: 0 }));
    this.beforeTrend = spec.metrics.map(() => ({ sum: 0, sq: 0, n: 0 }));
    this.last = new Float64Array(this.M).fill(NaN);
    const index = (xs: string[]) => new Map(xs.map((x, i) => [x, i]));
    this.codeIndex = index(spec.codes);
    this.componentIndex = index(spec.components);
    this.modeIndex = index(spec.modes);
    this.events = new TimedRecords(spec.codes.length);
    this.maintenance = new TimedRecords(spec.components.length);
    this.failures = new TimedRecords(spec.modes.length);
  }

  /** Steps seen so far. */
  get steps(): number {
    return this.n;
  }

  /** An error code (codes the model does not know are ignored: it has no feature for them). */
  addEvent(t: number, code: string): void {
    const k = this.codeIndex.get(code);
    if (k !== undefined) this.events.add(k, t);
  }

  addMaintenance(t: number, component: string): void {
    const k = this.componentIndex.get(component);
    if (k !== undefined) this.maintenance.add(k, t);
  }

  addFailure(t: number, mode: string): void {
    const k = this.modeIndex.get(mode);
    if (k !== undefined) this.failures.add(k, t);
  }

  /**
   * One telemetry step (its time after the last one's; values in the spec's metric order, NaN where missing:
   * the last value is carried forward). Returns its feature row, or undefined while a metric has had no value.
   */
  pushStep(t: number, values: ArrayLike<number>): Float32Array | undefined {
    if (!(t > this.lastT)) return undefined;
    const row = new Float64Array(this.M);
    for (let j = 0; j < this.M; j++) {
      const v = values[j] as number;
      if (v !== undefined && Number.isFinite(v)) this.last[j] = Math.fround(v);
      row[j] = this.last[j] as number;
    }
    if (row.some((v) => Number.isNaN(v))) return undefined;
    this.lastT = t;
    const i = this.n++;
    if (!this.incremental) return this.fromKept(t, row);
    const o = this.spec.featureOptions;
    const T = trendOf(o);
    const out = new Float32Array(this.F);
    const stepH = this.spec.stepMs / HOUR;
    for (let j = 0; j < this.M; j++) {
      const ring = this.ring[j] as Float64Array;
      ring[i % this.ringSize] = row[j] as number;
      const at = (k: number) => ring[k % this.ringSize] as number;
      // values leaving the long and trend windows join what lies before them
      const join = (s: Sums, w: number) => {
        if (i - w < 0) return;
        const v = at(i - w);
        s.sum += v;
        s.sq += v * v;
        s.n++;
      };
      join(this.beforeLong[j] as Sums, o.longSteps);
      join(this.beforeTrend[j] as Sums, T);
      const window = (w: number) => {
        const a = Math.max(0, i - w + 1);
        const cnt = i - a + 1;
        let sum = 0;
        let sq = 0;
        for (let k = a; k <= i; k++) {
          const v = at(k);
          sum += v;
          sq += v * v;
        }
        const mean = sum / cnt;
        let slope = 0;
        if (cnt > 1) {
          const xm = (a + i) / 2;
          let sxy = 0;
          for (let k = a; k <= i; k++) sxy += (k - xm) * at(k);
          slope = sxy / ((cnt * (cnt * cnt - 1)) / 12) / stepH;
        }
        return { mean, std: Math.sqrt(Math.max(0, sq / cnt - mean * mean)), slope };
      };
      const base = j * 12;
      const s = window(o.shortSteps);
      const l = window(o.longSteps);
      out[base] = s.mean;
      out[base + 1] = s.std;
      out[base + 2] = s.slope;
      out[base + 3] = l.mean;
      out[base + 4] = l.std;
      out[base + 5] = l.slope;
      const bl = this.beforeLong[j] as Sums;
      const a = bl.n;
      const baseline = a > 0 ? bl.sum / a : NaN;
      out[base + 6] = a > 0 ? l.mean - baseline : 0;
      out[base + 7] = a > 0 ? s.mean - baseline : 0;
      const bsd = a > 1 ? Math.sqrt(Math.max(0, bl.sq / a - baseline * baseline)) : 0;
      out[base + 8] = bsd > 0 ? (l.mean - baseline) / bsd : 0;
      out[base + 9] = bsd > 0 ? (s.mean - baseline) / bsd : 0;
      const tr = window(T);
      const bt = this.beforeTrend[j] as Sums;
      if (bt.n > 1) {
        const tb = bt.sum / bt.n;
        const tsd = Math.sqrt(Math.max(0, bt.sq / bt.n - tb * tb));
        out[base + 10] = tsd > 0 ? (tr.mean - tb) / tsd : 0;
      } else out[base + 10] = 0;
      out[base + 11] = tr.slope;
    }
    let col = this.M * 12;
    const C = this.spec.codes.length;
    const W = o.eventWindowMs;
    let total = 0;
    for (let c = 0; c < C; c++) {
      const k = this.events.count(c, t - W, t);
      out[col + c] = k;
      total += k;
    }
    out[col + C] = total;
    col += C + 1;
    for (let c = 0; c < C; c++) out[col + c] = this.events.count(c, t - 2 * W, t);
    col += C;
    const cap = Math.min(NEVER_HOURS, o.sinceCapHours);
    const since = (l: number) => (Number.isNaN(l) ? cap : Math.min(cap, (t - l) / HOUR));
    for (let c = 0; c < C; c++) out[col + c] = since(this.events.last(c, t));
    col += C;
    if (o.maintenanceFeatures !== false) {
      for (let c = 0; c < this.spec.components.length; c++) out[col + c] = since(this.maintenance.last(c, t));
      col += this.spec.components.length;
    }
    let lastAny = NaN;
    for (let q = 0; q < this.spec.modes.length; q++) {
      const l = this.failures.last(q, t);
      out[col + q] = since(l);
      if (!Number.isNaN(l) && !(l <= lastAny)) lastAny = l;
    }
    col += this.spec.modes.length;
    out[col++] = since(lastAny);
    out.set(this.attributes, col);
    col += this.attributes.length;
    const hourOf = (x: number) => (((x % DAY) + DAY) % DAY) / HOUR;
    if (o.timeOfDay === true) out[col++] = hourOf(t);
    if (o.eventHourOfDay === true)
      for (let c = 0; c < C; c++) {
        const l = this.events.last(c, t);
        out[col + c] = Number.isNaN(l) ? -1 : hourOf(l);
      }
    // only the last two event windows matter for counts; hours-since keeps each key's last record
    this.events.prune(t - 2 * W);
    this.maintenance.prune(t);
    this.failures.prune(t);
    return out;
  }

  /** Fallback: the last row of `assetFeatures` over the kept history. */
  private fromKept(t: number, row: Float64Array): Float32Array {
    this.keptTimes.push(t);
    for (const v of row) this.keptValues.push(v);
    if (this.keptTimes.length > this.maxSteps) {
      this.keptTimes.shift();
      this.keptValues.splice(0, this.M);
    }
    const asset: AssetHistory = {
      id: 'live',
      times: Float64Array.from(this.keptTimes),
      values: Float32Array.from(this.keptValues),
      events: this.events.columns(),
      failures: this.failures.columns(),
      maintenance: this.maintenance.columns(),
      attributes: this.attributes,
    };
    const all = assetFeatures(asset, fleetOf(this.spec), this.spec.featureOptions);
    return all.slice(all.length - this.F);
  }
}
