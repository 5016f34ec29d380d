/** The worker thread of `WorkerPlanHelper` (parts-plan-worker.ts): runs the planner's jobs on its scenarios. */
import { parentPort, workerData } from 'node:worker_threads';
import { runPlanJob } from '../core/parts-planner/helper.ts';
import type { PlanHelperInit, PlanJob } from '../core/parts-planner/helper.ts';
import { compileModel } from '../core/parts-planner/model.ts';
import type { PartsModel } from '../core/parts-planner/model.ts';
import { sampleScenarios } from '../core/parts-planner/sim.ts';
import type { Scenarios } from '../core/parts-planner/sim.ts';

type Message =
  | { type: 'init'; init: PlanHelperInit; levels: SharedArrayBuffer }
  | { type: 'job'; seq: number; job: PlanJob };

const control = new Int32Array((workerData as { control: SharedArrayBuffer }).control);
let ctx: { m: PartsModel; train: Scenarios; levels: Int32Array } | undefined;

parentPort?.on('message', (msg: Message) => {
  if (msg.type === 'init') {
    const m = compileModel(msg.init.instance);
    ctx = {
      m,
      train: sampleScenarios(m, msg.init.scenarios, msg.init.seed),
      levels: new Int32Array(msg.levels),
    };
    return;
  }
  if (ctx === undefined) return;
  try {
    const r = runPlanJob(ctx.m, ctx.train, msg.job);
    ctx.levels.set(r.lev);
    control[1] = r.moves;
    control[2] = r.converged ? 1 : 0;
  } catch {
    control[1] = -1;
  }
  Atomics.store(control, 0, msg.seq);
  Atomics.notify(control, 0);
});
