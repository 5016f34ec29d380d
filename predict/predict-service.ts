// Streams readings through every active and shadow model version of the asset's equipment model; active
// versions open pre-emptive orders (with hysteresis), shadow versions only record their predictions.
import type { Clock } from '../common/clock.ts';
import type { PlatformBus, Reading } from '../common/events.ts';
import type { Logger } from '../common/logger.ts';
import { TrendState, type TrendEstimate } from './core/trend-model.ts';
import { decide, dueBy, initialDecision, type DecisionState } from './core/order-decision.ts';
import { openKey, type AssetPredictInfo, type ModelVersionInfo, type NewPrediction, type PredictionStore } from './adapters/prediction-store.ts';

const CLEAR_AFTER = 30;
const REPEAT_PREDICTION_MS = 10 * 60_000;

interface Track {
  trend: TrendState;
  decision: DecisionState;
  lastSavedAt: number;
}

export class PredictService {
  private models: ModelVersionInfo[] = [];
  private assets = new Map<string, AssetPredictInfo>();
  private open = new Map<string, string>();
  private readonly tracks = new Map<string, Track>();
  private readonly busy = new Set<string>();
  predictions = 0;

  constructor(
    private readonly store: PredictionStore,
    private readonly bus: PlatformBus,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    await this.reload();
    this.bus.on('reading.ingested', (r) => this.onReading(r));
    this.bus.on('order.updated', async ({ orderId }) => {
      const o = await this.store.openOrderKey(orderId);
      if (o && o.key === null) this.open.delete(openKey(o.assetId, o.failureModeId));
    });
  }

  /** Re-reads model versions and assets (after a promotion or a new asset). */
  async reload(): Promise<void> {
    [this.models, this.open] = await Promise.all([this.store.loadModels(), this.store.openOrders()]);
    this.assets = new Map((await this.store.loadAssets()).map((a) => [a.assetId, a]));
    this.log.info({ models: this.models.length, assets: this.assets.size }, 'predict models loaded');
  }

  private async onReading(r: Reading): Promise<void> {
    let asset = this.assets.get(r.assetId);
    if (!asset) {
      await this.reload();
      asset = this.assets.get(r.assetId);
      if (!asset) return;
    }
    for (const m of this.models) {
      if (m.equipmentModelId !== asset.equipmentModelId) continue;
      const value = r.metrics[m.params.metric];
      if (value === undefined) continue;
      const key = `${m.versionId}|${r.assetId}`;
      let track = this.tracks.get(key);
      if (!track) this.tracks.set(key, (track = { trend: new TrendState(m.params), decision: initialDecision(), lastSavedAt: 0 }));
      track.trend.add(r.ts, value);
      await this.evaluate(m, asset, track, key);
    }
  }

  private async evaluate(m: ModelVersionInfo, asset: AssetPredictInfo, track: Track, key: string): Promise<void> {
    if (this.busy.has(key)) return; // a write for this pair is under way; the next reading re-evaluates
    const now = this.clock.now();
    const est = track.trend.estimate();
    const inHorizon = est !== undefined && est.expectedFailureAt.getTime() - now.getTime() <= m.params.horizonHours * 3_600_000;
    const pairKey = openKey(asset.assetId, m.failureModeId);
    const orderId = this.open.get(pairKey);
    const shadow = m.status === 'SHADOW';
    const { state, action } = decide(track.decision, inHorizon, shadow ? false : orderId !== undefined, {
      confirmations: m.params.confirmations,
      clearAfter: CLEAR_AFTER,
    });
    track.decision = state;
    this.busy.add(key);
    try {
      if (action === 'open' && est) {
        const p = this.prediction(m, asset, est, shadow);
        if (shadow) return await this.save(p, track, asset, m);
        const res = await this.store.raiseOrder(p, { tenantId: asset.tenantId, tier: asset.tier, dueBy: dueBy(est.expectedFailureAt, now, m.params.marginMinutes, asset.tier) });
        track.lastSavedAt = now.getTime();
        this.announce(res.predictionId, p, asset, m);
        if (res.orderId) {
          this.open.set(pairKey, res.orderId);
          this.log.info({ orderId: res.orderId, assetId: asset.assetId, expectedFailureAt: est.expectedFailureAt }, 'pre-emptive service order opened');
          this.bus.emit('order.created', { orderId: res.orderId, tenantId: asset.tenantId });
        }
      } else if ((action === 'flag_cleared' || action === 'unflag') && orderId) {
        await this.store.setRiskCleared(orderId, action === 'flag_cleared');
        this.bus.emit('order.updated', { orderId, tenantId: asset.tenantId });
      } else if (inHorizon && est && now.getTime() - track.lastSavedAt > REPEAT_PREDICTION_MS && state.streak >= m.params.confirmations) {
        await this.save(this.prediction(m, asset, est, shadow), track, asset, m);
      }
    } finally {
      this.busy.delete(key);
    }
  }

  private prediction(m: ModelVersionInfo, asset: AssetPredictInfo, est: TrendEstimate, shadow: boolean): NewPrediction {
    return {
      assetId: asset.assetId,
      failureModeId: m.failureModeId,
      modelVersionId: m.versionId,
      expectedFailureAt: est.expectedFailureAt,
      bandEarliestAt: est.earliestAt,
      bandLatestAt: est.latestAt,
      confidence: est.confidence,
      evidence: est.evidence,
      shadow,
    };
  }

  private async save(p: NewPrediction, track: Track, asset: AssetPredictInfo, m: ModelVersionInfo): Promise<void> {
    const id = await this.store.savePrediction(p);
    track.lastSavedAt = this.clock.now().getTime();
    this.announce(id, p, asset, m);
  }

  private announce(predictionId: string, p: NewPrediction, asset: AssetPredictInfo, m: ModelVersionInfo): void {
    this.predictions++;
    this.bus.emit('prediction.raised', {
      predictionId,
      assetId: p.assetId,
      tenantId: asset.tenantId,
      failureModeId: p.failureModeId,
      failureMode: m.failureModeName,
      modelVersionId: p.modelVersionId,
      modelVersion: m.label,
      expectedFailureAt: p.expectedFailureAt,
      confidence: p.confidence,
      shadow: p.shadow,
    });
  }
}
