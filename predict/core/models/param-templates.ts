// Starting parameters of each model kind for one metric: what the engineer's "new model" form fills in before
// editing (served to the browser by GET /api/meta). Each template passes checkParams for its kind.
import type { EditableKind } from './params.ts';

/** The order rules a new model starts with: order within 24 h of the predicted failure, 3 confirmations. */
export const ORDER_RULES = { horizonHours: 24, confirmations: 3, marginMinutes: 30 } as const;

export interface ParamTemplate {
  /** The field that names the metric(s) the model reads. */
  metricField: 'metric' | 'metrics' | 'sensors';
  /** Whether that field holds a list of metric names rather than one. */
  metricList: boolean;
  /** Every other field, at its starting value. */
  defaults: Record<string, unknown>;
}

const SMOOTHING = { ewmaAlpha: 0.3, windowPoints: 30, resolutionMs: 60_000 };

export const PARAM_TEMPLATES: Record<EditableKind, ParamTemplate> = {
  THRESHOLD: {
    metricField: 'metric',
    metricList: false,
    defaults: { direction: 'up', alertLevel: 0, leadHours: 4, ...SMOOTHING, ...ORDER_RULES },
  },
  ANOMALY: {
    metricField: 'metrics',
    metricList: true,
    defaults: {
      method: 'cusum',
      direction: 'up',
      cusumK: 0.5,
      cusumH: 8,
      leadHours: 4,
      baselinePoints: 60,
      ...SMOOTHING,
      ...ORDER_RULES,
    },
  },
  TREND: {
    metricField: 'metric',
    metricList: false,
    defaults: {
      failureLevel: 0,
      direction: 'up',
      shape: 'linear',
      resolutionMs: 60_000,
      windowPoints: 90,
      minPoints: 30,
      ewmaAlpha: 0.2,
      minR2: 0.7,
      ...ORDER_RULES,
    },
  },
  // an untrained health index: train it on a history before use
  LEARNED: {
    metricField: 'sensors',
    metricList: true,
    defaults: {
      settings: [],
      regimes: [{ setting: [], mean: [0], std: [1] }],
      weights: [0],
      bias: 0,
      failureLevel: 1,
      healthyLevel: 0,
      alertLevel: 0.3,
      capCycles: 125,
      rulStdCycles: 20,
      minPoints: 5,
      minR2: 0.3,
      ewmaAlpha: 1,
      windowPoints: 20,
      horizonHours: 30,
      confirmations: 3,
      marginMinutes: 0,
    },
  },
};

/** The starting parameters of a kind for one metric. */
export function paramTemplate(kind: EditableKind, metric: string): Record<string, unknown> {
  const t = PARAM_TEMPLATES[kind];
  return { [t.metricField]: t.metricList ? [metric] : metric, ...t.defaults };
}
