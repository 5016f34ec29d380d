/**
 * Where a serviceable unit coming back goes — an unused part returned from a job, or a unit refurbished or retested
 * at the repair depot (docs/reverse-logistics.md): the stocking location whose target in the latest applied parts
 * plan it fills, not necessarily its old shelf. Pure.
 *
 * 1. No applied parts plan: back to its old shelf (the hub when it has none).
 * 2. The location with the largest shortfall against its target for the sku (target − units on the shelf not
 *    reserved − units in transit towards it); ties: the nearest to where the unit is (the cheapest to ship), then
 *    the code.
 * 3. No location short of its target: the hub (the plan's reserve), or the old shelf when there is no hub.
 */
import { roadKm } from './planner/geo.ts';

export interface RoutingCandidate {
  code: string;
  kind: 'HUB' | 'FSL' | 'COUNTER';
  lat: number;
  lon: number;
  /** Serviceable units on the shelf not reserved, plus units in transit towards it. */
  have: number;
  /** The applied plan's target for the sku here; null: the plan sets none. */
  target: number | null;
}

export interface RoutingInput {
  sku: string;
  /** Where the unit is now (the customer's site, the repair depot). */
  origin: { lat: number; lon: number };
  candidates: readonly RoutingCandidate[];
  /** The stocking location the unit was drawn from; null when unknown. */
  oldShelf: string | null;
  /** The latest applied parts review, or null when none was applied. */
  plan: { number: number } | null;
  roadFactor: number;
}

export interface RoutingDecision {
  to: string;
  /** PLAN_SHORTFALL: fills a target; PLAN_RESERVE: nobody is short, the hub; NO_PLAN: its old shelf. */
  basis: 'PLAN_SHORTFALL' | 'PLAN_RESERVE' | 'NO_PLAN';
  /** The shortfall it fills (0 unless PLAN_SHORTFALL). */
  shortfall: number;
  reason: string;
}

export function routeServiceableUnit(input: RoutingInput): RoutingDecision {
  const hub = [...input.candidates]
    .filter((c) => c.kind === 'HUB')
    .sort((a, b) => a.code.localeCompare(b.code))[0];
  const shelf = input.candidates.find((c) => c.code === input.oldShelf);
  const home = shelf ?? hub;
  if (!home) throw new Error('no stocking location to send the unit to');
  if (input.plan === null)
    return {
      to: home.code,
      basis: 'NO_PLAN',
      shortfall: 0,
      reason: shelf
        ? `no applied parts plan: back to its shelf ${shelf.code}`
        : `no applied parts plan and no known shelf: to the hub ${home.code}`,
    };
  const km = (c: RoutingCandidate) => roadKm(input.origin, c, input.roadFactor);
  const short = input.candidates
    .filter((c) => c.target !== null && c.target - c.have > 0)
    .map((c) => ({ c, gap: (c.target as number) - c.have, km: km(c) }))
    .sort((a, b) => b.gap - a.gap || a.km - b.km || a.c.code.localeCompare(b.c.code));
  const best = short[0];
  if (best)
    return {
      to: best.c.code,
      basis: 'PLAN_SHORTFALL',
      shortfall: best.gap,
      reason:
        `fills the target of parts review #${input.plan.number} at ${best.c.code}: ` +
        `${best.c.have} of ${best.c.target} ${input.sku} there or on the way`,
    };
  const reserve = hub ?? home;
  return {
    to: reserve.code,
    basis: 'PLAN_RESERVE',
    shortfall: 0,
    reason: `no location below its target in parts review #${input.plan.number}: to ${reserve.code}`,
  };
}
