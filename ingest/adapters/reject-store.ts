// Dead letters: every refused message is kept with its topic, reason and (truncated) raw bytes.
import type { Db } from '../../common/db.ts';
import type { RejectReason } from '../../common/contracts/mqtt.ts';

export const RAW_KEEP_BYTES = 4_096;

export interface RejectRecord {
  topic: string;
  reason: RejectReason;
  detail: string;
  raw: Uint8Array;
}

export interface RejectStore {
  add(r: RejectRecord): Promise<void>;
  list(q: { limit: number; reason?: string }): Promise<{ id: string; receivedAt: Date; topic: string; reason: string; detail: string; raw: string; rawBytes: number }[]>;
}

export class PrismaRejectStore implements RejectStore {
  constructor(private readonly db: Db) {}

  async add(r: RejectRecord): Promise<void> {
    await this.db.ingestReject.create({
      data: {
        topic: r.topic.slice(0, 512),
        reason: r.reason,
        detail: r.detail.slice(0, 1_000),
        raw: new Uint8Array(r.raw.subarray(0, RAW_KEEP_BYTES)),
      },
    });
  }

  async list(q: { limit: number; reason?: string }) {
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
      rawBytes: r.raw.byteLength,
    }));
  }
}
