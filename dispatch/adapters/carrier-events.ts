// CarrierEvents: a carrier's tracking events applied to a shipment, once per carrier and event id, in one
// transaction on the locked shipment (a replay or a concurrent duplicate changes nothing).
import type { Db } from '../../common/db.ts';
import type { ConsignmentProblem } from '../../common/events.ts';
import { rmaCode } from '../core/returns.ts';
import { transferCode } from '../core/transfer-document.ts';
import type { Tx } from './order-tx.ts';
import { resolveConsignment } from './consignment-ref.ts';
import { bookInTransfer } from './parts-plan-store.ts';
import { bookInReturn } from './return-store.ts';
import { AppError } from '../../common/errors.ts';
import { writeAudit } from '../../common/audit-log.ts';
import {
  applyConsignmentEvent,
  applyTrackingEvent,
  leftSource,
  parseCarrierReference,
  overdueProblem,
  type ShipmentProblemFacts,
  type TrackingEventKind,
  type TrackingOutcome,
  type TrackingState,
} from '../core/carrier.ts';

export interface CarrierEventInput {
  eventId: string;
  shipmentId: string;
  kind: TrackingEventKind;
  at: Date;
  detail?: string;
}

export interface RecordedEvent {
  duplicate: boolean;
  state: TrackingState;
  problem: TrackingOutcome['problem'];
  orderId: string | null;
  tenantId: string | null;
  /** A stock transfer or a return shipment failed (an exception): the planners are told. */
  consignmentProblem?: ConsignmentProblem;
  /**
   * The failed transfer carried units reserved in transit: the orders they serve, to re-plan as for a failed
   * shipment of theirs (shipment.problem with the transfer's id).
   */
  transferOrders?: { orderId: string; tenantId: string }[];
}

/** Who the audit log names for what a carrier's event did. */
const carrierActor = (carrier: string) => ({ id: `carrier:${carrier}`, email: `carrier ${carrier}` });

export class PrismaCarrierEvents {
  /** `consignmentCarrier`: the one carrier whose events are taken on transfers and returns (CONSIGNMENT_CARRIER). */
  constructor(
    private readonly db: Db,
    private readonly consignmentCarrier?: string,
  ) {}

  async record(carrier: string, e: CarrierEventInput): Promise<RecordedEvent> {
    const target = await this.resolve(e.shipmentId);
    // the platform's own consignments travel with the carrier it names, when it names one
    if (
      target &&
      target.kind !== 'shipment' &&
      this.consignmentCarrier &&
      carrier !== this.consignmentCarrier
    )
      throw new AppError('NOT_FOUND', 'no such shipment for this carrier');
    if (target?.kind === 'transfer') return this.recordTransfer(carrier, target.id, e);
    if (target?.kind === 'return') return this.recordReturn(carrier, target.id, e);
    return this.db.$transaction(async (tx) => {
      const rows = await tx.$queryRaw<
        { id: string }[]
      >`SELECT id FROM "Shipment" WHERE id = ${e.shipmentId} FOR UPDATE`;
      if (rows.length === 0) throw new AppError('NOT_FOUND', 'no such shipment');
      const s = await tx.shipment.findUniqueOrThrow({
        where: { id: e.shipmentId },
        include: { order: { select: { id: true, tenantId: true } } },
      });
      // the carrier of its first event carries it: another carrier's events about it are not its to report
      // (the row lock above orders concurrent first events)
      const [first] = await tx.$queryRaw<{ carrier: string }[]>`SELECT carrier FROM "CarrierEvent"
        WHERE "shipmentId" = ${e.shipmentId} ORDER BY "receivedAt", id LIMIT 1`;
      if (first && first.carrier !== carrier)
        throw new AppError('NOT_FOUND', 'no such shipment for this carrier');
      const base = { orderId: s.order?.id ?? null, tenantId: s.order?.tenantId ?? null };
      const inserted = await tx.$executeRaw`INSERT INTO "CarrierEvent"
          (id, carrier, "eventId", "shipmentId", kind, at, detail, "receivedAt")
        VALUES (gen_random_uuid()::text, ${carrier}, ${e.eventId}, ${e.shipmentId},
          ${e.kind}::"TrackingState", ${e.at}, ${e.detail ?? null}, now())
        ON CONFLICT (carrier, "eventId") DO NOTHING`;
      if (inserted === 0) return { duplicate: true, state: s.trackingState, problem: null, ...base };
      const out = applyTrackingEvent(s.trackingState, e, s.readyAt);
      // a re-planned shipment whose unit was written off as lost turns up after all: back into serviceable stock
      const turnedUp =
        out.changed &&
        out.state === 'DELIVERED' &&
        s.status === 'CANCELLED' &&
        s.problemAt !== null &&
        leftSource(s.trackingState);
      if (turnedUp)
        await tx.$executeRaw`INSERT INTO "StockLevel" ("locationId", "partId", "onHand", reserved, "updatedAt")
          VALUES (${s.toLocationId}, ${s.partId}, ${s.qty}, 0, now())
          ON CONFLICT ("locationId", "partId") DO UPDATE SET "onHand" = "StockLevel"."onHand" + ${s.qty},
            "updatedAt" = now()`;
      // once re-planned (cancelled), a shipment raises no more problems
      const problem = s.status === 'CANCELLED' || s.problemAt ? null : out.problem;
      if (out.changed)
        await tx.shipment.update({
          where: { id: s.id },
          data: {
            trackingState: out.state,
            trackingAt: e.at,
            ...(problem ? { problemAt: e.at } : {}),
          },
        });
      return { duplicate: false, state: out.state, problem, ...base };
    });
  }

