// Records status messages of assets: their connectivity (birth / last will) and, when reported, the machine's own
// condition (up / degraded / down). Only the condition is downtime in availability (docs/adr/0028).
import type { MachineCondition } from '../../common/contracts/mqtt.ts';
import type { Db } from '../../common/db.ts';

export interface ConnectivityStore {
  record(assetId: string, online: boolean, at: Date, condition?: MachineCondition): Promise<void>;
}

export class PrismaConnectivityStore implements ConnectivityStore {
  constructor(private readonly db: Db) {}

  /** One statement, so the asset's flag and its event history never disagree. */
  async record(assetId: string, online: boolean, at: Date, condition?: MachineCondition): Promise<void> {
    await this.db.$executeRaw`WITH changed AS (
        UPDATE "Asset" SET online = ${online}, "lastSeenAt" = GREATEST("lastSeenAt", ${at}) WHERE id = ${assetId} RETURNING id),
      link AS (
        INSERT INTO "AssetStateEvent" ("assetId", at, kind, value)
        SELECT id, ${at}, 'connectivity', ${online ? 'online' : 'offline'} FROM changed)
      INSERT INTO "AssetStateEvent" ("assetId", at, kind, value)
      SELECT id, ${at}, 'condition', ${condition ?? null}::text FROM changed WHERE ${condition ?? null}::text IS NOT NULL`;
  }
}
