/**
 * The optimiser. Model over the pruned options x_j ∈ {0,1}:
 *   min  U·|O| + Σ_j (c_j − U) x_j
 *   s.t. Σ_{j ∈ order o} x_j ≤ 1,  Σ_{j ∈ tech t} x_j ≤ 1,  Σ_{j ∈ pool k} qty_j x_j ≤ stock_k (non-free pools)
 * Small models go to HiGHS' branch-and-cut whole (proven optimum). Large ones: column
 * generation on the LP relaxation (pricing all options against the duals gives a valid
 * Lagrangian lower bound every round), then branch-and-cut restricted to the generated
 * columns plus every column with a small reduced cost; a restricted solve is still proven
 * optimal when all columns with reduced cost below the final gap were included.
 */
import type { Model } from 'highs';
import { getHighs, resetHighs } from './highs.ts';
import type { OptionSet } from './options.ts';

export interface SolveParams {
  orders: number;
  technicians: number;
  qty: ArrayLike<number>;
  unplannedCost: number;
  timeLimitMs: number;
  /** Models with at most this many columns are solved whole as one MIP. */
  fullMipColumns?: number;
}

export interface SolveOutcome {
  /** Indices into the option set of the chosen options. */
  chosen: number[];
  cost: number;
  lowerBound: number;
  optimal: boolean;
  method: string;
  stats: SolveStats;
}

export interface SolveStats {
  /** Option columns after pruning. */
  columns: number;
  /** Capacity rows (non-free stock pools). */
  capacityRows: number;
  /** Column-generation LP rounds (0 for a whole MIP). */
  lpRounds: number;
  /** Columns in the final MIP. */
  mipColumns: number;
  /** LP-relaxation lower bound (column generation only). */
  lpBound?: number;
}

interface Rows {
  count: number;
  /** Row of each capacity pool, or -1 if the pool is free/unused. */
  capRow: Int32Array;
  upper: Float64Array;
}

const EPS = 1e-9;

function buildRows(opts: OptionSet, p: SolveParams): Rows {
  const capRow = new Int32Array(opts.capacities.length).fill(-1);
  let count = p.orders + p.technicians;
  const upper: number[] = new Array<number>(count).fill(1);
  for (let j = 0; j < opts.count; j++) {
    const k = opts.cap[j] as number;
    const pool = opts.capacities[k];
    if (pool && !pool.free && capRow[k] === -1) {
      capRow[k] = count++;
      upper.push(pool.stock);
    }
  }
  return { count, capRow, upper: Float64Array.from(upper) };
}

/** CSC entries of the given option columns. */
function columnsCsc(opts: OptionSet, p: SolveParams, rows: Rows, cols: ArrayLike<number>) {
  const n = cols.length;
  const starts = new Int32Array(n + 1);
  const indices: number[] = [];
  const values: number[] = [];
  const cost = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const j = cols[i] as number;
    const o = opts.order[j] as number;
    cost[i] = (opts.cost[j] as number) - p.unplannedCost;
    indices.push(o, p.orders + (opts.tech[j] as number));
    values.push(1, 1);
    const r = rows.capRow[opts.cap[j] as number] as number;
    if (r >= 0) {
      indices.push(r);
      values.push(p.qty[o] as number);
    }
    starts[i + 1] = indices.length;
  }
  return {
    cost,
    lower: new Float64Array(n),
    upper: new Float64Array(n).fill(1),
    matrix: {
      format: 'csc' as const,
      numRows: rows.count,
      numCols: n,
      starts,
      indices: Int32Array.from(indices),
      values: Float64Array.from(values),
    },
  };
}

/** Deterministic greedy: cheapest options first, respecting all constraints. */
export function greedy(opts: OptionSet, p: SolveParams, candidates?: ArrayLike<number>): number[] {
  const list = candidates ? Array.from(candidates) : Array.from({ length: opts.count }, (_, j) => j);
  list.sort((a, b) => (opts.cost[a] as number) - (opts.cost[b] as number) || a - b);
  const orderUsed = new Uint8Array(p.orders);
  const techUsed = new Uint8Array(p.technicians);
  const left = opts.capacities.map((c) => c.stock);
  const chosen: number[] = [];
  for (const j of list) {
    const o = opts.order[j] as number;
    const t = opts.tech[j] as number;
    const k = opts.cap[j] as number;
    const q = p.qty[o] as number;
    if (orderUsed[o] || techUsed[t] || (left[k] as number) < q) continue;
    if (!((opts.cost[j] as number) < p.unplannedCost)) continue;
    orderUsed[o] = 1;
    techUsed[t] = 1;
    left[k] = (left[k] as number) - q;
    chosen.push(j);
  }
  return chosen;
}

