// PredictionStore: model versions, assets, the parts network and the writes of the predict module, on
// PostgreSQL through Prisma.
import type { Db } from '../../common/db.ts';
import type { ModelKind } from '../core/models/params.ts';
import type { CrewMember, StockSite } from '../core/order-horizon.ts';

/** Order statuses in which a technician is booked on the job. */
const BOOKED_STATUSES = [
  'PLANNED',
  'PARTS_IN_TRANSIT',
  'PARTS_STAGED',
  'TECHNICIAN_EN_ROUTE',
  'ON_SITE',
] as const;

export interface ModelVersionInfo {
  versionId: string;
  modelId: string;
  label: string;
  kind: ModelKind;
  equipmentModelId: string;
  failureModeId: string;
  failureModeName: string;
  /** The part the failure mode needs (for the parts lead time of the order horizon). */
  partId: string;
  partQty: number;
  /** The skill the repair needs (for the technician lead time of the order horizon). */
  skill: string;
  status: 'ACTIVE' | 'SHADOW';
  params: unknown;
  /** The names a completed order of this failure mode goes by in maintenance records (mode key, part SKU). */
  maintenanceKeys?: string[];
}

/** A component replaced on an asset: by a completed order or in an imported fleet history. */
export interface MaintenanceRecord {
  at: Date;
  component: string;
}

export interface AssetPredictInfo {
  assetId: string;
  tenantId: string;
  equipmentModelId: string;
  tier: 'CRITICAL' | 'STANDARD';
  /** The contract's response time, and where the asset stands. */
  responseHours: number;
  lat: number;
  lon: number;
}

/** Stock of each part (available = on hand − reserved) by location. */
export type NetworkStock = Map<string, StockSite[]>;

export interface NewPrediction {
  assetId: string;
  failureModeId: string;
  modelVersionId: string;
  expectedFailureAt: Date;
  bandEarliestAt: Date;
  bandLatestAt: Date;
  confidence: number;
  evidence: object;
  shadow: boolean;
}

export interface PredictionStore {
  loadModels(): Promise<ModelVersionInfo[]>;
  loadAssets(): Promise<AssetPredictInfo[]>;
  loadNetwork(): Promise<NetworkStock>;
  /** The technicians, each free once the jobs booked for them are done. */
  loadCrew(now: Date): Promise<CrewMember[]>;
  /** Open orders by openKey, with the model whose prediction opened each (null: opened otherwise). */
  openOrders(): Promise<Map<string, OpenOrder>>;
  savePrediction(p: NewPrediction): Promise<string>;
  /**
   * Saves the prediction and opens its order; undefined order when one is already open for the pair. `actor` names
   * who opened it in the order's history (the model version's label, "pump-px50/bearing/trend@v1").
   */
  raiseOrder(
    p: NewPrediction,
    o: { tenantId: string; tier: 'CRITICAL' | 'STANDARD'; dueBy: Date; actor?: string },
  ): Promise<{ predictionId: string; orderId?: string }>;
  /** Flags (with the time, from which a release policy's grace counts) or unflags an open order. */
  setRiskCleared(orderId: string, cleared: boolean, at: Date): Promise<void>;
  /**
   * Moves an open order's expected failure and due-by earlier (never later), recording why in its history;
   * undefined when the order is closed or already due by then.
   */
  advanceForecast(
    orderId: string,
    f: { expectedFailureAt: Date; dueBy: Date; actor: string; at: Date },
  ): Promise<{ previousDueBy: Date } | undefined>;
  /** The latest close of every asset and failure mode with a closed order, and the longest snooze. */
  loadClosures(): Promise<PairClose[]>;
  openOrderKey(
    orderId: string,
  ): Promise<{ key: string | null; assetId: string; failureModeId: string } | undefined>;
  /**
   * An asset's maintenance (completed orders by their mode key and part SKU, imported records naming the asset by
   * id, serial or name), oldest first; for the kinds that read maintenance (ALARM).
   */
  loadMaintenance?(assetId: string): Promise<MaintenanceRecord[]>;
  /** An asset's error codes since a time, oldest first (ALARM). */
  loadRecentEvents?(assetId: string, since: Date): Promise<{ at: Date; code: string }[]>;
}

export interface PairClose {
  assetId: string;
  failureModeId: string;
  closedAt: Date;
  snoozeUntil: Date | null;
}

export interface OpenOrder {
  orderId: string;
  modelId: string | null;
  /** The order's due-by as predict last set it (moved earlier when newer predictions say so). */
  dueBy?: Date;
}

export const openKey = (assetId: string, failureModeId: string) => `${assetId}:${failureModeId}`;

