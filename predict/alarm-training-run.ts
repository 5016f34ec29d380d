// Trains ALARM versions from an imported fleet history (issue 16): reads the history's rows in pages (the
// equipment model's metrics only), trains the per-mode alarm model on everything before `trainUntil`
// (core/alarms/model.ts), backtests it per failure event on the rest of the history, and writes one DRAFT version
// per failure mode the equipment model knows (its ALARM model created when missing), each with its backtest run
// (DONE), so it can be shadowed and promoted like the other kinds. Runs in a worker thread
// (adapters/alarm-training-worker.ts) with a connection of its own.
import { createDb, type Db } from '../common/db.ts';
import { ModelRegistry } from './adapters/model-registry.ts';
import { backtestAlarms, backtestSummary, matchModes, versionParams } from './core/alarms/alarm-versions.ts';
import type { FleetHistory } from './core/alarms/history.ts';
import { HistoryBuilder } from './core/alarms/history.ts';
import { DEFAULT_ALARM_OPTIONS, trainAlarmModel } from './core/alarms/model.ts';

const HOUR = 3_600_000;
const PAGE = 50_000;

/** Why a training could not run (the job's error code). */
export class AlarmTrainingError extends Error {
  constructor(
    readonly code:
      'NOT_FOUND' | 'PREDICT_ALARM_NO_DATA' | 'PREDICT_ALARM_NO_MODE' | 'PREDICT_ALARM_TOO_LITTLE_DATA',
    message: string,
  ) {
    super(message);
    this.name = 'AlarmTrainingError';
  }
}

export interface AlarmTrainingInput {
  databaseUrl: string;
  historyId: string;
  equipmentModel: string;
  /** ISO time: trained on the history before it, backtested on the history after it. */
  trainUntil: string;
  horizonHours: number;
  author: string;
  onProgress?: (stage: string) => void;
}

export interface TrainedVersion {
  failureMode: string;
  historyMode: string;
  modelId: string;
  modelKey: string;
  version: number;
  versionId: string;
  backtestId: string;
  summary: ReturnType<typeof backtestSummary>;
}

export interface AlarmTrainingReport {
  history: string;
  assets: number;
  metrics: string[];
  /** The history's metrics the equipment model does not report: left out. */
  droppedMetrics: string[];
  /** The history's failure modes the equipment model has no failure mode for: trained on, no version. */
  unmatchedModes: string[];
  cv: unknown;
  versions: TrainedVersion[];
  seconds: number;
}

async function loadFleet(
  db: Db,
  historyId: string,
  metrics: Set<string>,
  dropped: Set<string>,
): Promise<FleetHistory> {
  const b = new HistoryBuilder();
  const long = { layout: 'long' as const, time: 0, asset: 1, metrics: [], metric: 2, value: 3 };
  let cursor: bigint | undefined;
  for (;;) {
    const rows = await db.fleetHistoryPoint.findMany({
      where: { historyId, ...(cursor !== undefined ? { id: { gt: cursor } } : {}) },
      orderBy: { id: 'asc' },
      take: PAGE,
      select: { id: true, asset: true, metric: true, ts: true, value: true },
    });
    for (const r of rows) {
      if (!metrics.has(r.metric)) {
        dropped.add(r.metric);
        continue;
      }
      b.addTelemetry(long, [r.ts.toISOString(), r.asset, r.metric, String(r.value)], 'telemetry', 0);
    }
    if (rows.length < PAGE) break;
    cursor = rows[rows.length - 1]!.id;
  }
  const keyed = { time: 0, asset: 1, key: 2 };
  const kinds = { event: 'events', failure: 'failures', maintenance: 'maintenance' } as const;
  cursor = undefined;
  for (;;) {
    const rows: { id: bigint; kind: string; asset: string; ts: Date; key: string }[] =
      await db.fleetHistoryRecord.findMany({
        where: { historyId, ...(cursor !== undefined ? { id: { gt: cursor } } : {}) },
        orderBy: { id: 'asc' },
        take: PAGE,
        select: { id: true, kind: true, asset: true, ts: true, key: true },
      });
    for (const r of rows) {
      const kind = kinds[r.kind as keyof typeof kinds];
      if (kind) b.addKeyed(kind, keyed, [r.ts.toISOString(), r.asset, r.key], r.kind, 0);
    }
    if (rows.length < PAGE) break;
    cursor = rows[rows.length - 1]!.id;
  }
  const assets = await db.fleetHistoryAsset.findMany({ where: { historyId } });
  const names = [...new Set(assets.flatMap((a) => Object.keys(a.attributes as object)))].sort();
  const cols = { asset: 0, attributes: names.map((name, i) => ({ index: i + 1, name })) };
  for (const a of assets) {
    const attrs = a.attributes as Record<string, unknown>;
    b.addAsset(cols, [a.asset, ...names.map((n) => String(attrs[n] ?? ''))], 'assets', 0);
  }
  return b.build();
}