export function planCost(opts: OptionSet, p: SolveParams, chosen: readonly number[]): number {
  let c = p.unplannedCost * (p.orders - chosen.length);
  for (const j of chosen) c += opts.cost[j] as number;
  return c;
}

/** Checks order/tech/stock constraints of a set of chosen options. */
export function isFeasible(opts: OptionSet, p: SolveParams, chosen: readonly number[]): boolean {
  const orderUsed = new Uint8Array(p.orders);
  const techUsed = new Uint8Array(p.technicians);
  const left = opts.capacities.map((c) => c.stock);
  for (const j of chosen) {
    const o = opts.order[j] as number;
    const t = opts.tech[j] as number;
    const k = opts.cap[j] as number;
    if (orderUsed[o] || techUsed[t]) return false;
    orderUsed[o] = 1;
    techUsed[t] = 1;
    left[k] = (left[k] as number) - (p.qty[o] as number);
    if ((left[k] as number) < -EPS) return false;
  }
  return true;
}

function pickIntegral(colValue: ArrayLike<number>, cols: ArrayLike<number>): number[] {
  const chosen: number[] = [];
  for (let i = 0; i < cols.length; i++) if ((colValue[i] as number) > 0.5) chosen.push(cols[i] as number);
  return chosen;
}

function setCommonOptions(model: Model, timeLimitS: number): void {
  model.options.set({
    output_flag: false,
    random_seed: 0,
    time_limit: Math.max(0.05, timeLimitS),
  });
}

/** Lagrangian bound and reduced costs of all options for row prices π = −rowDual ≥ 0. */
function price(
  opts: OptionSet,
  p: SolveParams,
  rows: Rows,
  rowDual: ArrayLike<number>,
  rc: Float64Array,
): number {
  const pi = new Float64Array(rows.count);
  let bound = p.unplannedCost * p.orders;
  for (let r = 0; r < rows.count; r++) {
    const v = Math.max(0, -(rowDual[r] as number));
    pi[r] = v;
    bound -= v * (rows.upper[r] as number);
  }
  for (let j = 0; j < opts.count; j++) {
    const o = opts.order[j] as number;
    let r =
      (opts.cost[j] as number) -
      p.unplannedCost +
      (pi[o] as number) +
      (pi[p.orders + (opts.tech[j] as number)] as number);
    const cr = rows.capRow[opts.cap[j] as number] as number;
    if (cr >= 0) r += (pi[cr] as number) * (p.qty[o] as number);
    rc[j] = r;
    if (r < 0) bound += r;
  }
  return bound;
}

async function solveWhole(
  opts: OptionSet,
  p: SolveParams,
  rows: Rows,
  deadline: number,
): Promise<SolveOutcome> {
  const highs = await getHighs();
  const cols = Int32Array.from({ length: opts.count }, (_, j) => j);
  const csc = columnsCsc(opts, p, rows, cols);
  const model = highs.createModel({
    numCols: opts.count,
    numRows: rows.count,
    offset: p.unplannedCost * p.orders,
    colCost: csc.cost,
    colLower: csc.lower,
    colUpper: csc.upper,
    rowLower: new Float64Array(rows.count).fill(-highs.infinity),
    rowUpper: rows.upper,
    matrix: csc.matrix,
    integrality: new Int32Array(opts.count).fill(1),
  });
  try {
    setCommonOptions(model, (deadline - Date.now()) / 1000);
    model.options.set({ mip_rel_gap: 0, mip_abs_gap: 1e-6 });
    const start = greedy(opts, p);
    const x = new Float64Array(opts.count);
    for (const j of start) x[j] = 1;
    model.setSolution({ colValue: x });
    const run = model.run();
    const sol = model.getSolution();
    let chosen = pickIntegral(sol.colValue, cols);
    if (!isFeasible(opts, p, chosen) || planCost(opts, p, chosen) > planCost(opts, p, start)) chosen = start;
    const cost = planCost(opts, p, chosen);
    const optimal = run.modelStatus === highs.constants.modelStatus.optimal;
    const dualBound = Number(model.info.get('mip_dual_bound'));
    const lowerBound = optimal ? cost : Number.isFinite(dualBound) ? Math.min(dualBound, cost) : 0;
    const stats = {
      columns: opts.count,
      capacityRows: rows.count - p.orders - p.technicians,
      lpRounds: 0,
      mipColumns: opts.count,
    };
    return { chosen, cost, lowerBound, optimal, method: 'mip', stats };
  } finally {
    model.dispose();
  }
}

