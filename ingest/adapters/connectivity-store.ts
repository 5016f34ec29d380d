// Records connectivity changes (birth / last will) of assets: the basis of availability.
import type { Db } from '../../common/db.ts';

export interface ConnectivityStore {
  record(assetId: string, online: boolean, at: Date): Promise<void>;
}

export class PrismaConnectivityStore implements ConnectivityStore {
  constructor(private readonly db: Db) {}

  /** One statement, so the asset's flag and its event history never disagree. */
  async record(assetId: string, online: boolean, at: Date): Promise<void> {
    await this.db.$executeRaw`WITH changed AS (
        UPDATE "Asset" SET online = ${online}, "lastSeenAt" = GREATEST("lastSeenAt", ${at}) WHERE id = ${assetId} RETURNING id)
      INSERT INTO "AssetStateEvent" ("assetId", at, kind, value)
      SELECT id, ${at}, 'connectivity', ${online ? 'online' : 'offline'} FROM changed`;
  }
}
