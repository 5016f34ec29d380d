import { describe, expect, it } from 'vitest';
import { evaluatePlan } from './evaluate.ts';
import { summarisePlan } from './plan-summary.ts';
import type { DemandSource } from './plan-summary.ts';
import { tinyPartsInstance } from './test-fixtures.ts';

describe('summarisePlan', () => {
  const inst = tinyPartsInstance();
  const plan = { stock: Object.fromEntries(inst.locations.map((l) => [l.id, { ...l.stock }])) };
  const sources = new Map<string, DemandSource>(
    inst.assets.map((a, i) => [
      a.id,
      {
        assetId: a.id,
        assetName: a.id,
        failureModeKey: 'fm',
        tier: i % 2 === 0 ? 'CRITICAL' : 'STANDARD',
        source: i === 0 ? 'PREDICTION' : 'BASE_RATE',
        expectedFailureAt: null,
        confidence: null,
      },
    ]),
  );

  it('splits the fill within SLA by tier consistently with the total, and puts every asset behind one location', () => {
    const s = summarisePlan(inst, plan, sources, { scenarios: 4_000 });
    const e = evaluatePlan(inst, plan, { scenarios: 4_000, seed: 20_201 });
    expect(s.today.total).toBeCloseTo(e.cost, 1);
    const byTier = evaluatePlan(inst, plan, {
      scenarios: 4_000,
      seed: 20_201,
      groups: inst.assets.map((_, i) => i % 2),
    });
    expect(byTier.fillWithinSla).toBe(e.fillWithinSla);
    expect(s.plan.fillByTier.CRITICAL).toBeCloseTo(byTier.fillWithinSlaByGroup![0]!, 4);
    const behind = s.locations.flatMap((l) => l.rows.flatMap((r) => r.atRisk.map((a) => a.assetId)));
    expect(new Set(behind).size).toBe(Math.min(inst.assets.length, behind.length));
    expect(s.locations.flatMap((l) => l.rows).reduce((n, r) => n + r.expectedDemand, 0)).toBeCloseTo(
      inst.assets.reduce((n, a) => n + a.pFail, 0),
      1,
    );
  });
});
