// NetworkStore: the live service-parts network read as a snapshot, and a chosen plan committed order by
// order, each in one transaction: stock reserved only where it is available, the technician locked and free,
// the shipment created and the order planned — or nothing at all.
import type { Db, Prisma } from '../../common/db.ts';
import { AppError } from '../../common/errors.ts';
import type { NetworkSnapshot } from '../core/network-instance.ts';
import type { Assignment } from '../core/planner/index.ts';
import type { PlanPolicy } from '../core/policy.ts';
import type { Verdict } from '../core/verdict.ts';
import { roadKm } from '../core/planner/geo.ts';
import { nextClockAtOrAfter, parseHhmm } from '../core/planner/time.ts';
import { pickTransfers, transferArrivals } from '../core/transfer-reservations.ts';
import { lockTransfersTo } from './order-tx.ts';

export const ACTIVE_STATUSES = [
  'PLANNED',
  'PARTS_IN_TRANSIT',
  'PARTS_STAGED',
  'TECHNICIAN_EN_ROUTE',
  'ON_SITE',
] as const;

export interface NetworkStore {
  snapshot(now: Date): Promise<NetworkSnapshot & { partIds: Map<string, string> }>;
  /** Commits one assignment; with a verdict, stores it (and escalates a late order) in the same transaction. */
  commit(
    a: Assignment,
    ctx: { now: Date; policy: PlanPolicy; actor: string; verdict?: Verdict },
  ): Promise<CommitOutcome>;
  /** Records why a waiting order could not be planned (and escalates it, the first time). */
  markUnplanned(
    orderId: string,
    reason: string,
    now: Date,
  ): Promise<{ changed: boolean; escalated: boolean }>;
}

export interface CommitOutcome {
  /** The order was escalated by this commit (late, first time). */
  escalated: boolean;
}

export class PrismaNetworkStore implements NetworkStore {
  constructor(private readonly db: Db) {}

  async snapshot(now: Date) {
    const [locations, technicians, orders, parts, busy, transfers] = await Promise.all([
      this.db.stockLocation.findMany({
        include: { stock: { include: { part: { select: { sku: true } } } } },
      }),
      this.db.technician.findMany({ where: { orders: { none: { status: { in: [...ACTIVE_STATUSES] } } } } }),
      this.db.serviceOrder.findMany({
        // a decommissioned asset is out of planning, even for an order raised from messages in flight
        where: { status: 'PREDICTED', asset: { decommissionedAt: null } },
        include: { asset: { include: { site: true } }, failureMode: { include: { part: true } } },
        orderBy: { dueBy: 'asc' },
      }),
      this.db.part.findMany({ select: { id: true, sku: true } }),
      this.db.serviceOrder.findMany({
        where: { status: { in: [...ACTIVE_STATUSES] }, technicianId: { not: null } },
        select: { number: true, technician: { select: { code: true, skills: true } } },
        orderBy: { number: 'asc' },
      }),
      // units in transit, less what orders hold of them: the planner counts them at their destination from the ETA
      this.db.stockTransfer.findMany({
        where: { status: 'IN_TRANSIT' },
        select: {
          id: true,
          qty: true,
          etaAt: true,
          trackingState: true,
          toLocation: { select: { code: true } },
          part: { select: { sku: true } },
          reservations: { where: { status: 'HELD' }, select: { qty: true } },
        },
      }),
    ]);
    const arrivals = transferArrivals(
      transfers.map((t) => ({
        id: t.id,
        to: t.toLocation.code,
        sku: t.part.sku,
        qty: t.qty,
        reserved: t.reservations.reduce((n, r) => n + r.qty, 0),
        etaAt: t.etaAt,
        trackingState: t.trackingState,
      })),
    );
    return {
      now,
      busyTechnicians: busy.flatMap((o) =>
        o.technician ? [{ id: o.technician.code, skills: o.technician.skills, orderNumber: o.number }] : [],
      ),
      partIds: new Map(parts.map((p) => [p.sku, p.id])),
      locations: locations.map((l) => ({
        id: l.code,
        kind: l.kind,
        lat: l.lat,
        lon: l.lon,
        openUtc: l.openUtc,
        closeUtc: l.closeUtc,
        // onHand is serviceable stock only (new + refurbished); defective units and units in repair are never in it
        available: Object.fromEntries(l.stock.map((s) => [s.part.sku, s.onHand - s.reserved])),
        arrivals: arrivals.get(l.code) ?? [],
      })),
      technicians: technicians.map((t) => ({
        id: t.code,
        lat: t.lat,
        lon: t.lon,
        skills: t.skills,
        availableFrom: t.availableFrom,
      })),
      orders: orders.map((o) => ({
        id: o.id,
        lat: o.asset.site.lat,
        lon: o.asset.site.lon,
        skill: o.failureMode.skill,
        sku: o.failureMode.part.sku,
        qty: o.failureMode.partQty,
        dueBy: o.dueBy,
        repairMinutes: o.failureMode.repairMinutes,
        expectedFailureAt: o.expectedFailureAt,
        tenantId: o.tenantId,
        slaTier: o.slaTier,
      })),
    };
  }

