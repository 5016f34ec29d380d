// Units in transit for the staging planner: free units of transfers become arrivals; a committed plan's arriving
// units are taken from the transfers that bring them by the plan's ETA.
import { describe, expect, it } from 'vitest';
import { toPlanInstance } from './network-instance.ts';
import { planDispatch } from './planner/index.ts';
import { DEFAULT_POLICY } from './policy.ts';
import { arrivalReadyAt, pickTransfers, transferArrivals } from './transfer-reservations.ts';

const now = new Date('2026-05-01T10:00:00Z');
const at = (min: number) => new Date(now.getTime() + min * 60_000);
const t = (id: string, qty: number, reserved: number, eta: number, trackingState = 'IN_TRANSIT') => ({
  id,
  to: 'FSL',
  sku: 'P1',
  qty,
  reserved,
  etaAt: at(eta),
  trackingState,
});

describe('transferArrivals', () => {
  it('counts the unreserved units of each transfer at its destination; a failed one not at all', () => {
    const a = transferArrivals([
      t('a', 2, 1, 30),
      t('b', 1, 1, 40),
      t('c', 1, 0, 50, 'EXCEPTION'),
      t('d', 3, 0, 60),
    ]);
    expect(a.get('FSL')).toEqual([
      { sku: 'P1', qty: 1, eta: at(30).toISOString() },
      { sku: 'P1', qty: 3, eta: at(60).toISOString() },
    ]);
  });
});

describe('arrivalReadyAt', () => {
  it('is the ETA by which enough free units have arrived, failed transfers not counted', () => {
    const rows = [t('late', 5, 0, 90), t('b', 1, 0, 40), t('a', 2, 1, 20), t('x', 3, 0, 10, 'EXCEPTION')];
    expect(arrivalReadyAt(rows, 1)).toEqual(at(20));
    expect(arrivalReadyAt(rows, 2)).toEqual(at(40));
    expect(arrivalReadyAt(rows, 3)).toEqual(at(90));
    expect(arrivalReadyAt(rows, 8)).toBeNull();
    // reserving at that ETA takes exactly those units
    expect(pickTransfers(rows, 2, arrivalReadyAt(rows, 2)!)).toEqual([
      { transferId: 'a', qty: 1 },
      { transferId: 'b', qty: 1 },
    ]);
  });
});

describe('pickTransfers', () => {
  it('takes free units arriving by the ETA, the earliest first, across transfers', () => {
    const rows = [t('late', 5, 0, 90), t('b', 1, 0, 20), t('a', 2, 1, 20)];
    expect(pickTransfers(rows, 2, at(30))).toEqual([
      { transferId: 'a', qty: 1 },
      { transferId: 'b', qty: 1 },
    ]);
  });

  it('refuses when the units by that ETA are taken or failed (the round re-plans)', () => {
    expect(pickTransfers([t('a', 1, 1, 20), t('late', 5, 0, 90)], 1, at(30))).toBeNull();
    expect(pickTransfers([t('x', 1, 0, 20, 'EXCEPTION')], 1, at(30))).toBeNull();
  });
});

describe('the live network with units in transit', () => {
  it('plans an order at an empty location from a unit arriving there, the assignment carrying its ETA', async () => {
    const loc = (id: string, kind: 'HUB' | 'FSL', lat: number, available: Record<string, number>) => ({
      id,
      kind,
      lat,
      lon: 10,
      openUtc: null,
      closeUtc: null,
      available,
    });
    const inst = toPlanInstance(
      {
        now,
        locations: [
          loc('HUB', 'HUB', 51.3, { P1: 5 }),
          { ...loc('FSL', 'FSL', 53.5, {}), arrivals: transferArrivals([t('a', 1, 0, 30)]).get('FSL') ?? [] },
        ],
        technicians: [{ id: 'T1', lat: 53.5, lon: 10, skills: ['mech'], availableFrom: now }],
        orders: [
          {
            id: 'o1',
            lat: 53.55,
            lon: 10,
            skill: 'mech',
            sku: 'P1',
            qty: 1,
            dueBy: at(300),
            repairMinutes: 60,
          },
        ],
      },
      DEFAULT_POLICY,
    );
    expect(inst.locations[1]?.arrivals).toEqual([{ sku: 'P1', qty: 1, eta: at(30).toISOString() }]);
    const plan = await planDispatch(inst, { timeLimitMs: 2_000 });
    expect(plan.assignments[0]).toMatchObject({
      source: 'FSL',
      pickup: 'FSL',
      sourceEta: at(30).toISOString(),
    });
  });
});