async function solveByColumnGeneration(
  opts: OptionSet,
  p: SolveParams,
  rows: Rows,
  deadline: number,
  t0: number,
): Promise<SolveOutcome> {
  const highs = await getHighs();
  const n = opts.count;
  const inMaster = new Uint8Array(n);
  const master: number[] = [];
  const add = (j: number): void => {
    if (!inMaster[j]) {
      inMaster[j] = 1;
      master.push(j);
    }
  };
  // Seed: a greedy plan, plus the cheapest few options of every order and every technician.
  const seed = greedy(opts, p);
  seed.forEach(add);
  const byOrder: number[][] = Array.from({ length: p.orders }, () => []);
  const byTech: number[][] = Array.from({ length: p.technicians }, () => []);
  for (let j = 0; j < n; j++) {
    byOrder[opts.order[j] as number]?.push(j);
    byTech[opts.tech[j] as number]?.push(j);
  }
  const cheapest = (list: number[], k: number): void => {
    list.sort((a, b) => (opts.cost[a] as number) - (opts.cost[b] as number) || a - b);
    for (let i = 0; i < Math.min(k, list.length); i++) add(list[i] as number);
  };
  byOrder.forEach((l) => cheapest(l, 6));
  byTech.forEach((l) => cheapest(l, 6));

  let csc = columnsCsc(opts, p, rows, master);
  const model = highs.createModel({
    numCols: master.length,
    numRows: rows.count,
    offset: p.unplannedCost * p.orders,
    colCost: csc.cost,
    colLower: csc.lower,
    colUpper: csc.upper,
    rowLower: new Float64Array(rows.count).fill(-highs.infinity),
    rowUpper: rows.upper,
    matrix: csc.matrix,
  });
  try {
    setCommonOptions(model, (deadline - Date.now()) / 1000);
    const rc = new Float64Array(n);
    let lowerBound = -Infinity;
    let lastBound = -Infinity;
    let lpRounds = 0;
    const lpBudget = t0 + (deadline - t0) * 0.5;
    for (let iter = 0; iter < 200; iter++) {
      model.options.set({ time_limit: Math.max(0.05, (deadline - Date.now()) / 1000) });
      const run = model.run();
      if (run.modelStatus !== highs.constants.modelStatus.optimal) break;
      lpRounds++;
      const sol = model.getSolution();
      lastBound = price(opts, p, rows, sol.rowDual, rc);
      lowerBound = Math.max(lowerBound, lastBound);
      const neg: number[] = [];
      for (let j = 0; j < n; j++) if (!inMaster[j] && (rc[j] as number) < -1e-7) neg.push(j);
      if (neg.length === 0 || Date.now() > lpBudget) break;
      neg.sort((a, b) => (rc[a] as number) - (rc[b] as number) || a - b);
      const batch = neg.slice(0, Math.max(500, 2 * (p.orders + p.technicians)));
      batch.forEach(add);
      csc = columnsCsc(opts, p, rows, batch);
      model.addCols(csc);
    }
    if (!Number.isFinite(lowerBound)) lowerBound = 0;
    if (!Number.isFinite(lastBound)) rc.fill(-Infinity);
    // Incumbent from the greedy seed; then a restricted branch-and-cut.
    let chosen = seed;
    let cost = planCost(opts, p, chosen);
    // Restricted column set: master + every option with small reduced cost.
    const gapAbs = Math.max(0, cost - lastBound);
    const extra: number[] = [];
    for (let j = 0; j < n; j++) if (!inMaster[j] && (rc[j] as number) < gapAbs) extra.push(j);
    extra.sort((a, b) => (rc[a] as number) - (rc[b] as number) || a - b);
    const cap = Math.max(20000, 4 * master.length);
    const takeAll = master.length + extra.length <= cap;
    const added = takeAll ? extra : extra.slice(0, Math.max(0, cap - master.length));
    const threshold = takeAll ? gapAbs : (rc[added[added.length - 1] ?? 0] ?? 0);
    if (added.length > 0) {
      added.forEach(add);
      model.addCols(columnsCsc(opts, p, rows, added));
    }
    model.changeColsIntegrality(
      { kind: 'range', from: 0, to: master.length - 1 },
      new Int32Array(master.length).fill(1),
    );
    const x = new Float64Array(master.length);
    const pos = new Map<number, number>();
    master.forEach((j, i) => pos.set(j, i));
    for (const j of chosen) x[pos.get(j) as number] = 1;
    model.setSolution({ colValue: x });
    model.options.set({
      time_limit: Math.max(0.05, (deadline - Date.now()) / 1000),
      mip_rel_gap: 0,
      mip_abs_gap: 1e-6,
    });
    const run = model.run();
    const mipSol = pickIntegral(model.getSolution().colValue, master);
    if (isFeasible(opts, p, mipSol) && planCost(opts, p, mipSol) < cost) {
      chosen = mipSol;
      cost = planCost(opts, p, chosen);
    }
    const restrictedOptimal = run.modelStatus === highs.constants.modelStatus.optimal;
    // Every improving plan uses only columns with reduced cost < cost − LB; if all those were
    // in the restricted model and it was solved to optimality, the plan is optimal.
    const optimal = restrictedOptimal && (takeAll || threshold >= cost - lastBound - 1e-6);
    const stats: SolveStats = {
      columns: n,
      capacityRows: rows.count - p.orders - p.technicians,
      lpRounds,
      mipColumns: master.length,
      lpBound: lowerBound,
    };
    return {
      chosen,
      cost,
      lowerBound: optimal ? cost : Math.min(lowerBound, cost),
      optimal,
      method: 'colgen+mip',
      stats,
    };
  } finally {
    model.dispose();
  }
}