  /** What a carrier's reference names: an order's shipment by id, else a stock transfer or a return. */
  private async resolve(
    ref: string,
  ): Promise<{ kind: 'transfer' | 'return' | 'shipment'; id: string } | null> {
    const r = parseCarrierReference(ref);
    if (r.kind === 'id' && (await this.db.shipment.findUnique({ where: { id: r.id }, select: { id: true } })))
      return { kind: 'shipment', id: r.id };
    return resolveConsignment(this.db, ref);
  }

  /** Stores the event once per (carrier, event id); false: seen before. */
  private async insertOnce(
    tx: Tx,
    carrier: string,
    e: CarrierEventInput,
    ref: { transferId?: string; returnId?: string },
  ): Promise<boolean> {
    const inserted = await tx.$executeRaw`INSERT INTO "CarrierEvent"
        (id, carrier, "eventId", "transferId", "returnId", kind, at, detail, "receivedAt")
      VALUES (gen_random_uuid()::text, ${carrier}, ${e.eventId}, ${ref.transferId ?? null}, ${ref.returnId ?? null},
        ${e.kind}::"TrackingState", ${e.at}, ${e.detail ?? null}, now())
      ON CONFLICT (carrier, "eventId") DO NOTHING`;
    return inserted === 1;
  }

  /**
   * A stock transfer's event (a parts plan's move, or a returned unit's way from the depot): delivered → its units
   * are booked in at the destination (in transit → serviceable); an exception is reported once.
   */
  private recordTransfer(carrier: string, id: string, e: CarrierEventInput): Promise<RecordedEvent> {
    return this.db.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT id FROM "StockTransfer" WHERE id = ${id} FOR UPDATE`;
      const t = await tx.stockTransfer.findUniqueOrThrow({
        where: { id },
        include: {
          fromLocation: { select: { code: true } },
          toLocation: { select: { code: true } },
          part: { select: { sku: true } },
        },
      });
      const base = { orderId: null, tenantId: null };
      // another carrier's parcel is not this carrier's to report on
      if (t.carrier !== null && t.carrier !== carrier)
        throw new AppError('NOT_FOUND', 'no such shipment for this carrier');
      if (!(await this.insertOnce(tx, carrier, e, { transferId: id })))
        return { duplicate: true, state: t.trackingState, problem: null, ...base };
      const out = applyConsignmentEvent(
        {
          trackingState: t.trackingState,
          bookedIn: t.status === 'RECEIVED',
          problemAt: t.problemAt,
          writtenOff: t.status === 'WRITTEN_OFF',
        },
        e,
      );
      const code = transferCode(t.number);
      const units = { code, sku: t.part.sku, qty: t.qty, from: t.fromLocation.code, to: t.toLocation.code };
      if (out.bookIn) {
        await bookInTransfer(tx, id, `carrier ${carrier}`, e.at);
        // written off as lost, then delivered after all: the units are stock at the destination (recorded)
        if (t.status === 'WRITTEN_OFF')
          await writeAudit(tx, carrierActor(carrier), {
            action: 'stock.turned-up',
            target: { id, label: `transfer ${code}` },
            before: { status: 'WRITTEN_OFF', writeOffReason: t.writeOffReason },
            after: { status: 'RECEIVED', at: e.at.toISOString(), ...units },
          });
      }
      const writeOffReason = `carrier exception: ${e.detail ?? 'no detail'}`;
      await tx.stockTransfer.update({
        where: { id },
        data: {
          carrier,
          ...(out.changed ? { trackingState: out.state, trackingAt: e.at } : {}),
          ...(out.problem ? { problemAt: e.at } : {}),
          // lost or damaged: out of the in-transit count (status), never stock anywhere
          ...(out.writeOff ? { status: 'WRITTEN_OFF', writtenOffAt: e.at, writeOffReason } : {}),
        },
      });
      if (out.writeOff)
        await writeAudit(tx, carrierActor(carrier), {
          action: 'stock.written-off',
          target: { id, label: `transfer ${code}` },
          before: { status: t.status, trackingState: t.trackingState },
          after: { status: 'WRITTEN_OFF', reason: writeOffReason, at: e.at.toISOString(), ...units },
        });
      const served = out.problem
        ? await tx.reservation.findMany({
            where: { transferId: id, status: 'HELD' },
            select: { order: { select: { id: true, tenantId: true } } },
            distinct: ['orderId'],
          })
        : [];
      return {
        duplicate: false,
        state: out.state,
        problem: out.problem && served.length > 0 ? out.problem : null,
        ...base,
        ...(served.length > 0
          ? { transferOrders: served.map((r) => ({ orderId: r.order.id, tenantId: r.order.tenantId })) }
          : {}),
        ...(out.problem
          ? {
              consignmentProblem: {
                kind: 'TRANSFER' as const,
                id,
                code,
                from: t.fromLocation.code,
                to: t.toLocation.code,
                sku: t.part.sku,
                qty: t.qty,
                reason: out.problem.reason,
              },
            }
          : {}),
      };
    });
  }

  /** A return shipment's event: delivered → received at its destination (an unused part back in stock). */
  private recordReturn(carrier: string, id: string, e: CarrierEventInput): Promise<RecordedEvent> {
    return this.db.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT id FROM "ReturnAuthorization" WHERE id = ${id} FOR UPDATE`;
      const r = await tx.returnAuthorization.findUniqueOrThrow({
        where: { id },
        include: {
          toLocation: { select: { code: true } },
          part: { select: { sku: true } },
          order: { select: { id: true, tenantId: true, asset: { select: { name: true } } } },
        },
      });
      const base = { orderId: r.order.id, tenantId: r.order.tenantId };
      if (r.carrier !== null && r.carrier !== carrier)
        throw new AppError('NOT_FOUND', 'no such shipment for this carrier');
      if (!(await this.insertOnce(tx, carrier, e, { returnId: id })))
        return { duplicate: true, state: r.trackingState, problem: null, ...base };
      const out = applyConsignmentEvent(
        {
          trackingState: r.trackingState,
          bookedIn: r.receivedAt !== null,
          problemAt: null,
          writtenOff: r.writtenOffAt !== null,
        },
        e,
      );
      const code = rmaCode(r.number);
      const units = { code, sku: r.part.sku, qty: r.qty, returnReason: r.reason, to: r.toLocation.code };
      // an exception on a return is reported each time the state changes to it (no problemAt on returns)
      if (out.bookIn) {
        await bookInReturn(tx, id, e.at);
        if (r.writtenOffAt)
          await writeAudit(tx, carrierActor(carrier), {
            action: 'stock.turned-up',
            target: { id, label: `return ${code}` },
            before: { writtenOffAt: r.writtenOffAt.toISOString(), writeOffReason: r.writeOffReason },
            after: { receivedAt: e.at.toISOString(), ...units },
          });
      }
      const writeOffReason = `carrier exception: ${e.detail ?? 'no detail'}`;
      await tx.returnAuthorization.update({
        where: { id },
        data: {
          carrier,
          ...(out.changed ? { trackingState: out.state, trackingAt: e.at } : {}),
          // lost or damaged: no longer on its way (an unused part is not counted at its destination any more)
          ...(out.writeOff ? { writtenOffAt: e.at, writeOffReason } : {}),
        },
      });
      if (out.writeOff)
        await writeAudit(tx, carrierActor(carrier), {
          action: 'stock.written-off',
          target: { id, label: `return ${code}` },
          before: { trackingState: r.trackingState },
          after: { reason: writeOffReason, at: e.at.toISOString(), ...units },
        });
      return {
        duplicate: false,
        state: out.state,
        problem: null,
        ...base,
        ...(out.problem
          ? {
              consignmentProblem: {
                kind: 'RETURN' as const,
                id,
                code,
                from: r.order.asset.name,
                to: r.toLocation.code,
                sku: r.part.sku,
                qty: r.qty,
                reason: out.problem.reason,
              },
            }
          : {}),
      };
    });
  }

  /**
   * Shipments of orders waiting for their parts that were not delivered by their readyAt and not reported yet:
   * each is marked reported (problemAt) in the same statement, so one sweep reports it once.
   */
  async overdue(
    now: Date,
  ): Promise<(ShipmentProblemFacts & { shipmentId: string; orderId: string; tenantId: string })[]> {
    const rows = await this.db.$queryRaw<
      { id: string; orderId: string; tenantId: string; trackingState: TrackingState; readyAt: Date }[]
    >`SELECT s.id, s."orderId", o."tenantId", s."trackingState"::text AS "trackingState", s."readyAt"
      FROM "Shipment" s JOIN "ServiceOrder" o ON o.id = s."orderId"
      WHERE s."readyAt" < ${now} AND s."problemAt" IS NULL AND s.status IN ('PLANNED', 'IN_TRANSIT')
        AND s."trackingState" IN ('AWAITING_PICKUP', 'PICKED_UP', 'IN_TRANSIT')
        AND o.status IN ('PLANNED', 'PARTS_IN_TRANSIT')
      ORDER BY s."readyAt" LIMIT 200`;
    const out = [];
    for (const r of rows) {
      const problem = overdueProblem({ ...r, problemAt: null }, now);
      if (!problem) continue;
      const n = await this.db.shipment.updateMany({
        where: { id: r.id, problemAt: null },
        data: { problemAt: now },
      });
      if (n.count === 1) out.push({ ...problem, shipmentId: r.id, orderId: r.orderId, tenantId: r.tenantId });
    }
    return out;
  }

  /**
   * The code of the location a shipment comes from; for a failed stock transfer carrying an order's unit, its
   * destination (where the order counted on drawing the unit).
   */
  async sourceOf(shipmentId: string): Promise<string | null> {
    const s = await this.db.shipment.findUnique({
      where: { id: shipmentId },
      select: { fromLocation: { select: { code: true } } },
    });
    if (s) return s.fromLocation.code;
    const t = await this.db.stockTransfer.findUnique({
      where: { id: shipmentId },
      select: { toLocation: { select: { code: true } } },
    });
    return t?.toLocation.code ?? null;
  }

  /**
   * Before the order is re-planned: a unit that has left its shelf (picked up, in transit, exception) is written off
   * as lost in transit — its reservation consumed, the source's stock reduced — and the shipment cancelled, so the
   * re-plan does not count it back on the shelf. A unit never picked up stays reserved (the re-plan releases it).
   */
  async writeOffInTransit(shipmentId: string, now: Date): Promise<boolean> {
    return this.db.$transaction(async (tx) => {
      const rows = await tx.$queryRaw<
        { id: string }[]
      >`SELECT id FROM "Shipment" WHERE id = ${shipmentId} FOR UPDATE`;
      if (rows.length === 0) return false;
      const s = await tx.shipment.findUniqueOrThrow({ where: { id: shipmentId } });
      if (!s.orderId || s.status === 'CANCELLED' || s.status === 'DELIVERED' || !leftSource(s.trackingState))
        return false;
      const held = await tx.reservation.findMany({
        where: {
          orderId: s.orderId,
          locationId: s.fromLocationId,
          partId: s.partId,
          status: 'HELD',
          transferId: null,
        },
      });
      const qty = held.reduce((n, r) => n + r.qty, 0);
      if (qty > 0) {
        await tx.$executeRaw`UPDATE "StockLevel" SET "onHand" = "onHand" - ${qty}, reserved = reserved - ${qty},
            refurbished = LEAST(refurbished, "onHand" - ${qty}), "updatedAt" = now()
          WHERE "locationId" = ${s.fromLocationId} AND "partId" = ${s.partId}`;
        await tx.reservation.updateMany({
          where: { id: { in: held.map((r) => r.id) } },
          data: { status: 'CONSUMED' },
        });
      }
      await tx.shipment.update({
        where: { id: s.id },
        data: { status: 'CANCELLED', problemAt: s.problemAt ?? now },
      });
      return true;
    });
  }

  /**
   * Flags an open order whose parts are late or lost for re-planning: off time, the reason on the board, escalated
   * (once), and a line in its history. Returns false when the order is no longer waiting for its parts.
   */
  async flagForReplan(orderId: string, reason: string, now: Date): Promise<boolean> {
    return this.db.$transaction(async (tx) => {
      const [o] = await tx.$queryRaw<{ status: string }[]>`
        UPDATE "ServiceOrder" SET "onTime" = false, "verdictReason" = ${`re-plan: ${reason}`},
          "escalatedAt" = COALESCE("escalatedAt", ${now}), "updatedAt" = now()
        WHERE id = ${orderId} AND status IN ('PLANNED', 'PARTS_IN_TRANSIT', 'PARTS_STAGED')
        RETURNING status::text AS status`;
      if (!o) return false;
      await tx.orderEvent.create({
        data: {
          orderId,
          status: o.status as 'PLANNED',
          action: 'replan',
          actor: 'carrier',
          note: `re-plan: ${reason}`,
        },
      });
      return true;
    });
  }
}
