// The worker thread of a history import (predict/history-imports.ts): everything heavy happens here, off the
// platform's event loop. It reads the spooled C-MAPSS file from disk twice, line by line: the first pass checks
// every line and counts units and cycles (a bad line fails the job before anything is written); the second
// builds each unit's stored run (column arrays as JSON text) and writes them in batches of about `batchBytes`
// over its own database connection, in one transaction (history-writer.ts). It holds one unit and one batch at
// a time, and tells the parent its progress.
import { createReadStream, readlinkSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { setPriority } from 'node:os';
import { createInterface } from 'node:readline';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { unitColumns } from '../core/backtest/cmapss-history.ts';
import {
  CmapssLineReader,
  CmapssParseError,
  parseRulTruth,
  type UnitHistory,
} from '../core/rul/cmapss-parse.ts';
import { HistoryWriter, type HistoryImportMeta, type HistoryRunRow } from './history-writer.ts';

export interface ImportWorkerInput {
  /** This module's URL (read by common/worker-boot.mjs). */
  entry: string;
  file: string;
  /** Name for messages (the history's name). */
  source: string;
  /** A test file's RUL truth, one value a line. */
  truth?: string;
  batchBytes: number;
  databaseUrl: string;
  historyId: string;
  history: Omit<HistoryImportMeta, 'units' | 'cycles'>;
}

export type WorkerMessage =
  | { type: 'progress'; bytesDone: number; bytesTotal: number }
  | { type: 'checked'; units: number; cycles: number; bytesTotal: number }
  | { type: 'written'; unitsDone: number }
  | { type: 'end'; historyId: string }
  /** `invalid`: the file is at fault (at `line`, when one line is), not the database or the disk. */
  | { type: 'failed'; message: string; line: number | null; invalid: boolean };

async function eachUnit(
  input: ImportWorkerInput,
  onUnit: (u: UnitHistory) => Promise<void> | void,
  onBytes?: (bytes: number) => void,
): Promise<CmapssLineReader> {
  const reader = new CmapssLineReader(input.source);
  const stream = createReadStream(input.file, { highWaterMark: 256 * 1024 });
  if (onBytes) {
    let bytes = 0;
    stream.on('data', (chunk) => onBytes((bytes += chunk.length)));
  }
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let lineNo = 0;
  try {
    for await (const line of lines) {
      const u = reader.line(line, ++lineNo);
      if (u) await onUnit(u);
    }
    await onUnit(reader.end());
  } finally {
    lines.close();
    stream.destroy();
  }
  return reader;
}

/** Nice level of this thread: on a busy machine the API, ingest and the live channel come first. */
const NICE = 10;

/**
 * Lowers this thread's scheduling priority (Linux: a thread id given to setpriority(2) names that thread alone).
 * Elsewhere the import runs at the platform's priority.
 */
function lowerPriority(): void {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, NICE);
  } catch {
    // no /proc/thread-self, or not allowed: keep the priority
  }
}

/** At most one message per `ms` (the last one always goes when `force`). */
function throttled(send: (m: WorkerMessage) => void, ms: number) {
  let last = 0;
  return (m: WorkerMessage, force = false) => {
    const now = Date.now();
    if (force || now - last >= ms) {
      last = now;
      send(m);
    }
  };
}

async function main(input: ImportWorkerInput, send: (m: WorkerMessage) => void): Promise<void> {
  let writer: HistoryWriter | undefined;
  try {
    const truth = input.truth === undefined ? undefined : parseRulTruth(input.truth, `${input.source} truth`);
    const bytesTotal = (await stat(input.file)).size;
    // pass 1: check every line
    const progress = throttled(send, 100);
    let cycles = 0;
    const checked = await eachUnit(
      input,
      (u) => {
        cycles += u.length;
      },
      (bytesDone) => progress({ type: 'progress', bytesDone, bytesTotal }),
    );
    if (truth && truth.length !== checked.units)
      throw new CmapssParseError(
        `the truth has ${truth.length} values for ${checked.units} units`,
        input.source,
      );
    send({ type: 'checked', units: checked.units, cycles, bytesTotal });

    // pass 2: build the runs and write them, a batch at a time, in one transaction
    const w = await HistoryWriter.begin(input.databaseUrl, input.historyId, {
      ...input.history,
      units: checked.units,
      cycles,
    });
    writer = w;
    let batch: HistoryRunRow[] = [];
    let batchBytes = 0;
    const flush = async () => {
      if (batch.length === 0) return;
      const unitsDone = await w.write(batch);
      progress({ type: 'written', unitsDone });
      batch = [];
      batchBytes = 0;
    };
    let k = 0;
    await eachUnit(input, async (u) => {
      const data = JSON.stringify(unitColumns(u));
      const rul = truth ? truth[k] : undefined;
      k++;
      batch.push({
        unit: u.unit,
        cycles: u.length,
        failed: rul === undefined,
        rulAtEnd: rul === undefined ? null : Math.round(rul),
        data,
      });
      batchBytes += data.length;
      if (batchBytes >= input.batchBytes) await flush();
    });
    await flush();
    writer = undefined;
    await w.commit();
    send({ type: 'end', historyId: input.historyId });
  } catch (err) {
    await writer?.rollback().catch(() => undefined);
    if (err instanceof CmapssParseError)
      send({ type: 'failed', message: err.message, line: err.line ?? null, invalid: true });
    else send({ type: 'failed', message: (err as Error).message, line: null, invalid: false });
  }
}

if (!isMainThread && parentPort && (workerData as ImportWorkerInput | undefined)?.entry === import.meta.url) {
  const port = parentPort;
  lowerPriority();
  void main(workerData as ImportWorkerInput, (m) => port.postMessage(m));
}
