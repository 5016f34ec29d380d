// The delivery outbox in PostgreSQL (docs/adr/0012-notifications-outbox.md): a row per subscription and event,
// claimed by a worker with FOR UPDATE SKIP LOCKED under a lease, then marked sent, rescheduled or failed.
// Times come from the Clock port and are passed in (timestamps are UTC, without zone, as Prisma writes them).
import { Prisma, type Db } from '../../common/db.ts';
import type { NotifyChannel } from '../core/kinds.ts';
import type { NotificationPayload } from '../core/message.ts';
import type { ClaimedDelivery } from '../ports.ts';

export interface NewDelivery {
  subscriptionId: string;
  eventKey: string;
  kind: string;
  orderId: string;
  tenantId: string;
  payload: NotificationPayload;
}

export interface DeliveryRow {
  id: string;
  subscriptionId: string;
  kind: string;
  orderId: string;
  status: string;
  attempts: number;
  nextAttemptAt: Date | null;
  lastError: string | null;
  sentAt: Date | null;
  createdAt: Date;
  payload: NotificationPayload;
}

const utc = (d: Date) => Prisma.sql`(${d.toISOString()}::timestamptz AT TIME ZONE 'UTC')`;

export class PrismaOutbox {
  constructor(private readonly db: Db) {}

  /** Adds the deliveries due now; one that exists already (same subscription and event) is left as it is. */
  async enqueue(rows: NewDelivery[], now: Date): Promise<number> {
    if (rows.length === 0) return 0;
    const { count } = await this.db.notifyDelivery.createMany({
      data: rows.map((r) => ({
        ...r,
        payload: r.payload as unknown as Prisma.InputJsonValue,
        nextAttemptAt: now,
      })),
      skipDuplicates: true,
    });
    return count;
  }

  /**
   * Claims up to `limit` due rows: PENDING ones whose time has come, and SENDING ones whose lease ran out (the
   * worker that claimed them died). Each claim counts as an attempt. Concurrent workers skip each other's rows.
   */
  async claim(now: Date, leaseMs: number, limit: number): Promise<ClaimedDelivery[]> {
    const claimed = await this.db.$queryRaw<{ id: string }[]>`
      UPDATE "NotifyDelivery" d
         SET status = 'SENDING', attempts = d.attempts + 1, "leaseUntil" = ${utc(new Date(now.getTime() + leaseMs))}
        FROM (SELECT id FROM "NotifyDelivery"
               WHERE (status = 'PENDING' AND "nextAttemptAt" <= ${utc(now)})
                  OR (status = 'SENDING' AND "leaseUntil" <= ${utc(now)})
               ORDER BY "nextAttemptAt"
               LIMIT ${limit}
               FOR UPDATE SKIP LOCKED) due
       WHERE d.id = due.id
      RETURNING d.id`;
    if (claimed.length === 0) return [];
    const rows = await this.db.notifyDelivery.findMany({
      where: { id: { in: claimed.map((c) => c.id) } },
      include: {
        subscription: { include: { user: { select: { role: true, tenantId: true, disabledAt: true } } } },
      },
    });
    return rows.map((r) => ({
      id: r.id,
      attempts: r.attempts,
      kind: r.kind,
      tenantId: r.tenantId,
      payload: r.payload as unknown as NotificationPayload,
      channel: r.subscription.channel as NotifyChannel,
      target: r.subscription.target,
      secret: r.subscription.secret,
      subscriber: {
        role: r.subscription.user.role,
        tenantId: r.subscription.user.tenantId,
        disabled: r.subscription.user.disabledAt !== null,
      },
    }));
  }

  /** Marks a claimed batch's sent rows in one statement. */
  async sent(ids: string[], at: Date): Promise<void> {
    if (ids.length === 0) return;
    await this.db.notifyDelivery.updateMany({
      where: { id: { in: ids }, status: 'SENDING' },
      data: { status: 'SENT', sentAt: at, leaseUntil: null, lastError: null },
    });
  }

  async retryAt(id: string, nextAttemptAt: Date, error: string): Promise<void> {
    await this.db.notifyDelivery.updateMany({
      where: { id, status: 'SENDING' },
      data: { status: 'PENDING', nextAttemptAt, leaseUntil: null, lastError: error },
    });
  }

  async failed(id: string, error: string): Promise<void> {
    await this.db.notifyDelivery.updateMany({
      where: { id, status: 'SENDING' },
      data: { status: 'FAILED', leaseUntil: null, lastError: error },
    });
  }

  /** A user's delivery log, newest first. */
  async listOf(userId: string, o: { subscriptionId?: string; limit: number }): Promise<DeliveryRow[]> {
    const rows = await this.db.notifyDelivery.findMany({
      where: { subscription: { userId }, ...(o.subscriptionId ? { subscriptionId: o.subscriptionId } : {}) },
      orderBy: { createdAt: 'desc' },
      take: o.limit,
    });
    return rows.map((r) => ({
      ...r,
      nextAttemptAt: r.status === 'PENDING' ? r.nextAttemptAt : null,
      payload: r.payload as unknown as NotificationPayload,
    }));
  }
}
