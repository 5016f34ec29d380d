// An in-memory PredictionStore for unit tests of the predict service: the same contract as the Prisma one
// (one open order per asset and failure mode), plain arrays underneath.
import type {
  AssetPredictInfo,
  ModelVersionInfo,
  NetworkStock,
  NewPrediction,
  PairClose,
  PredictionStore,
} from './prediction-store.ts';
import { openKey } from './prediction-store.ts';
import type { CrewMember } from '../core/order-horizon.ts';

export interface MemoryOrder {
  id: string;
  assetId: string;
  failureModeId: string;
  predictionId: string;
  dueBy: Date;
  expectedFailureAt: Date;
  riskCleared: boolean;
  riskClearedAt: Date | null;
  openKey: string | null;
}

export class MemoryPredictionStore implements PredictionStore {
  readonly predictions: (NewPrediction & { id: string })[] = [];
  readonly orders: MemoryOrder[] = [];
  /** Closed orders' closes, as loadClosures answers them. */
  closures: PairClose[] = [];

  constructor(
    public models: ModelVersionInfo[],
    public assets: AssetPredictInfo[],
    public network: NetworkStock = new Map(),
    public crew: CrewMember[] = [],
  ) {}

  async loadCrew() {
    return this.crew;
  }

  async loadModels() {
    return this.models;
  }

  async loadAssets() {
    return this.assets;
  }

  async loadNetwork() {
    return this.network;
  }

  async openOrders() {
    const modelOf = (predictionId: string) => {
      const versionId = this.predictions.find((p) => p.id === predictionId)?.modelVersionId;
      return this.models.find((m) => m.versionId === versionId)?.modelId ?? null;
    };
    return new Map(
      this.orders
        .filter((o) => o.openKey)
        .map((o) => [o.openKey!, { orderId: o.id, modelId: modelOf(o.predictionId), dueBy: o.dueBy }]),
    );
  }

  async savePrediction(p: NewPrediction) {
    const id = `p${this.predictions.length + 1}`;
    this.predictions.push({ ...p, id });
    return id;
  }

  async raiseOrder(p: NewPrediction, o: { dueBy: Date }) {
    const predictionId = await this.savePrediction(p);
    const key = openKey(p.assetId, p.failureModeId);
    if (this.orders.some((x) => x.openKey === key)) return { predictionId };
    const id = `o${this.orders.length + 1}`;
    this.orders.push({
      id,
      assetId: p.assetId,
      failureModeId: p.failureModeId,
      predictionId,
      dueBy: o.dueBy,
      expectedFailureAt: p.expectedFailureAt,
      riskCleared: false,
      riskClearedAt: null,
      openKey: key,
    });
    return { predictionId, orderId: id };
  }

  async setRiskCleared(orderId: string, cleared: boolean, at: Date) {
    const o = this.orders.find((x) => x.id === orderId)!;
    if (o.riskCleared === cleared || !o.openKey) return;
    o.riskCleared = cleared;
    o.riskClearedAt = cleared ? at : null;
  }

  async advanceForecast(orderId: string, f: { expectedFailureAt: Date; dueBy: Date }) {
    const o = this.orders.find((x) => x.id === orderId);
    if (!o?.openKey || o.dueBy <= f.dueBy) return undefined;
    const previousDueBy = o.dueBy;
    o.dueBy = f.dueBy;
    if (f.expectedFailureAt < o.expectedFailureAt) o.expectedFailureAt = f.expectedFailureAt;
    return { previousDueBy };
  }

  async loadClosures() {
    return this.closures;
  }

  async openOrderKey(orderId: string) {
    const o = this.orders.find((x) => x.id === orderId);
    return o ? { key: o.openKey, assetId: o.assetId, failureModeId: o.failureModeId } : undefined;
  }
}
