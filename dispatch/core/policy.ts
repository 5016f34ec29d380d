// The planning policy of the live network: travel, shipping and penalty parameters of the plan model
// (shared/specs/dispatch-plan.md). One place to tune them.
import type { PlanInstance } from './planner/index.ts';

export type PlanPolicy = Pick<PlanInstance, 'travel' | 'shipping' | 'lateCostPerHour' | 'unplannedCost'>;

export const DEFAULT_POLICY: PlanPolicy = {
  travel: { speedKmh: 70, roadFactor: 1.3, costPerKm: 0.6, costPerHour: 55 },
  shipping: {
    courier: { speedKmh: 60, handlingMinutes: 45, baseCost: 40, costPerKm: 1.2, maxKm: 400 },
    overnight: { cutoffUtc: '01:00', deliverUtc: '08:00', cost: 55 },
  },
  lateCostPerHour: 200,
  unplannedCost: 5_000,
};
