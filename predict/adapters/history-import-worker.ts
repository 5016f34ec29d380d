// The worker thread of a history import (predict/history-imports.ts): reads the spooled C-MAPSS file from disk
// twice, line by line, off the platform's event loop. The first pass checks every line and counts units and
// cycles (a bad line fails the job before anything is written); the second builds each unit's stored run (column
// arrays as JSON text) and hands them over in batches of about `batchBytes`, one batch per `next` request, so the
// database writes set the pace and the worker holds one unit and one batch at a time.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { unitColumns } from '../core/backtest/cmapss-history.ts';
import type { HistoryRunRow } from './history-store.ts';
import {
  CmapssLineReader,
  CmapssParseError,
  parseRulTruth,
  type UnitHistory,
} from '../core/rul/cmapss-parse.ts';

export interface ImportWorkerInput {
  /** This module's URL (read by worker-boot.mjs). */
  entry: string;
  file: string;
  /** Name for messages (the history's name). */
  source: string;
  /** A test file's RUL truth, one value a line. */
  truth?: string;
  batchBytes: number;
}

export type WorkerMessage =
  | { type: 'progress'; bytesDone: number; bytesTotal: number }
  | { type: 'checked'; units: number; cycles: number; bytesTotal: number }
  | { type: 'batch'; runs: HistoryRunRow[]; unitsDone: number }
  | { type: 'end'; unitsDone: number }
  | { type: 'failed'; message: string; line: number | null };

export type ParentMessage = { type: 'next' };

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

async function main(port: NonNullable<typeof parentPort>, input: ImportWorkerInput): Promise<void> {
  const send = (m: WorkerMessage) => port.postMessage(m);
  const requests: (() => void)[] = [];
  let pending = 0;
  port.on('message', (m: ParentMessage) => {
    if (m.type !== 'next') return;
    const r = requests.shift();
    if (r) r();
    else pending++;
  });
  const nextRequested = () =>
    pending > 0 ? (pending--, Promise.resolve()) : new Promise<void>((r) => requests.push(r));

  try {
    const truth = input.truth === undefined ? undefined : parseRulTruth(input.truth, `${input.source} truth`);
    const bytesTotal = (await stat(input.file)).size;
    // pass 1: check every line; progress at most every 100 ms
    let lastSent = 0;
    let cycles = 0;
    const checked = await eachUnit(
      input,
      (u) => {
        cycles += u.length;
      },
      (bytesDone) => {
        const now = Date.now();
        if (now - lastSent >= 100) {
          lastSent = now;
          send({ type: 'progress', bytesDone, bytesTotal });
        }
      },
    );
    if (truth && truth.length !== checked.units)
      throw new CmapssParseError(
        `the truth has ${truth.length} values for ${checked.units} units`,
        input.source,
      );
    send({ type: 'checked', units: checked.units, cycles, bytesTotal });

    // pass 2: build the runs, a batch per request
    let batch: HistoryRunRow[] = [];
    let batchBytes = 0;
    let unitsDone = 0;
    const flush = async () => {
      if (batch.length === 0) return;
      await nextRequested();
      unitsDone += batch.length;
      send({ type: 'batch', runs: batch, unitsDone });
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
    await nextRequested();
    send({ type: 'end', unitsDone });
  } catch (err) {
    if (err instanceof CmapssParseError)
      send({ type: 'failed', message: err.message, line: err.line ?? null });
    else send({ type: 'failed', message: `reading the file failed: ${(err as Error).message}`, line: null });
  }
}

if (!isMainThread && parentPort && (workerData as ImportWorkerInput | undefined)?.entry === import.meta.url)
  void main(parentPort, workerData as ImportWorkerInput);
