// History imports as jobs, off the event loop: the upload is streamed to a file under DATA_DIR (never held in
// memory, cut off at the size limit), a worker thread checks and then reads it line by line
// (adapters/history-import-worker.ts), and the runs are written in bounded batches inside one transaction as the
// worker hands them over. A job is queued → parsing → writing → done, or failed with a code, a message and the
// line; a failed job writes nothing. Jobs live in this process's memory (the history itself is in the database
// once done): a restart forgets them, and an import cut short by a stop leaves nothing behind.
import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Worker } from 'node:worker_threads';
import type { Clock } from '../common/clock.ts';
import type { Logger } from '../common/logger.ts';
import type { ImportWorkerInput, ParentMessage, WorkerMessage } from './adapters/history-import-worker.ts';
import type { HistoryRunRow, HistoryStore, HistoryView } from './adapters/history-store.ts';
import {
  admitImport,
  checkImportSize,
  DEFAULT_IMPORT_LIMITS,
  importFraction,
  truthValuesText,
  type ImportLimits,
  type ImportProgress,
  type ImportRefusal,
  type ImportStatus,
} from './core/history-import.ts';

const WORKER_BOOT = new URL('./adapters/worker-boot.mjs', import.meta.url);
const WORKER_ENTRY = new URL('./adapters/history-import-worker.ts', import.meta.url).href;
/** JSON text per batch handed from the worker to the database. */
const BATCH_BYTES = 1024 * 1024;
/** Finished jobs kept for reading back. */
const KEEP_FINISHED = 100;

export interface ImportRequest {
  name: string;
  equipmentModel: string;
  cycleMinutes?: number;
  /** A test file's RUL truth: the RUL_ file's text, or its values comma-separated. */
  truth?: string;
}

export interface ImportJobView {
  id: string;
  status: ImportStatus;
  name: string;
  equipmentModel: string;
  createdBy: string;
  createdAt: string;
  finishedAt: string | null;
  progress: ImportProgress;
  history: HistoryView | null;
  error: { code: string; message: string; line: number | null } | null;
}

/** An import refused before it starts (too large, too many at once); the routes map the code to HTTP. */
export class ImportRefused extends Error {
  constructor(
    readonly code: ImportRefusal,
    message: string,
  ) {
    super(message);
    this.name = 'ImportRefused';
  }
}

interface Job {
  view: ImportJobView;
  worker?: Worker;
  done: Promise<void>;
}

export class HistoryImports {
  private readonly jobs = new Map<string, Job>();
  private slots = 0;
  private readonly dir: string;
  readonly limits: ImportLimits;

  constructor(
    private readonly d: {
      store: HistoryStore;
      clock: Clock;
      log: Logger;
      dataDir: string;
      limits?: Partial<ImportLimits>;
    },
  ) {
    this.limits = { ...DEFAULT_IMPORT_LIMITS, ...d.limits };
    this.dir = path.join(d.dataDir, 'history-imports');
    // files of imports cut short by the last stop
    rmSync(this.dir, { recursive: true, force: true });
    mkdirSync(this.dir, { recursive: true });
  }

  /** Imports uploading, queued, parsing or writing. */
  get active(): number {
    return this.slots;
  }

  /**
   * Takes a slot for one import (429 past the limit) and checks the request before its body is read; the
   * returned `release` gives the slot back when the import does not start.
   */
  async admit(r: ImportRequest): Promise<{ equipmentModelId: string; release: () => void }> {
    const ok = admitImport(this.slots, this.limits);
    if (!ok.ok) throw new ImportRefused(ok.code, ok.message);
    this.slots++;
    let released = false;
    const release = () => {
      if (!released) this.slots--;
      released = true;
    };
    try {
      const equipment = await this.d.store.cmapssEquipment(r.equipmentModel);
      return { equipmentModelId: equipment.id, release };
    } catch (err) {
      release();
      throw err;
    }
  }

  /** A streamed upload: spooled to disk, counting bytes (413 past the limit), then a job. */
  async fromStream(
    r: ImportRequest,
    body: NodeJS.ReadableStream,
    author: string,
    declaredBytes?: number,
  ): Promise<ImportJobView> {
    if (declaredBytes !== undefined) {
      const size = checkImportSize(declaredBytes, this.limits.maxUploadBytes, true);
      if (!size.ok) throw new ImportRefused(size.code, size.message);
    }
    const slot = await this.admit(r);
    const id = randomUUID();
    const file = path.join(this.dir, `${id}.txt`);
    try {
      let bytes = 0;
      const limit = this.limits.maxUploadBytes;
      const counter = new Transform({
        transform(chunk: Buffer, _enc, done) {
          bytes += chunk.length;
          const size = checkImportSize(bytes, limit);
          if (!size.ok) done(new ImportRefused(size.code, size.message));
          else done(null, chunk);
        },
      });
      await pipeline(body, counter, createWriteStream(file));
    } catch (err) {
      slot.release();
      await rm(file, { force: true });
      throw err;
    }
    return this.start(id, file, r, slot, author);
  }

  /** A file given as text (the JSON variant, small files). */
  async fromText(r: ImportRequest & { data: string }, author: string): Promise<ImportJobView> {
    const slot = await this.admit(r);
    const id = randomUUID();
    const file = path.join(this.dir, `${id}.txt`);
    try {
      await writeFile(file, r.data);
    } catch (err) {
      slot.release();
      await rm(file, { force: true });
      throw err;
    }
    return this.start(id, file, r, slot, author);
  }

  get(id: string): ImportJobView | undefined {
    return this.jobs.get(id)?.view;
  }

