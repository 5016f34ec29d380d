// Timing of one technician serving one order through one staging location, computed by the planner's own
// option evaluation (core/planner/options.ts), so a dispatcher's change gives the same ETAs a plan would.
import { buildContext, evaluate, MODE_CODES, shipment } from './planner/options.ts';
import type { Mode, PlanInstance } from './planner/index.ts';
import type { PlanPolicy } from './policy.ts';

export interface Place {
  lat: number;
  lon: number;
}

export interface StockPlace extends Place {
  id: string;
  kind: 'HUB' | 'FSL' | 'COUNTER' | 'REPAIR_DEPOT';
  openUtc: string | null;
  closeUtc: string | null;
}

export interface RouteQuery {
  now: Date;
  policy: PlanPolicy;
  technician: Place & { availableFrom: Date };
  site: Place;
  dueBy: Date;
  pickup: StockPlace;
  source: StockPlace;
}

export interface Route {
  mode: Mode;
  partsReadyAt: Date;
  arrivalAt: Date;
  /** Shipping cost of the part (0 from the pickup's own stock). */
  shipCost: number;
  /** The plan model's cost of the option: travel, shipping and lateness. */
  cost: number;
}

const KIND = { HUB: 'hub', FSL: 'fsl', COUNTER: 'counter' } as const;

function context(q: RouteQuery) {
  const loc = (l: StockPlace) => {
    if (l.kind === 'REPAIR_DEPOT') return undefined;
    return {
      id: l.id,
      kind: KIND[l.kind],
      lat: l.lat,
      lon: l.lon,
      stock: {},
      ...(l.kind === 'COUNTER' && l.openUtc && l.closeUtc
        ? { openUtc: l.openUtc, closeUtc: l.closeUtc }
        : {}),
    };
  };
  const pickup = loc(q.pickup);
  const source = loc(q.source);
  if (!pickup || !source) return undefined;
  const inst: PlanInstance = {
    now: q.now.toISOString(),
    ...q.policy,
    locations: q.source.id === q.pickup.id ? [pickup] : [pickup, source],
    technicians: [
      { id: 't', ...pick(q.technician), skills: [], availableFrom: q.technician.availableFrom.toISOString() },
    ],
    orders: [
      {
        id: 'o',
        ...pick(q.site),
        skill: '',
        sku: '',
        qty: 1,
        dueBy: q.dueBy.toISOString(),
        repairMinutes: 0,
      },
    ],
  };
  return { ctx: buildContext(inst), sourceIndex: inst.locations.length - 1 };
}

const pick = (p: Place): Place => ({ lat: p.lat, lon: p.lon });

/** The cheapest way to stage the part at the pickup (from its own stock, by courier or overnight), if any. */
export function bestRoute(q: RouteQuery): Route | undefined {
  const c = context(q);
  if (!c) return undefined;
  let best: Route | undefined;
  for (const mode of MODE_CODES) {
    const sh = shipment(c.ctx, 0, c.sourceIndex, mode);
    if (!sh) continue;
    const d = evaluate(c.ctx, 0, 0, 0, sh.readyMs, sh.cost);
    if (!best || d.cost < best.cost)
      best = {
        mode,
        partsReadyAt: new Date(d.partsReadyMs),
        arrivalAt: new Date(d.arrivalMs),
        shipCost: sh.cost,
        cost: d.cost,
      };
  }
  return best;
}

/** When the technician reaches the site, collecting a part that is (or will be) ready at the pickup. */
export function arrivalWithPartsReady(q: Omit<RouteQuery, 'source'>, partsReadyAt: Date): Date | undefined {
  return collectAndArrive(q, partsReadyAt, 0)?.arrivalAt;
}

/** Arrival and the plan model's cost (travel, the given shipping cost, lateness) with the part ready then. */
export function collectAndArrive(
  q: Omit<RouteQuery, 'source'>,
  partsReadyAt: Date,
  shipCost: number,
): { arrivalAt: Date; cost: number } | undefined {
  const c = context({ ...q, source: q.pickup });
  if (!c) return undefined;
  const d = evaluate(c.ctx, 0, 0, 0, partsReadyAt.getTime(), shipCost);
  return { arrivalAt: new Date(d.arrivalMs), cost: d.cost };
}

/** The money part of a plan-model cost: travel and shipping, without the lateness penalty. */
export function spendOf(cost: number, arrivalAt: Date, dueBy: Date, policy: PlanPolicy): number {
  const lateH = Math.max(0, arrivalAt.getTime() - dueBy.getTime()) / 3_600_000;
  return Math.round((cost - lateH * policy.lateCostPerHour) * 100) / 100;
}