export class PrismaPredictionStore implements PredictionStore {
  constructor(private readonly db: Db) {}

  async loadModels(): Promise<ModelVersionInfo[]> {
    const rows = await this.db.modelVersion.findMany({
      where: { status: { in: ['ACTIVE', 'SHADOW'] } },
      include: { model: { include: { failureMode: { include: { part: { select: { sku: true } } } } } } },
      orderBy: [{ modelId: 'asc' }, { version: 'asc' }],
    });
    return rows.map((v) => ({
      versionId: v.id,
      modelId: v.modelId,
      label: `${v.model.key}@v${v.version}`,
      kind: v.model.kind,
      equipmentModelId: v.model.equipmentModelId,
      failureModeId: v.model.failureModeId,
      failureModeName: v.model.failureMode.name,
      partId: v.model.failureMode.partId,
      partQty: v.model.failureMode.partQty,
      skill: v.model.failureMode.skill,
      status: v.status as 'ACTIVE' | 'SHADOW',
      params: v.params,
      maintenanceKeys: [v.model.failureMode.key, v.model.failureMode.part.sku],
    }));
  }

  async loadRecentEvents(assetId: string, since: Date): Promise<{ at: Date; code: string }[]> {
    const rows = await this.db.assetEvent.findMany({
      where: { assetId, ts: { gte: since } },
      orderBy: { ts: 'asc' },
      select: { ts: true, code: true },
      take: 10_000,
    });
    return rows.map((r) => ({ at: r.ts, code: r.code }));
  }

  async loadMaintenance(assetId: string): Promise<MaintenanceRecord[]> {
    const asset = await this.db.asset.findUnique({
      where: { id: assetId },
      select: { id: true, tenantId: true, serial: true, name: true },
    });
    if (!asset) return [];
    const [orders, imported] = await Promise.all([
      this.db.serviceOrder.findMany({
        where: { assetId, status: 'COMPLETED' },
        select: {
          closedAt: true,
          updatedAt: true,
          failureMode: { select: { key: true, part: { select: { sku: true } } } },
        },
        take: 1000,
      }),
      this.db.fleetHistoryRecord.findMany({
        where: {
          kind: 'maintenance',
          asset: { in: [asset.id, asset.serial, asset.name] },
          history: { tenantId: asset.tenantId },
        },
        select: { ts: true, key: true },
        take: 5000,
      }),
    ]);
    const out: MaintenanceRecord[] = [
      ...orders.flatMap((o) =>
        [o.failureMode.key, o.failureMode.part.sku].map((component) => ({
          at: o.closedAt ?? o.updatedAt,
          component,
        })),
      ),
      ...imported.map((m) => ({ at: m.ts, component: m.key })),
    ];
    return out.sort((a, b) => a.at.getTime() - b.at.getTime());
  }

  async loadAssets(): Promise<AssetPredictInfo[]> {
    const rows = await this.db.asset.findMany({
      select: {
        id: true,
        tenantId: true,
        equipmentModelId: true,
        contract: { select: { tier: true, responseHours: true } },
        site: { select: { lat: true, lon: true } },
      },
    });
    return rows.map((a) => ({
      assetId: a.id,
      tenantId: a.tenantId,
      equipmentModelId: a.equipmentModelId,
      tier: a.contract.tier,
      responseHours: a.contract.responseHours,
      lat: a.site.lat,
      lon: a.site.lon,
    }));
  }

  async loadNetwork(): Promise<NetworkStock> {
    const rows = await this.db.stockLevel.findMany({
      where: { location: { kind: { in: ['HUB', 'FSL', 'COUNTER'] } } },
      include: { location: true },
    });
    const out: NetworkStock = new Map();
    for (const r of rows) {
      const list = out.get(r.partId) ?? [];
      list.push({
        code: r.location.code,
        kind: r.location.kind as StockSite['kind'],
        lat: r.location.lat,
        lon: r.location.lon,
        available: r.onHand - r.reserved,
      });
      out.set(r.partId, list);
    }
    return out;
  }

  async loadCrew(now: Date): Promise<CrewMember[]> {
    const rows = await this.db.technician.findMany({
      select: {
        code: true,
        lat: true,
        lon: true,
        skills: true,
        availableFrom: true,
        orders: {
          where: { status: { in: [...BOOKED_STATUSES] } },
          select: { etaAt: true, failureMode: { select: { repairMinutes: true } } },
        },
      },
    });
    const day = 24 * 3_600_000;
    return rows.map((t) => ({
      code: t.code,
      lat: t.lat,
      lon: t.lon,
      skills: t.skills,
      // free after the last booked job: its arrival plus the repair (a day when it has no ETA yet)
      freeAt: Math.max(
        t.availableFrom.getTime(),
        ...t.orders.map((o) =>
          o.etaAt ? o.etaAt.getTime() + o.failureMode.repairMinutes * 60_000 : now.getTime() + day,
        ),
      ),
    }));
  }

