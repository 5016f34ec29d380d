import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { evaluatePlan } from './evaluate.ts';
import { sampleCost } from './index.ts';
import type { PartsInstance } from './instance.ts';
import { validateInstance, validatePlan } from './instance.ts';
import { compileModel, planToLevels } from './model.ts';
import { concatScenarios, sampleScenarios } from './sim.ts';
import { tinyPartsInstance } from './test-fixtures.ts';

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../shared/datasets/parts');
const hasSample = existsSync(path.join(dir, 'instance-201.json'));

/** One fsl near one asset that fails for sure at day 1, another at day 3 (windows of zero width). */
function sure(hubUnits: number, fslUnits: number, slaHours = 4): PartsInstance {
  const inst = tinyPartsInstance();
  inst.skus = [{ id: 'P-1', unitCost: 365 }];
  inst.locations = [
    { id: 'HUB-1', kind: 'hub', lat: 50, lon: 8, capacity: null, stock: { 'P-1': hubUnits } },
    { id: 'FSL-1', kind: 'fsl', lat: 49.45, lon: 11.08, capacity: 10, stock: { 'P-1': fslUnits } },
  ];
  inst.assets = [
    { id: 'A-1', lat: 49.45, lon: 11.08, sku: 'P-1', slaHours, missPenalty: 6000, pFail: 1, window: [1, 1] },
    { id: 'A-2', lat: 49.45, lon: 11.08, sku: 'P-1', slaHours, missPenalty: 6000, pFail: 1, window: [3, 3] },
  ];
  return inst;
}

const plan = (hub: number, fsl: number) => ({ stock: { 'HUB-1': { 'P-1': hub }, 'FSL-1': { 'P-1': fsl } } });

describe('evaluatePlan (the spec cost by simulation)', () => {
  it('serves locally and replenishes from the hub L days later', () => {
    const e = evaluatePlan(sure(1, 1), plan(1, 1), { scenarios: 10 });
    // holding 2 units × 365 × 0.25 × 14/365; two local serves at distance 0; one replenishment transfer
    expect(e.holding).toBeCloseTo(2 * 365 * 0.25 * (14 / 365), 9);
    expect(e.positioning).toBe(0);
    expect(e.service).toBeCloseTo(25 + 35 + 25, 9);
    expect(e.fillWithinSla).toBe(1);
    expect(e.inventoryValue).toBe(730);
  });

  it('without a hub unit the location is not replenished: the next failure is an emergency', () => {
    const e = evaluatePlan(sure(0, 1), plan(0, 1), { scenarios: 10 });
    expect(e.service).toBeCloseTo(25 + 1500 + 6000, 9);
    expect(e.fillWithinSla).toBe(0.5);
  });

  it('the hub ships when no location in reach has a unit, with the miss penalty past the SLA', () => {
    expect(evaluatePlan(sure(2, 0), plan(2, 0), { scenarios: 10 }).service).toBeCloseTo(2 * (90 + 6000), 9);
    const within = evaluatePlan(sure(2, 0, 24), plan(2, 0), { scenarios: 10 });
    expect(within.service).toBeCloseTo(2 * 90, 9);
    expect(within.fillWithinSla).toBe(1);
  });

  it('charges positioning for every unit moved at non-hub locations only', () => {
    const e = evaluatePlan(sure(5, 3), plan(1, 1), { scenarios: 10 });
    expect(e.positioning).toBe(2 * 35);
  });

  it('a location outside Reach never serves', () => {
    const inst = sure(0, 1);
    inst.locations[1]!.lat = 53.55; // Hamburg: far beyond 4 h
    expect(evaluatePlan(inst, plan(0, 1), { scenarios: 10 }).service).toBeCloseTo(2 * 7500, 9);
  });

  it('the per-sku simulator of the optimiser gives the same cost on the same draws', () => {
    const inst = tinyPartsInstance();
    const m = compileModel(inst);
    const lev = planToLevels(m, {
      stock: { 'HUB-1': { 'P-1': 1, 'P-2': 1 }, 'FSL-1': { 'P-1': 1 }, 'PC-1': { 'P-2': 1 } },
    });
    const e = evaluatePlan(m, lev, { scenarios: 3000, seed: 5 });
    const s = sampleCost(m, sampleScenarios(m, 3000, 5), lev);
    expect(s.total).toBeCloseTo(e.cost, 6);
  });

  it('scenarios joined one after the other cost the mean of the two sets, and the first set is a prefix', () => {
    const m = compileModel(tinyPartsInstance());
    const lev = planToLevels(m, { stock: { 'HUB-1': { 'P-1': 1 }, 'FSL-1': { 'P-1': 1, 'P-2': 1 } } });
    const a = sampleScenarios(m, 700, 1);
    const b = sampleScenarios(m, 300, 2);
    const ab = concatScenarios(a, b);
    expect(ab.n).toBe(1000);
    const cost = (sc: typeof a) => sampleCost(m, sc, lev).total;
    expect(cost(ab)).toBeCloseTo(0.7 * cost(a) + 0.3 * cost(b), 6);
    expect(cost({ ...ab, n: 700 })).toBeCloseTo(cost(a), 9);
  });

  it.skipIf(!hasSample)('reproduces the three reference plans’ costs within sampling noise', () => {
    const inst = validateInstance(JSON.parse(readFileSync(path.join(dir, 'instance-201.json'), 'utf8')));
    const ref = JSON.parse(readFileSync(path.join(dir, 'reference-costs.json'), 'utf8')) as {
      plans: Record<string, { cost: number; fillWithinSla: number; inventoryValue: number }>;
    };
    const m = compileModel(inst);
    for (const name of ['keep-today', 'history-base-stock', 'prediction-greedy']) {
      const p = validatePlan(inst, JSON.parse(readFileSync(path.join(dir, `plan-201-${name}.json`), 'utf8')));
      const e = evaluatePlan(m, p, { scenarios: 20_000, seed: 201 });
      const r = ref.plans[name]!;
      // one 20,000-scenario draw moves a cost by about 0.2% (one standard deviation)
      expect(Math.abs(e.cost / r.cost - 1)).toBeLessThan(0.01);
      expect(Math.abs(e.fillWithinSla - r.fillWithinSla)).toBeLessThan(0.002);
      expect(e.inventoryValue).toBe(r.inventoryValue);
    }
  });
});
