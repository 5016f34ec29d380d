// History imports as jobs, off the event loop: the upload is streamed to a file under DATA_DIR (never held in
// memory, cut off at the size limit), then a worker thread checks it line by line and writes its runs in ~1 MB
// batches, in one transaction over a connection of its own (adapters/history-import-worker.ts): this thread only
// hears progress. A job is queued → parsing → writing → done, or failed with a code, a message and the
// line; a failed job writes nothing. Jobs live in this process's memory (the history itself is in the database
// once done): a restart forgets them, and an import cut short by a stop leaves nothing behind.
import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { Worker } from 'node:worker_threads';
import type { Clock } from '../common/clock.ts';
import type { Logger } from '../common/logger.ts';
import { runWorker } from '../common/worker-run.ts';
import type { ImportWorkerInput, WorkerMessage } from './adapters/history-import-worker.ts';
import type { HistoryStore, HistoryView } from './adapters/history-store.ts';
import {
  admitImport,
  checkImportSize,
  DEFAULT_IMPORT_LIMITS,
  stalledUpload,
  importFraction,
  truthValuesText,
  type ImportLimits,
  type ImportProgress,
  type ImportRefusal,
  type ImportStatus,
} from './core/history-import.ts';

const WORKER_ENTRY = new URL('./adapters/history-import-worker.ts', import.meta.url).href;
/** JSON text per INSERT the worker sends. */
const BATCH_BYTES = 1024 * 1024;
/** Upload intake, at most: 30 MB take ~2 s, in slices that leave the event loop and the CPU to the rest. */
const SPOOL_BYTES_PER_S = 16 * 1024 * 1024;
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
      /** The worker opens a connection of its own to write the runs. */
      databaseUrl: string;
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
    body: Readable,
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
      await spool(body, file, this.limits.maxUploadBytes, { idleMs: this.limits.uploadIdleMs });
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
        databaseUrl: this.d.databaseUrl,
        historyId: randomUUID(),
        history: { name: r.name, equipmentModelId, cycleMinutes: r.cycleMinutes ?? 60, importedBy: author },
      };
      const run = runWorker<WorkerMessage>(WORKER_ENTRY, input, {
        what: 'import',
        stopped: (message) => ({ type: 'failed', message, line: null, invalid: false }),
        onMessage: (m) => {
          if (m.type === 'progress') set('parsing', { bytesDone: m.bytesDone, bytesTotal: m.bytesTotal });
          else if (m.type === 'checked')
            set('writing', { bytesDone: m.bytesTotal, bytesTotal: m.bytesTotal, unitsTotal: m.units });
          else if (m.type === 'written') set('writing', { unitsDone: m.unitsDone });
          else return false;
          return true;
        },
      });
      job.worker = run.worker;
      set('parsing');
      const end = await run.end;
      if (end.type === 'failed')
        throw new ImportFailed(end.invalid ? 'PREDICT_IMPORT_INVALID_FILE' : 'PREDICT_IMPORT_FAILED', end);
      if (end.type !== 'end') throw new Error(`unexpected ${end.type} from the import worker`);
      const history = await this.d.store.get(end.historyId);
      if (!history) throw new Error('the imported history is not in the database');
      view.history = history;
      set('done', { unitsDone: history.units, unitsTotal: history.units });
      log.info(
        { name: r.name, units: history.units, cycles: history.cycles, ms: Date.now() - t0 },
        'history imported',
      );
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

/**
 * Writes the request body to `file`, pausing the body while the disk catches up and to keep to `rate`. Past `limit` bytes it stops
 * writing and refuses (413); the rest of the body is read and dropped (up to as much again, then the
 * connection is cut), so the client, still sending, gets the answer. A body that sends nothing for `idleMs`
 * (while not paused here) is refused as stalled (408), so a client that stops sending without closing its
 * connection does not hold an import slot for ever.
 */
export function spool(
  body: Readable,
  file: string,
  limit: number,
  opts: { rate?: number; idleMs?: number } = {},
): Promise<void> {
  const rate = opts.rate ?? SPOOL_BYTES_PER_S;
  const idleMs = opts.idleMs ?? DEFAULT_IMPORT_LIMITS.uploadIdleMs;
  return new Promise<void>((resolve, reject) => {
    const out = createWriteStream(file);
    const started = Date.now();
    let bytes = 0;
    let refused = false;
    let idle: NodeJS.Timeout | undefined;
    const disarm = () => clearTimeout(idle);
    const arm = () => {
      disarm();
      idle = setTimeout(() => {
        const s = stalledUpload(idleMs);
        fail(new ImportRefused(s.code, s.message));
      }, idleMs);
    };
    const fail = (err: Error) => {
      disarm();
      if (refused) return;
      refused = true;
      out.destroy();
      body.resume();
      reject(err);
    };
    body.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (refused) {
        if (bytes > 2 * limit) body.destroy();
        return;
      }
      arm();
      const size = checkImportSize(bytes, limit);
      if (!size.ok) return fail(new ImportRefused(size.code, size.message));
      // at most `rate` bytes a second: an upload over a fast link takes the CPU in small slices
      const ahead = (bytes / rate) * 1000 - (Date.now() - started);
      const wrote = out.write(chunk);
      if (!wrote || ahead > 5) {
        // paused by us: the client is not idle meanwhile
        disarm();
        body.pause();
        let waits = (wrote ? 0 : 1) + (ahead > 5 ? 1 : 0);
        const resume = () => {
          if (--waits === 0 && !refused) {
            arm();
            body.resume();
          }
        };
        if (!wrote) out.once('drain', resume);
        if (ahead > 5) setTimeout(resume, ahead);
      }
    });
    body.once('end', () => {
      disarm();
      if (!refused) out.end();
    });
    body.once('error', fail);
    body.once('aborted', () => fail(new Error('the upload was interrupted')));
    out.once('error', fail);
    out.once('finish', () => {
      if (!refused) resolve();
    });
    arm();
  });
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