  async openOrders(): Promise<Map<string, OpenOrder>> {
    const rows = await this.db.serviceOrder.findMany({
      where: { openKey: { not: null } },
      select: {
        id: true,
        openKey: true,
        dueBy: true,
        prediction: { select: { modelVersion: { select: { modelId: true } } } },
      },
    });
    return new Map(
      rows.map((r) => [
        r.openKey!,
        { orderId: r.id, modelId: r.prediction?.modelVersion.modelId ?? null, dueBy: r.dueBy },
      ]),
    );
  }

  async savePrediction(p: NewPrediction): Promise<string> {
    return (await this.db.prediction.create({ data: p, select: { id: true } })).id;
  }

  async raiseOrder(
    p: NewPrediction,
    o: { tenantId: string; tier: 'CRITICAL' | 'STANDARD'; dueBy: Date; actor?: string },
  ) {
    return this.db.$transaction(async (tx) => {
      const prediction = await tx.prediction.create({ data: p, select: { id: true } });
      const key = openKey(p.assetId, p.failureModeId);
      const inserted = await tx.serviceOrder.createManyAndReturn({
        data: [
          {
            tenantId: o.tenantId,
            assetId: p.assetId,
            failureModeId: p.failureModeId,
            predictionId: prediction.id,
            openKey: key,
            slaTier: o.tier,
            expectedFailureAt: p.expectedFailureAt,
            dueBy: o.dueBy,
          },
        ],
        skipDuplicates: true,
        select: { id: true },
      });
      const order = inserted[0];
      if (order)
        await tx.orderEvent.create({
          data: { orderId: order.id, status: 'PREDICTED', actor: o.actor ?? `model ${p.modelVersionId}` },
        });
      return { predictionId: prediction.id, orderId: order?.id };
    });
  }

  async setRiskCleared(orderId: string, cleared: boolean, at: Date): Promise<void> {
    // only an open order; a flag already set keeps its time (the grace counts from the first flag)
    await this.db.serviceOrder.updateMany({
      where: { id: orderId, openKey: { not: null }, riskCleared: !cleared },
      data: { riskCleared: cleared, riskClearedAt: cleared ? at : null },
    });
  }

  async advanceForecast(
    orderId: string,
    f: { expectedFailureAt: Date; dueBy: Date; actor: string; at: Date },
  ): Promise<{ previousDueBy: Date } | undefined> {
    return this.db.$transaction(async (tx) => {
      const [row] = await tx.$queryRaw<{ dueBy: Date; expectedFailureAt: Date; status: string }[]>`
        SELECT "dueBy", "expectedFailureAt", status FROM "ServiceOrder"
        WHERE id = ${orderId} AND "openKey" IS NOT NULL AND "dueBy" > ${f.dueBy} FOR UPDATE`;
      if (!row) return undefined;
      await tx.serviceOrder.update({
        where: { id: orderId },
        data: {
          dueBy: f.dueBy,
          // the expected failure only moves earlier too (the due-by may come from the band's early edge)
          expectedFailureAt: new Date(
            Math.min(row.expectedFailureAt.getTime(), f.expectedFailureAt.getTime()),
          ),
        },
      });
      await tx.orderEvent.create({
        data: {
          orderId,
          status: row.status as never,
          action: 'forecast',
          actor: f.actor,
          at: f.at,
          note: `failure now expected ${f.expectedFailureAt.toISOString()}, due by ${f.dueBy.toISOString()} (was ${row.dueBy.toISOString()})`,
        },
      });
      return { previousDueBy: row.dueBy };
    });
  }

  async loadClosures(): Promise<PairClose[]> {
    const rows = await this.db.serviceOrder.groupBy({
      by: ['assetId', 'failureModeId'],
      where: { status: { in: ['COMPLETED', 'CANCELLED'] }, closedAt: { not: null } },
      _max: { closedAt: true, snoozeUntil: true },
    });
    return rows.map((r) => ({
      assetId: r.assetId,
      failureModeId: r.failureModeId,
      closedAt: r._max.closedAt!,
      snoozeUntil: r._max.snoozeUntil,
    }));
  }

  async openOrderKey(orderId: string) {
    const o = await this.db.serviceOrder.findUnique({
      where: { id: orderId },
      select: { openKey: true, assetId: true, failureModeId: true },
    });
    return o ? { key: o.openKey, assetId: o.assetId, failureModeId: o.failureModeId } : undefined;
  }
}