  /** An order waiting for a plan that no plan serves: not on time, with the reason, escalated once. */
  async markUnplanned(orderId: string, reason: string, now: Date) {
    return this.markLate(orderId, reason, null, now, { waiting: true });
  }

  /**
   * An order no plan gets to before its expected failure: not on time, with the reason and how late (null: not
   * planned), escalated once; `changed` only when something changed. `waiting`: only while it waits for a plan
   * (PREDICTED); otherwise any open order (a planned one whose failure is now expected sooner).
   */
  async markLate(
    orderId: string,
    reason: string,
    lateByMinutes: number | null,
    now: Date,
    o: { waiting?: boolean } = {},
  ) {
    const waiting = o.waiting === true;
    const [row] = await this.db.$queryRaw<{ escalated: boolean }[]>`
      UPDATE "ServiceOrder" SET "onTime" = false, "lateByMinutes" = ${lateByMinutes}, "verdictReason" = ${reason},
        "escalatedAt" = COALESCE("escalatedAt", ${now}), "updatedAt" = now()
      WHERE id = ${orderId}
        AND (CASE WHEN ${waiting} THEN status = 'PREDICTED' ELSE "openKey" IS NOT NULL END)
        AND ("verdictReason" IS DISTINCT FROM ${reason} OR "escalatedAt" IS NULL OR "onTime" IS DISTINCT FROM false
          OR "lateByMinutes" IS DISTINCT FROM ${lateByMinutes})
      RETURNING ("escalatedAt" = ${now}) AS escalated`;
    return { changed: row !== undefined, escalated: row?.escalated ?? false };
  }

  /** What a forecast re-plan reads of an order. */
  async forecastState(orderId: string) {
    return this.db.serviceOrder.findUnique({
      where: { id: orderId },
      select: { status: true, etaAt: true, dueBy: true, expectedFailureAt: true, tenantId: true },
    });
  }

