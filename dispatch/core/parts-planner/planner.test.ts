import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { historyBaseStock, keepToday, poissonQuantile, predictionGreedy } from './baselines.ts';
import { planCostLowerBound } from './bound.ts';
import { evaluatePlan } from './evaluate.ts';
import { generatePartsInstance } from './generate.ts';
import { planParts } from './index.ts';
import type { PartsInstance } from './instance.ts';
import { checkPlan, validateInstance, validatePlan } from './instance.ts';
import { compileModel, levelsToPlan } from './model.ts';
import { tinyPartsInstance } from './test-fixtures.ts';

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../shared/datasets/parts');
const sampleFile = path.join(dir, 'instance-201.json');

function beatsGreedy(inst: PartsInstance, greedy: ReturnType<typeof levelsToPlan>): void {
  const r = planParts(inst, { timeLimitMs: 4_000 });
  expect(checkPlan(inst, r.plan)).toEqual({ valid: true, errors: [] });
  const m = compileModel(inst);
  const ours = evaluatePlan(m, r.plan, { scenarios: 5_000, seed: 77 });
  const theirs = evaluatePlan(m, greedy, { scenarios: 5_000, seed: 77 });
  expect(ours.cost).toBeLessThan(theirs.cost);
}

describe('planParts', () => {
  it('plans a tiny instance within capacities', () => {
    const r = planParts(tinyPartsInstance(), { timeLimitMs: 1_000 });
    expect(checkPlan(tinyPartsInstance(), r.plan).valid).toBe(true);
    // the predicted failure next to FSL-1 (4 h SLA, 6,000 penalty) keeps a unit there
    expect(r.plan.stock['FSL-1']?.['P-1']).toBeGreaterThanOrEqual(1);
  });

  it.skipIf(!existsSync(sampleFile))(
    'beats the prediction-aware greedy reference plan on the sample',
    () => {
      const inst = validateInstance(JSON.parse(readFileSync(sampleFile, 'utf8')));
      const greedy = validatePlan(
        inst,
        JSON.parse(readFileSync(path.join(dir, 'plan-201-prediction-greedy.json'), 'utf8')),
      );
      beatsGreedy(inst, greedy);
    },
    30_000,
  );

  it.each([11, 12])(
    'beats the greedy on a generated 400-asset instance (seed %i)',
    (seed) => {
      const inst = generatePartsInstance({ seed, assets: 400 });
      const m = compileModel(inst);
      beatsGreedy(inst, levelsToPlan(m, predictionGreedy(m)));
    },
    30_000,
  );
});

describe('baselines', () => {
  it('the Poisson quantile', () => {
    expect(poissonQuantile(0, 0.95)).toBe(0);
    expect(poissonQuantile(0.05, 0.95)).toBe(0);
    expect(poissonQuantile(0.06, 0.95)).toBe(1);
    expect(poissonQuantile(9.4418, 0.95)).toBe(15);
  });

  it('the Poisson quantile of a large mean (exp(-mean) underflows past 745)', () => {
    // mean + 1.645 sqrt(mean), give or take a unit; it was 100,000 from a mean of about 745
    expect(poissonQuantile(699, 0.95)).toBe(743);
    expect(poissonQuantile(800, 0.95)).toBe(847);
    expect(poissonQuantile(3_000, 0.95)).toBe(3_090);
  });

  it('history base-stock and the planner keep a hub that has a capacity within it', () => {
    const inst = generatePartsInstance({ seed: 2, assets: 400 });
    for (const a of inst.assets) a.pFail = 1; // about 60 failures of each part: far above the caps below
    for (const cap of [0, 7]) {
      inst.locations[0]!.capacity = cap;
      const m = compileModel(inst);
      expect(checkPlan(inst, levelsToPlan(m, historyBaseStock(m)))).toEqual({ valid: true, errors: [] });
      const r = planParts(inst, { timeLimitMs: 1_500, scenarios: 100 });
      expect(checkPlan(inst, r.plan)).toEqual({ valid: true, errors: [] });
    }
  });

  it('an id "__proto__" (a location, a sku) stays a key of the stock and of the plan', () => {
    const text = JSON.stringify(tinyPartsInstance())
      .replaceAll('"FSL-1"', '"__proto__"')
      .replaceAll('"P-1"', '"__proto__"');
    const inst = validateInstance(JSON.parse(text));
    expect(Object.keys(inst.locations[1]!.stock)).toEqual(['__proto__']);
    const m = compileModel(inst);
    const plan = levelsToPlan(m, new Int32Array(m.nLoc * m.nSku).fill(1));
    const out = JSON.parse(JSON.stringify(plan)) as { stock: Record<string, object> };
    expect(Object.keys(out.stock)).toEqual(['HUB-1', '__proto__', 'PC-1']);
    expect(Object.keys(out.stock['__proto__']!)).toEqual(['__proto__', 'P-2']);
    expect(checkPlan(inst, out)).toEqual({ valid: true, errors: [] });
  });

  it.skipIf(!existsSync(sampleFile))('history base-stock reproduces the sample’s reference plan', () => {
    const inst = validateInstance(JSON.parse(readFileSync(sampleFile, 'utf8')));
    const m = compileModel(inst);
    const ref = validatePlan(
      inst,
      JSON.parse(readFileSync(path.join(dir, 'plan-201-history-base-stock.json'), 'utf8')),
    );
    const ours = levelsToPlan(m, historyBaseStock(m));
    for (const [loc, bySku] of Object.entries(ref.stock)) {
      for (const sku of inst.skus.map((s) => s.id))
        expect([loc, sku, ours.stock[loc]?.[sku] ?? 0]).toEqual([loc, sku, bySku[sku] ?? 0]);
    }
  });

  it('no plan costs less than the lower bound', () => {
    for (const inst of [tinyPartsInstance(), generatePartsInstance({ seed: 3, assets: 400 })]) {
      const m = compileModel(inst);
      const bound = planCostLowerBound(m);
      expect(bound).toBeGreaterThan(0);
      const plans = [keepToday(m), historyBaseStock(m), predictionGreedy(m, { scenarios: 100 })];
      // the planner's plan, the nearest to the bound
      plans.push(planParts(inst, { timeLimitMs: 1_500 }).levels);
      for (const lev of plans)
        expect(evaluatePlan(m, lev, { scenarios: 2_000, seed: 5 }).cost).toBeGreaterThan(bound);
    }
  });

  it('keep-today is today’s stock cut to capacities', () => {
    const inst = tinyPartsInstance();
    inst.locations[2]!.stock = { 'P-1': 2, 'P-2': 3 };
    const m = compileModel(inst);
    const plan = levelsToPlan(m, keepToday(m));
    expect(plan.stock['PC-1']).toEqual({ 'P-1': 1, 'P-2': 1 });
    expect(plan.stock['HUB-1']).toEqual({ 'P-1': 3, 'P-2': 2 });
  });
});
