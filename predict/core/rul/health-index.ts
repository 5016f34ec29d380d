/**
 * Health index: a ridge regression from one cycle's normalised sensors to the fraction of
 * (capped) life left. It pools the weak, noisy degradation signal of all sensors into one
 * channel, which the window features then smooth like any sensor.
 */
import { applyLinear, fitRidge } from './linear.ts';
import type { LinearModel } from './linear.ts';

export interface HealthIndex {
  /** Sensor channels in (z-scores per row). */
  channels: number;
  model: LinearModel;
}

/** Fit on row-major z-scores `z` (n × channels) against `target` (length n). */
export function fitHealthIndex(
  z: Float64Array,
  channels: number,
  target: ArrayLike<number>,
  lambda = 1,
): HealthIndex {
  return { channels, model: fitRidge(z, target, channels, lambda) };
}

export function applyHealthIndex(hi: HealthIndex, z: Float64Array): Float64Array {
  return applyLinear(hi.model, z, hi.channels);
}
