// Streams readings through every active and shadow model version of the asset's equipment model, each through
// its kind's evaluator (core/models/). Active versions open pre-emptive orders, with hysteresis, when the
// failure is expected within the asset's order horizon (parts lead time + contract response + margin); shadow
// versions record their predictions (shadow = true) and open nothing. Reloads when a version changes status.
// When an order closes (order.closed: completed, or cancelled), the pair of asset and failure mode starts
// afresh (core/fresh-start.ts): its tracks are dropped, readings logged before the close are ignored, and a
// cancel's snooze keeps orders closed until it ends. The ALARM kind also reads the equipment's error codes
// (event.ingested) and the asset's maintenance (completed orders, imported records); its windows outlive a close
// (the episode restarts instead), and it predicts once per alarm episode (not every 10 minutes).
import type { Clock } from '../common/clock.ts';
import type { AssetEventIngested, OrderClosed, PlatformBus, Reading } from '../common/events.ts';
import type { Logger } from '../common/logger.ts';
import { predictMetrics } from '../common/metrics.ts';
import type { Assessment, Evaluator } from './core/models/evaluator.ts';
import { createEvaluator, DEFAULT_CLEAR_AFTER, orderRules } from './core/models/create-evaluator.ts';
import { checkParams, metricsOf } from './core/models/params.ts';
import { isFresh, isSnoozed, recordClose, type ClosureBook } from './core/fresh-start.ts';
import {
  decide,
  dueBy,
  forecastAdvances,
  inOrderHorizon,
  initialDecision,
  type DecisionState,
} from './core/order-decision.ts';
import {
  orderHorizon,
  partsLead,
  technicianLead,
  type CrewMember,
  type OrderHorizon,
} from './core/order-horizon.ts';
import {
  openKey,
  type AssetPredictInfo,
  type ModelVersionInfo,
  type NetworkStock,
  type NewPrediction,
  type OpenOrder,
  type PredictionStore,
} from './adapters/prediction-store.ts';

const REPEAT_PREDICTION_MS = 10 * 60_000;
/** The ALARM kind: one prediction per episode (alarms less than a day apart). */
const REPEAT_ALARM_PREDICTION_MS = 24 * 3_600_000;
/** Error codes read from the store when an ALARM track starts. */
const EVENT_HISTORY_MS = 7 * 24 * 3_600_000;
const repeatMs = (m: ModelVersionInfo) =>
  m.kind === 'ALARM' ? REPEAT_ALARM_PREDICTION_MS : REPEAT_PREDICTION_MS;
const NETWORK_REFRESH_MS = 60_000;
/** Readings further behind the clock than this update a model's features but decide nothing. */
const CATCH_UP_MS = 30 * 60_000;

interface Track {
  evaluator: Evaluator;
  decision: DecisionState;
  lastSavedAt: number;
  /** Shadow versions: whether the order they would have opened is open (so they predict once, not every reading). */
  shadowOpen: boolean;
  /** Consecutive assessments that put the open order's due-by earlier by a step that matters. */
  advance: number;
}

export class PredictService {
  private models: ModelVersionInfo[] = [];
  private assets = new Map<string, AssetPredictInfo>();
  private open = new Map<string, OpenOrder>();
  private network: NetworkStock = new Map();
  private crew: CrewMember[] = [];
  private networkAt = 0;
  private refreshing: Promise<void> | undefined;
  private readonly tracks = new Map<string, Track>();
  private readonly busy = new Set<string>();
  /** Tracks of kinds that read codes or maintenance whose asset's recent history is loaded (or loading). */
  private readonly historyLoaded = new WeakSet<Track>();
  /** Per asset and failure mode: since when readings count, and until when no order opens. */
  private readonly closures: ClosureBook = new Map();
  predictions = 0;
  shadowPredictions = 0;
  /** Assessments made (one per reading and model version in reach). */
  evaluations = 0;

