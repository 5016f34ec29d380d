// The read model of service orders as dispatchers and customers see them (LiveOrder of the socket.io contract).
import type { Db, Prisma } from '../../common/db.ts';
import type { LiveOrder } from '../../common/contracts/live.ts';
import { allowedActions, nextStatus } from '../core/lifecycle.ts';
import { customerStatus } from '../core/order-closure.ts';
import { stateOf } from './order-tx.ts';

const include = {
  asset: { select: { name: true } },
  failureMode: { select: { name: true, partQty: true, part: { select: { sku: true } } } },
  technician: { select: { code: true, name: true } },
  pickupLocation: { select: { code: true } },
  sourceLocation: { select: { code: true } },
  reservations: { select: { status: true }, orderBy: { createdAt: 'desc' as const }, take: 1 },
} satisfies Prisma.ServiceOrderInclude;

type Row = Prisma.ServiceOrderGetPayload<{ include: typeof include }>;

function toLive(o: Row): LiveOrder {
  return {
    id: o.id,
    number: o.number,
    tenantId: o.tenantId,
    assetId: o.assetId,
    assetName: o.asset.name,
    failureMode: o.failureMode.name,
    status: o.status,
    slaTier: o.slaTier,
    expectedFailureAt: o.expectedFailureAt.toISOString(),
    dueBy: o.dueBy.toISOString(),
    riskCleared: o.riskCleared,
    technician: o.technician ? `${o.technician.code} ${o.technician.name}` : null,
    pickup: o.pickupLocation?.code ?? null,
    source: o.sourceLocation?.code ?? null,
    partsReadyAt: o.partsReadyAt?.toISOString() ?? null,
    etaAt: o.etaAt?.toISOString() ?? null,
    onTime: o.onTime,
    lateByMinutes: o.lateByMinutes,
    verdictReason: o.verdictReason,
    escalated:
      o.escalatedAt !== null && o.onTime === false && o.status !== 'CANCELLED' && o.status !== 'COMPLETED',
    part: { sku: o.failureMode.part.sku, qty: o.failureMode.partQty },
    reservationStatus: o.reservations[0]?.status ?? null,
    acceptedBy: o.acceptedBy,
    actions: allowedActions(stateOf(o)),
    nextStatus: nextStatus(stateOf(o)),
    closedAt: o.closedAt?.toISOString() ?? null,
    cancelReason: o.cancelReason,
    snoozeUntil: o.snoozeUntil?.toISOString() ?? null,
    customerStatus: customerStatus(o),
  };
}

export interface OrderHistoryEntry {
  at: string;
  status: string;
  action: string;
  actor: string;
  note: string | null;
}

export class OrderView {
  constructor(private readonly db: Db) {}

  async list(q: { tenantId?: string; status?: string[]; limit: number }): Promise<LiveOrder[]> {
    const rows = await this.db.serviceOrder.findMany({
      where: {
        ...(q.tenantId ? { tenantId: q.tenantId } : {}),
        ...(q.status ? { status: { in: q.status as never } } : {}),
      },
      include,
      orderBy: [{ dueBy: 'asc' }],
      take: q.limit,
    });
    return rows.map(toLive);
  }

  async get(id: string): Promise<LiveOrder | undefined> {
    const row = await this.db.serviceOrder.findUnique({ where: { id }, include });
    return row ? toLive(row) : undefined;
  }

  /** Every change of the order, oldest first: status, what happened, who and when. */
  async history(id: string): Promise<OrderHistoryEntry[]> {
    const rows = await this.db.orderEvent.findMany({
      where: { orderId: id },
      orderBy: [{ at: 'asc' }, { id: 'asc' }],
    });
    return rows.map((e) => ({
      at: e.at.toISOString(),
      status: e.status,
      action: e.action,
      actor: e.actor,
      note: e.note,
    }));
  }
}