export async function solve(opts: OptionSet, p: SolveParams): Promise<SolveOutcome> {
  const t0 = Date.now();
  const deadline = t0 + p.timeLimitMs;
  const rows = buildRows(opts, p);
  const baseStats = {
    columns: opts.count,
    capacityRows: rows.count - p.orders - p.technicians,
    lpRounds: 0,
    mipColumns: 0,
  };
  if (opts.count === 0) {
    const cost = p.unplannedCost * p.orders;
    return { chosen: [], cost, lowerBound: cost, optimal: true, method: 'empty', stats: baseStats };
  }
  // Cheap bound (drops stock rows and technician identities): every order at its cheapest option or
  // unplanned ...
  const cheapest = new Float64Array(p.orders).fill(p.unplannedCost);
  for (let j = 0; j < opts.count; j++) {
    const o = opts.order[j] as number;
    cheapest[o] = Math.min(cheapest[o] as number, opts.cost[j] as number);
  }
  // ... and, as each technician serves one order, at most |T| orders are served.
  const savings = Array.from(cheapest, (c) => p.unplannedCost - c).sort((a, b) => b - a);
  let orderBound = p.unplannedCost * p.orders;
  for (let i = 0; i < Math.min(p.technicians, savings.length); i++) orderBound -= savings[i] as number;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const out =
        opts.count <= (p.fullMipColumns ?? 40000)
          ? await solveWhole(opts, p, rows, deadline)
          : await solveByColumnGeneration(opts, p, rows, deadline, t0);
      return { ...out, lowerBound: Math.min(out.cost, Math.max(out.lowerBound, orderBound)) };
    } catch {
      // The Wasm runtime can abort ("Aborted()") after heavy memory growth: retry once on a
      // fresh runtime, then fall back to the greedy plan.
      resetHighs();
    }
  }
  const chosen = greedy(opts, p);
  const cost = planCost(opts, p, chosen);
  return {
    chosen,
    cost,
    lowerBound: Math.min(cost, orderBound),
    optimal: false,
    method: 'greedy-fallback',
    stats: baseStats,
  };
}
