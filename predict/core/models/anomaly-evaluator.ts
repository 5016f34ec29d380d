// The ANOMALY kind: statistical process control against the asset's own baseline. Each metric learns its
// in-control mean and deviation from its first `baselinePoints` points; after that every kept point is
// standardised (z) and fed to an EWMA control chart (Roberts 1959: e = λz + (1−λ)e, limit L·√(λ/(2−λ))) or a
// tabular CUSUM (Page 1954: S⁺ = max(0, S⁺ + z − k), signal at S⁺ > h). An out-of-control signal means failure
// within `leadHours`, learned from experience (and checked with backtests).
import { MetricFeatures } from '../features/metric-features.ts';
import {
  featureMoves,
  MemoisedEvaluator,
  roundTo,
  type Assessment,
  type Evaluator,
  type FeatureMove,
} from './evaluator.ts';
import type { AnomalyParams } from './params.ts';

const HOUR = 3_600_000;

interface Chart {
  features: MetricFeatures;
  ewma: number;
  up: number;
  down: number;
  /** Chart statistic relative to its limit: ≥ 1 is out of control (signed: + above, − below). */
  stat: number;
}

export class AnomalyEvaluator extends MemoisedEvaluator implements Evaluator {
  readonly kind = 'ANOMALY' as const;
  readonly rulCapable = false;
  readonly metrics: readonly string[];
  private readonly charts = new Map<string, Chart>();
  /** Points charted so far: the assessment changes only with them. */
  private charted = 0;
  private readonly lambda: number;
  private readonly limit: number;
  private readonly k: number;
  private readonly h: number;

  constructor(private readonly p: AnomalyParams) {
    super();
    this.metrics = [...p.metrics];
    this.lambda = p.lambda ?? 0.2;
    this.limit = (p.limitSigma ?? 3) * Math.sqrt(this.lambda / (2 - this.lambda));
    this.k = p.cusumK ?? 0.5;
    this.h = p.cusumH ?? 5;
    for (const m of p.metrics)
      this.charts.set(m, {
        features: new MetricFeatures(m, {
          ewmaAlpha: p.ewmaAlpha,
          windowPoints: p.windowPoints,
          resolutionMs: p.resolutionMs,
          baselinePoints: p.baselinePoints,
        }),
        ewma: 0,
        up: 0,
        down: 0,
        stat: 0,
      });
  }

  add(at: number, metrics: Readonly<Record<string, number>>): void {
    for (const [m, c] of this.charts) {
      const v = metrics[m];
      if (v === undefined || !c.features.add(at, v)) continue;
      const base = c.features.baseline();
      // the points that learned the baseline are not charted
      if (!base || c.features.revision <= this.p.baselinePoints) continue;
      const z = (c.features.ewma! - base.mean) / Math.max(base.std, this.p.minStd ?? 0, 1e-9);
      if (this.p.method === 'ewma') {
        c.ewma = this.lambda * z + (1 - this.lambda) * c.ewma;
        c.stat = c.ewma / this.limit;
      } else {
        c.up = Math.max(0, c.up + z - this.k);
        c.down = Math.max(0, c.down - z - this.k);
        c.stat = c.up >= c.down ? c.up / this.h : -c.down / this.h;
      }
      this.charted++;
    }
  }

  private signal(c: Chart): number {
    const d = this.p.direction;
    if (d === 'up') return Math.max(0, c.stat);
    if (d === 'down') return Math.max(0, -c.stat);
    return Math.abs(c.stat);
  }

  protected revision(): number {
    return this.charted;
  }

  protected compute(): Assessment | undefined {
    const p = this.p;
    const out = [...this.charts.values()].filter((c) => this.signal(c) >= 1);
    if (out.length === 0) return undefined;
    const worst = Math.max(...out.map((c) => this.signal(c)));
    const at = Math.max(...out.map((c) => c.features.window().t.at(-1) ?? 0));
    const chartMoves: FeatureMove[] = out
      .sort((a, b) => this.signal(b) - this.signal(a))
      .map((c) => {
        const raw = p.method === 'ewma' ? c.ewma : c.stat >= 0 ? c.up : c.down;
        const lim = p.method === 'ewma' ? this.limit : this.h;
        return {
          metric: c.features.metric,
          feature: p.method === 'ewma' ? 'ewmaChart' : 'cusum',
          value: roundTo(raw),
          reference: roundTo(lim),
          change: roundTo(Math.abs(raw) - lim),
        };
      });
    const moves = out.flatMap((c) => {
      const s = c.features.snapshot();
      return s ? featureMoves(s) : [];
    });
    const lead = p.leadHours;
    const time = (h: number) => new Date(at + h * HOUR);
    return {
      expectedFailureAt: time(lead),
      earliestAt: time(lead * 0.25),
      latestAt: time(lead * 2),
      confidence: roundTo(Math.min(0.95, 1 - 0.5 * Math.exp(-(worst - 1))), 3),
      evidence: {
        kind: 'ANOMALY',
        summary: `${out.map((c) => c.features.metric).join(', ')} out of control (${
          p.method === 'ewma' ? 'EWMA chart' : 'CUSUM'
        } at ${roundTo(worst, 2)}× its limit)`,
        features: [...chartMoves, ...moves],
        method: p.method,
        metrics: out.map((c) => c.features.metric),
        signal: roundTo(worst, 3),
      },
    };
  }
}
