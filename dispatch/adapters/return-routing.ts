// Where a serviceable unit coming back goes (dispatch/core/return-routing.ts) read from live data inside the
// caller's transaction: the latest applied parts review's targets for the part, each stocking location's units on the
// shelf not reserved, and those already on their way to it (stock transfers in transit, unused parts returned and
// not yet received). `sendFromDepot` ships a refurbished or retested unit from the repair depot as a stock
// transfer (tracked, with its shipping document): it becomes serviceable stock at its destination on delivery.
import type { Db } from '../../common/db.ts';
import { routeServiceableUnit } from '../core/return-routing.ts';
import type { RoutingCandidate, RoutingDecision } from '../core/return-routing.ts';
import { nextClockAtOrAfter, overnightReadyMs, parseHhmm } from '../core/planner/time.ts';
import { DEFAULT_POLICY } from '../core/policy.ts';
import { appliedPlanTargets } from './applied-plan.ts';
import type { Tx } from './order-tx.ts';

export interface RoutedUnit extends RoutingDecision {
  toLocationId: string;
}

/** The destination of `partId` coming back from `origin`; `oldShelfId`: the location it was drawn from. */
export async function routeReturnedUnit(
  tx: Tx | Db,
  q: { partId: string; origin: { lat: number; lon: number }; oldShelfId: string | null },
): Promise<RoutedUnit> {
  // one query at a time: this runs inside the caller's transaction
  const part = await tx.part.findUniqueOrThrow({ where: { id: q.partId }, select: { sku: true } });
  const { review, targets } = await appliedPlanTargets(tx, part.sku);
  const locations = await tx.stockLocation.findMany({
    where: { kind: { not: 'REPAIR_DEPOT' } },
    include: { stock: { where: { partId: q.partId } } },
  });
  const transfers = await tx.stockTransfer.groupBy({
    by: ['toLocationId'],
    where: { partId: q.partId, status: 'IN_TRANSIT' },
    _sum: { qty: true },
  });
  const unused = await tx.returnAuthorization.groupBy({
    by: ['toLocationId'],
    // a return written off (lost with the carrier) is not on its way
    where: { partId: q.partId, reason: 'UNUSED', receivedAt: null, writtenOffAt: null },
    _sum: { qty: true },
  });
  const onTheWay = new Map<string, number>();
  for (const g of [...transfers, ...unused])
    onTheWay.set(g.toLocationId, (onTheWay.get(g.toLocationId) ?? 0) + (g._sum.qty ?? 0));
  const candidates: (RoutingCandidate & { id: string })[] = locations.map((l) => {
    const s = l.stock[0];
    return {
      id: l.id,
      code: l.code,
      kind: l.kind as RoutingCandidate['kind'],
      lat: l.lat,
      lon: l.lon,
      have: Math.max(0, (s?.onHand ?? 0) - (s?.reserved ?? 0)) + (onTheWay.get(l.id) ?? 0),
      // a plan that has the part sets 0 wherever it lists no row for it
      target: targets.size > 0 ? (targets.get(l.code) ?? 0) : null,
    };
  });
  const shelf = candidates.find((c) => c.id === q.oldShelfId);
  const d = routeServiceableUnit({
    sku: part.sku,
    origin: q.origin,
    candidates,
    oldShelf: shelf?.code ?? null,
    // a plan without the part is no plan for it
    plan: review && targets.size > 0 ? { number: review.number } : null,
    roadFactor: DEFAULT_POLICY.travel.roadFactor,
  });
  return { ...d, toLocationId: candidates.find((c) => c.code === d.to)!.id };
}

/**
 * Ships a refurbished or retested unit of a return from the repair depot at the next overnight cut-off: a stock
 * transfer (no review) whose units are refurbished; its delivery books them into serviceable stock.
 */
export async function sendFromDepot(
  tx: Tx,
  q: {
    returnId: string;
    depotId: string;
    toLocationId: string;
    partId: string;
    qty: number;
    routeReason: string;
    now: Date;
  },
): Promise<{ id: string; number: number }> {
  const o = DEFAULT_POLICY.shipping.overnight;
  const nowMs = q.now.getTime();
  return tx.stockTransfer.create({
    data: {
      returnId: q.returnId,
      routeReason: q.routeReason,
      fromLocationId: q.depotId,
      toLocationId: q.toLocationId,
      partId: q.partId,
      qty: q.qty,
      refurbished: q.qty,
      mode: 'OVERNIGHT',
      cost: o.cost,
      shipAt: new Date(nextClockAtOrAfter(nowMs, parseHhmm(o.cutoffUtc))),
      etaAt: new Date(overnightReadyMs(nowMs, parseHhmm(o.cutoffUtc), parseHhmm(o.deliverUtc))),
    },
    select: { id: true, number: true },
  });
}
