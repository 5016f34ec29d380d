// Streaming features of one metric of one asset, in bounded memory: an EWMA of every reading, a ring of the last
// `windowPoints` smoothed points (one per `resolutionMs`) for the rolling mean, deviation and slope, and the
// asset's own baseline (mean and deviation of its first `baselinePoints` points, then frozen), from which the
// deviation is measured. Statistics come from simple-statistics.
import {
  linearRegression,
  linearRegressionLine,
  mean,
  rSquared,
  sampleStandardDeviation,
} from 'simple-statistics';

export interface FeatureConfig {
  /** Weight of a new reading in the EWMA (0-1]. */
  ewmaAlpha: number;
  /** Smoothed points kept for the rolling statistics. */
  windowPoints: number;
  /** One smoothed point is kept per `resolutionMs` (0 or absent: every reading). */
  resolutionMs?: number;
  /** Points that learn the asset's baseline (0: no learned baseline). */
  baselinePoints?: number;
  /** A fixed baseline instead of a learned one. */
  baseline?: { mean: number; std: number };
}

export interface FeatureSnapshot {
  metric: string;
  /** Points in the window, and the time of the newest. */
  points: number;
  at: number;
  last: number;
  ewma: number;
  mean: number;
  std: number;
  /** Least-squares slope of the window per hour, and its fit. */
  slopePerHour: number;
  r2: number;
  /** The window's least-squares line at the newest point: a level with less lag than the EWMA. */
  lineEnd: number;
  baselineMean?: number;
  baselineStd?: number;
  /** The EWMA's distance from the baseline, absolute and in baseline deviations. */
  deviation?: number;
  z?: number;
}

/** Welford's running mean and variance: constant memory. */
export class RunningStats {
  n = 0;
  private m = 0;
  private s = 0;

  add(x: number): void {
    this.n++;
    const d = x - this.m;
    this.m += d / this.n;
    this.s += d * (x - this.m);
  }

  get mean(): number {
    return this.m;
  }

  get std(): number {
    return this.n > 1 ? Math.sqrt(this.s / (this.n - 1)) : 0;
  }
}

export class MetricFeatures {
  private ewmaValue: number | undefined;
  private lastRaw = Number.NEGATIVE_INFINITY;
  private lastValue = Number.NaN;
  private readonly t: number[] = [];
  private readonly v: number[] = [];
  private readonly learning = new RunningStats();
  /** Incremented whenever a point is kept: assessments that depend on the window only change then. */
  revision = 0;

  constructor(
    readonly metric: string,
    private readonly c: FeatureConfig,
  ) {}

  /** Adds a reading; returns true when it was kept as a window point. Out-of-order and duplicate readings are ignored. */
  add(at: number, value: number): boolean {
    if (!Number.isFinite(value) || at <= this.lastRaw) return false;
    this.lastRaw = at;
    this.lastValue = value;
    this.ewmaValue =
      this.ewmaValue === undefined
        ? value
        : this.c.ewmaAlpha * value + (1 - this.c.ewmaAlpha) * this.ewmaValue;
    const last = this.t.at(-1);
    if (last !== undefined && at - last < (this.c.resolutionMs ?? 0)) return false;
    this.t.push(at);
    this.v.push(this.ewmaValue);
    if (this.t.length > this.c.windowPoints) {
      this.t.shift();
      this.v.shift();
    }
    if (!this.c.baseline && this.learning.n < (this.c.baselinePoints ?? 0)) this.learning.add(this.ewmaValue);
    this.revision++;
    return true;
  }

  get size(): number {
    return this.t.length;
  }

  get ewma(): number | undefined {
    return this.ewmaValue;
  }

  /** The window's times (epoch ms) and smoothed values, oldest first (read-only views). */
  window(): { t: readonly number[]; v: readonly number[] } {
    return { t: this.t, v: this.v };
  }

  /** The baseline, once learned (or the fixed one). */
  baseline(): { mean: number; std: number } | undefined {
    if (this.c.baseline) return this.c.baseline;
    const need = this.c.baselinePoints ?? 0;
    if (need === 0 || this.learning.n < need) return undefined;
    return { mean: this.learning.mean, std: this.learning.std };
  }

  snapshot(): FeatureSnapshot | undefined {
    const n = this.t.length;
    if (n === 0 || this.ewmaValue === undefined) return undefined;
    const t0 = this.t[n - 1]!;
    let slopePerHour = 0;
    let r2 = 0;
    let lineEnd = this.ewmaValue;
    if (n >= 3) {
      const pts = this.t.map((t, i) => [(t - t0) / 3_600_000, this.v[i]!] as [number, number]);
      const fit = linearRegression(pts);
      slopePerHour = fit.m;
      lineEnd = fit.b;
      r2 = rSquared(pts, linearRegressionLine(fit));
      if (!Number.isFinite(r2)) r2 = 0;
    }
    const base = this.baseline();
    const deviation = base ? this.ewmaValue - base.mean : undefined;
    return {
      metric: this.metric,
      points: n,
      at: t0,
      last: this.lastValue,
      ewma: this.ewmaValue,
      mean: mean(this.v),
      std: n > 1 ? sampleStandardDeviation(this.v) : 0,
      slopePerHour,
      r2,
      lineEnd,
      ...(base
        ? {
            baselineMean: base.mean,
            baselineStd: base.std,
            deviation,
            z: base.std > 0 ? deviation! / base.std : undefined,
          }
        : {}),
    };
  }
}
