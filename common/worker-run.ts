// Runs one of our TypeScript modules in a worker thread (started by worker-boot.mjs) until it sends its last
// message: predict's imports and alarm trainings, the parts planner. What it sends before that (progress, a
// stage) goes to `onMessage`; an error or exit before it becomes the caller's own failure message. The worker is
// terminated either way.
import { Worker } from 'node:worker_threads';

const WORKER_BOOT = new URL('./worker-boot.mjs', import.meta.url);

export function runWorker<M>(
  /** The module to run (its URL; worker-boot.mjs reads `workerData.entry`). */
  entry: string,
  data: object,
  o: {
    /** Names the worker in a failure: "the <what> worker failed: …" / "… stopped (exit code N)". */
    what: string;
    stopped: (message: string) => M;
    /** A message before the last (default: none, the first message is the last). */
    onMessage?: (m: M) => boolean;
  },
): { worker: Worker; end: Promise<M> } {
  const worker = new Worker(WORKER_BOOT, { workerData: { ...data, entry } });
  const ended = new Promise<M>((resolve) => {
    worker.on('message', (m: M) => {
      if (!o.onMessage?.(m)) resolve(m);
    });
    worker.on('error', (err) => resolve(o.stopped(`the ${o.what} worker failed: ${err.message}`)));
    worker.on('exit', (code) => resolve(o.stopped(`the ${o.what} worker stopped (exit code ${code})`)));
  });
  const end = ended.finally(() => worker.terminate());
  return { worker, end };
}
