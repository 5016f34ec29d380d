import { describe, expect, it } from 'vitest';
import { reconcileFitted, reconciliationNote, removedSerialOf } from './fitted-parts.ts';
import { returnsOnCompletion } from './returns.ts';

describe('parts fitted against parts staged', () => {
  it('uses what was staged and fitted; nothing flagged', () => {
    const r = reconcileFitted([{ sku: 'BRG', qty: 2 }], [{ sku: 'BRG', qty: 2 }]);
    expect(r).toMatchObject({ flagged: false, unstaged: [], lines: [{ sku: 'BRG', fitted: 2, staged: 2 }] });
    expect(r.usedOfStaged.get('BRG')).toBe(2);
  });

  it('sends the staged parts not fitted back to stock as an unused return', () => {
    const r = reconcileFitted([{ sku: 'BRG', qty: 2 }], [{ sku: 'BRG', qty: 1 }]);
    expect(r.usedOfStaged.get('BRG')).toBe(1);
    expect(
      returnsOnCompletion({ qty: 2, usedQty: 1, removedSerial: 'S1', stockHomeId: 'L', repairDepotId: 'D' }),
    ).toEqual([
      { reason: 'DEFECTIVE', qty: 1, serial: 'S1', toLocationId: 'D' },
      { reason: 'UNUSED', qty: 1, serial: '', toLocationId: 'L' },
    ]);
    expect(reconcileFitted([{ sku: 'BRG', qty: 1 }], []).usedOfStaged.get('BRG')).toBe(0);
    expect(reconciliationNote(reconcileFitted([{ sku: 'BRG', qty: 2 }], [{ sku: 'BRG', qty: 1 }]))).toBe(
      'fitted 1 × BRG; unused 1 × BRG',
    );
  });

  it('records and flags a part fitted that was not staged, or more than staged', () => {
    const r = reconcileFitted(
      [{ sku: 'BRG', qty: 1 }],
      [
        { sku: 'BRG', qty: 2 },
        { sku: 'SEAL', qty: 1 },
      ],
    );
    expect(r.flagged).toBe(true);
    expect(r.usedOfStaged.get('BRG')).toBe(1);
    expect(r.unstaged).toEqual([
      { sku: 'BRG', qty: 1 },
      { sku: 'SEAL', qty: 1 },
    ]);
    expect(r.lines).toContainEqual({ sku: 'SEAL', fitted: 1, staged: 0 });
    expect(reconciliationNote(r)).toContain('FLAGGED not staged: 1 × BRG, 1 × SEAL');
  });

  it('refuses a part listed twice or a quantity out of range', () => {
    const twice = () =>
      reconcileFitted(
        [],
        [
          { sku: 'A', qty: 1 },
          { sku: 'A', qty: 1 },
        ],
      );
    expect(twice).toThrow(/twice/);
    expect(() => reconcileFitted([], [{ sku: 'A', qty: -1 }])).toThrow(/whole number/);
    expect(() => reconcileFitted([], [{ sku: 'A', qty: 1.5 }])).toThrow(/whole number/);
  });

  it("requires the removed part's serial, printable", () => {
    expect(removedSerialOf(' SN-1 ')).toBe('SN-1');
    expect(() => removedSerialOf(undefined)).toThrow(/serial/);
    expect(() => removedSerialOf('   ')).toThrow(/serial/);
    expect(() => removedSerialOf('SN\n1')).toThrow(/printable/);
    expect(() => removedSerialOf('x'.repeat(101))).toThrow(/100/);
  });
});
