// The staging planner sees units in transit: a unit arriving at a location counts there from its ETA.
import { describe, expect, it } from 'vitest';
import { planDispatch } from './index.ts';
import type { PlanInstance } from './instance.ts';
import { validateInstance } from './instance.ts';

/** The only unit of P-9 is at the hub (overnight: tomorrow 08:00); one more is on its way to FSL-1. */
function instance(eta: string | null): PlanInstance {
  return {
    now: '2026-03-02T10:00:00Z',
    travel: { speedKmh: 60, roadFactor: 1, costPerKm: 0.5, costPerHour: 30 },
    shipping: {
      overnight: { cutoffUtc: '01:00', deliverUtc: '08:00', cost: 48 },
      courier: { speedKmh: 55, handlingMinutes: 45, baseCost: 35, costPerKm: 1.1, maxKm: 50 },
    },
    lateCostPerHour: 180,
    unplannedCost: 5000,
    locations: [
      { id: 'HUB-1', kind: 'hub', lat: 0, lon: 0, stock: { 'P-9': 1 } },
      {
        id: 'FSL-1',
        kind: 'fsl',
        lat: 0,
        lon: 3,
        stock: {},
        ...(eta ? { arrivals: [{ sku: 'P-9', qty: 1, eta }] } : {}),
      },
    ],
    technicians: [{ id: 'T-1', lat: 0, lon: 3, skills: ['hvac'], availableFrom: '2026-03-02T10:00:00Z' }],
    orders: [
      {
        id: 'SO-1',
        lat: 0,
        lon: 3.1,
        skill: 'hvac',
        sku: 'P-9',
        qty: 1,
        dueBy: '2026-03-02T16:00:00Z',
        repairMinutes: 60,
      },
    ],
  };
}

describe('units in transit in the staging planner', () => {
  it('without the arrival, the technician fetches the part from the hub, 330 km away', async () => {
    const plan = await planDispatch(instance(null), { timeLimitMs: 2000 });
    expect(plan.assignments[0]).toMatchObject({ source: 'HUB-1', pickup: 'HUB-1' });
    expect(plan.assignments[0]?.sourceEta).toBeUndefined();
  });

  it('chooses a unit arriving before the technician needs it, ready at its ETA', async () => {
    const plan = await planDispatch(instance('2026-03-02T12:00:00Z'), { timeLimitMs: 2000 });
    expect(plan.assignments[0]).toMatchObject({
      source: 'FSL-1',
      pickup: 'FSL-1',
      mode: 'stock',
      partsReadyAt: '2026-03-02T12:00:00.000Z',
      sourceEta: '2026-03-02T12:00:00Z',
    });
    expect(plan.unplanned).toEqual([]);
  });

  it('a unit already due counts from now; one arriving after tomorrow morning loses to the hub', async () => {
    const early = await planDispatch(instance('2026-03-02T09:00:00Z'), { timeLimitMs: 2000 });
    expect(early.assignments[0]).toMatchObject({ source: 'FSL-1', partsReadyAt: '2026-03-02T10:00:00.000Z' });
    const late = await planDispatch(instance('2026-03-04T12:00:00Z'), { timeLimitMs: 2000 });
    expect(late.assignments[0]).toMatchObject({ source: 'HUB-1' });
    expect(late.assignments[0]?.sourceEta).toBeUndefined();
  });

  it('refuses a malformed arrival with the field named', () => {
    const bad = instance(null) as unknown as { locations: Record<string, unknown>[] };
    (bad.locations[1] as Record<string, unknown>).arrivals = [{ sku: 'P-9', qty: 1, eta: 'soon' }];
    expect(() => validateInstance(bad)).toThrow(/locations\[1\]\.arrivals\[0\]\.eta/);
  });
});