  constructor(
    private readonly store: PredictionStore,
    private readonly bus: PlatformBus,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  /**
   * `readings: false`: readings do not come from the bus but through `reading()` (a predict worker feeding the
   * partitions it owns, predict/worker/).
   */
  async start(o: { readings?: boolean } = {}): Promise<void> {
    await this.reload();
    // no history is replayed at start: the latest close of each pair is all that decides which readings count
    for (const c of await this.store.loadClosures())
      recordClose(this.closures, openKey(c.assetId, c.failureModeId), {
        at: c.closedAt,
        snoozeUntil: c.snoozeUntil,
      });
    this.bus.on('order.closed', (c) => this.onClosed(c));
    this.bus.on('event.ingested', (e) => this.onEvent(e));
    if (o.readings !== false) this.bus.on('reading.ingested', (r) => this.onReading(r));
    this.bus.on('order.updated', async ({ orderId }) => {
      const o = await this.store.openOrderKey(orderId);
      if (o && o.key === null) this.open.delete(openKey(o.assetId, o.failureModeId));
    });
    this.bus.on('model.changed', () => this.reload());
  }

  /** Re-reads model versions, assets, the parts network and the crew (after a promotion or a new asset). */
  async reload(): Promise<void> {
    const [models, open] = await Promise.all([this.store.loadModels(), this.store.openOrders()]);
    this.models = models.filter((m) => {
      const check = checkParams(m.kind, m.params);
      if (!check.ok)
        this.log.warn({ version: m.label, errors: check.errors }, 'model version skipped: bad parameters');
      return check.ok;
    });
    this.open = open;
    this.assets = new Map((await this.store.loadAssets()).map((a) => [a.assetId, a]));
    await this.refreshNetwork();
    const live = new Set(this.models.map((m) => m.versionId));
    for (const key of this.tracks.keys()) if (!live.has(key.split('|')[0]!)) this.tracks.delete(key);
    this.log.info(
      { models: this.models.length, assets: this.assets.size, tracks: this.tracks.size },
      'predict models loaded',
    );
  }

  private refreshNetwork(): Promise<void> {
    this.refreshing ??= Promise.all([this.store.loadNetwork(), this.store.loadCrew(this.clock.now())])
      .then(([n, crew]) => {
        this.network = n;
        this.crew = crew;
        this.networkAt = this.clock.now().getTime();
      })
      .catch((err: unknown) => this.log.warn({ err }, 'parts network not refreshed'))
      .finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  /** The order horizon of an asset for a failure mode's part, from the network as last read. */
  horizonFor(asset: AssetPredictInfo, m: ModelVersionInfo, now: Date): OrderHorizon {
    if (now.getTime() - this.networkAt > NETWORK_REFRESH_MS) void this.refreshNetwork();
    const lead = partsLead(asset, this.network.get(m.partId) ?? [], m.partQty, now);
    // a platform with no technicians on record yet (a fresh install) plans on the parts alone
    const crew = this.crew.length > 0 ? technicianLead(asset, this.crew, m.skill, now) : undefined;
    return orderHorizon(lead, asset.responseHours, orderRules(m.params).marginMinutes, crew);
  }

  /** An order of the pair closed: its tracks start afresh; readings logged before the close no longer count. */
  private onClosed(c: OrderClosed): void {
    const key = openKey(c.assetId, c.failureModeId);
    recordClose(this.closures, key, c);
    if (this.open.get(key)?.orderId === c.orderId) this.open.delete(key);
    for (const m of this.models) {
      const key = `${m.versionId}|${c.assetId}`;
      const track = this.tracks.get(key);
      if (!track) continue;
      // a completed order replaced its mode's part: maintenance for the kinds that read it
      if (c.status === 'COMPLETED' && track.evaluator.addMaintenance) {
        const done = this.models.find((x) => x.failureModeId === c.failureModeId);
        for (const k of done?.maintenanceKeys ?? []) track.evaluator.addMaintenance(c.at.getTime(), k);
      }
      if (m.failureModeId !== c.failureModeId) continue;
      if (track.evaluator.restart) {
        // long windows stay; the episode and the decision start afresh
        track.evaluator.restart();
        track.decision = initialDecision();
        track.shadowOpen = false;
      } else this.tracks.delete(key);
    }
    this.log.info(
      { orderId: c.orderId, assetId: c.assetId, status: c.status, snoozeUntil: c.snoozeUntil },
      'order closed: the asset and failure mode start afresh',
    );
  }

  /** Evaluates one stored reading (as `reading.ingested` does). */
  async reading(r: Reading): Promise<void> {
    await this.onReading(r);
  }

  /** Takes one stored equipment event (as `event.ingested` does). */
  event(e: AssetEventIngested): Promise<void> {
    return this.onEvent(e);
  }

  /**
   * Rebuilds state from a stored reading: the model versions learn from it, nothing is decided (a worker that
   * took a partition over replays the partition's recent history from the telemetry store this way).
   */
  learn(r: Reading): void {
    const asset = this.assets.get(r.assetId);
    if (!asset) return;
    for (const m of this.models) {
      if (m.equipmentModelId !== asset.equipmentModelId) continue;
      if (!isFresh(this.closures, openKey(r.assetId, m.failureModeId), r.ts)) continue;
      const key = `${m.versionId}|${r.assetId}`;
      const track = this.trackFor(key, m, r);
      if (!track) continue;
      track.evaluator.add(r.ts.getTime(), r.metrics);
    }
  }

  /** The pair's track; a new one only when the reading carries a metric the version reads. */
  private trackFor(key: string, m: ModelVersionInfo, r: Reading): Track | undefined {
    let track = this.tracks.get(key);
    if (!track) {
      if (!metricsOf(m.kind, m.params).some((name) => r.metrics[name] !== undefined)) return undefined;
      track = this.newTrack(key, m);
    }
    return track;
  }

  private newTrack(key: string, m: ModelVersionInfo): Track {
    const track: Track = {
      evaluator: createEvaluator(m.kind, m.params),
      decision: initialDecision(),
      lastSavedAt: 0,
      shadowOpen: false,
      advance: 0,
    };
    this.tracks.set(key, track);
    return track;
  }

  /** The known assets with the metrics the loaded model versions read of each (what a rebuild reads). */
  watched(): { assetId: string; tenantId: string; metrics: string[] }[] {
    const byModel = new Map<string, Set<string>>();
    for (const m of this.models) {
      let set = byModel.get(m.equipmentModelId);
      if (!set) byModel.set(m.equipmentModelId, (set = new Set()));
      for (const name of metricsOf(m.kind, m.params)) set.add(name);
    }
    const out: { assetId: string; tenantId: string; metrics: string[] }[] = [];
    for (const a of this.assets.values()) {
      const metrics = byModel.get(a.equipmentModelId);
      if (metrics) out.push({ assetId: a.assetId, tenantId: a.tenantId, metrics: [...metrics] });
    }
    return out;
  }

  /** Drops the model state of these assets (their partition moved to another worker). */
  forget(assetIds: ReadonlySet<string>): void {
    for (const key of this.tracks.keys()) if (assetIds.has(key.split('|')[1]!)) this.tracks.delete(key);
  }

  /** The asset, reloading assets and models once when it is not known yet (registered since the last load). */
  private async assetOf(assetId: string): Promise<AssetPredictInfo | undefined> {
    if (!this.assets.has(assetId)) await this.reload();
    return this.assets.get(assetId);
  }

  /**
   * `reading.ingested`, for every reading: synchronous (no promise) unless the asset must be looked up or an
   * evaluation writes; then the asset's remaining model versions take the reading after that write, in order.
   */
  private onReading(r: Reading): Promise<void> | undefined {
    const asset = this.assets.get(r.assetId);
    if (asset) return this.readingOf(asset, r, this.models, 0);
    return this.assetOf(r.assetId).then((a) => (a ? this.readingOf(a, r, this.models, 0) : undefined));
  }

  private readingOf(
    asset: AssetPredictInfo,
    r: Reading,
    models: readonly ModelVersionInfo[],
    from: number,
  ): Promise<void> | undefined {
    for (let i = from; i < models.length; i++) {
      const m = models[i]!;
      if (m.equipmentModelId !== asset.equipmentModelId) continue;
      if (!isFresh(this.closures, openKey(r.assetId, m.failureModeId), r.ts)) continue; // logged before a close
      const key = `${m.versionId}|${r.assetId}`;
      const track = this.trackFor(key, m, r);
      if (!track) continue;
      this.loadHistory(track, r.assetId);
      track.evaluator.add(r.ts.getTime(), r.metrics);
      // catching up (a device's logged history, a replay): learn from it, decide on the asset's current state
      if (this.clock.now().getTime() - r.ts.getTime() > CATCH_UP_MS) continue;
      const writing = this.evaluate(m, asset, track, key);
      if (writing) return writing.then(() => this.readingOf(asset, r, models, i + 1));
    }
    return undefined;
  }

  /** An equipment error code: into the windows of the asset's ALARM versions (decided on the next reading). */
  private async onEvent(e: AssetEventIngested): Promise<void> {
    const asset = await this.assetOf(e.assetId);
    if (!asset) return;
    for (const m of this.models) {
      if (m.kind !== 'ALARM' || m.equipmentModelId !== asset.equipmentModelId) continue;
      const key = `${m.versionId}|${e.assetId}`;
      let track = this.tracks.get(key);
      if (!track) {
        track = this.newTrack(key, m);
        this.loadHistory(track, e.assetId);
      }
      track.evaluator.addEvent?.(e.ts.getTime(), e.code);
    }
  }

  /**
   * Once per track of a kind that reads codes or maintenance: the asset's maintenance and its error codes of the
   * last week into its windows (a version promoted, or the platform restarted, knows what came before).
   */
  private loadHistory(track: Track, assetId: string): void {
    const ev = track.evaluator;
    if ((!ev.addMaintenance && !ev.addEvent) || this.historyLoaded.has(track)) return;
    this.historyLoaded.add(track);
    const since = new Date(this.clock.now().getTime() - EVENT_HISTORY_MS);
    Promise.all([
      ev.addMaintenance && this.store.loadMaintenance ? this.store.loadMaintenance(assetId) : [],
      ev.addEvent && this.store.loadRecentEvents ? this.store.loadRecentEvents(assetId, since) : [],
    ]).then(
      ([maintenance, events]) => {
        for (const r of maintenance) ev.addMaintenance?.(r.at.getTime(), r.component);
        for (const e of events) ev.addEvent?.(e.at.getTime(), e.code);
      },
      (err: unknown) => {
        this.historyLoaded.delete(track);
        this.log.warn({ err, assetId }, 'maintenance and error codes of the asset not loaded');
      },
    );
  }

  /** Decides on the pair's assessment; a promise only when that decision writes (a prediction, an order). */
  private evaluate(
    m: ModelVersionInfo,
    asset: AssetPredictInfo,
    track: Track,
    key: string,
  ): Promise<void> | undefined {
    if (this.busy.has(key)) return undefined; // a write for this pair is under way; the next reading re-evaluates
    this.loadHistory(track, asset.assetId);
    const now = this.clock.now();
    const rules = orderRules(m.params);
    const est = track.evaluator.assess();
    this.evaluations++;
    predictMetrics.evaluations.inc({ kind: m.kind });
    const horizon = this.horizonFor(asset, m, now);
    // the order is raised when the lower bound of the predicted failure time comes inside the horizon
    const inHorizon = est !== undefined && inOrderHorizon(est.earliestAt, now, horizon.hours);
    const pairKey = openKey(asset.assetId, m.failureModeId);
    const open = this.open.get(pairKey);
    const orderId = open?.orderId;
    // an open order's risk flag is the business of the model that opened it: another model of the same
    // failure mode that sees no risk does not clear it
    const mine = open !== undefined && (open.modelId === null || open.modelId === m.modelId);
    const shadow = m.status === 'SHADOW';
    const { state, action } = decide(
      track.decision,
      inHorizon,
      shadow ? track.shadowOpen : open !== undefined,
      {
        confirmations: rules.confirmations,
        clearAfter: rules.clearAfter ?? DEFAULT_CLEAR_AFTER,
      },
    );
    track.decision = state;
    // newer estimates put the failure sooner: after `confirmations` of them in a row, the open order's due-by moves
    // earlier (and dispatch checks that its plan still arrives in time)
    const advancedDue =
      !shadow && mine && open?.dueBy && est && inHorizon && action === 'none'
        ? this.advancedDue(track, open.dueBy, est, now, rules)
        : undefined;
    // the write, if this decision makes one (async, so whatever fails in it rejects and clears `busy`)
    let write: (() => Promise<void>) | undefined;
    if (shadow) {
      if (action === 'open') track.shadowOpen = true;
      if (action === 'flag_cleared') {
        track.shadowOpen = false;
        track.decision = initialDecision();
      }
      const repeat = now.getTime() - track.lastSavedAt > repeatMs(m);
      if (est && inHorizon && (action === 'open' || (track.shadowOpen && repeat)))
        write = async () => this.save(this.prediction(m, asset, est, horizon, true), track, asset, m);
    } else if (action === 'open' && est && isSnoozed(this.closures, pairKey, now)) {
      // a cancel snoozed the pair: the prediction is recorded (not at every reading), no order opens
      if (now.getTime() - track.lastSavedAt > repeatMs(m))
        write = async () => this.save(this.prediction(m, asset, est, horizon, false), track, asset, m);
    } else if (action === 'open' && est) {
      const due = dueBy(est.expectedFailureAt, now, rules.marginMinutes, est.earliestAt);
      write = async () => {
        const p = this.prediction(m, asset, est, horizon, false);
        const res = await this.store.raiseOrder(p, {
          tenantId: asset.tenantId,
          tier: asset.tier,
          dueBy: due,
          // the order's history names the model version as people read it, as a forecast advance does
          actor: `model ${m.label}`,
        });
        track.lastSavedAt = now.getTime();
        this.announce(res.predictionId, p, asset, m);
        if (res.orderId) {
          this.open.set(pairKey, {
            orderId: res.orderId,
            modelId: m.modelId,
            dueBy: due,
          });
          this.log.info(
            {
              orderId: res.orderId,
              assetId: asset.assetId,
              expectedFailureAt: est.expectedFailureAt,
              horizonHours: horizon.hours,
              model: m.label,
            },
            'pre-emptive service order opened',
          );
          this.bus.emit('order.created', { orderId: res.orderId, tenantId: asset.tenantId });
        }
      };
    } else if ((action === 'flag_cleared' || action === 'unflag') && orderId && mine) {
      write = async () => {
        await this.store.setRiskCleared(orderId, action === 'flag_cleared', now);
        this.bus.emit('order.updated', { orderId, tenantId: asset.tenantId });
      };
    } else if (advancedDue && open && orderId && est) {
      const due = advancedDue;
      write = async () => {
        await this.save(this.prediction(m, asset, est, horizon, false), track, asset, m);
        const moved = await this.store.advanceForecast(orderId, {
          expectedFailureAt: est.expectedFailureAt,
          dueBy: due,
          actor: `model ${m.label}`,
          at: now,
        });
        open.dueBy = due;
        if (!moved) return;
        this.log.info(
          { orderId, assetId: asset.assetId, dueBy: due, previousDueBy: moved.previousDueBy, model: m.label },
          'failure now expected sooner: order due earlier',
        );
        this.bus.emit('order.forecast-advanced', {
          orderId,
          tenantId: asset.tenantId,
          expectedFailureAt: est.expectedFailureAt,
          dueBy: due,
          previousDueBy: moved.previousDueBy,
        });
        this.bus.emit('order.updated', { orderId, tenantId: asset.tenantId });
      };
    } else if (
      inHorizon &&
      est &&
      now.getTime() - track.lastSavedAt > repeatMs(m) &&
      state.streak >= rules.confirmations
    ) {
      write = async () => this.save(this.prediction(m, asset, est, horizon, false), track, asset, m);
    }
    if (!write) return undefined;
    this.busy.add(key);
    return write().finally(() => this.busy.delete(key));
  }

  /** The open order's new due-by once `confirmations` estimates in a row moved it earlier by a step that matters. */
  private advancedDue(
    track: Track,
    current: Date,
    est: Assessment,
    now: Date,
    rules: { marginMinutes: number; confirmations: number },
  ): Date | undefined {
    const due = dueBy(est.expectedFailureAt, now, rules.marginMinutes, est.earliestAt);
    track.advance = forecastAdvances(current, due, now) ? track.advance + 1 : 0;
    if (track.advance < rules.confirmations) return undefined;
    track.advance = 0;
    return due;
  }

  private prediction(
    m: ModelVersionInfo,
    asset: AssetPredictInfo,
    est: Assessment,
    horizon: OrderHorizon,
    shadow: boolean,
  ): NewPrediction {
    return {
      assetId: asset.assetId,
      failureModeId: m.failureModeId,
      modelVersionId: m.versionId,
      expectedFailureAt: est.expectedFailureAt,
      bandEarliestAt: est.earliestAt,
      bandLatestAt: est.latestAt,
      confidence: est.confidence,
      evidence: { ...est.evidence, horizon },
      shadow,
    };
  }

  private async save(
    p: NewPrediction,
    track: Track,
    asset: AssetPredictInfo,
    m: ModelVersionInfo,
  ): Promise<void> {
    const id = await this.store.savePrediction(p);
    track.lastSavedAt = this.clock.now().getTime();
    this.announce(id, p, asset, m);
  }

  private announce(
    predictionId: string,
    p: NewPrediction,
    asset: AssetPredictInfo,
    m: ModelVersionInfo,
  ): void {
    if (p.shadow) this.shadowPredictions++;
    else this.predictions++;
    predictMetrics.predictions.inc({ kind: m.kind, mode: p.shadow ? 'shadow' : 'active' });
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
