// Backtests started through the API: the run is recorded RUNNING at once and replayed in the background (its
// progress written as it goes), then DONE with its report or FAILED with the reason. Closing waits for them.
import path from 'node:path';
import type { Clock } from '../common/clock.ts';
import type { Db } from '../common/db.ts';
import { AppError } from '../common/errors.ts';
import type { Logger } from '../common/logger.ts';
import type { TelemetryStore } from '../common/telemetry-store.ts';
import { BacktestStore, type BacktestRunView } from './adapters/backtest-store.ts';
import type { ModelRegistry } from './adapters/model-registry.ts';
import { storedHistorySource } from './adapters/run-to-failure-source.ts';
import { telemetrySource } from './adapters/telemetry-source.ts';
import { runBacktest, type BacktestSource } from './backtest-runner.ts';
import { orderRules } from './core/models/create-evaluator.ts';

export type BacktestRequest =
  | { source: 'telemetry'; from?: string; to?: string; rulCap?: number }
  | { source: 'history'; historyId: string; horizonHours?: number; rulCap?: number };

const DAY = 24 * 3_600_000;
/** Backtests replay on the platform's thread: this many at once, the next one refused (429) until one is done. */
export const MAX_RUNNING_BACKTESTS = 2;

export class Backtests {
  private readonly running = new Map<string, Promise<void>>();
  readonly runs: BacktestStore;

  constructor(
    private readonly d: { db: Db; store: TelemetryStore; clock: Clock; log: Logger; dataDir: string },
    private readonly registry: ModelRegistry,
    private readonly maxRunning = MAX_RUNNING_BACKTESTS,
  ) {
    this.runs = new BacktestStore(d.db);
  }

  get active(): number {
    return this.running.size;
  }

  async start(
    modelId: string,
    version: number,
    req: BacktestRequest,
    author: string,
  ): Promise<BacktestRunView> {
    if (this.running.size >= this.maxRunning)
      throw new AppError(
        'PREDICT_BACKTEST_BUSY',
        `${this.running.size} backtests are running (at most ${this.maxRunning} at once): try again when one is done`,
      );
    const v = await this.registry.version(modelId, version);
    const kind = v.model.kind;
    if (kind === 'ALARM')
      // replays carry readings only; an alarm model also reads error codes and maintenance
      throw new AppError(
        'VALIDATION_FAILED',
        'ALARM versions are backtested per failure event on their fleet history when trained (POST /api/fleet-histories/{id}/alarm-models)',
      );
    const now = this.d.clock.now();
    let source: BacktestSource;
    if (req.source === 'telemetry') {
      const to = req.to ? new Date(req.to) : now;
      const from = req.from ? new Date(req.from) : new Date(to.getTime() - DAY);
      source = await telemetrySource(
        this.d.db,
        this.d.store,
        { kind, params: v.params, model: v.model },
        {
          from,
          to,
          now,
          truthFile: path.join(this.d.dataDir, 'ground-truth.json'),
        },
      );
    } else {
      const history = await this.d.db.equipmentHistory.findUnique({ where: { id: req.historyId } });
      if (history && history.equipmentModelId !== v.model.equipmentModelId)
        throw new AppError(
          'VALIDATION_FAILED',
          `the history is of another equipment model than ${v.model.key}`,
        );
      source = await storedHistorySource(this.d.db, req.historyId, {
        horizonHours: req.horizonHours ?? orderRules(v.params).horizonHours,
      });
    }
    const rulCap = req.rulCap ?? source.defaultRulCap;
    const run = await this.runs.start(v.id, source.kind, { ...source.options, rulCap }, author);
    const label = `${v.model.key}@v${v.version}`;
    let written = 0;
    const job = runBacktest({ kind, params: v.params, label }, source, {
      rulCap,
      onProgress: async (done, total) => {
        const at = Date.now();
        if (done < total && at - written < 500) return;
        written = at;
        await this.runs.progress(run.id, done / total);
      },
    })
      .then((result) => this.runs.finish(run.id, result))
      .then(() => this.d.log.info({ run: run.id, model: label }, 'backtest done'))
      .catch(async (err: unknown) => {
        this.d.log.warn({ err, run: run.id, model: label }, 'backtest failed');
        await this.runs.fail(run.id, err instanceof Error ? err.message : String(err)).catch(() => undefined);
      })
      .finally(() => this.running.delete(run.id));
    this.running.set(run.id, job);
    return run;
  }

  /** Waits for the runs under way (shutdown, tests). */
  async close(): Promise<void> {
    await Promise.allSettled([...this.running.values()]);
  }
}
