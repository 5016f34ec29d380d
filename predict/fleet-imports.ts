// Fleet history imports as jobs (issue 16): a CSV file uploaded as the request body is streamed to disk under
// DATA_DIR (never held in memory; 413 past the size limit), then a worker thread imports it
// (adapters/fleet-import-worker.ts) in one transaction: queued → importing → done, or failed with the bad rows'
// lines and reasons and nothing written. Jobs are kept in memory until a restart, as C-MAPSS imports are.
import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { Worker } from 'node:worker_threads';
import type { Clock } from '../common/clock.ts';
import type { Logger } from '../common/logger.ts';
import { runWorker } from '../common/worker-run.ts';
import type { FleetWorkerInput, FleetWorkerMessage } from './adapters/fleet-import-worker.ts';
import type { BadRow, ColumnFlags, HistoryFileKind } from './core/fleet-import.ts';
import { admitImport, checkImportSize, DEFAULT_IMPORT_LIMITS, MIB } from './core/history-import.ts';
import type { FleetImportReport } from './fleet-import-run.ts';
import { ImportRefused, spool } from './history-imports.ts';

const WORKER_ENTRY = new URL('./adapters/fleet-import-worker.ts', import.meta.url).href;
const KEEP_FINISHED = 100;

export interface FleetImportLimits {
  maxUploadBytes: number;
  maxConcurrent: number;
  /** An upload that sends nothing for this long is cut (408) and gives its slot back, ms. */
  uploadIdleMs: number;
}
export const DEFAULT_FLEET_IMPORT_LIMITS: FleetImportLimits = {
  maxUploadBytes: 1024 * MIB,
  maxConcurrent: 2,
  uploadIdleMs: DEFAULT_IMPORT_LIMITS.uploadIdleMs,
};

export interface FleetImportRequest {
  tenantId: string;
  tenant: string;
  name: string;
  kind: HistoryFileKind;
  flags: ColumnFlags;
}

export interface FleetImportJobView {
  id: string;
  status: 'queued' | 'importing' | 'done' | 'failed';
  tenant: string;
  name: string;
  kind: HistoryFileKind;
  createdBy: string;
  createdAt: string;
  finishedAt: string | null;
  progress: { bytesDone: number; bytesTotal: number; rows: number };
  report: FleetImportReport | null;
  error: { code: string; message: string; bad: number; badRows: BadRow[] } | null;
}

export class FleetImports {
  private readonly jobs = new Map<
    string,
    { view: FleetImportJobView; tenantId: string; worker?: Worker; done: Promise<void> }
  >();
  private slots = 0;
  private readonly dir: string;
  readonly limits: FleetImportLimits;

  constructor(
    private readonly d: {
      databaseUrl: string;
      clock: Clock;
      log: Logger;
      dataDir: string;
      limits?: Partial<FleetImportLimits>;
    },
  ) {
    this.limits = { ...DEFAULT_FLEET_IMPORT_LIMITS, ...d.limits };
    this.dir = path.join(d.dataDir, 'fleet-imports');
    rmSync(this.dir, { recursive: true, force: true });
    mkdirSync(this.dir, { recursive: true });
  }

  get active(): number {
    return this.slots;
  }

  async fromStream(
    r: FleetImportRequest,
    body: Readable,
    author: string,
    declaredBytes?: number,
  ): Promise<FleetImportJobView> {
    if (declaredBytes !== undefined) {
      const size = checkImportSize(declaredBytes, this.limits.maxUploadBytes, true);
      if (!size.ok) throw new ImportRefused(size.code, size.message);
    }
    const ok = admitImport(this.slots, {
      maxConcurrent: this.limits.maxConcurrent,
      maxUploadBytes: 0,
      maxJsonBytes: 0,
      uploadIdleMs: 0,
    });
    if (!ok.ok) throw new ImportRefused(ok.code, ok.message);
    this.slots++;
    const id = randomUUID();
    const file = path.join(this.dir, `${id}.csv`);
    try {
      await spool(body, file, this.limits.maxUploadBytes, { idleMs: this.limits.uploadIdleMs });
    } catch (err) {
      this.slots--;
      await rm(file, { force: true });
      throw err;
    }
    const view: FleetImportJobView = {
      id,
      status: 'queued',
      tenant: r.tenant,
      name: r.name,
      kind: r.kind,
      createdBy: author,
      createdAt: this.d.clock.now().toISOString(),
      finishedAt: null,
      progress: { bytesDone: 0, bytesTotal: 0, rows: 0 },
      report: null,
      error: null,
    };
    const job = { view, tenantId: r.tenantId, done: Promise.resolve() } as {
      view: FleetImportJobView;
      tenantId: string;
      worker?: Worker;
      done: Promise<void>;
    };
    this.jobs.set(id, job);
    this.prune();
    job.done = this.run(job, file, r, author).finally(async () => {
      this.slots--;
      view.finishedAt = this.d.clock.now().toISOString();
      await rm(file, { force: true });
    });
    return view;
  }

  get(id: string): FleetImportJobView | undefined {
    return this.jobs.get(id)?.view;
  }

  async close(): Promise<void> {
    const running = [...this.jobs.values()].filter((j) => j.view.finishedAt === null);
    await Promise.all(running.map((j) => j.worker?.terminate()));
    await Promise.all(running.map((j) => j.done));
  }

  private async run(
    job: { view: FleetImportJobView; worker?: Worker },
    file: string,
    r: FleetImportRequest,
    author: string,
  ): Promise<void> {
    const view = job.view;
    const input: FleetWorkerInput = {
      entry: WORKER_ENTRY,
      databaseUrl: this.d.databaseUrl,
      tenantId: r.tenantId,
      name: r.name,
      author,
      kind: r.kind,
      file,
      source: `${r.kind} file`,
      flags: r.flags,
    };
    const run = runWorker<FleetWorkerMessage>(WORKER_ENTRY, input, {
      what: 'import',
      stopped: (message) => ({ type: 'failed', message, invalid: false, bad: 0, badRows: [] }),
      onMessage: (m) => {
        if (m.type !== 'progress') return false;
        view.progress = { bytesDone: m.bytesDone, bytesTotal: m.bytesTotal, rows: m.rows };
        return true;
      },
    });
    job.worker = run.worker;
    view.status = 'importing';
    const end = await run.end;
    const log = this.d.log.child({ importJob: view.id });
    if (end.type === 'end') {
      view.report = end.report;
      view.progress.rows = end.report.rows;
      view.progress.bytesDone = view.progress.bytesTotal;
      view.status = 'done';
      log.info(
        { tenant: r.tenant, name: r.name, kind: r.kind, rows: end.report.rows, bad: end.report.bad },
        'fleet history file imported',
      );
    } else if (end.type === 'failed') {
      view.error = {
        code: end.invalid ? 'PREDICT_IMPORT_INVALID_FILE' : 'PREDICT_IMPORT_FAILED',
        message: end.message,
        bad: end.bad,
        badRows: end.badRows,
      };
      view.status = 'failed';
      log.warn(
        { tenant: r.tenant, name: r.name, kind: r.kind, error: end.message },
        'fleet history import failed; nothing written',
      );
    }
  }

  private prune(): void {
    const finished = [...this.jobs.values()].filter((j) => j.view.finishedAt !== null);
    for (const j of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED)))
      this.jobs.delete(j.view.id);
  }
}
