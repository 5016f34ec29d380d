// The planning policy of the live network: travel, shipping and penalty parameters of the plan model
// (shared/specs/dispatch-plan.md). One place to tune them.
//
// Lateness dominates (docs/adr/0007-on-time-verdict.md): an hour late costs far more than any drive or
// shipment (a minute late ≈ 167, a 400 km courier run 520), so the optimiser takes an on-time option whenever
// one exists, and the fastest one when none does. Leaving an order unplanned costs more than 100 hours of
// lateness, so an order with any option is planned — late if it must be — and escalated with its reason.
// An hour late of a CRITICAL contract weighs three of a STANDARD one (LATE_WEIGHT_BY_TIER, passed to the
// planner as per-order weights: the spec's model itself has one rate for all).
import type { PlanInstance } from './planner/index.ts';

export type PlanPolicy = Pick<PlanInstance, 'travel' | 'shipping' | 'lateCostPerHour' | 'unplannedCost'>;

export const DEFAULT_POLICY: PlanPolicy = {
  travel: { speedKmh: 70, roadFactor: 1.3, costPerKm: 0.6, costPerHour: 55 },
  shipping: {
    courier: { speedKmh: 60, handlingMinutes: 45, baseCost: 40, costPerKm: 1.2, maxKm: 400 },
    overnight: { cutoffUtc: '01:00', deliverUtc: '08:00', cost: 55 },
  },
  lateCostPerHour: 10_000,
  unplannedCost: 3_000_000,
};

/** Weight of an hour late by contract tier (multiplies lateCostPerHour in the live planning rounds). */
export const LATE_WEIGHT_BY_TIER: Record<'CRITICAL' | 'STANDARD', number> = { CRITICAL: 3, STANDARD: 1 };
