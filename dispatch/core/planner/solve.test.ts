import { describe, expect, it } from 'vitest';
import { generateInstance } from './generate.ts';
import { buildContext, buildOptions } from './options.ts';
import { greedy, isFeasible, planCost, solve } from './solve.ts';
import type { SolveParams } from './solve.ts';

function setup(seed: number, orders: number, technicians: number, hubStockScale = 1) {
  const inst = generateInstance({ seed, orders, technicians, hubStockScale });
  const opts = buildOptions(buildContext(inst));
  const params: SolveParams = {
    orders,
    technicians,
    qty: inst.orders.map((o) => o.qty),
    unplannedCost: inst.unplannedCost,
    timeLimitMs: 20_000,
  };
  return { opts, params };
}

describe('solve', () => {
  it('column generation + restricted MIP proves the same optimum as the whole MIP', async () => {
    for (const [seed, scale] of [
      [21, 1],
      [22, 0.15],
    ] as const) {
      const { opts, params } = setup(seed, 60, 40, scale);
      const whole = await solve(opts, params);
      const cg = await solve(opts, { ...params, fullMipColumns: 0 });
      expect(whole.method).toBe('mip');
      expect(cg.method).toBe('colgen+mip');
      expect(whole.optimal && cg.optimal).toBe(true);
      expect(cg.cost).toBeCloseTo(whole.cost, 6);
      expect(isFeasible(opts, params, cg.chosen)).toBe(true);
      expect(cg.stats.lpBound ?? Infinity).toBeLessThanOrEqual(whole.cost + 1e-6);
    }
  });

  it('beats or matches the greedy plan and keeps a valid bound under a tiny time budget', async () => {
    const { opts, params } = setup(23, 200, 150);
    const g = greedy(opts, params);
    const r = await solve(opts, { ...params, timeLimitMs: 1, fullMipColumns: 0 });
    expect(isFeasible(opts, params, r.chosen)).toBe(true);
    expect(r.cost).toBeLessThanOrEqual(planCost(opts, params, g) + 1e-6);
    expect(r.lowerBound).toBeGreaterThan(0);
    expect(r.lowerBound).toBeLessThanOrEqual(r.cost + 1e-6);
  });
});
