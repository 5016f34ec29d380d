/**
 * `npm run bench:dispatch [-- --small-seeds 5 --large-seeds 2]`: plans generated instances
 * (60 orders/40 technicians over several seeds, and 1,000 orders/500 technicians) and
 * prints JSON with cost, proven lower bound, relative gap and wall-clock ms of each.
 */
import { generateInstance } from '../dispatch/core/planner/generate.ts';
import { planDispatch } from '../dispatch/core/planner/index.ts';
import { scorePlan } from '../dispatch/core/planner/score.ts';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : Number.NaN;
  return Number.isInteger(v) && v >= 0 ? v : fallback;
}

interface Row {
  seed: number;
  orders: number;
  technicians: number;
  cost: number;
  lowerBound: number;
  /** LP-relaxation bound from column generation (large instances), before the optimality proof. */
  lpBound?: number;
  gap: number;
  optimal: boolean;
  ms: number;
  valid: boolean;
  unplanned: number;
  columns: number;
  method: string;
}

async function run(seed: number, orders: number, technicians: number, timeLimitMs: number): Promise<Row> {
  const instance = generateInstance({ seed, orders, technicians });
  const t0 = performance.now();
  const r = await planDispatch(instance, { timeLimitMs });
  const ms = Math.round(performance.now() - t0);
  const score = scorePlan(instance, r);
  return {
    seed,
    orders,
    technicians,
    cost: r.totalCost,
    lowerBound: r.lowerBound,
    ...(r.stats.lpBound === undefined ? {} : { lpBound: Math.round(r.stats.lpBound * 100) / 100 }),
    gap: Number(r.gap.toExponential(3)),
    optimal: r.optimal,
    ms,
    valid: score.valid,
    unplanned: r.unplanned.length,
    columns: r.stats.columns,
    method: r.stats.method,
  };
}

const smallSeeds = arg('small-seeds', 5);
const largeSeeds = arg('large-seeds', 1);
const small: Row[] = [];
for (let seed = 1; seed <= smallSeeds; seed++) small.push(await run(seed, 60, 40, 2_000));
const large: Row[] = [];
for (let seed = 1; seed <= largeSeeds; seed++) large.push(await run(seed, 1000, 500, 28_000));

const summary = (rows: Row[]) =>
  rows.length === 0
    ? null
    : {
        instances: rows.length,
        allValid: rows.every((r) => r.valid),
        allOptimal: rows.every((r) => r.optimal),
        maxGap: Math.max(...rows.map((r) => r.gap)),
        maxMs: Math.max(...rows.map((r) => r.ms)),
      };

process.stdout.write(
  `${JSON.stringify({ '60x40': { summary: summary(small), runs: small }, '1000x500': { summary: summary(large), runs: large } }, null, 2)}\n`,
);
