// The worker thread of a fleet history import (predict/fleet-imports.ts): streams the spooled CSV file and writes
// it over a connection of its own (predict/fleet-import-run.ts), off the platform's event loop, at a lower
// priority, telling the parent its progress.
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import {
  FleetImportInvalid,
  importFleetFile,
  type FleetImportInput,
  type FleetImportReport,
} from '../fleet-import-run.ts';
import type { BadRow } from '../core/fleet-import.ts';

export interface FleetWorkerInput extends Omit<FleetImportInput, 'onProgress'> {
  /** This module's URL (read by common/worker-boot.mjs). */
  entry: string;
}

export type FleetWorkerMessage =
  | { type: 'progress'; bytesDone: number; bytesTotal: number; rows: number }
  | { type: 'end'; report: FleetImportReport }
  | { type: 'failed'; message: string; invalid: boolean; bad: number; badRows: BadRow[] };

function lowerPriority(): void {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, 10);
  } catch {
    // no /proc/thread-self, or not allowed: keep the priority
  }
}

async function main(input: FleetWorkerInput, send: (m: FleetWorkerMessage) => void): Promise<void> {
  let last = 0;
  try {
    const { entry: _entry, ...rest } = input;
    const report = await importFleetFile({
      ...rest,
      onProgress: (p) => {
        if (Date.now() - last < 100) return;
        last = Date.now();
        send({ type: 'progress', ...p });
      },
    });
    send({ type: 'end', report });
  } catch (err) {
    if (err instanceof FleetImportInvalid)
      send({ type: 'failed', message: err.message, invalid: true, bad: err.bad, badRows: err.badRows });
    else send({ type: 'failed', message: (err as Error).message, invalid: false, bad: 0, badRows: [] });
  }
}

if (!isMainThread && parentPort && (workerData as FleetWorkerInput | undefined)?.entry === import.meta.url) {
  const port = parentPort;
  lowerPriority();
  void main(workerData as FleetWorkerInput, (m) => port.postMessage(m));
}
