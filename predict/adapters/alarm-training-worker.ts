// The worker thread of an alarm training (predict/alarm-trainings.ts): reads the fleet history, trains and
// backtests (predict/alarm-training-run.ts) off the platform's event loop, at a lower priority, telling the parent
// its stage.
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import {
  AlarmTrainingError,
  trainAlarmVersions,
  type AlarmTrainingInput,
  type AlarmTrainingReport,
} from '../alarm-training-run.ts';

export interface AlarmWorkerInput extends Omit<AlarmTrainingInput, 'onProgress'> {
  /** This module's URL (read by common/worker-boot.mjs). */
  entry: string;
}

export type AlarmWorkerMessage =
  | { type: 'stage'; stage: string }
  | { type: 'end'; report: AlarmTrainingReport }
  | { type: 'failed'; code: string; message: string };

function lowerPriority(): void {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, 10);
  } catch {
    // no /proc/thread-self, or not allowed: keep the priority
  }
}

async function main(input: AlarmWorkerInput, send: (m: AlarmWorkerMessage) => void): Promise<void> {
  try {
    const { entry: _entry, ...rest } = input;
    const report = await trainAlarmVersions({
      ...rest,
      onProgress: (stage) => send({ type: 'stage', stage }),
    });
    send({ type: 'end', report });
  } catch (err) {
    const code =
      err instanceof AlarmTrainingError
        ? err.code
        : (((err as { code?: unknown }).code as string | undefined) ?? 'PREDICT_ALARM_TRAINING_FAILED');
    send({
      type: 'failed',
      code: typeof code === 'string' ? code : 'PREDICT_ALARM_TRAINING_FAILED',
      message: (err as Error).message,
    });
  }
}

if (!isMainThread && parentPort && (workerData as AlarmWorkerInput | undefined)?.entry === import.meta.url) {
  const port = parentPort;
  lowerPriority();
  void main(workerData as AlarmWorkerInput, (m) => port.postMessage(m));
}
