// Trains the LEARNED kind's parameters from run-to-failure histories: the health index (health-index.ts), its
// failure and alert levels, and the trend settings that follow it.
import type { LearnedParams } from '../params.ts';
import { trainHealthIndex, type HealthIndexTraining, type RunToFailure } from './health-index.ts';

export interface LearnedTraining {
  params: LearnedParams;
  training: Omit<HealthIndexTraining, 'model'>;
}

export const LEARNED_DEFAULTS = {
  horizonHours: 125,
  confirmations: 3,
  marginMinutes: 0,
  ewmaAlpha: 1,
  windowPoints: 20,
  minPoints: 5,
  minR2: 0.3,
};

export function trainLearned(
  units: readonly RunToFailure[],
  o: {
    settings: string[];
    sensors: string[];
    /** RUL cap of the wear target, in cycles (readings). */
    cap: number;
    lambda?: number;
    /** How far above its healthy mean (in healthy deviations) the index must be before a trend counts. */
    alertSigma?: number;
    source: string;
    trainedAt: Date;
    overrides?: Partial<typeof LEARNED_DEFAULTS> & {
      resolutionMs?: number;
      clearAfter?: number;
      estimator?: 'level' | 'trend';
      cycleMs?: number;
    };
  },
): LearnedTraining {
  const t = trainHealthIndex(units, o);
  const alert = Math.min(
    t.healthyMean + (o.alertSigma ?? 2) * t.healthyStd,
    t.healthyMean + 0.5 * (t.failureLevel - t.healthyMean),
  );
  const round = (x: number) => Math.round(x * 1e6) / 1e6;
  const { model, ...training } = t;
  return {
    params: {
      sensors: model.sensors,
      settings: model.settings,
      regimes: model.regimes.map((r) => ({
        setting: r.setting.map(round),
        mean: r.mean.map(round),
        std: r.std.map(round),
      })),
      weights: model.weights.map(round),
      bias: round(model.bias),
      failureLevel: round(t.failureLevel),
      healthyLevel: round(t.healthyMean),
      alertLevel: round(alert),
      capCycles: o.cap,
      rulStdCycles: round(t.rulStdCycles),
      estimator: 'level',
      ...LEARNED_DEFAULTS,
      ...o.overrides,
      trainedOn: { source: o.source, units: t.units, trainedAt: o.trainedAt.toISOString() },
    },
    training,
  };
}
