// The evaluator of a model version, by its kind. Parameters are checked when a version is created
// (params.ts); here they are trusted.
import type { TrendParams } from '../trend-model.ts';
import { AlarmEvaluator } from './alarm-evaluator.ts';
import { AnomalyEvaluator } from './anomaly-evaluator.ts';
import type { Evaluator } from './evaluator.ts';
import { LearnedEvaluator } from './learned-evaluator.ts';
import type { AlarmParams, AnomalyParams, LearnedParams, ModelKind, ThresholdParams } from './params.ts';
import { ThresholdEvaluator } from './threshold-evaluator.ts';
import { TrendEvaluator } from './trend-evaluator.ts';

export function createEvaluator(kind: ModelKind, params: unknown): Evaluator {
  switch (kind) {
    case 'TREND':
      return new TrendEvaluator(params as TrendParams);
    case 'THRESHOLD':
      return new ThresholdEvaluator(params as ThresholdParams);
    case 'ANOMALY':
      return new AnomalyEvaluator(params as AnomalyParams);
    case 'LEARNED':
      return new LearnedEvaluator(params as LearnedParams);
    case 'ALARM':
      return new AlarmEvaluator(params as AlarmParams);
  }
}

/** What every kind's parameters share: the order rules. */
export interface OrderRules {
  horizonHours: number;
  confirmations: number;
  marginMinutes: number;
  clearAfter?: number;
}

export const orderRules = (params: unknown): OrderRules => {
  const p = params as OrderRules;
  return {
    horizonHours: p.horizonHours,
    confirmations: p.confirmations,
    marginMinutes: p.marginMinutes,
    clearAfter: p.clearAfter,
  };
};

export const DEFAULT_CLEAR_AFTER = 30;
