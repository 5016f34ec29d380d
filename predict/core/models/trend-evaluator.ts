// The TREND kind: degradation trend of one metric to its failure level (core/trend-model.ts), giving a
// remaining-useful-life estimate with a band.
import { TrendState, type TrendParams } from '../trend-model.ts';
import { featureMoves, roundTo, type Assessment, type Evaluator } from './evaluator.ts';

export class TrendEvaluator implements Evaluator {
  readonly kind = 'TREND' as const;
  readonly rulCapable = true;
  readonly metrics: readonly string[];
  private readonly state: TrendState;
  private cached: { revision: number; value: Assessment | undefined } | undefined;

  constructor(private readonly p: TrendParams) {
    this.metrics = [p.metric];
    this.state = new TrendState(p);
  }

  add(at: number, metrics: Readonly<Record<string, number>>): void {
    const v = metrics[this.p.metric];
    if (v !== undefined) this.state.add(new Date(at), v);
  }

  assess(): Assessment | undefined {
    const revision = this.state.features.revision;
    if (this.cached?.revision === revision) return this.cached.value;
    const est = this.state.estimate();
    let value: Assessment | undefined;
    if (est) {
      const snap = this.state.features.snapshot()!;
      const e = est.evidence;
      const hours = (est.expectedFailureAt.getTime() - snap.at) / 3_600_000;
      value = {
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
    this.cached = { revision, value };
    return value;
  }
}
