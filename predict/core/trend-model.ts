// Degradation trend to a failure level: an EWMA-smoothed health metric, a least-squares line over a bounded
// window (of the metric, or of the log of its excess over the healthy baseline for exponential wear), and the
// time at which the line reaches the failure level, with a band from the slope's standard error.
import { linearRegression, rSquared, linearRegressionLine } from 'simple-statistics';

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
}

export interface TrendEstimate {
  expectedFailureAt: Date;
  earliestAt: Date;
  latestAt: Date;
  confidence: number;
  evidence: { metric: string; smoothed: number; slopePerHour: number; r2: number; failureLevel: number; points: number; shape: string };
}

/** Bounded per-series state: the EWMA and a ring of the last `windowPoints` smoothed values. */
export class TrendState {
  private ewma: number | undefined;
  private lastRaw = Number.NEGATIVE_INFINITY;
  private readonly t: number[] = [];
  private readonly v: number[] = [];

  constructor(private readonly p: TrendParams) {}

  add(ts: Date, value: number): void {
    const at = ts.getTime();
    if (at <= this.lastRaw) return; // out-of-order or duplicate reading
    this.lastRaw = at;
    this.ewma = this.ewma === undefined ? value : this.p.ewmaAlpha * value + (1 - this.p.ewmaAlpha) * this.ewma;
    const last = this.t.at(-1);
    if (last !== undefined && at - last < (this.p.resolutionMs ?? 0)) return;
    this.t.push(at);
    this.v.push(this.ewma);
    if (this.t.length > this.p.windowPoints) {
      this.t.shift();
      this.v.shift();
    }
  }

  get size(): number {
    return this.t.length;
  }

  /** The expected failure, or undefined when there is no credible trend towards the failure level. */
  estimate(): TrendEstimate | undefined {
    const p = this.p;
    const n = this.t.length;
    if (n < p.minPoints) return undefined;
    const t0 = this.t[n - 1]!;
    const sign = p.direction === 'up' ? 1 : -1;
    const exponential = p.shape === 'exponential';
    const base = p.baseline ?? 0;
    const floor = 0.01 * Math.abs(p.failureLevel - base);
    const f = (y: number) => (exponential ? Math.log(Math.max(sign * (y - base), floor)) : sign * y);
    const pts = this.t.map((t, i) => [(t - t0) / 3_600_000, f(this.v[i]!)] as [number, number]);
    const level = f(p.failureLevel);
    const fit = linearRegression(pts);
    const r2 = rSquared(pts, linearRegressionLine(fit));
    const now = fit.b; // fitted value at t0 (x = 0)
    const evidence = { metric: p.metric, smoothed: this.v[n - 1]!, slopePerHour: sign * fit.m, r2, failureLevel: p.failureLevel, points: n, shape: p.shape ?? 'linear' };
    if (sign * this.v[n - 1]! >= sign * p.failureLevel) {
      const at = new Date(t0);
      return { expectedFailureAt: at, earliestAt: at, latestAt: at, confidence: 0.99, evidence };
    }
    if (p.alertLevel !== undefined && sign * this.v[n - 1]! < sign * p.alertLevel) return undefined;
    if (fit.m <= 0 || !(r2 >= p.minR2)) return undefined;
    const meanX = pts.reduce((s, [x]) => s + x, 0) / n;
    const sxx = pts.reduce((s, [x]) => s + (x - meanX) ** 2, 0);
    const sse = pts.reduce((s, [x, y]) => s + (y - (fit.m * x + fit.b)) ** 2, 0);
    const se = n > 2 && sxx > 0 ? Math.sqrt(sse / (n - 2) / sxx) : 0;
    const hours = (level - now) / fit.m;
    const fast = fit.m + 2 * se;
    const slow = fit.m - 2 * se;
    const at = (h: number) => new Date(t0 + Math.min(h, 10 * p.horizonHours) * 3_600_000);
    return {
      expectedFailureAt: at(hours),
      earliestAt: at((level - now) / fast),
      latestAt: at(slow > 0 ? (level - now) / slow : 10 * p.horizonHours),
      confidence: Math.max(0, Math.min(0.99, r2 * (1 - Math.min(1, se / fit.m)))),
      evidence,
    };
  }
}
