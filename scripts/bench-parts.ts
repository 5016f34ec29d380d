/**
 * `npm run bench:parts [-- --seeds 3 --seeds3000 5 --scenarios 10000]`: the stock-positioning planner against
 * the history base-stock policy and the prediction-aware greedy on generated instances of 400, 1,000 (3 seeds
 * each) and 3,000 assets (5 seeds) and on the sample, each plan scored by the spec's reference evaluator on
 * the same scenarios, independent of the planner's. Prints JSON: costs, cost ratios, fill within SLA,
 * inventory value, and the wall time of `parts:plan` as a process (start included), with the machine's load;
 * and a lower bound on any plan's expected cost (bound.ts), to show where 0.55 × base-stock cannot be reached.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { historyBaseStock, keepToday, predictionGreedy } from '../dispatch/core/parts-planner/baselines.ts';
import { planCostLowerBound } from '../dispatch/core/parts-planner/bound.ts';
import { evaluatePlan } from '../dispatch/core/parts-planner/evaluate.ts';
import { generatePartsInstance } from '../dispatch/core/parts-planner/generate.ts';
import type { PartsInstance, PartsPlan } from '../dispatch/core/parts-planner/instance.ts';
import { checkPlan, validateInstance } from '../dispatch/core/parts-planner/instance.ts';
import { planParts } from '../dispatch/core/parts-planner/index.ts';
import { compileModel } from '../dispatch/core/parts-planner/model.ts';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : Number.NaN;
  return Number.isInteger(v) && v > 0 ? v : fallback;
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const sampleFile = path.resolve(repoRoot, '../shared/datasets/parts/instance-201.json');
const seeds = arg('seeds', 3);
const seeds3000 = arg('seeds3000', 5);
const scenarios = arg('scenarios', 10_000);
const tmp = mkdtempSync(path.join(tmpdir(), 'bench-parts-'));
const r2 = (x: number): number => Math.round(x * 100) / 100;
const r4 = (x: number): number => Math.round(x * 1e4) / 1e4;

interface Scored {
  cost: number;
  fillWithinSla: number;
  inventoryValue: number;
}

function cliPlan(file: string): { plan: PartsPlan; ms: number } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'dispatch/cli/parts-plan.ts', file], {
    cwd: repoRoot,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const ms = Math.round(performance.now() - t0);
  if (r.status !== 0) throw new Error(`parts:plan failed on ${file}: ${r.stderr}`);
  return { plan: JSON.parse(r.stdout) as PartsPlan, ms };
}

function run(name: string, inst: PartsInstance, seed: number | null) {
  const file = path.join(tmp, `${name}.json`);
  writeFileSync(file, JSON.stringify(inst));
  const m = compileModel(inst);
  const load1 = r2(loadavg()[0] as number);
  const planner = cliPlan(file);
  const t0 = performance.now();
  const greedy = predictionGreedy(m);
  const greedyMs = Math.round(performance.now() - t0);
  const score = (p: PartsPlan | Int32Array): Scored => {
    const e = evaluatePlan(m, p, { scenarios, seed: 424_242 });
    return { cost: r2(e.cost), fillWithinSla: r4(e.fillWithinSla), inventoryValue: e.inventoryValue };
  };
  const ours = score(planner.plan);
  const base = score(historyBaseStock(m));
  const gr = score(greedy);
  const today = score(keepToday(m));
  const bound = planCostLowerBound(m);
  // the same search without a deadline, in this process, one thread: the CPU it needs to converge (a machine
  // that gives parts:plan that much CPU within its budget gets this plan), independent of the load
  const c0 = process.cpuUsage();
  const full = planParts(inst, { timeLimitMs: 600_000 });
  const cpu = process.cpuUsage(c0);
  const unbounded = score(full.plan);
  return {
    instance: name,
    seed,
    assets: inst.assets.length,
    locations: inst.locations.length,
    skus: inst.skus.length,
    expectedFailures: r2(inst.assets.reduce((s, a) => s + a.pFail, 0)),
    valid: checkPlan(inst, planner.plan).valid,
    planner: { ...ours, cliMs: planner.ms, loadAverage1m: load1 },
    greedy: { ...gr, ms: greedyMs },
    historyBaseStock: base,
    keepToday: today,
    vsGreedy: r4(ours.cost / gr.cost),
    withoutDeadline: {
      cost: unbounded.cost,
      vsGreedy: r4(unbounded.cost / gr.cost),
      vsHistoryBaseStock: r4(unbounded.cost / base.cost),
      cpuMs: Math.round((cpu.user + cpu.system) / 1000),
      converged: full.stats.starts.every((x) => x.converged),
    },
    vsHistoryBaseStock: r4(ours.cost / base.cost),
    greedyVsHistoryBaseStock: r4(gr.cost / base.cost),
    /** No plan costs less than this in expectation (bound.ts); above 0.55 × base-stock, 0.55 is out of reach. */
    lowerBound: r2(bound),
    lowerBoundVsHistoryBaseStock: r4(bound / base.cost),
    plannerVsLowerBound: r4(ours.cost / bound),
  };
}

