// OrderActions: what dispatchers and the field do to an order, each in one transaction on the locked order
// row — the state machine (core/lifecycle.ts) decides, stock and technician bookings change with guarded
// updates, and an OrderEvent records who did what and when. Either all of it happens or none.
import type { Db } from '../../common/db.ts';
import { AppError } from '../../common/errors.ts';
import type { ReturnRef } from '../../common/events.ts';
import {
  reconcileFitted,
  reconciliationNote,
  removedSerialOf,
  type FittedLine,
} from '../core/fitted-parts.ts';
import { assertAllowed, type FieldStatus, type OrderStatus } from '../core/lifecycle.ts';
import { cancelNote, type CancelReason, type FlaggedOrder } from '../core/order-closure.ts';
import { nextClockAtOrAfter, parseHhmm } from '../core/planner/time.ts';
import type { PlanPolicy } from '../core/policy.ts';
import { returnsOnCompletion, rmaCode } from '../core/returns.ts';
import { routeReturnedUnit } from './return-routing.ts';
import { arrivalWithPartsReady, bestRoute, collectAndArrive, type Route } from '../core/route-timing.ts';
import { changeVerdict, verdictColumns } from '../core/verdict.ts';
import { bookingConflicts, bookingSegments } from '../core/schedule-board.ts';
import { ACTIVE_STATUSES } from './network-store.ts';
import {
  lockOrder,
  moveStock,
  reserveArriving,
  settleReservations,
  stateOf,
  type LockedOrder,
  type StockMove,
  type Tx,
} from './order-tx.ts';

/** Where to stage an order's part: `inTransit` draws units on their way to the pickup (source is the pickup). */
export interface RestageTarget {
  pickup: string;
  source?: string;
  inTransit?: boolean;
}

export interface ActionContext {
  now: Date;
  /** Who acts (the user's e-mail), recorded in the order's history. */
  actor: string;
  policy: PlanPolicy;
}

export interface ActionResult {
  orderId: string;
  tenantId: string;
  status: OrderStatus;
  assetId: string;
  failureModeId: string;
  /** Reassign and re-stage: the ETA before and after the change. */
  eta?: { from: Date | null; to: Date };
}

export interface Cancellation {
  reason: CancelReason;
  note?: string;
  /** No new order for the asset and failure mode before this. */
  snoozeUntil?: Date;
  /**
   * Checked on the locked order before anything changes (the platform's risk-cleared release: the order must
   * still be flagged, past its grace, not yet en route); false refuses with DISPATCH_ILLEGAL_TRANSITION.
   */
  onlyIf?: (o: FlaggedOrder) => boolean;
}

export interface FieldReport {
  note?: string;
  /** On completion: parts fitted (default: all staged); the rest go back to stock. */
  usedQty?: number;
  /** On completion: the serial number of the removed part. */
  removedSerial?: string;
  /**
   * On completion by the technician: the parts he fitted, reconciled with the staged ones (core/fitted-parts.ts);
   * recorded in the job report with his serial and note. Requires removedSerial.
   */
  fitted?: FittedLine[];
  /** The step is the technician's own: refused (NOT_FOUND) unless the order is assigned to this technician id. */
  technicianId?: string;
  /** An administrator reports a technician's step for him, with this reason (recorded in the timeline). */
  override?: string;
}

export interface OrderActionStore {
  accept(id: string, ctx: ActionContext): Promise<ActionResult>;
  cancel(id: string, c: Cancellation, ctx: ActionContext): Promise<ActionResult>;
  reassign(id: string, technician: string, ctx: ActionContext, startAt?: Date): Promise<ActionResult>;
  restage(id: string, to: RestageTarget, ctx: ActionContext): Promise<ActionResult>;
  advance(
    id: string,
    to: FieldStatus,
    report: FieldReport,
    ctx: ActionContext,
  ): Promise<ActionResult & { returns: ReturnRef[] }>;
}

const label = (o: LockedOrder) => `order #${o.number}`;
const result = (o: LockedOrder, status: OrderStatus): ActionResult => ({
  orderId: o.id,
  tenantId: o.tenantId,
  status,
  assetId: o.assetId,
  failureModeId: o.failureModeId,
});
const codeOf = (o: LockedOrder) => (locationId: string) =>
  [o.sourceLocation, o.pickupLocation].find((l) => l?.id === locationId)?.code ?? locationId;

export class PrismaOrderActions implements OrderActionStore {
  constructor(private readonly db: Db) {}

