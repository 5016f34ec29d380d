/**
 * The planner's second thread (`PlanHelper`, core/parts-planner/helper.ts) as a worker thread. `planParts` is
 * synchronous, so the result comes back through shared memory and `Atomics.wait` (bounded by the job's
 * deadline): a control word `[seq, moves, converged, failed]` and the levels. The worker starts loading when the helper is made (make it
 * first thing: loading the code takes about as long as the caller's own start), so its first job waits only
 * for what is left of that. The worker runs TypeScript through tsx (registered inside the worker by
 * parts-plan-worker-boot.mjs: Node 20 does not pass the caller's loader hooks to workers); where that fails,
 * the worker says so in the control word, its jobs answer null and the planner goes on alone.
 */
import { Worker } from 'node:worker_threads';
import type { PlanHelper, PlanHelperInit, PlanJob, PlanJobResult } from '../core/parts-planner/helper.ts';

export class WorkerPlanHelper implements PlanHelper {
  private readonly worker: Worker;
  private readonly control = new Int32Array(new SharedArrayBuffer(16));
  private levels: Int32Array | undefined;
  private seq = 0;
  private failed = false;

  constructor() {
    this.worker = new Worker(new URL('./parts-plan-worker-boot.mjs', import.meta.url), {
      workerData: { control: this.control.buffer },
    });
    this.worker.unref();
    this.worker.on('error', () => {
      this.failed = true;
    });
  }

  init(init: PlanHelperInit): void {
    const cells = init.instance.locations.length * init.instance.skus.length;
    this.levels = new Int32Array(new SharedArrayBuffer(4 * cells));
    this.worker.postMessage({ type: 'init', init, levels: this.levels.buffer });
  }

  start(job: PlanJob): void {
    this.seq++;
    this.worker.postMessage({ type: 'job', seq: this.seq, job });
  }

  result(timeoutMs: number): PlanJobResult | 'pending' | null {
    const [c, lev] = [this.control, this.levels];
    if (lev === undefined || this.failed) return null;
    const until = performance.now() + timeoutMs;
    while (Atomics.load(c, 0) !== this.seq) {
      const left = until - performance.now();
      if (Atomics.load(c, 3) === 2) return null;
      if (left <= 0) return 'pending';
      Atomics.wait(c, 0, Atomics.load(c, 0), left);
    }
    if ((c[1] as number) < 0) return null;
    return { lev: lev.slice(), moves: c[1] as number, converged: c[2] === 1 };
  }

  close(): void {
    void this.worker.terminate();
  }
}
