// Backtest runs on PostgreSQL: started RUNNING, progress while the assets are replayed, then DONE with the
// report (or FAILED with the reason). A run still RUNNING when the platform starts was interrupted.
import type { Db } from '../../common/db.ts';
import type { BacktestResult } from '../backtest-runner.ts';
import { optionsWithoutPaths, reportWithoutPaths } from '../core/backtest/file-names.ts';

export interface BacktestSummary {
  assets: number;
  failures: number;
  detected: number;
  recall: number | null;
  precision: number | null;
  falseAlarmsPerAssetYear: number | null;
  medianLeadHours: number | null;
  alarms: number;
  rmse: number | null;
  nasaScore: number | null;
  rulUnit: string | null;
  /** The unit of lead times (and RUL): hours, or cycles. */
  timeUnit: string;
}

export const summarise = (r: BacktestResult): BacktestSummary => ({
  assets: r.assets,
  failures: r.failures.total,
  detected: r.failures.detected,
  recall: r.failures.recall,
  precision: r.alarms.precision,
  falseAlarmsPerAssetYear: r.alarms.falseAlarmsPerAssetYear,
  medianLeadHours: r.leadTimeHours?.median ?? null,
  alarms: r.alarms.total,
  rmse: r.rul?.rmse ?? null,
  nasaScore: r.rul?.nasaScore ?? null,
  rulUnit: r.rul?.unit ?? null,
  timeUnit: r.timeUnit,
});

/** What a run replayed, by source (routes/schemas.ts BacktestOptionsSchema); files by their base name. */
export interface BacktestOptions {
  from?: string;
  to?: string;
  truthFile?: string;
  metrics?: string[];
  file?: string;
  historyId?: string;
  history?: string;
  name?: string;
  units?: number;
  horizonHours?: number;
  rulCap?: number;
}

export interface BacktestRunView {
  id: string;
  modelId: string;
  modelKey: string;
  versionId: string;
  version: number;
  source: string;
  options: BacktestOptions;
  status: 'RUNNING' | 'DONE' | 'FAILED';
  progress: number;
  author: string;
  startedAt: string;
  finishedAt: string | null;
  summary: unknown;
  error: string | null;
  report?: unknown;
}

const select = {
  id: true,
  source: true,
  options: true,
  status: true,
  progress: true,
  author: true,
  startedAt: true,
  finishedAt: true,
  summary: true,
  error: true,
  modelVersion: { select: { id: true, version: true, model: { select: { id: true, key: true } } } },
};

type Row = {
  id: string;
  source: string;
  options: unknown;
  status: 'RUNNING' | 'DONE' | 'FAILED';
  progress: number;
  author: string;
  startedAt: Date;
  finishedAt: Date | null;
  summary: unknown;
  error: string | null;
  report?: unknown;
  modelVersion: { id: string; version: number; model: { id: string; key: string } };
};

/** A run as the API shows it: files by their base name, never a path on the server (core/backtest/file-names.ts). */
const toView = (r: Row): BacktestRunView => {
  const { options, replaced } = optionsWithoutPaths(r.options);
  return {
    id: r.id,
    modelId: r.modelVersion.model.id,
    modelKey: r.modelVersion.model.key,
    versionId: r.modelVersion.id,
    version: r.modelVersion.version,
    source: r.source,
    options: (options ?? {}) as BacktestOptions,
    status: r.status,
    progress: r.progress,
    author: r.author,
    startedAt: r.startedAt.toISOString(),
    finishedAt: r.finishedAt?.toISOString() ?? null,
    summary: r.summary ?? null,
    error: r.error,
    ...(r.report !== undefined ? { report: reportWithoutPaths(r.report ?? null, replaced) } : {}),
  };
};

export class BacktestStore {
  constructor(private readonly db: Db) {}

  async start(versionId: string, source: string, options: object, author: string): Promise<BacktestRunView> {
    const r = await this.db.backtestRun.create({
      data: { modelVersionId: versionId, source, options, author },
      select,
    });
    return toView(r as Row);
  }

  async progress(id: string, progress: number): Promise<void> {
    await this.db.backtestRun.update({ where: { id }, data: { progress } });
  }

  async finish(id: string, report: BacktestResult): Promise<void> {
    await this.db.backtestRun.update({
      where: { id },
      data: {
        status: 'DONE',
        progress: 1,
        finishedAt: new Date(),
        summary: summarise(report) as object,
        report: report as object,
      },
    });
  }

  async fail(id: string, error: string): Promise<void> {
    await this.db.backtestRun.update({
      where: { id },
      data: { status: 'FAILED', finishedAt: new Date(), error: error.slice(0, 2000) },
    });
  }

  /** Runs left RUNNING by a process that stopped. */
  async failInterrupted(): Promise<number> {
    const res = await this.db.backtestRun.updateMany({
      where: { status: 'RUNNING' },
      data: { status: 'FAILED', finishedAt: new Date(), error: 'interrupted: the platform stopped' },
    });
    return res.count;
  }

  async list(where: { versionId?: string; modelId?: string }, limit = 50): Promise<BacktestRunView[]> {
    const rows = await this.db.backtestRun.findMany({
      where: {
        ...(where.versionId ? { modelVersionId: where.versionId } : {}),
        ...(where.modelId ? { modelVersion: { modelId: where.modelId } } : {}),
      },
      select,
      orderBy: { startedAt: 'desc' },
      take: limit,
    });
    return rows.map((r) => toView(r as Row));
  }

  async get(id: string): Promise<BacktestRunView | undefined> {
    const r = await this.db.backtestRun.findUnique({ where: { id }, select: { ...select, report: true } });
    return r ? toView(r as Row) : undefined;
  }
}
