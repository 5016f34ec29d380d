// Reads what a notification says about an order (read-only, from the shared schema; notify writes no order).
import type { Db } from '../../common/db.ts';
import type { OrderFacts } from '../core/message.ts';
import type { OrderFactsReader } from '../ports.ts';

export class PrismaOrderFacts implements OrderFactsReader {
  constructor(private readonly db: Db) {}

  async get(orderId: string): Promise<OrderFacts | null> {
    const o = await this.db.serviceOrder.findUnique({
      where: { id: orderId },
      select: {
        id: true,
        number: true,
        tenantId: true,
        assetId: true,
        status: true,
        etaAt: true,
        asset: { select: { name: true, site: { select: { name: true } } } },
        failureMode: { select: { name: true } },
        technician: { select: { name: true } },
      },
    });
    if (!o) return null;
    return {
      id: o.id,
      number: o.number,
      tenantId: o.tenantId,
      assetId: o.assetId,
      assetName: o.asset.name,
      siteName: o.asset.site.name,
      failureMode: o.failureMode.name,
      status: o.status,
      etaAt: o.etaAt,
      technician: o.technician?.name ?? null,
    };
  }
}
