// The parts review's CPU-bound steps in a worker thread (dispatch/adapters/parts-plan-worker.ts): the same plan as
// in this thread when the search runs to its end, the same summary, this thread's timers keep firing while it plans (inline they cannot), and a
// failure inside the worker is an AppError, not a crash.
import { describe, expect, it } from 'vitest';
import { AppError } from '../../common/errors.ts';
import { inlineCompute, workerCompute } from '../../dispatch/adapters/parts-plan-worker.ts';
import { generatePartsInstance } from '../../dispatch/core/parts-planner/generate.ts';

/** Runs `work` while a 5 ms timer counts how often this thread's event loop got to run it. */
async function ticksDuring<T>(work: () => Promise<T>): Promise<{ value: T; ticks: number }> {
  let ticks = 0;
  const timer = setInterval(() => void ticks++, 5);
  try {
    const value = await work();
    return { value, ticks };
  } finally {
    clearInterval(timer);
  }
}

describe('parts planner in a worker thread', () => {
  const small = generatePartsInstance({ seed: 3, assets: 400 });

  it('returns the plan the planner returns in this thread when both search to the end', async () => {
    const opts = { timeLimitMs: 120_000, seed: 1 };
    const [inWorker, inline] = [await workerCompute.plan(small, opts), await inlineCompute.plan(small, opts)];
    expect(inWorker.plan).toEqual(inline.plan);
    expect(inWorker.stats.validationCost).toBe(inline.stats.validationCost);
    expect(inWorker.levels).toBeInstanceOf(Int32Array);
  }, 120_000);

  it('scores and explains a plan as it does in this thread', async () => {
    const sources = new Map(
      small.assets.map((a, i) => [
        a.id,
        {
          assetId: a.id,
          assetName: `Asset ${i}`,
          failureModeKey: 'wear',
          tier: a.slaHours <= 8 ? ('CRITICAL' as const) : ('STANDARD' as const),
          source:
            a.window[1] - a.window[0] < small.horizonDays ? ('PREDICTION' as const) : ('BASE_RATE' as const),
          expectedFailureAt: null,
          confidence: null,
        },
      ]),
    );
    const plan = { stock: Object.fromEntries(small.locations.map((l) => [l.id, { ...l.stock }])) };
    const opts = { scenarios: 300 };
    const [inWorker, inline] = [
      await workerCompute.summarise(small, plan, sources, opts),
      await inlineCompute.summarise(small, plan, sources, opts),
    ];
    expect(inWorker).toEqual(inline);
    expect(inWorker.locations.some((l) => l.rows.some((r) => r.atRisk.length > 0))).toBe(true);
  }, 60_000);

  it("leaves this thread's event loop free while it plans", async () => {
    const large = generatePartsInstance({ seed: 1, assets: 3_000 });
    const opts = { timeLimitMs: 1_500, seed: 1 };
    const inline = await ticksDuring(() => inlineCompute.plan(large, opts));
    const worker = await ticksDuring(() => workerCompute.plan(large, opts));
    expect(inline.ticks).toBe(0); // a search in this thread blocks every timer until it ends
    expect(worker.ticks).toBeGreaterThan(0);
    expect(Object.keys(worker.value.plan.stock).length).toBeGreaterThan(0);
  }, 60_000);

  it('reports a failure inside the worker as PARTS_REVIEW_FAILED', async () => {
    // an instance the planner cannot read (the platform validates what it builds; this is the worker's last line)
    const broken = { ...small, assets: null } as unknown as typeof small;
    const err = await workerCompute.plan(broken, { timeLimitMs: 500 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'PARTS_REVIEW_FAILED' });
  }, 60_000);
});
