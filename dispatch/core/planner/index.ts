/** Parts-staging planner: `planDispatch(instance)` returns the spec's plan plus its proof data. */
import { validateInstance } from './instance.ts';
import type { Assignment, Mode, Plan, PlanInstance } from './instance.ts';
import { buildContext, buildOptions, evaluate, MODE_CODES, shipment, withArrivals } from './options.ts';
import { solve } from './solve.ts';
import type { SolveStats } from './solve.ts';
import { toIso } from './time.ts';

export type { Assignment, Location, Mode, Order, Plan, PlanInstance, Technician } from './instance.ts';
export { validateInstance, validatePlan } from './instance.ts';
export { scorePlan } from './score.ts';

export interface PlanResult extends Plan {
  /** A proven lower bound on the optimal plan cost. */
  lowerBound: number;
  /** Relative gap (totalCost − lowerBound) / totalCost. */
  gap: number;
  /** True when the plan is proven optimal. */
  optimal: boolean;
  solveMs: number;
  /** How the plan was found (not part of the plan JSON). */
  stats: SolveStats & { method: string; enumerated: number };
}

export interface PlanOptions {
  /** Wall-clock budget for the optimiser (default 25 s). */
  timeLimitMs?: number;
  /**
   * Not part of the spec: the live platform's weight of an hour late per order id (e.g. by contract tier),
   * multiplying `lateCostPerHour`. Absent (the CLI): every order weighs 1, exactly as the spec says.
   */
  lateWeights?: Record<string, number>;
}

export function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

export async function planDispatch(instance: PlanInstance, opts: PlanOptions = {}): Promise<PlanResult> {
  const t0 = performance.now();
  // units in transit (not in the spec's instances) become pools of their own, on the shelf from their ETA
  const { inst, pools } = withArrivals(validateInstance(instance));
  const weights = opts.lateWeights;
  const ctx = buildContext(inst, weights && inst.orders.map((o) => weights[o.id] ?? 1), pools);
  const options = buildOptions(ctx);
  const elapsed = performance.now() - t0;
  const outcome = await solve(options, {
    orders: inst.orders.length,
    technicians: inst.technicians.length,
    qty: inst.orders.map((o) => o.qty),
    unplannedCost: inst.unplannedCost,
    timeLimitMs: Math.max(100, (opts.timeLimitMs ?? 25_000) - elapsed),
  });

  const byOrder = new Map<number, number>();
  for (const j of outcome.chosen) byOrder.set(options.order[j] as number, j);
  const assignments: Assignment[] = [];
  const unplanned: string[] = [];
  let total = 0;
  inst.orders.forEach((order, o) => {
    const j = byOrder.get(o);
    if (j === undefined) {
      unplanned.push(order.id);
      total += inst.unplannedCost;
      return;
    }
    const t = options.tech[j] as number;
    const pickup = options.pickup[j] as number;
    const source = options.source[j] as number;
    const mode = MODE_CODES[options.mode[j] as number] as Mode;
    const sh = shipment(ctx, pickup, source, mode);
    if (sh === null) throw new Error(`internal error: option ${j} has an invalid shipment`);
    const d = evaluate(ctx, t, o, pickup, sh.readyMs, sh.cost);
    total += d.cost;
    const pool = pools[source];
    assignments.push({
      order: order.id,
      technician: inst.technicians[t]?.id ?? '',
      pickup: inst.locations[pickup]?.id ?? '',
      source: inst.locations[pool ? pool.at : source]?.id ?? '',
      mode,
      partsReadyAt: toIso(d.partsReadyMs),
      arrivalAt: toIso(d.arrivalMs),
      cost: round2(d.cost),
      ...(pool ? { sourceEta: pool.eta } : {}),
    });
  });
  const lowerBound = Math.min(outcome.lowerBound, total);
  const gap = outcome.optimal || total <= 0 ? 0 : Math.max(0, (total - lowerBound) / total);
  return {
    assignments,
    unplanned,
    totalCost: round2(total),
    lowerBound: round2(lowerBound),
    gap,
    optimal: outcome.optimal,
    solveMs: Math.round(performance.now() - t0),
    stats: { ...outcome.stats, method: outcome.method, enumerated: options.enumerated },
  };
}