  private tx<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.db.$transaction(fn, { maxWait: 10_000, timeout: 20_000 });
  }

  accept(id: string, ctx: ActionContext): Promise<ActionResult> {
    return this.tx(async (tx) => {
      const o = await lockOrder(tx, id);
      const status = assertAllowed(stateOf(o), { kind: 'accept' }, label(o));
      const note = [
        o.acceptedAt ? null : 'accepted',
        o.riskCleared ? 'kept although predict reports the risk cleared' : null,
      ]
        .filter(Boolean)
        .join('; ');
      await tx.serviceOrder.update({
        where: { id },
        data: {
          acceptedAt: o.acceptedAt ?? ctx.now,
          acceptedBy: o.acceptedBy ?? ctx.actor,
          riskCleared: false,
          riskClearedAt: null,
          events: { create: { status, action: 'accept', actor: ctx.actor, at: ctx.now, note } },
        },
      });
      return result(o, status);
    });
  }

  cancel(id: string, c: Cancellation, ctx: ActionContext): Promise<ActionResult> {
    return this.tx(async (tx) => {
      const o = await lockOrder(tx, id);
      const status = assertAllowed(stateOf(o), { kind: 'cancel' }, label(o));
      if (c.onlyIf && !c.onlyIf(o))
        throw new AppError('DISPATCH_ILLEGAL_TRANSITION', `${label(o)} changed meanwhile: not released`);
      const settle = settleReservations(o, 'release', codeOf(o));
      await moveStock(tx, settle.moves);
      await settle.mark(tx);
      await tx.shipment.updateMany({
        where: { id: { in: o.shipments.map((s) => s.id) } },
        data: { status: 'CANCELLED' },
      });
      const freed = [
        cancelNote(c),
        ...settle.moves.map((m) => `${m.qty} × ${o.failureMode.part.sku} released at ${m.label}`),
        o.technician ? `technician ${o.technician.code} released` : null,
      ];
      await tx.serviceOrder.update({
        where: { id },
        data: {
          status,
          openKey: null,
          closedAt: ctx.now,
          cancelReason: c.reason,
          snoozeUntil: c.snoozeUntil ?? null,
          events: {
            create: {
              status,
              action: 'cancel',
              actor: ctx.actor,
              at: ctx.now,
              note: freed.filter(Boolean).join('; '),
            },
          },
        },
      });
      return result(o, status);
    });
  }

  reassign(id: string, code: string, ctx: ActionContext, startAt?: Date): Promise<ActionResult> {
    return this.tx(async (tx) => {
      const o = await lockOrder(tx, id);
      const status = assertAllowed(stateOf(o), { kind: 'reassign' }, label(o));
      // the technician row lock makes concurrent bookings of one technician wait for each other
      const [locked] = await tx.$queryRaw<
        { id: string }[]
      >`SELECT id FROM "Technician" WHERE code = ${code} FOR UPDATE`;
      if (!locked) throw new AppError('DISPATCH_NO_QUALIFIED_TECHNICIAN', `no technician ${code}`);
      const tech = await tx.technician.findUniqueOrThrow({ where: { id: locked.id } });
      if (tech.id === o.technicianId && !startAt)
        throw new AppError('VALIDATION_FAILED', `${code} is already assigned to ${label(o)}`);
      if (!tech.skills.includes(o.failureMode.skill))
        throw new AppError(
          'DISPATCH_NO_QUALIFIED_TECHNICIAN',
          `${code} lacks the skill ${o.failureMode.skill} that ${label(o)} needs`,
        );
      const busy = await tx.serviceOrder.findFirst({
        where: { technicianId: tech.id, status: { in: [...ACTIVE_STATUSES] }, id: { not: id } },
        select: { number: true },
      });
      if (busy) throw new AppError('DISPATCH_TECHNICIAN_BUSY', `${code} is booked on order #${busy.number}`);
      const etaAt = o.pickupLocation
        ? arrivalWithPartsReady(
            {
              now: ctx.now,
              policy: ctx.policy,
              technician: { ...tech, availableFrom: leaveAt(tech.availableFrom, startAt) },
              site: o.asset.site,
              dueBy: o.dueBy,
              pickup: { ...o.pickupLocation, id: o.pickupLocation.code },
            },
            o.partsReadyAt ?? ctx.now,
          )
        : undefined;
      if (etaAt && o.pickupLocation) {
        const pickup = { ...o.pickupLocation, id: o.pickupLocation.code };
        const repairMinutes = o.failureMode.repairMinutes;
        const segs = bookingSegments({ site: o.asset.site, pickup, repairMinutes, etaAt }, tech, ctx.policy);
        const slot = bookingConflicts(
          {
            number: o.number,
            skill: o.failureMode.skill,
            start: segs[0]?.start ?? etaAt,
            end: segs.at(-1)?.end ?? etaAt,
          },
          tech,
          [],
        ).find((c) => c.code === 'OUTSIDE_SHIFT');
        if (slot) throw new AppError('DISPATCH_SLOT_CONFLICT', `${label(o)}: ${slot.detail}`);
      }
      await tx.serviceOrder.update({
        where: { id },
        data: {
          status,
          technicianId: tech.id,
          ...(etaAt
            ? {
                etaAt,
                ...verdictColumns(
                  changeVerdict(etaAt, o.expectedFailureAt, `reassigned to ${code} by ${ctx.actor}`, ctx.now),
                  o.escalatedAt,
                  ctx.now,
                ),
              }
            : {}),
          events: {
            create: {
              status,
              action: 'reassign',
              actor: ctx.actor,
              at: ctx.now,
              note:
                `technician ${o.technician?.code ?? 'none'} → ${code}` +
                (startAt ? `, leaving from ${startAt.toISOString()}` : ''),
            },
          },
        },
      });
      return { ...result(o, status), ...(etaAt ? { eta: { from: o.etaAt, to: etaAt } } : {}) };
    });
  }

  restage(id: string, to: RestageTarget, ctx: ActionContext): Promise<ActionResult> {
    return this.tx(async (tx) => {
      const o = await lockOrder(tx, id);
      const status = assertAllowed(stateOf(o), { kind: 'restage' }, label(o));
      const sourceCode = to.source ?? to.pickup;
      const pickup = await tx.stockLocation.findUnique({ where: { code: to.pickup } });
      const source = await tx.stockLocation.findUnique({ where: { code: sourceCode } });
      if (!pickup || !source)
        throw new AppError('VALIDATION_FAILED', `no stock location ${!pickup ? to.pickup : sourceCode}`);
      if (pickup.kind === 'REPAIR_DEPOT')
        throw new AppError('VALIDATION_FAILED', `${pickup.code} is a repair depot, not a staging location`);
      const inTransit = to.inTransit === true;
      if (inTransit && source.id !== pickup.id)
        throw new AppError(
          'VALIDATION_FAILED',
          'units in transit are collected where they arrive: no other source',
        );
      const heldInTransit = o.reservations.some((r) => r.transferId !== null);
      if (pickup.id === o.pickupLocationId && source.id === o.sourceLocationId && inTransit === heldInTransit)
        throw new AppError('VALIDATION_FAILED', `${label(o)} is already staged at ${pickup.code}`);
      if (!o.technician) throw new Error(`${label(o)} is ${o.status} without a technician`);
      const where = {
        now: ctx.now,
        policy: ctx.policy,
        technician: o.technician,
        site: o.asset.site,
        dueBy: o.dueBy,
        pickup: { ...pickup, id: pickup.code },
      };
      const shelfRoute = inTransit
        ? undefined
        : bestRoute({ ...where, source: { ...source, id: source.code } });
      if (!inTransit && !shelfRoute)
        throw new AppError(
          'VALIDATION_FAILED',
          `the part cannot reach ${pickup.code} from ${source.code} (courier only from a hub or field stocking ` +
            `location within ${ctx.policy.shipping.courier.maxKm} km, overnight only from the hub)`,
        );
      const partId = o.failureMode.partId;
      const qty = o.reservations.reduce((n, r) => n + r.qty, 0) || o.failureMode.partQty;
      const settle = settleReservations(o, 'release', codeOf(o));
      let route: Route | (Omit<Route, 'mode'> & { mode: 'in-transit' });
      if (shelfRoute) {
        const reserve: StockMove = {
          locationId: source.id,
          partId,
          qty,
          kind: 'reserve',
          label: source.code,
        };
        await moveStock(tx, [...settle.moves, reserve]);
        await settle.mark(tx);
        await tx.reservation.create({ data: { orderId: id, locationId: source.id, partId, qty } });
        route = shelfRoute;
      } else {
        await moveStock(tx, settle.moves);
        await settle.mark(tx);
        const arrives = await reserveArriving(tx, {
          orderId: id,
          locationId: pickup.id,
          partId,
          qty,
          label: pickup.code,
        });
        const partsReadyAt = new Date(Math.max(arrives.getTime(), ctx.now.getTime()));
        const t = collectAndArrive(where, partsReadyAt, 0);
        if (!t) throw new AppError('VALIDATION_FAILED', `${pickup.code} is not a staging location`);
        route = { mode: 'in-transit', partsReadyAt, arrivalAt: t.arrivalAt, shipCost: 0, cost: t.cost };
      }
      await tx.shipment.updateMany({
        where: { id: { in: o.shipments.map((s) => s.id) } },
        data: { status: 'CANCELLED' },
      });
      if (route.mode === 'courier' || route.mode === 'overnight') {
        const cutoff = parseHhmm(ctx.policy.shipping.overnight.cutoffUtc);
        await tx.shipment.create({
          data: {
            orderId: id,
            fromLocationId: source.id,
            toLocationId: pickup.id,
            partId,
            qty,
            mode: route.mode === 'courier' ? 'COURIER' : 'OVERNIGHT',
            cost: route.shipCost,
            shipAt:
              route.mode === 'courier' ? ctx.now : new Date(nextClockAtOrAfter(ctx.now.getTime(), cutoff)),
            readyAt: route.partsReadyAt,
          },
        });
      }
      await tx.serviceOrder.update({
        where: { id },
        data: {
          status,
          pickupLocationId: pickup.id,
          sourceLocationId: source.id,
          partsReadyAt: route.partsReadyAt,
          etaAt: route.arrivalAt,
          planCost: Math.round(route.cost * 100) / 100,
          ...verdictColumns(
            changeVerdict(
              route.arrivalAt,
              o.expectedFailureAt,
              `re-staged at ${pickup.code} (${route.mode} from ${source.code}) by ${ctx.actor}`,
              ctx.now,
            ),
            o.escalatedAt,
            ctx.now,
          ),
          events: {
            create: {
              status,
              action: 'restage',
              actor: ctx.actor,
              at: ctx.now,
              note:
                `staged at ${pickup.code}` +
                (route.mode === 'stock'
                  ? ' from its stock'
                  : route.mode === 'in-transit'
                    ? ` from units in transit to it (ready ${route.partsReadyAt.toISOString()})`
                    : ` from ${source.code} by ${route.mode}`) +
                ` (was ${o.pickupLocation?.code ?? 'none'})`,
            },
          },
        },
      });
      return { ...result(o, status), eta: { from: o.etaAt, to: route.arrivalAt } };
    });
  }

  advance(
    id: string,
    to: FieldStatus,
    report: FieldReport,
    ctx: ActionContext,
  ): Promise<ActionResult & { returns: ReturnRef[] }> {
    return this.tx(async (tx) => {
      const o = await lockOrder(tx, id);
      if (report.technicianId !== undefined && o.technicianId !== report.technicianId)
        throw new AppError('NOT_FOUND', 'no such job');
      const status = assertAllowed(stateOf(o), { kind: 'advance', to }, label(o));
      const shipments = { id: { in: o.shipments.map((s) => s.id) } };
      const data: Parameters<Tx['serviceOrder']['update']>[0]['data'] = { status };
      const notes = [
        report.override ? `override by ${ctx.actor}: ${report.override}` : null,
        report.note?.trim(),
      ];
      let rmas: (ReturnRef & { rma: string })[] = [];
      if (status === 'PARTS_IN_TRANSIT')
        await tx.shipment.updateMany({
          where: { ...shipments, status: 'PLANNED' },
          data: { status: 'IN_TRANSIT' },
        });
      if (status === 'PARTS_STAGED') {
        await tx.shipment.updateMany({ where: shipments, data: { status: 'DELIVERED' } });
        if (!o.partsReadyAt || o.partsReadyAt > ctx.now) data.partsReadyAt = ctx.now;
      }
      if (status === 'COMPLETED') {
        const done = await this.complete(tx, o, report, ctx);
        rmas = done.rmas;
        data.openKey = null;
        data.closedAt = ctx.now;
        notes.push(
          done.fittedNote ?? `${report.usedQty ?? 'all'} fitted`,
          report.fitted ? `removed serial ${report.removedSerial?.trim()}` : null,
          ...rmas.map((r) => `${r.reason} → ${r.rma}`),
        );
      }
      await tx.serviceOrder.update({
        where: { id },
        data: {
          ...data,
          events: {
            create: {
              status,
              action: report.override ? 'override' : 'status',
              actor: ctx.actor,
              at: ctx.now,
              note: notes.filter(Boolean).join('; ') || null,
            },
          },
        },
      });
      return { ...result(o, status), returns: rmas.map(({ rma: _rma, ...r }) => r) };
    });
  }

  /**
   * With the technician's parts fitted: reconciles them with the staged ones and records his report (serial,
   * note, fitted vs staged, flagged when he fitted a part that was not staged). Returns the fitted quantity of
   * the staged part, or undefined without a report.
   */
  private async report(tx: Tx, o: LockedOrder, report: FieldReport, ctx: ActionContext) {
    if (!report.fitted) return undefined;
    const removedSerial = removedSerialOf(report.removedSerial);
    const sku = o.failureMode.part.sku;
    const staged = o.reservations.reduce((n, r) => n + r.qty, 0) || o.failureMode.partQty;
    const rec = reconcileFitted([{ sku, qty: staged }], report.fitted);
    const parts = await tx.part.findMany({
      where: { sku: { in: rec.lines.map((l) => l.sku) } },
      select: { id: true, sku: true },
    });
    const idOf = new Map(parts.map((p) => [p.sku, p.id]));
    const unknown = rec.lines.filter((l) => !idOf.has(l.sku)).map((l) => l.sku);
    if (unknown.length)
      throw new AppError('VALIDATION_FAILED', `no part ${unknown.join(', ')} in the catalog`);
    await tx.jobReport.create({
      data: {
        orderId: o.id,
        removedSerial,
        note: report.note?.trim() || null,
        flagged: rec.flagged,
        reportedBy: ctx.actor,
        reportedAt: ctx.now,
        fitted: {
          create: rec.lines.map((l) => ({ partId: idOf.get(l.sku)!, qty: l.fitted, staged: l.staged })),
        },
      },
    });
    return { usedQty: rec.usedOfStaged.get(sku) ?? 0, note: reconciliationNote(rec) };
  }

  /** Uses the staged part, frees the technician at the site and authorizes the returns. */
  private async complete(
    tx: Tx,
    o: LockedOrder,
    report: FieldReport,
    ctx: ActionContext,
  ): Promise<{ rmas: (ReturnRef & { rma: string })[]; fittedNote?: string }> {
    const reported = await this.report(tx, o, report, ctx);
    const usedQty = reported ? reported.usedQty : report.usedQty;
    const settle = settleReservations(o, 'consume', codeOf(o));
    await moveStock(tx, settle.moves);
    await settle.mark(tx);
    await tx.shipment.updateMany({
      where: { id: { in: o.shipments.map((s) => s.id) } },
      data: { status: 'DELIVERED' },
    });
    if (o.technicianId)
      await tx.technician.update({
        where: { id: o.technicianId },
        data: { lat: o.asset.site.lat, lon: o.asset.site.lon, availableFrom: ctx.now },
      });
    const depot = await tx.stockLocation.findFirst({
      where: { kind: 'REPAIR_DEPOT' },
      orderBy: { code: 'asc' },
    });
    const stockHomeId = o.sourceLocationId ?? o.reservations[0]?.locationId ?? depot?.id;
    if (!stockHomeId) return { rmas: [], fittedNote: reported?.note };
    const planned = returnsOnCompletion({
      qty: o.reservations.reduce((n, r) => n + r.qty, 0) || o.failureMode.partQty,
      usedQty,
      removedSerial: report.removedSerial,
      repairDepotId: depot?.id,
      stockHomeId,
    });
    // an unused part goes where the network wants it (the location whose parts-plan target it fills)
    const routed = [];
    for (const r of planned) {
      if (r.reason !== 'UNUSED') {
        routed.push(r);
        continue;
      }
      const to = await routeReturnedUnit(tx, {
        partId: o.failureMode.partId,
        origin: o.asset.site,
        oldShelfId: stockHomeId,
      });
      routed.push({ ...r, toLocationId: to.toLocationId, routeReason: to.reason });
    }
    const created = await tx.returnAuthorization.createManyAndReturn({
      data: routed.map((r) => ({ ...r, orderId: o.id, partId: o.failureMode.partId, createdBy: ctx.actor })),
      select: { id: true, number: true, reason: true },
    });
    const rmas = created.map((r) => ({
      returnId: r.id,
      orderId: o.id,
      tenantId: o.tenantId,
      reason: r.reason,
      rma: rmaCode(r.number),
    }));
    return { rmas, fittedNote: reported?.note };
  }
}

/** When a reassigned technician leaves: when free, or later when the dispatcher moved the booking later. */
const leaveAt = (availableFrom: Date, startAt: Date | undefined) =>
  startAt && startAt > availableFrom ? startAt : availableFrom;
