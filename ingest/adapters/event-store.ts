// Equipment error codes sent on `t/{tenant}/a/{asset}/events`: stored per asset and tenant, each (asset, ts, code)
// once (a replayed journal batch writes nothing twice).
import type { Db } from '../../common/db.ts';
import type { EventRecord } from '../core/journal-drainer.ts';

export interface AssetEventView {
  assetId: string;
  ts: Date;
  code: string;
  severity: string;
}

export interface EventStore {
  addMany(records: readonly EventRecord[]): Promise<void>;
  /** One tenant's events of one asset (or all its assets), newest first. */
  list(q: { tenantId: string; assetId?: string; limit: number }): Promise<AssetEventView[]>;
}

export class PrismaEventStore implements EventStore {
  constructor(private readonly db: Db) {}

  async addMany(records: readonly EventRecord[]): Promise<void> {
    await this.db.assetEvent.createMany({
      data: records.map((r) => ({
        tenantId: r.tenantId,
        assetId: r.assetId,
        ts: new Date(r.ts),
        code: r.code,
        severity: r.severity,
      })),
      skipDuplicates: true,
    });
  }

  async list(q: { tenantId: string; assetId?: string; limit: number }): Promise<AssetEventView[]> {
    const rows = await this.db.assetEvent.findMany({
      where: { tenantId: q.tenantId, ...(q.assetId ? { assetId: q.assetId } : {}) },
      orderBy: [{ ts: 'desc' }, { id: 'desc' }],
      take: q.limit,
    });
    return rows.map((r) => ({ assetId: r.assetId, ts: r.ts, code: r.code, severity: r.severity }));
  }
}
