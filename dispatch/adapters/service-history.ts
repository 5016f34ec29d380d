// Reads the closed orders of an asset or of every asset (of one tenant or all), newest close first.
import type { Db, Prisma } from '../../common/db.ts';
import {
  partsFitted,
  workDone,
  type ClosedStatus,
  type HistoryFilter,
  type ServiceHistoryEntry,
} from '../core/service-history.ts';

const include = {
  asset: { select: { name: true } },
  failureMode: { select: { name: true, partQty: true, part: { select: { sku: true, name: true } } } },
  technician: { select: { code: true, name: true } },
  reservations: {
    where: { status: 'CONSUMED' as const },
    include: { part: { select: { sku: true, name: true } } },
  },
  events: { where: { status: 'ON_SITE' as const }, orderBy: { at: 'asc' as const }, take: 1 },
} satisfies Prisma.ServiceOrderInclude;

export class ServiceHistory {
  constructor(private readonly db: Db) {}

  async list(
    q: HistoryFilter & { tenantId?: string; assetId?: string; limit: number },
  ): Promise<ServiceHistoryEntry[]> {
    const closedAt = { ...(q.from ? { gte: q.from } : {}), ...(q.to ? { lte: q.to } : {}) };
    const rows = await this.db.serviceOrder.findMany({
      where: {
        status: { in: q.status },
        ...(q.tenantId ? { tenantId: q.tenantId } : {}),
        ...(q.assetId ? { assetId: q.assetId } : {}),
        ...(q.from || q.to ? { closedAt } : {}),
      },
      include,
      orderBy: [{ closedAt: { sort: 'desc', nulls: 'last' } }, { number: 'desc' }],
      take: q.limit,
    });
    return rows.map((o) => {
      const status = o.status as ClosedStatus;
      return {
        orderId: o.id,
        number: o.number,
        tenantId: o.tenantId,
        assetId: o.assetId,
        assetName: o.asset.name,
        failureMode: o.failureMode.name,
        status,
        work: workDone(status, o.failureMode.name, o.cancelReason),
        cancelReason: o.cancelReason,
        partsFitted: partsFitted(
          status,
          o.reservations.map((r) => ({ sku: r.part.sku, name: r.part.name, qty: r.qty })),
          { ...o.failureMode.part, qty: o.failureMode.partQty },
        ),
        technician: o.technician ? `${o.technician.code} ${o.technician.name}` : null,
        raisedAt: o.createdAt.toISOString(),
        acceptedAt: o.acceptedAt?.toISOString() ?? null,
        onSiteAt: o.events[0]?.at.toISOString() ?? null,
        closedAt: o.closedAt?.toISOString() ?? null,
        acceptedBy: o.acceptedBy,
      };
    });
  }
}
