import { describe, expect, it } from 'vitest';
import { validateInstance, validatePlan } from './instance.ts';
import { tinyInstance } from './test-fixtures.ts';

const clone = (): Record<string, unknown> =>
  JSON.parse(JSON.stringify(tinyInstance())) as Record<string, unknown>;

describe('validateInstance', () => {
  it('accepts a well-formed instance', () => {
    expect(validateInstance(clone()).orders).toHaveLength(3);
  });

  it('names a missing field', () => {
    const x = clone();
    delete x.travel;
    expect(() => validateInstance(x)).toThrow('missing field $.travel');
    const y = clone();
    delete (y.orders as Record<string, unknown>[])[1]!.sku;
    expect(() => validateInstance(y)).toThrow('missing field $.orders[1].sku');
  });

  it('rejects bad kinds, clock times, instants, numbers and duplicates', () => {
    const k = clone();
    (k.locations as Record<string, unknown>[])[0]!.kind = 'warehouse';
    expect(() => validateInstance(k)).toThrow(/\$\.locations\[0\]\.kind must be one of hub, fsl, counter/);
    const c = clone();
    delete (c.locations as Record<string, unknown>[])[2]!.openUtc;
    expect(() => validateInstance(c)).toThrow('missing field $.locations[2].openUtc');
    const h = clone();
    (h.shipping as { overnight: Record<string, unknown> }).overnight.cutoffUtc = '25:00';
    expect(() => validateInstance(h)).toThrow(/cutoffUtc must be "HH:MM"/);
    const n = clone();
    n.now = 'tomorrow';
    expect(() => validateInstance(n)).toThrow(/\$\.now must be an ISO-8601 instant/);
    const q = clone();
    (q.orders as Record<string, unknown>[])[0]!.qty = 0;
    expect(() => validateInstance(q)).toThrow(/qty must be > 0/);
    const s = clone();
    (s.travel as Record<string, unknown>).speedKmh = '60';
    expect(() => validateInstance(s)).toThrow(/speedKmh must be a finite number/);
    const d = clone();
    (d.technicians as Record<string, unknown>[])[1]!.id = 'T-1';
    expect(() => validateInstance(d)).toThrow(/duplicate id "T-1"/);
    expect(() => validateInstance([])).toThrow(/\$ must be an object/);
  });
});

describe('validatePlan', () => {
  const assignment = {
    order: 'SO-1',
    technician: 'T-1',
    pickup: 'FSL-1',
    source: 'FSL-1',
    mode: 'stock',
    partsReadyAt: '2026-03-02T14:30:00Z',
    arrivalAt: '2026-03-02T14:30:00Z',
    cost: 0,
  };

  it('accepts the spec shape', () => {
    expect(
      validatePlan({ assignments: [assignment], unplanned: ['SO-2'], totalCost: 5000 }).assignments,
    ).toHaveLength(1);
  });

  it('rejects an unknown mode and missing fields', () => {
    expect(() =>
      validatePlan({ assignments: [{ ...assignment, mode: 'drone' }], unplanned: [], totalCost: 0 }),
    ).toThrow(/mode must be one of stock, courier, overnight/);
    expect(() => validatePlan({ assignments: [], unplanned: [] })).toThrow('missing field $.totalCost');
  });
});
