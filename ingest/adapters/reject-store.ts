// Dead letters: refused messages kept with their topic, reason and (truncated) raw bytes (up to a per-device cap
// a minute, ingest/core/dead-letter-cap.ts), until the retention sweep deletes them.
import type { Db } from '../../common/db.ts';
import type { RejectRecord } from '../core/journal-drainer.ts';

export interface RejectView {
  id: string;
  receivedAt: Date;
  topic: string;
  reason: string;
  detail: string;
  raw: string;
  rawBytes: number;
}

export interface RejectStore {
  addMany(records: readonly RejectRecord[]): Promise<void>;
  list(q: { limit: number; reason?: string }): Promise<RejectView[]>;
  /** Dead letters per reason, all time. */
  counts(): Promise<Record<string, number>>;
  /** Dead letters of the last minute, by the database's clock, which stamps them. */
  lastMinute(): Promise<number>;
  /** Deletes at most `limit` dead letters received before `cutoff` (oldest first); returns how many. */
  deleteOlderThan(cutoff: Date, limit: number): Promise<number>;
}

export class PrismaRejectStore implements RejectStore {
  constructor(private readonly db: Db) {}

  async addMany(records: readonly RejectRecord[]): Promise<void> {
    await this.db.ingestReject.createMany({
      data: records.map((r) => ({
        topic: r.topic,
        reason: r.reason,
        detail: r.detail,
        raw: new Uint8Array(Buffer.from(r.raw, 'base64')),
        rawBytes: r.rawBytes,
      })),
    });
  }

  async list(q: { limit: number; reason?: string }): Promise<RejectView[]> {
    const rows = await this.db.ingestReject.findMany({
      where: q.reason ? { reason: q.reason } : {},
      orderBy: { id: 'desc' },
      take: q.limit,
    });
    return rows.map((r) => ({
      id: r.id.toString(),
      receivedAt: r.receivedAt,
      topic: r.topic,
      reason: r.reason,
      detail: r.detail,
      raw: Buffer.from(r.raw).toString('base64'),
      rawBytes: Math.max(r.rawBytes, r.raw.byteLength),
    }));
  }

  async counts(): Promise<Record<string, number>> {
    const rows = await this.db.ingestReject.groupBy({ by: ['reason'], _count: { _all: true } });
    return Object.fromEntries(rows.map((r) => [r.reason, r._count._all]));
  }

  async lastMinute(): Promise<number> {
    const [row] = await this.db.$queryRaw<{ n: bigint }[]>`
      SELECT count(*) AS n FROM "IngestReject" WHERE "receivedAt" > now() - interval '1 minute'`;
    return Number(row?.n ?? 0);
  }

  async deleteOlderThan(cutoff: Date, limit: number): Promise<number> {
    const rows = await this.db.ingestReject.findMany({
      where: { receivedAt: { lt: cutoff } },
      orderBy: { receivedAt: 'asc' },
      take: limit,
      select: { id: true },
    });
    if (rows.length === 0) return 0;
    const { count } = await this.db.ingestReject.deleteMany({ where: { id: { in: rows.map((r) => r.id) } } });
    return count;
  }
}
