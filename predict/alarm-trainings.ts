// Alarm trainings as jobs (issue 16): a reliability engineer asks for ALARM versions trained on an imported fleet
// history; a worker thread (adapters/alarm-training-worker.ts) reads, trains, backtests and writes the versions
// while the request returns at once: queued → training (its stage) → done with the versions, or failed with a
// code. One training at a time (it takes a core for seconds to minutes); jobs are kept in memory until a restart,
// as imports are.
import { randomUUID } from 'node:crypto';
import type { Worker } from 'node:worker_threads';
import type { Clock } from '../common/clock.ts';
import type { PlatformBus } from '../common/events.ts';
import { runWorker } from '../common/worker-run.ts';
import type { Logger } from '../common/logger.ts';
import type { AlarmWorkerInput, AlarmWorkerMessage } from './adapters/alarm-training-worker.ts';
import type { AlarmTrainingReport } from './alarm-training-run.ts';

const WORKER_ENTRY = new URL('./adapters/alarm-training-worker.ts', import.meta.url).href;
const KEEP_FINISHED = 50;

export interface AlarmTrainingRequest {
  historyId: string;
  history: string;
  equipmentModel: string;
  trainUntil: string;
  horizonHours: number;
}

export interface AlarmTrainingJobView {
  id: string;
  status: 'queued' | 'training' | 'done' | 'failed';
  stage: string | null;
  history: string;
  equipmentModel: string;
  trainUntil: string;
  horizonHours: number;
  createdBy: string;
  createdAt: string;
  finishedAt: string | null;
  report: AlarmTrainingReport | null;
  error: { code: string; message: string } | null;
}

/** Too many trainings at once: 429 at the route. */
export class TrainingRefused extends Error {
  readonly code = 'PREDICT_ALARM_TRAINING_BUSY';
}

export class AlarmTrainings {
  private readonly jobs = new Map<
    string,
    { view: AlarmTrainingJobView; worker?: Worker; done: Promise<void> }
  >();
  private running = 0;

  constructor(
    private readonly d: {
      databaseUrl: string;
      clock: Clock;
      log: Logger;
      bus: PlatformBus;
      maxConcurrent?: number;
    },
  ) {}

  get active(): number {
    return this.running;
  }

  start(r: AlarmTrainingRequest, author: string): AlarmTrainingJobView {
    if (this.running >= (this.d.maxConcurrent ?? 1))
      throw new TrainingRefused('an alarm training is running: try again when it is done');
    this.running++;
    const view: AlarmTrainingJobView = {
      id: randomUUID(),
      status: 'queued',
      stage: null,
      history: r.history,
      equipmentModel: r.equipmentModel,
      trainUntil: r.trainUntil,
      horizonHours: r.horizonHours,
      createdBy: author,
      createdAt: this.d.clock.now().toISOString(),
      finishedAt: null,
      report: null,
      error: null,
    };
    const job: { view: AlarmTrainingJobView; worker?: Worker; done: Promise<void> } = {
      view,
      done: Promise.resolve(),
    };
    this.jobs.set(view.id, job);
    this.prune();
    job.done = this.run(job, r, author).finally(() => {
      this.running--;
      view.finishedAt = this.d.clock.now().toISOString();
    });
    return view;
  }

  get(id: string): AlarmTrainingJobView | undefined {
    return this.jobs.get(id)?.view;
  }

  /** Resolves when the job has finished (tests, the CLI). */
  async wait(id: string): Promise<AlarmTrainingJobView | undefined> {
    await this.jobs.get(id)?.done;
    return this.get(id);
  }

  async close(): Promise<void> {
    const running = [...this.jobs.values()].filter((j) => j.view.finishedAt === null);
    await Promise.all(running.map((j) => j.worker?.terminate()));
    await Promise.all(running.map((j) => j.done));
  }

  private async run(
    job: { view: AlarmTrainingJobView; worker?: Worker },
    r: AlarmTrainingRequest,
    author: string,
  ): Promise<void> {
    const view = job.view;
    const input: AlarmWorkerInput = {
      entry: WORKER_ENTRY,
      databaseUrl: this.d.databaseUrl,
      historyId: r.historyId,
      equipmentModel: r.equipmentModel,
      trainUntil: r.trainUntil,
      horizonHours: r.horizonHours,
      author,
    };
    const run = runWorker<AlarmWorkerMessage>(WORKER_ENTRY, input, {
      what: 'training',
      stopped: (message) => ({ type: 'failed', code: 'PREDICT_ALARM_TRAINING_FAILED', message }),
      onMessage: (m) => {
        if (m.type !== 'stage') return false;
        view.stage = m.stage;
        return true;
      },
    });
    job.worker = run.worker;
    view.status = 'training';
    const end = await run.end;
    const log = this.d.log.child({ alarmTraining: view.id });
    if (end.type === 'end') {
      view.report = end.report;
      view.status = 'done';
      view.stage = null;
      log.info(
        { history: r.history, equipmentModel: r.equipmentModel, versions: end.report.versions.length },
        'alarm versions trained from a fleet history',
      );
      for (const v of end.report.versions)
        this.d.bus.emit('model.changed', {
          modelId: v.modelId,
          versionId: v.versionId,
          version: v.version,
          status: 'DRAFT',
          actor: author,
        });
    } else if (end.type === 'failed') {
      view.error = { code: end.code, message: end.message };
      view.status = 'failed';
      log.warn({ history: r.history, error: end.message }, 'alarm training failed; no version written');
    }
  }

  private prune(): void {
    const finished = [...this.jobs.values()].filter((j) => j.view.finishedAt !== null);
    for (const j of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED)))
      this.jobs.delete(j.view.id);
  }
}
