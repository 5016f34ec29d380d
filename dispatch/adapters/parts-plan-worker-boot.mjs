// Entry of the parts planner's worker thread (parts-plan-worker.ts): Node 20 does not pass the caller's loader
// hooks to a worker, so register tsx here, then load the TypeScript. If that fails, say so through the shared
// control word (index 3 = 2), which the caller, blocked in Atomics.wait, can see.
import { workerData } from 'node:worker_threads';

try {
  const { register } = await import('tsx/esm/api');
  register();
  await import('./parts-plan-worker-thread.ts');
} catch {
  const control = new Int32Array(workerData.control);
  Atomics.store(control, 3, 2);
  Atomics.notify(control, 0);
}
