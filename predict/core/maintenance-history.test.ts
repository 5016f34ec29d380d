import { describe, expect, it } from 'vitest';
import { maintenanceHistory } from './maintenance-history.ts';

describe('maintenance history', () => {
  it('merges completed orders (their part) and imported records, newest first', () => {
    const h = maintenanceHistory(
      [
        {
          number: 7,
          closedAt: new Date('2026-03-01T10:00:00Z'),
          failureMode: 'bearing',
          part: { sku: 'PX-BRG', name: 'Bearing kit' },
          qty: 2,
        },
      ],
      [
        { ts: new Date('2026-01-05T00:00:00Z'), key: 'comp2', history: 'plant-a' },
        { ts: new Date('2026-04-01T00:00:00Z'), key: 'comp1', history: 'plant-a' },
      ],
    );
    expect(h.map((e) => [e.source, e.component])).toEqual([
      ['import', 'comp1'],
      ['order', 'PX-BRG'],
      ['import', 'comp2'],
    ]);
    expect(h[1]).toMatchObject({ orderNumber: 7, part: { qty: 2 }, failureMode: 'bearing' });
  });
});
