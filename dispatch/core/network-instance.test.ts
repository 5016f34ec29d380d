import { describe, expect, it } from 'vitest';
import { toPlanInstance } from './network-instance.ts';
import { DEFAULT_POLICY } from './policy.ts';
import { planDispatch, scorePlan } from './planner/index.ts';

const now = new Date('2026-05-01T10:00:00Z');

describe('the live network as a plan instance', () => {
  const instance = toPlanInstance(
    {
      now,
      locations: [
        {
          id: 'HUB',
          kind: 'HUB',
          lat: 51.3,
          lon: 9.5,
          openUtc: null,
          closeUtc: null,
          available: { P1: 5, P2: 0 },
        },
        { id: 'FSL', kind: 'FSL', lat: 53.5, lon: 10, openUtc: null, closeUtc: null, available: { P1: 1 } },
        {
          id: 'PC',
          kind: 'COUNTER',
          lat: 53.4,
          lon: 10.1,
          openUtc: '06:00',
          closeUtc: '19:00',
          available: {},
        },
        {
          id: 'RD',
          kind: 'REPAIR_DEPOT',
          lat: 51.3,
          lon: 9.5,
          openUtc: null,
          closeUtc: null,
          available: { P1: 9 },
        },
      ],
      technicians: [
        { id: 'T1', lat: 53.55, lon: 10, skills: ['mech'], availableFrom: now },
        { id: 'T2', lat: 53.55, lon: 10, skills: ['hvac'], availableFrom: now },
      ],
      orders: [
        {
          id: 'O1',
          lat: 53.6,
          lon: 10.05,
          skill: 'mech',
          sku: 'P1',
          qty: 1,
          dueBy: new Date('2026-05-01T14:00:00Z'),
          repairMinutes: 60,
        },
        {
          id: 'O2',
          lat: 53.6,
          lon: 10.05,
          skill: 'mech',
          sku: 'P1',
          qty: 1,
          dueBy: new Date('2026-05-01T14:00:00Z'),
          repairMinutes: 60,
        },
      ],
    },
    DEFAULT_POLICY,
  );

  it('leaves repair depots and empty stock out and keeps counter hours', () => {
    expect(instance.locations.map((l) => l.id)).toEqual(['HUB', 'FSL', 'PC']);
    expect(instance.locations[0]!.stock).toEqual({ P1: 5 });
    expect(instance.locations[2]).toMatchObject({ kind: 'counter', openUtc: '06:00', closeUtc: '19:00' });
  });

  it('plans the nearest stock for the qualified technician, one order per technician', async () => {
    const plan = await planDispatch(instance);
    const score = scorePlan(instance, plan);
    expect(score.errors).toEqual([]);
    expect(score.totalCost).toBeCloseTo(plan.totalCost, 1);
    expect(plan.assignments).toHaveLength(1);
    expect(plan.assignments[0]).toMatchObject({ technician: 'T1', source: 'FSL', mode: 'stock' });
    expect(plan.unplanned).toHaveLength(1);
  });
});