  async commit(
    a: Assignment,
    ctx: { now: Date; policy: PlanPolicy; actor: string; verdict?: Verdict },
  ): Promise<CommitOutcome> {
    return this.db.$transaction(async (tx) => {
      // the order row stays locked until commit, so a dispatcher's concurrent cancel cannot be overwritten
      await tx.$queryRaw`SELECT id FROM "ServiceOrder" WHERE id = ${a.order} FOR UPDATE`;
      const order = await tx.serviceOrder.findUnique({
        where: { id: a.order },
        include: { failureMode: true },
      });
      if (!order || order.status !== 'PREDICTED')
        throw new AppError('DISPATCH_ORDER_CLOSED', `order ${a.order} is no longer waiting for a plan`);
      const v = ctx.verdict;
      const escalated = v !== undefined && !v.onTime && order.escalatedAt === null;
      const [tech] = await tx.$queryRaw<
        { id: string }[]
      >`SELECT id FROM "Technician" WHERE code = ${a.technician} FOR UPDATE`;
      if (!tech)
        throw new AppError('DISPATCH_NO_QUALIFIED_TECHNICIAN', `technician ${a.technician} does not exist`);
      const busy = await tx.serviceOrder.count({
        where: { technicianId: tech.id, status: { in: [...ACTIVE_STATUSES] } },
      });
      if (busy > 0)
        throw new AppError(
          'DISPATCH_NO_QUALIFIED_TECHNICIAN',
          `technician ${a.technician} was booked by someone else`,
        );
      // one connection per transaction: one query at a time
      const source = await tx.stockLocation.findUniqueOrThrow({ where: { code: a.source } });
      const pickup = await tx.stockLocation.findUniqueOrThrow({ where: { code: a.pickup } });
      const qty = order.failureMode.partQty;
      const partId = order.failureMode.partId;
      if (a.sourceEta !== undefined) await reserveInTransit(tx, a, order.id, source.id, partId, qty);
      else {
        const reserved =
          await tx.$executeRaw`UPDATE "StockLevel" SET reserved = reserved + ${qty}, "updatedAt" = now()
          WHERE "locationId" = ${source.id} AND "partId" = ${partId} AND "onHand" - reserved >= ${qty}`;
        if (reserved !== 1)
          throw new AppError(
            'DISPATCH_STOCK_CONFLICT',
            `${a.source} no longer has ${qty} available for order ${a.order}`,
          );
        await tx.reservation.create({ data: { orderId: order.id, locationId: source.id, partId, qty } });
      }
      // a unit in transit leaves for the pickup once it is there
      const fromMs = Math.max(ctx.now.getTime(), a.sourceEta ? Date.parse(a.sourceEta) : 0);
      if (a.mode !== 'stock') {
        const p = ctx.policy.shipping;
        const cost =
          a.mode === 'courier'
            ? p.courier.baseCost + p.courier.costPerKm * roadKm(source, pickup, ctx.policy.travel.roadFactor)
            : p.overnight.cost;
        const shipAt =
          a.mode === 'courier'
            ? new Date(fromMs)
            : new Date(nextClockAtOrAfter(fromMs, parseHhmm(p.overnight.cutoffUtc)));
        await tx.shipment.create({
          data: {
            orderId: order.id,
            fromLocationId: source.id,
            toLocationId: pickup.id,
            partId,
            qty,
            mode: a.mode === 'courier' ? 'COURIER' : 'OVERNIGHT',
            cost,
            shipAt,
            readyAt: new Date(a.partsReadyAt),
          },
        });
      }
      await tx.serviceOrder.update({
        where: { id: order.id },
        data: {
          status: 'PLANNED',
          technicianId: tech.id,
          pickupLocationId: pickup.id,
          sourceLocationId: source.id,
          partsReadyAt: new Date(a.partsReadyAt),
          etaAt: new Date(a.arrivalAt),
          planCost: a.cost,
          ...(v
            ? {
                onTime: v.onTime,
                lateByMinutes: v.lateByMinutes,
                verdictReason: v.reason,
                ...(escalated ? { escalatedAt: ctx.now } : {}),
              }
            : {}),
          events: {
            create: {
              status: 'PLANNED',
              actor: ctx.actor,
              note:
                `${a.mode} from ${a.source}` +
                (a.sourceEta ? ` (in transit, there from ${a.sourceEta})` : '') +
                `, collect at ${a.pickup}, technician ${a.technician}` +
                (v && !v.onTime
                  ? `; ${v.lateByMinutes} min after the expected failure: ${v.reason ?? ''}`
                  : ''),
            },
          },
        },
      });
      return { escalated };
    });
  }
}

/**
 * Reserves a plan's arriving units against the transfers bringing them to `a.source` by `a.sourceEta`, counted under
 * the transfers' row locks (`lockTransfersTo`), so two plans never hold more of a transfer than it carries. The reservation is not on the location's stock
 * (the units are not on its shelf yet); the delivery moves it there (bookInTransfer).
 */
async function reserveInTransit(
  tx: Prisma.TransactionClient,
  a: Assignment,
  orderId: string,
  locationId: string,
  partId: string,
  qty: number,
): Promise<void> {
  const eta = new Date(a.sourceEta ?? '');
  const picked = pickTransfers(await lockTransfersTo(tx, locationId, partId), qty, eta);
  if (!picked)
    throw new AppError(
      'DISPATCH_STOCK_CONFLICT',
      `${a.source} no longer has ${qty} arriving by ${a.sourceEta ?? ''} for order ${a.order}`,
    );
  for (const p of picked)
    await tx.reservation.create({
      data: { orderId, locationId, partId, qty: p.qty, transferId: p.transferId },
    });
}
