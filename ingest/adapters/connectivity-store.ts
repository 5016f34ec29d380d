// Records status messages of assets: their connectivity (birth / last will) and, when reported, the machine's own
// condition (up / degraded / down). Only the condition is downtime in availability (docs/adr/0028).
import type { MachineCondition } from '../../common/contracts/mqtt.ts';
import type { Db } from '../../common/db.ts';
import { statusRecordedAt } from '../core/status-time.ts';

export interface StatusDetail {
  /** The machine's condition, when the message reports one. */
  condition?: MachineCondition | undefined;
  /** When ingest took the message: a last will (dated at its connection's start) is recorded then. */
  receivedAt?: Date | undefined;
}

export interface ConnectivityStore {
  record(assetId: string, online: boolean, at: Date, detail?: StatusDetail): Promise<void>;
}

export class PrismaConnectivityStore implements ConnectivityStore {
  constructor(private readonly db: Db) {}

  /** The write is one statement, so the asset's flag and its event history never disagree. */
  async record(assetId: string, online: boolean, at: Date, detail: StatusDetail = {}): Promise<void> {
    const condition = detail.condition ?? null;
    let recordAt = at;
    if (!online && detail.receivedAt) {
      const last = await this.db.assetStateEvent.findFirst({
        where: { assetId, kind: 'connectivity', value: 'online' },
        orderBy: { at: 'desc' },
        select: { at: true },
      });
      recordAt = new Date(
        statusRecordedAt(
          { online, at: at.getTime(), receivedAt: detail.receivedAt.getTime() },
          last?.at.getTime(),
        ),
      );
    }
    await this.db.$executeRaw`WITH changed AS (
        UPDATE "Asset" SET online = ${online}, "lastSeenAt" = GREATEST("lastSeenAt", ${recordAt}) WHERE id = ${assetId} RETURNING id),
      link AS (
        INSERT INTO "AssetStateEvent" ("assetId", at, kind, value)
        SELECT id, ${recordAt}, 'connectivity', ${online ? 'online' : 'offline'} FROM changed)
      INSERT INTO "AssetStateEvent" ("assetId", at, kind, value)
      SELECT id, ${recordAt}, 'condition', ${condition}::text FROM changed WHERE ${condition}::text IS NOT NULL`;
  }
}
