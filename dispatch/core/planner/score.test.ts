import { describe, expect, it } from 'vitest';
import type { Assignment, Plan } from './instance.ts';
import { planDispatch } from './index.ts';
import { scorePlan } from './score.ts';
import { tinyInstance } from './test-fixtures.ts';

async function tinyPlan(): Promise<Plan> {
  const r = await planDispatch(tinyInstance());
  return { assignments: r.assignments, unplanned: r.unplanned, totalCost: r.totalCost };
}

function withAssignment(plan: Plan, order: string, patch: Partial<Assignment>): Plan {
  return { ...plan, assignments: plan.assignments.map((a) => (a.order === order ? { ...a, ...patch } : a)) };
}

describe('scorePlan', () => {
  it('accepts the planner output on the tiny instance and recomputes its cost', async () => {
    const plan = await tinyPlan();
    // SO-1: T-1 on site with the FSL unit (0); SO-2: overnight to the counter T-2 stands at (48); SO-3: nobody has imaging.
    expect(plan.unplanned).toEqual(['SO-3']);
    expect(plan.assignments.map((a) => [a.order, a.technician, a.pickup, a.source, a.mode])).toEqual([
      ['SO-1', 'T-1', 'FSL-1', 'FSL-1', 'stock'],
      ['SO-2', 'T-2', 'PC-1', 'HUB-1', 'overnight'],
    ]);
    const s = scorePlan(tinyInstance(), plan);
    expect(s.errors).toEqual([]);
    expect(s.totalCost).toBeCloseTo(5048, 6);
  });

  it('rejects a technician without the skill', async () => {
    const plan = await tinyPlan();
    const bad: Plan = {
      assignments: plan.assignments
        .filter((a) => a.order === 'SO-2')
        .map((a) => ({ ...a, technician: 'T-1' })),
      unplanned: ['SO-1', 'SO-3'],
      totalCost: plan.totalCost,
    };
    const s = scorePlan(tinyInstance(), bad);
    expect(s.valid).toBe(false);
    expect(s.errors.join('\n')).toMatch(/T-1 lacks skill power/);
  });

  it('rejects a technician serving two orders', async () => {
    const plan = await tinyPlan();
    const s = scorePlan(tinyInstance(), withAssignment(plan, 'SO-1', { technician: 'T-2' }));
    expect(s.errors.join('\n')).toMatch(/T-2 serves more than one order/);
  });

  it('rejects taking more stock than the source holds', async () => {
    const inst = tinyInstance();
    inst.locations[1]!.stock['P-1'] = 0;
    const s = scorePlan(inst, await tinyPlan());
    expect(s.errors.join('\n')).toMatch(/stock of P-1 at FSL-1 exceeded/);
  });

  it('rejects modes that are not allowed', async () => {
    const plan = await tinyPlan();
    const inst = tinyInstance();
    const errs = (p: Plan): string => scorePlan(inst, p).errors.join('\n');
    expect(errs(withAssignment(plan, 'SO-1', { pickup: 'PC-1' }))).toMatch(
      /mode stock needs source = pickup/,
    );
    expect(errs(withAssignment(plan, 'SO-2', { mode: 'courier' }))).toMatch(/exceeds maxKm/);
    expect(errs(withAssignment(plan, 'SO-1', { pickup: 'PC-1', mode: 'overnight' }))).toMatch(
      /overnight source must be a hub/,
    );
    expect(errs(withAssignment(plan, 'SO-2', { pickup: 'HUB-1' }))).toMatch(
      /overnight needs source != pickup/,
    );
    expect(errs(withAssignment(plan, 'SO-1', { mode: 'teleport' as Assignment['mode'] }))).toMatch(
      /unknown mode teleport/,
    );
  });

  it('rejects wrong costs, times, totals and orders left out', async () => {
    const plan = await tinyPlan();
    const inst = tinyInstance();
    expect(scorePlan(inst, withAssignment(plan, 'SO-2', { cost: 40 })).errors.join('\n')).toMatch(
      /reported cost 40/,
    );
    expect(
      scorePlan(inst, withAssignment(plan, 'SO-2', { arrivalAt: '2026-03-03T09:00:00Z' })).errors.join('\n'),
    ).toMatch(/arrivalAt .* is wrong/);
    expect(scorePlan(inst, { ...plan, totalCost: 48 }).errors.join('\n')).toMatch(/reported totalCost 48/);
    expect(scorePlan(inst, { ...plan, unplanned: [] }).errors.join('\n')).toMatch(
      /SO-3 is neither assigned nor unplanned/,
    );
    expect(scorePlan(inst, { ...plan, unplanned: ['SO-3', 'SO-1'] }).errors.join('\n')).toMatch(
      /SO-1 is also assigned/,
    );
    expect(scorePlan(inst, withAssignment(plan, 'SO-1', { technician: 'T-9' })).errors.join('\n')).toMatch(
      /unknown technician T-9/,
    );
  });
});
