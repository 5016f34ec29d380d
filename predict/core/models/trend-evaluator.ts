// The TREND kind: degradation trend of one metric to its failure level (core/trend-model.ts), giving a
// remaining-useful-life estimate with a band.
import { TrendState, type TrendParams } from '../trend-model.ts';
import { featureMoves, MemoisedEvaluator, roundTo, type Assessment, type Evaluator } from './evaluator.ts';

export class TrendEvaluator extends MemoisedEvaluator implements Evaluator {
  readonly kind = 'TREND' as const;
  readonly rulCapable = true;
  readonly metrics: readonly string[];
  private readonly state: TrendState;

  constructor(private readonly p: TrendParams) {
    super();
    this.metrics = [p.metric];
    this.state = new TrendState(p);
  }

  add(at: number, metrics: Readonly<Record<string, number>>): void {
    const v = metrics[this.p.metric];
    if (v !== undefined) this.state.add(new Date(at), v);
  }

  protected revision(): number {
    return this.state.features.revision;
  }

  protected compute(): Assessment | undefined {
    const est = this.state.estimate();
    if (!est) return undefined;
    const snap = this.state.features.snapshot()!;
    const e = est.evidence;
    const hours = (est.expectedFailureAt.getTime() - snap.at) / 3_600_000;
    return {
      ...est,
      evidence: {
        kind: 'TREND',
        summary: `${e.metric} ${roundTo(e.smoothed, 3)} trending ${e.slopePerHour >= 0 ? '+' : ''}${roundTo(
          e.slopePerHour,
          3,
        )}/h (R² ${roundTo(e.r2, 2)}) to ${e.failureLevel} in ${roundTo(hours, 1)} h`,
        features: [
          {
            metric: e.metric,
            feature: 'level',
            value: roundTo(e.smoothed),
            reference: e.failureLevel,
            change: roundTo(e.smoothed - e.failureLevel),
          },
          ...featureMoves(snap),
        ],
        ...e,
      },
    };
  }
}
