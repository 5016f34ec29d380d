// One interface for every model kind: readings go in, an assessment (expected failure with its band, confidence
// and the evidence: which features moved, by how much) comes out, or nothing when the model sees no risk.
import type { FeatureSnapshot } from '../features/metric-features.ts';
import type { ModelKind } from './params.ts';

export interface FeatureMove {
  metric: string;
  /** ewma, slopePerHour, baselineDeviation, rollingStd, ewmaChart, cusum, healthIndex… */
  feature: string;
  value: number;
  /** What it is compared with: the baseline, a limit or a level. */
  reference?: number;
  /** value − reference. */
  change?: number;
  /** The change in baseline deviations, where a baseline is known. */
  z?: number;
}

export interface Evidence {
  kind: ModelKind;
  /** One line for people: what the model saw. */
  summary: string;
  /** The features that moved, most telling first. */
  features: FeatureMove[];
  [detail: string]: unknown;
}

export interface Assessment {
  expectedFailureAt: Date;
  earliestAt: Date;
  latestAt: Date;
  confidence: number;
  evidence: Evidence;
}

export interface Evaluator {
  readonly kind: ModelKind;
  /** The metrics it reads. */
  readonly metrics: readonly string[];
  /** Whether its expected failure time is a remaining-useful-life estimate (scored with RMSE and the NASA score). */
  readonly rulCapable: boolean;
  /** Feeds one reading (any subset of metrics); out-of-order readings are ignored. */
  add(at: number, metrics: Readonly<Record<string, number>>): void;
  /** The current assessment, or undefined when the model sees no risk. */
  assess(): Assessment | undefined;
  /** Kinds that read the equipment's error codes (ALARM). */
  addEvent?(at: number, code: string): void;
  /** Kinds that read maintenance (a component replaced). */
  addMaintenance?(at: number, component: string): void;
  /**
   * Kinds that keep long windows: an order of the pair closed, so the current episode ends but the windows stay
   * (instead of the track starting afresh).
   */
  restart?(): void;
}

/**
 * The assessment memoised until the model's inputs change (predict asks on every reading; most readings of a
 * resampled metric change nothing). A kind says what its inputs' revision is and how to assess them.
 */
export abstract class MemoisedEvaluator {
  private cached: { revision: number; value: Assessment | undefined } | undefined;

  /** Changes whenever what `compute` reads changes. */
  protected abstract revision(): number;
  protected abstract compute(): Assessment | undefined;

  assess(): Assessment | undefined {
    const revision = this.revision();
    if (this.cached?.revision === revision) return this.cached.value;
    const value = this.compute();
    this.cached = { revision, value };
    return value;
  }
}

const round = (x: number, digits = 4) => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

/** The standard moves of one metric's features: level against the baseline, slope, spread. */
export function featureMoves(s: FeatureSnapshot): FeatureMove[] {
  const moves: FeatureMove[] = [];
  if (s.baselineMean !== undefined)
    moves.push({
      metric: s.metric,
      feature: 'baselineDeviation',
      value: round(s.ewma),
      reference: round(s.baselineMean),
      change: round(s.deviation ?? 0),
      ...(s.z !== undefined ? { z: round(s.z, 2) } : {}),
    });
  else moves.push({ metric: s.metric, feature: 'ewma', value: round(s.ewma) });
  if (s.points >= 3)
    moves.push({ metric: s.metric, feature: 'slopePerHour', value: round(s.slopePerHour), reference: 0 });
  if (s.baselineStd !== undefined && s.baselineStd > 0 && s.points > 1)
    moves.push({
      metric: s.metric,
      feature: 'rollingStd',
      value: round(s.std),
      reference: round(s.baselineStd),
      change: round(s.std - s.baselineStd),
    });
  return moves;
}

export { round as roundTo };
