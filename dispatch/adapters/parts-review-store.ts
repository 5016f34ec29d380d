// PartsReviewStore: the live data one periodic parts review needs (installed base, contracts, network and
// serviceable stock, live predictions), read as a snapshot for the pure instance builder
// (dispatch/core/parts-planner/review.ts). `runPartsReview` builds the instance and plans it; scheduling the
// review and acting on its plan are in dispatch/parts-planning.ts. Units of applied stock transfers in transit
// count as stock of their destination (`inbound`), so the next review does not send them again — less the units
// orders hold of them (reserved in transit), as reserved units on a shelf are not available either. The predicted
// failures whose open order holds its part are listed (`reserved`): their demand is already met by that unit.
import type { Db } from '../../common/db.ts';
import { DEFAULT_FACTORS, resolveFactors } from '../core/disposition.ts';
import { planParts } from '../core/parts-planner/index.ts';
import type { PartsInstance, PartsPlanOptions, PartsPlanResult } from '../core/parts-planner/index.ts';
import { buildPartsReviewInstance, DEFAULT_REVIEW_POLICY } from '../core/parts-planner/review.ts';
import type { PartsReviewPolicy, PartsReviewSnapshot } from '../core/parts-planner/review.ts';

export interface PartsReviewStore {
  snapshot(now: Date): Promise<PartsReviewSnapshot>;
}

export class PrismaPartsReviewStore implements PartsReviewStore {
  constructor(private readonly db: Db) {}

  async snapshot(now: Date): Promise<PartsReviewSnapshot> {
    const [parts, locations, assets, predictions, inTransit, inRepair, heldInTransit, holding] =
      await Promise.all([
        this.db.part.findMany({ select: { id: true, sku: true, unitCost: true } }),
        this.db.stockLocation.findMany({
          include: { stock: { include: { part: { select: { sku: true } } } } },
        }),
        // decommissioned assets no longer count in planning
        this.db.asset.findMany({
          where: { decommissionedAt: null },
          include: {
            site: true,
            tenant: { select: { name: true } },
            contract: true,
            equipmentModel: { include: { failureModes: { include: { part: { select: { sku: true } } } } } },
          },
        }),
        this.db.prediction.findMany({
          where: { shadow: false, outcome: 'PENDING' },
          include: { failureMode: { select: { key: true } } },
          orderBy: { raisedAt: 'desc' },
        }),
        this.db.stockTransfer.groupBy({
          by: ['toLocationId', 'partId'],
          where: { status: 'IN_TRANSIT' },
          _sum: { qty: true },
        }),
        // refurbished units coming back: in repair, not done yet
        this.db.returnDisposition.findMany({
          where: { disposition: 'REFURBISH', restockedAt: null },
          select: {
            qty: true,
            decidedAt: true,
            turnaroundDays: true,
            toLocation: { select: { code: true } },
            return: { select: { part: true } },
          },
        }),
        this.db.reservation.groupBy({
          by: ['locationId', 'partId'],
          where: { status: 'HELD', transferId: { not: null }, transfer: { status: 'IN_TRANSIT' } },
          _sum: { qty: true },
        }),
        // open orders that hold their part: their predicted failure is served by the reserved unit
        this.db.serviceOrder.findMany({
          where: { openKey: { not: null }, reservations: { some: { status: 'HELD' } } },
          select: { assetId: true, failureMode: { select: { key: true } } },
        }),
      ]);
    const skuOf = new Map(parts.map((p) => [p.id, p.sku]));
    const inbound = new Map<string, Record<string, number>>();
    for (const t of inTransit) {
      const row = inbound.get(t.toLocationId) ?? {};
      const sku = skuOf.get(t.partId);
      if (sku) row[sku] = (row[sku] ?? 0) + (t._sum.qty ?? 0);
      inbound.set(t.toLocationId, row);
    }
    for (const h of heldInTransit) {
      const row = inbound.get(h.locationId);
      const sku = skuOf.get(h.partId);
      if (row && sku && row[sku] !== undefined) row[sku] = Math.max(0, row[sku] - (h._sum.qty ?? 0));
    }
    // the latest live prediction per asset and failure mode
    const latest = new Map<string, (typeof predictions)[number]>();
    for (const p of predictions) {
      const key = `${p.assetId}:${p.failureMode.key}`;
      if (!latest.has(key)) latest.set(key, p);
    }
    return {
      now,
      parts: parts.map((p) => ({ sku: p.sku, unitCost: p.unitCost })),
      locations: locations.map((l) => ({
        code: l.code,
        kind: l.kind,
        lat: l.lat,
        lon: l.lon,
        // serviceable units not reserved for an order
        available: Object.fromEntries(l.stock.map((s) => [s.part.sku, Math.max(0, s.onHand - s.reserved)])),
        // units of applied transfers on their way here (already out of the source's onHand)
        inbound: inbound.get(l.id) ?? {},
      })),
      assets: assets.map((a) => ({
        id: a.id,
        name: a.name,
        tenant: a.tenant.name,
        lat: a.site.lat,
        lon: a.site.lon,
        responseHours: a.contract.responseHours,
        tier: a.contract.tier,
        failureModes: a.equipmentModel.failureModes.map((f) => ({ key: f.key, sku: f.part.sku })),
      })),
      pipeline: inRepair.map((d) => ({
        sku: d.return.part.sku,
        qty: d.qty,
        to: d.toLocation?.code ?? null,
        readyAt: new Date(
          d.decidedAt.getTime() + (d.turnaroundDays ?? DEFAULT_FACTORS.turnaroundDays) * 86_400_000,
        ),
        refurbYield: resolveFactors(d.return.part).refurbYield,
      })),
      predictions: [...latest.values()].map((p) => ({
        assetId: p.assetId,
        failureModeKey: p.failureMode.key,
        bandEarliestAt: p.bandEarliestAt,
        bandLatestAt: p.bandLatestAt,
        expectedFailureAt: p.expectedFailureAt,
        confidence: p.confidence,
      })),
      reserved: holding.map((o) => ({ assetId: o.assetId, failureModeKey: o.failureMode.key })),
    };
  }
}

/** One review: the instance from live data, and its plan. */
export async function runPartsReview(
  store: PartsReviewStore,
  now: Date,
  policy: PartsReviewPolicy = DEFAULT_REVIEW_POLICY,
  opts: PartsPlanOptions = {},
): Promise<{ instance: PartsInstance; result: PartsPlanResult }> {
  const instance = buildPartsReviewInstance(await store.snapshot(now), policy);
  return { instance, result: planParts(instance, opts) };
}
