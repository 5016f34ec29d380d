// PredictionStore: model versions, assets and the writes of the predict module, on PostgreSQL through Prisma.
import type { Db } from '../../common/db.ts';
import type { TrendParams } from '../core/trend-model.ts';

export interface ModelVersionInfo {
  versionId: string;
  label: string;
  equipmentModelId: string;
  failureModeId: string;
  failureModeName: string;
  status: 'ACTIVE' | 'SHADOW';
  params: TrendParams;
}

export interface AssetPredictInfo {
  assetId: string;
  tenantId: string;
  equipmentModelId: string;
  tier: 'CRITICAL' | 'STANDARD';
}

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
  openOrders(): Promise<Map<string, string>>;
  savePrediction(p: NewPrediction): Promise<string>;
  /** Saves the prediction and opens its order; undefined order when one is already open for the pair. */
  raiseOrder(p: NewPrediction, o: { tenantId: string; tier: 'CRITICAL' | 'STANDARD'; dueBy: Date }): Promise<{ predictionId: string; orderId?: string }>;
  setRiskCleared(orderId: string, cleared: boolean): Promise<void>;
  openOrderKey(orderId: string): Promise<{ key: string | null; assetId: string; failureModeId: string } | undefined>;
}

export const openKey = (assetId: string, failureModeId: string) => `${assetId}:${failureModeId}`;

export class PrismaPredictionStore implements PredictionStore {
  constructor(private readonly db: Db) {}

  async loadModels(): Promise<ModelVersionInfo[]> {
    const rows = await this.db.modelVersion.findMany({
      where: { status: { in: ['ACTIVE', 'SHADOW'] }, model: { kind: 'TREND' } },
      include: { model: { include: { failureMode: true } } },
    });
    return rows.map((v) => ({
      versionId: v.id,
      label: `${v.model.key}@v${v.version}`,
      equipmentModelId: v.model.equipmentModelId,
      failureModeId: v.model.failureModeId,
      failureModeName: v.model.failureMode.name,
      status: v.status as 'ACTIVE' | 'SHADOW',
      params: v.params as unknown as TrendParams,
    }));
  }

  async loadAssets(): Promise<AssetPredictInfo[]> {
    const rows = await this.db.asset.findMany({ select: { id: true, tenantId: true, equipmentModelId: true, contract: { select: { tier: true } } } });
    return rows.map((a) => ({ assetId: a.id, tenantId: a.tenantId, equipmentModelId: a.equipmentModelId, tier: a.contract.tier }));
  }

  async openOrders(): Promise<Map<string, string>> {
    const rows = await this.db.serviceOrder.findMany({ where: { openKey: { not: null } }, select: { id: true, openKey: true } });
    return new Map(rows.map((r) => [r.openKey!, r.id]));
  }

  async savePrediction(p: NewPrediction): Promise<string> {
    return (await this.db.prediction.create({ data: p, select: { id: true } })).id;
  }

  async raiseOrder(p: NewPrediction, o: { tenantId: string; tier: 'CRITICAL' | 'STANDARD'; dueBy: Date }) {
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
      if (order) await tx.orderEvent.create({ data: { orderId: order.id, status: 'PREDICTED', actor: `model ${p.modelVersionId}` } });
      return { predictionId: prediction.id, orderId: order?.id };
    });
  }

  async setRiskCleared(orderId: string, cleared: boolean): Promise<void> {
    await this.db.serviceOrder.update({ where: { id: orderId }, data: { riskCleared: cleared } });
  }

  async openOrderKey(orderId: string) {
    const o = await this.db.serviceOrder.findUnique({ where: { id: orderId }, select: { openKey: true, assetId: true, failureModeId: true } });
    return o ? { key: o.openKey, assetId: o.assetId, failureModeId: o.failureModeId } : undefined;
  }
}
