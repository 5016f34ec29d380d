// The parts planner off the platform's event loop: `workerCompute` runs the review's CPU-bound steps — the plan's
// search (`planParts`, PARTS_PLAN_MS) and its scoring on 2,000 scenarios (`summarisePlan`, about 0.6 s on 3,000
// assets) — each in a worker thread of its own, so ingest, the API and the live channel keep answering while a
// review plans. Both sides live here: the parent's calls and, when loaded by common/worker-boot.mjs, the worker.
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { AppError } from '../../common/errors.ts';
import { runWorker } from '../../common/worker-run.ts';
import { planParts } from '../core/parts-planner/index.ts';
import type {
  PartsInstance,
  PartsPlan,
  PartsPlanOptions,
  PartsPlanResult,
} from '../core/parts-planner/index.ts';
import { summarisePlan } from '../core/parts-planner/plan-summary.ts';
import type { DemandSource, PlanSummary } from '../core/parts-planner/plan-summary.ts';

type SummaryOptions = Parameters<typeof summarisePlan>[3];

/** The review's CPU-bound steps: in this thread (`inlineCompute`) or in worker threads (`workerCompute`). */
export interface PartsCompute {
  plan(instance: PartsInstance, opts: PartsPlanOptions): Promise<PartsPlanResult>;
  summarise(
    instance: PartsInstance,
    plan: PartsPlan,
    sources: ReadonlyMap<string, DemandSource>,
    opts?: SummaryOptions,
  ): Promise<PlanSummary>;
}

type Task =
  | { task: 'plan'; instance: PartsInstance; opts: PartsPlanOptions }
  | {
      task: 'summarise';
      instance: PartsInstance;
      plan: PartsPlan;
      sources: ReadonlyMap<string, DemandSource>;
      opts?: SummaryOptions;
    };

function run(t: Task): PartsPlanResult | PlanSummary {
  return t.task === 'plan'
    ? planParts(t.instance, t.opts)
    : summarisePlan(t.instance, t.plan, t.sources, t.opts);
}

export const inlineCompute: PartsCompute = {
  plan: async (instance, opts) => planParts(instance, opts),
  summarise: async (instance, plan, sources, opts) => summarisePlan(instance, plan, sources, opts),
};

const WORKER_ENTRY = import.meta.url;

/** What the worker receives: the task and this module's URL (read by common/worker-boot.mjs). */
type WorkerInput = Task & { entry: string };
type WorkerMessage = { type: 'end'; result: unknown } | { type: 'failed'; message: string };

async function inWorker<T>(task: Task): Promise<T> {
  const end = await runWorker<WorkerMessage>(WORKER_ENTRY, task, {
    what: 'parts planner',
    stopped: (message) => ({ type: 'failed', message }),
  }).end;
  if (end.type === 'failed') throw new AppError('PARTS_REVIEW_FAILED', end.message);
  return end.result as T;
}

export const workerCompute: PartsCompute = {
  plan: (instance, opts) => inWorker<PartsPlanResult>({ task: 'plan', instance, opts }),
  summarise: (instance, plan, sources, opts) =>
    inWorker<PlanSummary>({ task: 'summarise', instance, plan, sources, opts }),
};

if (!isMainThread && parentPort && (workerData as WorkerInput | undefined)?.entry === import.meta.url) {
  let message: WorkerMessage;
  try {
    message = { type: 'end', result: run(workerData as WorkerInput) };
  } catch (err) {
    message = { type: 'failed', message: `the parts planner failed: ${(err as Error).message}` };
  }
  parentPort.postMessage(message);
}