  /** Stops running imports (their transactions roll back) and waits for them. */
  async close(): Promise<void> {
    const running = [...this.jobs.values()].filter((j) => j.view.finishedAt === null);
    await Promise.all(running.map((j) => j.worker?.terminate()));
    await Promise.all(running.map((j) => j.done));
  }

  private start(
    id: string,
    file: string,
    r: ImportRequest,
    slot: { equipmentModelId: string; release: () => void },
    author: string,
  ): ImportJobView {
    const view: ImportJobView = {
      id,
      status: 'queued',
      name: r.name,
      equipmentModel: r.equipmentModel,
      createdBy: author,
      createdAt: this.d.clock.now().toISOString(),
      finishedAt: null,
      progress: { bytesDone: 0, bytesTotal: 0, unitsDone: 0, unitsTotal: null, fraction: 0 },
      history: null,
      error: null,
    };
    const job: Job = { view, done: Promise.resolve() };
    this.jobs.set(id, job);
    this.prune();
    job.done = this.run(job, file, r, slot.equipmentModelId, author).finally(async () => {
      slot.release();
      view.finishedAt = this.d.clock.now().toISOString();
      await rm(file, { force: true });
    });
    return view;
  }

  private async run(
    job: Job,
    file: string,
    r: ImportRequest,
    equipmentModelId: string,
    author: string,
  ): Promise<void> {
    const view = job.view;
    const set = (status: ImportStatus, p: Partial<ImportProgress> = {}) => {
      view.status = status;
      Object.assign(view.progress, p);
      view.progress.fraction = importFraction(status, view.progress);
    };
    const log = this.d.log.child({ importJob: view.id });
    const t0 = Date.now();
    try {
      const input: ImportWorkerInput = {
        entry: WORKER_ENTRY,
        file,
        source: r.name,
        ...(r.truth !== undefined ? { truth: truthValuesText(r.truth) } : {}),
        batchBytes: BATCH_BYTES,
      };
      const worker = new Worker(WORKER_BOOT, { workerData: input });
      job.worker = worker;
      const inbox = new Inbox(worker, (m) => {
        if (m.type === 'progress') set('parsing', { bytesDone: m.bytesDone, bytesTotal: m.bytesTotal });
      });
      set('parsing');
      try {
        const checked = await inbox.next();
        if (checked.type === 'failed') throw new ImportFailed('PREDICT_IMPORT_INVALID_FILE', checked);
        if (checked.type !== 'checked') throw new Error(`unexpected ${checked.type} from the import worker`);
        set('writing', {
          bytesDone: checked.bytesTotal,
          bytesTotal: checked.bytesTotal,
          unitsTotal: checked.units,
        });
        async function* batches(): AsyncGenerator<HistoryRunRow[]> {
          for (;;) {
            worker.postMessage({ type: 'next' } satisfies ParentMessage);
            const m = await inbox.next();
            if (m.type === 'end') return;
            if (m.type === 'failed') throw new ImportFailed('PREDICT_IMPORT_INVALID_FILE', m);
            if (m.type !== 'batch') throw new Error(`unexpected ${m.type} from the import worker`);
            yield m.runs;
          }
        }
        const history = await this.d.store.writeHistory(
          {
            name: r.name,
            equipmentModelId,
            cycleMinutes: r.cycleMinutes ?? 60,
            units: checked.units,
            cycles: checked.cycles,
            importedBy: author,
          },
          batches(),
          (unitsDone) => set('writing', { unitsDone }),
        );
        view.history = history;
        set('done', { unitsDone: checked.units });
        log.info(
          { name: r.name, units: history.units, cycles: history.cycles, ms: Date.now() - t0 },
          'history imported',
        );
      } finally {
        await worker.terminate();
      }
    } catch (err) {
      view.error =
        err instanceof ImportFailed
          ? { code: err.code, message: err.message, line: err.line }
          : { code: 'PREDICT_IMPORT_FAILED', message: (err as Error).message, line: null };
      set('failed');
      log.warn({ name: r.name, error: view.error }, 'history import failed; nothing written');
    }
  }

  private prune(): void {
    const finished = [...this.jobs.values()].filter((j) => j.view.finishedAt !== null);
    for (const j of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED)))
      this.jobs.delete(j.view.id);
  }
}

class ImportFailed extends Error {
  readonly line: number | null;
  constructor(
    readonly code: string,
    m: { message: string; line: number | null },
  ) {
    super(m.message);
    this.line = m.line;
  }
}

/** The worker's messages in order; `onProgress` sees progress reports as they come. */
class Inbox {
  private readonly queue: WorkerMessage[] = [];
  private waiting: ((m: WorkerMessage) => void) | undefined;

  constructor(worker: Worker, onProgress: (m: WorkerMessage) => void) {
    worker.on('message', (m: WorkerMessage) => (m.type === 'progress' ? onProgress(m) : this.push(m)));
    worker.on('error', (err) =>
      this.push({ type: 'failed', message: `the import worker failed: ${err.message}`, line: null }),
    );
    worker.on('exit', (code) =>
      this.push({ type: 'failed', message: `the import worker stopped (exit code ${code})`, line: null }),
    );
  }

  private push(m: WorkerMessage): void {
    const w = this.waiting;
    this.waiting = undefined;
    if (w) w(m);
    else this.queue.push(m);
  }

  next(): Promise<WorkerMessage> {
    const m = this.queue.shift();
    if (m) return Promise.resolve(m);
    return new Promise((r) => (this.waiting = r));
  }
}
