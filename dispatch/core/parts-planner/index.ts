/**
 * Stock-positioning planner (the model in shared/specs/parts-plan.md): `planParts(instance)` returns the plan
 * with the lowest sample-average cost it finds within its time budget.
 *
 * Sample-average approximation: a fixed set of scenarios drawn as the spec says (more when failures are few),
 * a local search (optimise.ts) from a greedy build-up, then, while the budget allows, from today's stock and
 * from the history base-stock levels; the candidates are compared on a second, independent set of scenarios
 * (so the choice does not reward over-fitting the first), per sku where capacities allow, and the best is
 * polished once more.
 */
import { historyBaseStock, keepToday } from './baselines.ts';
import type { PartsInstance, PartsPlan } from './instance.ts';
import { compileModel, levelsToPlan } from './model.ts';
import type { PartsModel } from './model.ts';
import { optimise } from './optimise.ts';
import { sampleScenarios, SkuSimulator } from './sim.ts';
import type { Scenarios } from './sim.ts';

export type { PartsInstance, PartsPlan } from './instance.ts';
export { checkPlan, PartsPlanError, validateInstance, validatePlan } from './instance.ts';
export { evaluatePlan } from './evaluate.ts';

export interface PartsPlanOptions {
  /** Wall-clock budget of the search in ms (default 6,000); a local search already started is not cut short. */
  timeLimitMs?: number;
  /** Scenarios of the sample-average cost (default: `defaultScenarioCount`). */
  scenarios?: number;
  seed?: number;
}

export interface PartsPlanResult {
  plan: PartsPlan;
  levels: Int32Array;
  stats: {
    scenarios: number;
    /** Sample-average cost of the plan on the validation scenarios. */
    validationCost: number;
    starts: { start: string; validationCost: number; moves: number; converged: boolean; ms: number }[];
    ms: number;
  };
}

/**
 * Scenarios of the sample-average cost: about 240,000 sampled failures on an 800-asset fleet, fewer per
 * failure on larger fleets (the search's work grows with the fleet's reach lists too), 600 to 5,000.
 */
export function defaultScenarioCount(instance: PartsInstance): number {
  const failures = instance.assets.reduce((s, a) => s + a.pFail, 0);
  const size = Math.sqrt(Math.max(1, instance.assets.length / 800));
  return Math.max(600, Math.min(5_000, Math.round(240_000 / (Math.max(1, failures) * size))));
}

/** Sample-average cost of levels on `sc`, by sku (service) plus the whole plan's holding and positioning. */
export function sampleCost(
  m: PartsModel,
  sc: Scenarios,
  lev: Int32Array,
): { total: number; bySku: Float64Array } {
  const sim = new SkuSimulator(m, sc);
  const bySku = new Float64Array(m.nSku);
  const skuLev = new Int32Array(m.nLoc);
  for (let s = 0; s < m.nSku; s++) {
    for (let l = 0; l < m.nLoc; l++) skuLev[l] = lev[l * m.nSku + s] as number;
    let sum = 0;
    for (let k = 0; k < sc.n; k++) sum += sim.run(s, k, skuLev);
    let fixed = 0;
    for (let l = 0; l < m.nLoc; l++) {
      const q = skuLev[l] as number;
      fixed += q * (m.holdPerUnit[s] as number);
      if (l !== m.hub) fixed += Math.abs(q - (m.stock[l * m.nSku + s] as number)) * m.transferCost;
    }
    bySku[s] = sum / sc.n + fixed;
  }
  return { total: bySku.reduce((a, b) => a + b, 0), bySku };
}

function withinCapacity(m: PartsModel, lev: Int32Array): boolean {
  for (let l = 0; l < m.nLoc; l++) {
    let t = 0;
    for (let s = 0; s < m.nSku; s++) t += lev[l * m.nSku + s] as number;
    if (t > (m.capacity[l] as number)) return false;
  }
  return true;
}

export function planParts(instance: PartsInstance, opts: PartsPlanOptions = {}): PartsPlanResult {
  const t0 = performance.now();
  const deadline = t0 + (opts.timeLimitMs ?? 6_000);
  const m = compileModel(instance);
  const n = opts.scenarios ?? defaultScenarioCount(instance);
  const seed = opts.seed ?? 1;
  const train = sampleScenarios(m, n, seed * 7_919 + 1);
  const check = sampleScenarios(m, n, seed * 7_919 + 2);

  const candidates: { start: string; lev: Int32Array; bySku: Float64Array; total: number }[] = [];
  const starts: PartsPlanResult['stats']['starts'] = [];
  const run = (start: string, from: () => Int32Array): void => {
    const t = performance.now();
    const r = optimise(m, train, { start: from(), moves: 'all', deadline });
    const v = sampleCost(m, check, r.lev);
    candidates.push({ start, lev: r.lev, ...v });
    starts.push({
      start,
      validationCost: round2(v.total),
      moves: r.moves,
      converged: r.converged,
      ms: Math.round(performance.now() - t),
    });
  };
  // first a greedy build-up from nothing (the largest gains first, so no counter is filled before the unit
  // that needs it most), then, while the budget allows, from today's stock and from history base-stock
  // (built on a quarter of the scenarios: it adds many units one by one, and only has to be a good start)
  run('greedy', () => {
    const few = sampleScenarios(m, Math.max(200, Math.round(n / 4)), seed * 7_919 + 3);
    const zero = new Int32Array(m.nLoc * m.nSku);
    return optimise(m, few, { start: zero, moves: 'add', hubSteps: true, deadline }).lev;
  });
  const spent = (): number => performance.now() - t0;
  const budget = deadline - t0;
  if (spent() < 0.4 * budget) run('today', () => keepToday(m));
  if (spent() < 0.6 * budget) run('history-base-stock', () => historyBaseStock(m));

  candidates.sort((a, b) => a.total - b.total);
  let best = candidates[0] as (typeof candidates)[number];
  let bestLev = best.lev;
  let bestCost = best.total;
  if (candidates.length > 1) {
    // skus never interact but through capacity: take each sku from the candidate that serves it best
    const mixed = new Int32Array(m.nLoc * m.nSku);
    for (let s = 0; s < m.nSku; s++) {
      let c = best;
      for (const x of candidates) if ((x.bySku[s] as number) < (c.bySku[s] as number)) c = x;
      for (let l = 0; l < m.nLoc; l++) mixed[l * m.nSku + s] = c.lev[l * m.nSku + s] as number;
    }
    if (withinCapacity(m, mixed) && performance.now() < deadline) {
      const r = optimise(m, train, { start: mixed, moves: 'all', deadline });
      const v = sampleCost(m, check, r.lev);
      starts.push({
        start: 'per-sku best',
        validationCost: round2(v.total),
        moves: r.moves,
        converged: r.converged,
        ms: 0,
      });
      if (v.total < bestCost) {
        bestLev = r.lev;
        bestCost = v.total;
        best = { start: 'per-sku best', lev: r.lev, ...v };
      }
    }
  }
  return {
    plan: levelsToPlan(m, bestLev),
    levels: bestLev,
    stats: { scenarios: n, validationCost: round2(bestCost), starts, ms: Math.round(performance.now() - t0) },
  };
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