export async function trainAlarmVersions(o: AlarmTrainingInput): Promise<AlarmTrainingReport> {
  const t0 = performance.now();
  const db = createDb(o.databaseUrl, { max: 2 });
  const progress = o.onProgress ?? (() => undefined);
  try {
    const history = await db.fleetHistory.findUnique({ where: { id: o.historyId } });
    if (!history) throw new AlarmTrainingError('NOT_FOUND', 'no such fleet history');
    const equipment = await db.equipmentModel.findUnique({
      where: { key: o.equipmentModel },
      include: { metrics: { select: { name: true } }, failureModes: { select: { key: true, name: true } } },
    });
    if (!equipment) throw new AlarmTrainingError('NOT_FOUND', `no equipment model ${o.equipmentModel}`);
    const trainUntil = Date.parse(o.trainUntil);
    progress('reading the history');
    const dropped = new Set<string>();
    const fleet = await loadFleet(db, history.id, new Set(equipment.metrics.map((m) => m.name)), dropped);
    if (fleet.assets.length === 0)
      throw new AlarmTrainingError(
        'PREDICT_ALARM_NO_DATA',
        `${history.name} has no telemetry of a metric ${equipment.key} reports (${equipment.metrics.map((m) => m.name).join(', ')})`,
      );
    const modes = matchModes(fleet.modes, equipment.failureModes);
    if (modes.size === 0)
      throw new AlarmTrainingError(
        'PREDICT_ALARM_NO_MODE',
        `none of the history's failure modes (${fleet.modes.join(', ') || 'none'}) is a failure mode of ${equipment.key} (${equipment.failureModes.map((f) => f.key).join(', ')})`,
      );
    progress('training');
    const options = { horizonMs: o.horizonHours * HOUR };
    let model;
    try {
      model = trainAlarmModel(fleet, trainUntil, options);
    } catch (err) {
      throw new AlarmTrainingError('PREDICT_ALARM_TOO_LITTLE_DATA', (err as Error).message);
    }
    progress('backtesting');
    const backtest = backtestAlarms(model, fleet, {
      minLeadMs: DEFAULT_ALARM_OPTIONS.minLeadMs,
      episodeGapMs: DEFAULT_ALARM_OPTIONS.episodeGapMs,
    });
    progress('writing versions');
    const registry = new ModelRegistry(db);
    const versions: TrainedVersion[] = [];
    const source = `fleet history ${history.name}`;
    const now = new Date();
    for (const [historyMode, modeKey] of modes) {
      const params = versionParams(model, fleet, historyMode, { source, trainedAt: now });
      const note = `trained on ${source} until ${o.trainUntil} (horizon ${o.horizonHours} h)`;
      const key = `${equipment.key}/${modeKey}/alarm`.toLowerCase();
      const existing = await db.predictionModel.findUnique({ where: { key } });
      let modelId: string;
      let version: { id: string; version: number };
      if (existing) {
        const v = await registry.createVersion(existing.id, { params, note }, o.author);
        modelId = existing.id;
        version = v;
      } else {
        const m = await registry.createModel(
          {
            key,
            name: `${equipment.name}: ${historyMode} alarm`,
            kind: 'ALARM',
            equipmentModel: equipment.key,
            failureMode: modeKey,
            params,
            note,
          },
          o.author,
        );
        modelId = m.id;
        version = m.versions[0]!;
      }
      const summary = backtestSummary(backtest, historyMode, fleet.assets.length);
      const run = await db.backtestRun.create({
        data: {
          modelVersionId: version.id,
          source: 'fleet-history',
          options: {
            history: history.name,
            historyId: history.id,
            from: backtest.from,
            horizonHours: o.horizonHours,
          },
          status: 'DONE',
          progress: 1,
          author: o.author,
          finishedAt: new Date(),
          summary,
          report: {
            kind: 'ALARM',
            from: backtest.from,
            assetYears: backtest.assetYears,
            score: backtest.score.byMode[historyMode] ?? null,
            rateWithheld: backtest.score.rateWithheld,
            rowAuc: backtest.rowAuc[historyMode] ?? null,
            failures: backtest.failures.filter((f) => f.failureMode === historyMode),
            cv: params.trainedOn,
          } as object,
        },
        select: { id: true },
      });
      versions.push({
        failureMode: modeKey,
        historyMode,
        modelId,
        modelKey: key,
        version: version.version,
        versionId: version.id,
        backtestId: run.id,
        summary,
      });
    }
    return {
      history: history.name,
      assets: fleet.assets.length,
      metrics: fleet.metrics,
      droppedMetrics: [...dropped].sort(),
      unmatchedModes: fleet.modes.filter((m) => !modes.has(m)),
      cv: model.cv,
      versions,
      seconds: Math.round((performance.now() - t0) / 100) / 10,
    };
  } finally {
    await db.$disconnect();
  }
}
