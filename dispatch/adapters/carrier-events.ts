// CarrierEvents: a carrier's tracking events applied to a shipment, once per carrier and event id, in one
// transaction on the locked shipment (a replay or a concurrent duplicate changes nothing).
import type { Db } from '../../common/db.ts';
import { AppError } from '../../common/errors.ts';
import {
  applyTrackingEvent,
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
}

export class PrismaCarrierEvents {
  constructor(private readonly db: Db) {}

  async record(carrier: string, e: CarrierEventInput): Promise<RecordedEvent> {
    return this.db.$transaction(async (tx) => {
      const rows = await tx.$queryRaw<
        { id: string }[]
      >`SELECT id FROM "Shipment" WHERE id = ${e.shipmentId} FOR UPDATE`;
      if (rows.length === 0) throw new AppError('NOT_FOUND', 'no such shipment');
      const s = await tx.shipment.findUniqueOrThrow({
        where: { id: e.shipmentId },
        include: { order: { select: { id: true, tenantId: true } } },
      });
      const base = { orderId: s.order?.id ?? null, tenantId: s.order?.tenantId ?? null };
      const inserted = await tx.$executeRaw`INSERT INTO "CarrierEvent"
          (id, carrier, "eventId", "shipmentId", kind, at, detail, "receivedAt")
        VALUES (gen_random_uuid()::text, ${carrier}, ${e.eventId}, ${e.shipmentId},
          ${e.kind}::"TrackingState", ${e.at}, ${e.detail ?? null}, now())
        ON CONFLICT (carrier, "eventId") DO NOTHING`;
      if (inserted === 0) return { duplicate: true, state: s.trackingState, problem: null, ...base };
      const out = applyTrackingEvent(s.trackingState, e, s.readyAt);
      if (out.changed)
        await tx.shipment.update({
          where: { id: s.id },
          data: { trackingState: out.state, trackingAt: e.at },
        });
      return { duplicate: false, state: out.state, problem: out.problem, ...base };
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
