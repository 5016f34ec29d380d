// AssetDirectory: the assets ingest accepts, cached in memory and refreshed when an unknown asset shows up.
import type { Db } from '../../common/db.ts';
import type { AssetInfo } from '../core/parse-message.ts';

export interface AssetDirectory {
  get(assetId: string): AssetInfo | undefined;
  /** Reloads when `assetId` is unknown and the last reload is old enough (a newly added asset's first message). */
  ensure(assetId: string): Promise<void>;
  refresh(): Promise<void>;
}

export class PrismaAssetDirectory implements AssetDirectory {
  private assets = new Map<string, AssetInfo>();
  private lastRefresh = 0;
  private refreshing: Promise<void> | undefined;

  constructor(
    private readonly db: Db,
    private readonly minRefreshMs = 5_000,
  ) {}

  get(assetId: string): AssetInfo | undefined {
    return this.assets.get(assetId);
  }

  async ensure(assetId: string): Promise<void> {
    if (this.assets.has(assetId)) return;
    if (this.refreshing) return this.refreshing.catch(() => undefined);
    if (Date.now() - this.lastRefresh > this.minRefreshMs) await this.refresh().catch(() => undefined);
  }

  refresh(): Promise<void> {
    this.refreshing ??= this.load().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async load(): Promise<void> {
    this.lastRefresh = Date.now();
    // a decommissioned asset's messages are refused (unknown asset) even if something still sends them
    const rows = await this.db.asset.findMany({
      where: { decommissionedAt: null },
      select: {
        id: true,
        tenantId: true,
        tenant: { select: { slug: true } },
        equipmentModelId: true,
        equipmentModel: { select: { metrics: true } },
      },
    });
    // one metrics map per equipment model, so parse-message compiles its checks once per model and reload
    const models = new Map<string, AssetInfo['metrics']>();
    const metricsOf = (a: (typeof rows)[number]) => {
      let m = models.get(a.equipmentModelId);
      if (!m) {
        m = new Map(a.equipmentModel.metrics.map((x) => [x.name, { min: x.minValid, max: x.maxValid }]));
        models.set(a.equipmentModelId, m);
      }
      return m;
    };
    this.assets = new Map(
      rows.map((a) => [
        a.id,
        { assetId: a.id, tenantId: a.tenantId, tenantSlug: a.tenant.slug, metrics: metricsOf(a) },
      ]),
    );
  }
}
