// The THRESHOLD kind: the smoothed metric past an alert level means failure within a lead time learned from
// experience; the closer it is to the failure level (when known), the sooner and the more confident.
import { MetricFeatures } from '../features/metric-features.ts';
import { featureMoves, MemoisedEvaluator, roundTo, type Assessment, type Evaluator } from './evaluator.ts';
import type { ThresholdParams } from './params.ts';

const HOUR = 3_600_000;

export class ThresholdEvaluator extends MemoisedEvaluator implements Evaluator {
  readonly kind = 'THRESHOLD' as const;
  readonly rulCapable = false;
  readonly metrics: readonly string[];
  private readonly features: MetricFeatures;

  constructor(private readonly p: ThresholdParams) {
    super();
    this.metrics = [p.metric];
    this.features = new MetricFeatures(p.metric, {
      ewmaAlpha: p.ewmaAlpha,
      windowPoints: p.windowPoints,
      resolutionMs: p.resolutionMs,
      baselinePoints: p.baselinePoints ?? 30,
    });
  }

  add(at: number, metrics: Readonly<Record<string, number>>): void {
    const v = metrics[this.p.metric];
    if (v !== undefined) this.features.add(at, v);
  }

  protected revision(): number {
    return this.features.revision;
  }

  protected compute(): Assessment | undefined {
    const p = this.p;
    const s = this.features.snapshot();
    if (!s) return undefined;
    const sign = p.direction === 'up' ? 1 : -1;
    const past = sign * (s.ewma - p.alertLevel);
    if (past < 0) return undefined;
    const failed = p.failureLevel !== undefined && sign * (s.ewma - p.failureLevel) >= 0;
    const progress =
      p.failureLevel === undefined ? 0 : Math.min(1, past / Math.abs(p.failureLevel - p.alertLevel));
    const hoursLeft = failed ? 0 : p.leadHours * (1 - progress);
    const at = (h: number) => new Date(s.at + Math.min(h, p.horizonHours * 10) * HOUR);
    return {
      expectedFailureAt: at(hoursLeft),
      earliestAt: at(hoursLeft * 0.5),
      latestAt: at(failed ? 0 : hoursLeft * 1.5 + 0.1 * p.leadHours),
      confidence: failed ? 0.99 : roundTo(0.5 + 0.45 * progress, 3),
      evidence: {
        kind: 'THRESHOLD',
        summary: `${p.metric} ${roundTo(s.ewma, 3)} past the alert level ${p.alertLevel}${
          p.failureLevel !== undefined
            ? ` (${Math.round(progress * 100)}% of the way to ${p.failureLevel})`
            : ''
        }`,
        features: [
          {
            metric: p.metric,
            feature: 'level',
            value: roundTo(s.ewma),
            reference: p.alertLevel,
            change: roundTo(s.ewma - p.alertLevel),
          },
          ...featureMoves(s),
        ],
        metric: p.metric,
        smoothed: roundTo(s.ewma),
        alertLevel: p.alertLevel,
        failureLevel: p.failureLevel ?? null,
      },
    };
  }
}