const runs: ReturnType<typeof run>[] = [];
if (existsSync(sampleFile))
  runs.push(run('sample-201', validateInstance(JSON.parse(readFileSync(sampleFile, 'utf8'))), null));
for (const assets of [400, 1000, 3000]) {
  for (let seed = 1; seed <= (assets === 3000 ? seeds3000 : seeds); seed++) {
    runs.push(run(`gen-${assets}-s${seed}`, generatePartsInstance({ seed, assets }), seed));
  }
}

const bySize = (n: number) => runs.filter((r) => r.assets === n && r.seed !== null);
const summary = (rows: ReturnType<typeof run>[]) =>
  rows.length === 0
    ? null
    : {
        instances: rows.length,
        allValid: rows.every((r) => r.valid),
        beatsGreedyOnAll: rows.every((r) => r.vsGreedy < 1),
        atMost055OfBaseStockOnAll: rows.every((r) => r.vsHistoryBaseStock <= 0.55),
        maxVsGreedy: Math.max(...rows.map((r) => r.vsGreedy)),
        meanVsGreedy: r4(rows.reduce((s, r) => s + r.vsGreedy, 0) / rows.length),
        maxVsHistoryBaseStock: Math.max(...rows.map((r) => r.vsHistoryBaseStock)),
        meanVsHistoryBaseStock: r4(rows.reduce((s, r) => s + r.vsHistoryBaseStock, 0) / rows.length),
        maxCliMs: Math.max(...rows.map((r) => r.planner.cliMs)),
        withoutDeadlineMaxVsGreedy: Math.max(...rows.map((r) => r.withoutDeadline.vsGreedy)),
        withoutDeadlineMaxVsHistoryBaseStock: Math.max(
          ...rows.map((r) => r.withoutDeadline.vsHistoryBaseStock),
        ),
        withoutDeadlineMaxCpuMs: Math.max(...rows.map((r) => r.withoutDeadline.cpuMs)),
        maxLowerBoundVsHistoryBaseStock: Math.max(...rows.map((r) => r.lowerBoundVsHistoryBaseStock)),
      };

process.stdout.write(
  `${JSON.stringify(
    {
      evaluation: `each plan scored by evaluatePlan on the same ${scenarios} scenarios (seed 424242), independent of the planner's`,
      limits: [
        'The planner stops at a local optimum of the sample-average cost on its own scenarios (about 240,000 sampled failures) or at its budget (7 s from the process start); its plan is only as good as that sample, and the figures include the evaluation noise of the scenarios above (common to all plans, about 0.3%).',
        "Generated instances follow the sample (clusters around the twelve cities its installed base sits at, 9% predicted assets, the sample's base rates, SLA mix and costs, some parameters varied; fsl and counters grow with the square root of the fleet). The ratio to base-stock depends on how dense the network is and how costly the parts are: where a dozen fsl cover the fleet, base-stock already fills about 98% within SLA.",
        'cliMs is one process per instance (node and tsx start included, npm not) on a 2-core machine shared with other work: loadAverage1m is the load when it started; with less CPU the search stops earlier. withoutDeadline is the same search run to its end in the bench process (one thread): cpuMs is the CPU it needs, whatever the load.',
      ],
      summary: {
        sample: runs.find((r) => r.seed === null) ?? null,
        400: summary(bySize(400)),
        1000: summary(bySize(1000)),
        3000: summary(bySize(3000)),
      },
      runs,
    },
    null,
    2,
  )}\n`,
);
