// Degradation trend to a failure level: an EWMA-smoothed health metric, a least-squares line over a bounded
// window (of the metric, or of the log of its excess over the healthy baseline for exponential wear), and the
// time at which the line reaches the failure level, with a band from the slope's standard error.
import { linearRegression, rSquared, linearRegressionLine } from 'simple-statistics';
import { MetricFeatures } from './features/metric-features.ts';

export interface TrendParams {
  metric: string;
  failureLevel: number;
  direction: 'up' | 'down';
  /** linear: the metric itself trends; exponential: its excess over `baseline` grows exponentially (wear). */
  shape?: 'linear' | 'exponential';
  /** Healthy level of the metric (for the exponential shape). */
  baseline?: number;
  /** The smoothed metric must be past this level before a trend counts (keeps daily cycles from alarming). */
  alertLevel?: number;
  /** One smoothed point is kept per `resolutionMs` (default: every reading), `windowPoints` of them. */
  resolutionMs?: number;
  windowPoints: number;
  minPoints: number;
  ewmaAlpha: number;
  minR2: number;
  horizonHours: number;
  confirmations: number;
  marginMinutes: number;
  /** Points that learn the asset's own baseline, for the evidence (default: 30). */
  baselinePoints?: number;
  /** Consecutive quiet evaluations before an open order is flagged as risk cleared (default 30). */
  clearAfter?: number;
}

export interface TrendEstimate {
  expectedFailureAt: Date;
  earliestAt: Date;
  latestAt: Date;
  confidence: number;
  evidence: {
    metric: string;
    smoothed: number;
    slopePerHour: number;
    r2: number;
    failureLevel: number;
    points: number;
    shape: string;
  };
}

/** Bounded per-series state: the metric's streaming features (EWMA and a ring of `windowPoints` smoothed points). */
export class TrendState {
  readonly features: MetricFeatures;

  constructor(private readonly p: TrendParams) {
    this.features = new MetricFeatures(p.metric, {
      ewmaAlpha: p.ewmaAlpha,
      windowPoints: p.windowPoints,
      resolutionMs: p.resolutionMs,
      baselinePoints: p.baselinePoints ?? Math.min(p.windowPoints, 30),
    });
  }

  add(ts: Date, value: number): boolean {
    return this.features.add(ts.getTime(), value);
  }

  get size(): number {
    return this.features.size;
  }

  /** The expected failure, or undefined when there is no credible trend towards the failure level. */
  estimate(): TrendEstimate | undefined {
    const p = this.p;
    const { t, v } = this.features.window();
    const n = t.length;
    if (n < p.minPoints) return undefined;
    const t0 = t[n - 1]!;
    const sign = p.direction === 'up' ? 1 : -1;
    const exponential = p.shape === 'exponential';
    const base = p.baseline ?? 0;
    const floor = 0.01 * Math.abs(p.failureLevel - base);
    const f = (y: number) => (exponential ? Math.log(Math.max(sign * (y - base), floor)) : sign * y);
    const pts = t.map((ti, i) => [(ti - t0) / 3_600_000, f(v[i]!)] as [number, number]);
    const level = f(p.failureLevel);
    const fit = linearRegression(pts);
    const r2 = rSquared(pts, linearRegressionLine(fit));
    const now = fit.b; // fitted value at t0 (x = 0)
    const evidence = {
      metric: p.metric,
      smoothed: v[n - 1]!,
      slopePerHour: sign * fit.m,
      r2,
      failureLevel: p.failureLevel,
      points: n,
      shape: p.shape ?? 'linear',
    };
    if (sign * v[n - 1]! >= sign * p.failureLevel) {
      const at = new Date(t0);
      return { expectedFailureAt: at, earliestAt: at, latestAt: at, confidence: 0.99, evidence };
    }
    if (p.alertLevel !== undefined && sign * v[n - 1]! < sign * p.alertLevel) return undefined;
    if (fit.m <= 0 || !(r2 >= p.minR2)) return undefined;
    const meanX = pts.reduce((s, [x]) => s + x, 0) / n;
    const sxx = pts.reduce((s, [x]) => s + (x - meanX) ** 2, 0);
    const sse = pts.reduce((s, [x, y]) => s + (y - (fit.m * x + fit.b)) ** 2, 0);
    const se = n > 2 && sxx > 0 ? Math.sqrt(sse / (n - 2) / sxx) : 0;
    const hours = (level - now) / fit.m;
    const fast = fit.m + 2 * se;
    const slow = fit.m - 2 * se;
    // a fitted line already past the failure level (the last point is not) means: imminent, not in the past
    const at = (h: number) => new Date(t0 + Math.max(0, Math.min(h, 10 * p.horizonHours)) * 3_600_000);
    return {
      expectedFailureAt: at(hours),
      earliestAt: at((level - now) / fast),
      latestAt: at(slow > 0 ? (level - now) / slow : 10 * p.horizonHours),
      confidence: Math.max(0, Math.min(0.99, r2 * (1 - Math.min(1, se / fit.m)))),
      evidence,
    };
  }
}
