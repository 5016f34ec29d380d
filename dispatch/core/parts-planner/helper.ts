/**
 * A second thread for the planner (a port): `planParts` hands it the greedy start (marginal analysis from
 * nothing, then every move, on the coarse scenarios) and searches on without waiting for it; the result joins
 * the candidates when it arrives. The real adapter is a worker thread (`dispatch/adapters/parts-plan-worker.ts`,
 * used by `parts:plan`); `InProcessHelper` runs the same job in the calling thread (tests).
 */
import type { PartsInstance } from './instance.ts';
import { compileModel } from './model.ts';
import type { PartsModel } from './model.ts';
import { optimise } from './optimise.ts';
import { sampleScenarios } from './sim.ts';
import type { Scenarios } from './sim.ts';

export interface PlanHelperInit {
  instance: PartsInstance;
  /** The training scenarios: `sampleScenarios(compileModel(instance), scenarios, seed)`, as the caller's. */
  scenarios: number;
  seed: number;
}

export interface PlanJob {
  /** `greedy`: from `start`, add units while one pays, then every move; `search`: every move from `start`. */
  kind: 'greedy' | 'search';
  start: Int32Array;
  /** How many of the training scenarios (a prefix). */
  n: number;
  /** Deadline as epoch ms (`performance.timeOrigin + performance.now()` in any thread). */
  deadlineEpochMs: number;
}

export interface PlanJobResult {
  lev: Int32Array;
  moves: number;
  converged: boolean;
}

export interface PlanHelper {
  init(init: PlanHelperInit): void;
  /** Starts one job (at most one at a time). */
  start(job: PlanJob): void;
  /** The started job's result, waiting at most `timeoutMs`: `pending` if not done yet, null if it failed. */
  result(timeoutMs: number): PlanJobResult | 'pending' | null;
  close(): void;
}

export const epochNow = (): number => performance.timeOrigin + performance.now();

export function runPlanJob(m: PartsModel, train: Scenarios, job: PlanJob): PlanJobResult {
  const sc: Scenarios = { ...train, n: Math.max(1, Math.min(train.n, job.n)) };
  const deadline = performance.now() + (job.deadlineEpochMs - epochNow());
  const common = { deadline };
  let start = job.start;
  let moves = 0;
  if (job.kind === 'greedy') {
    const g = optimise(m, sc, { ...common, start, moves: 'add', hubSteps: true });
    [start, moves] = [g.lev, g.moves];
  }
  const r = optimise(m, sc, { ...common, start, moves: 'all' });
  return { lev: r.lev, moves: moves + r.moves, converged: r.converged };
}

/** The helper's job runs in the calling thread when its result is first asked for (no parallelism: tests). */
export class InProcessHelper implements PlanHelper {
  private ctx: { m: PartsModel; train: Scenarios } | undefined;
  private job: PlanJob | undefined;
  init(init: PlanHelperInit): void {
    const m = compileModel(init.instance);
    this.ctx = { m, train: sampleScenarios(m, init.scenarios, init.seed) };
  }
  start(job: PlanJob): void {
    this.job = job;
  }
  result(): PlanJobResult | null {
    const [ctx, job] = [this.ctx, this.job];
    this.job = undefined;
    return ctx === undefined || job === undefined ? null : runPlanJob(ctx.m, ctx.train, job);
  }
  close(): void {
    this.ctx = undefined;
  }
}
