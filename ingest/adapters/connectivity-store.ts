// Records connectivity changes (birth / last will) of assets: the basis of availability.
import type { Db } from '../../common/db.ts';

export interface ConnectivityStore {
  record(assetId: string, online: boolean, at: Date): Promise<void>;
}

export class PrismaConnectivityStore implements ConnectivityStore {
  constructor(private readonly db: Db) {}

  async record(assetId: string, online: boolean, at: Date): Promise<void> {
    await this.db.$transaction([
      this.db.asset.update({ where: { id: assetId }, data: { online, lastSeenAt: at } }),
      this.db.assetStateEvent.create({ data: { assetId, at, kind: 'connectivity', value: online ? 'online' : 'offline' } }),
    ]);
  }
}
