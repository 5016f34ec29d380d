import { describe, expect, it } from 'vitest';
import { nextReviewAt, proposeTransfers, staleCells } from './transfers.ts';
import type { TransferInput, TransferShipping } from './transfers.ts';

const ship: TransferShipping = {
  roadFactor: 1.3,
  courier: { speedKmh: 60, handlingMinutes: 45, baseCost: 40, costPerKm: 1.2, maxKm: 400 },
  overnight: { cutoffUtc: '01:00', deliverUtc: '08:00', cost: 55 },
  courierWithinDays: 1,
};

const input = (over: Partial<TransferInput> = {}): TransferInput => ({
  now: new Date('2026-12-03T00:30:00Z'),
  hub: 'HUB',
  locations: [
    { code: 'HUB', kind: 'HUB', lat: 51.31, lon: 9.48 },
    { code: 'FSL-A', kind: 'FSL', lat: 53.55, lon: 9.99 },
    { code: 'FSL-B', kind: 'FSL', lat: 48.14, lon: 11.58 },
    { code: 'PC-C', kind: 'COUNTER', lat: 52.52, lon: 13.4 },
  ],
  available: { HUB: { P: 3 }, 'FSL-A': { P: 5 }, 'FSL-B': {}, 'PC-C': {} },
  inbound: {},
  target: { HUB: { P: 1 }, 'FSL-A': { P: 1 }, 'FSL-B': { P: 2 }, 'PC-C': { P: 2 } },
  earliestNeedDays: { 'PC-C': { P: 0.5 } },
  ...over,
});

describe('proposeTransfers', () => {
  it('restocks from the hub (urgent first, by courier), sends excess back overnight, reports what the hub lacks', () => {
    const { transfers, shortfall } = proposeTransfers(input(), ship);
    const line = (from: string, to: string) => transfers.find((t) => t.from === from && t.to === to);
    expect(line('FSL-A', 'HUB')).toMatchObject({ qty: 4, mode: 'OVERNIGHT', purpose: 'EXCESS' });
    expect(line('HUB', 'PC-C')).toMatchObject({ qty: 2, mode: 'COURIER', purpose: 'RESTOCK' });
    expect(line('HUB', 'FSL-B')).toMatchObject({ qty: 1, mode: 'OVERNIGHT' });
    expect(shortfall).toEqual([{ location: 'FSL-B', sku: 'P', qty: 1 }]);
    // overnight leaves at the 01:00 cut-off and arrives at 08:00
    expect(line('HUB', 'FSL-B')?.shipAt.toISOString()).toBe('2026-12-03T01:00:00.000Z');
    expect(line('HUB', 'FSL-B')?.etaAt.toISOString()).toBe('2026-12-03T08:00:00.000Z');
  });

  it('counts units in transit towards a target and never sends them on', () => {
    const { transfers } = proposeTransfers(
      input({
        available: { HUB: { P: 3 }, 'FSL-A': { P: 1 } },
        inbound: { 'FSL-A': { P: 4 } },
        target: { 'FSL-A': { P: 2 } },
      }),
      ship,
    );
    // 5 counted, 2 wanted, but only the 1 on the shelf can go back
    expect(transfers).toEqual([expect.objectContaining({ from: 'FSL-A', to: 'HUB', qty: 1 })]);
  });
});

describe('staleCells', () => {
  it('names the touched cells whose available stock moved, ignores others', () => {
    const basis = { HUB: { P: 3 }, 'FSL-A': { P: 5 }, 'FSL-B': { Q: 1 } };
    const now = { HUB: { P: 3 }, 'FSL-A': { P: 4 }, 'FSL-B': { Q: 0 } };
    expect(staleCells(basis, now, [{ from: 'FSL-A', to: 'HUB', sku: 'P' }])).toEqual([
      { location: 'FSL-A', sku: 'P', planned: 5, now: 4 },
    ]);
    expect(staleCells(basis, basis, [{ from: 'FSL-A', to: 'HUB', sku: 'P' }])).toEqual([]);
  });
});

describe('nextReviewAt', () => {
  it('is the next HH:MM UTC at or after now, or never when off', () => {
    const t = Date.parse('2026-12-03T00:31:00Z');
    expect(new Date(nextReviewAt(t, '00:30') as number).toISOString()).toBe('2026-12-04T00:30:00.000Z');
    expect(nextReviewAt(t, null)).toBeNull();
  });
});
