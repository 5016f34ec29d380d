import { describe, expect, it } from 'vitest';
import { historyEntryForCustomer, parseHistoryFilter, partsFitted, workDone } from './service-history.ts';

describe('service history core', () => {
  it('checks the filter: dates, their order, closed statuses only', () => {
    expect(parseHistoryFilter({})).toEqual({
      ok: true,
      filter: { from: undefined, to: undefined, status: ['COMPLETED', 'CANCELLED'] },
    });
    const f = parseHistoryFilter({ from: '2026-01-01', to: '2026-02-01T00:00:00Z', status: 'CANCELLED' });
    expect(f).toMatchObject({ ok: true, filter: { status: ['CANCELLED'] } });
    expect(parseHistoryFilter({ from: 'soon' })).toMatchObject({ ok: false });
    expect(parseHistoryFilter({ from: '2026-03-01', to: '2026-02-01' })).toMatchObject({ ok: false });
    expect(parseHistoryFilter({ status: 'PLANNED' })).toMatchObject({ ok: false });
    // year 0 reached PostgreSQL, which refused it: a 500 before this check
    expect(parseHistoryFilter({ from: '0000-01-01T00:00:00Z' })).toMatchObject({ ok: false });
    expect(parseHistoryFilter({ to: '1969-12-31T23:59:59Z' })).toMatchObject({ ok: false });
    expect(parseHistoryFilter({ from: '1970-01-01T00:00:00Z' })).toMatchObject({ ok: true });
  });

  it('parts fitted: consumed reservations, else the failure mode part; none when cancelled', () => {
    const mode = { sku: 'B-1', name: 'Bearing', qty: 1 };
    expect(partsFitted('COMPLETED', [], mode)).toEqual([mode]);
    expect(partsFitted('COMPLETED', [{ ...mode, qty: 2 }], mode)).toEqual([{ ...mode, qty: 2 }]);
    expect(partsFitted('CANCELLED', [mode], mode)).toEqual([]);
  });

  it('says what was done and hides the desk from customers', () => {
    expect(workDone('COMPLETED', 'Bearing wear', null)).toBe('Repaired: Bearing wear');
    expect(workDone('CANCELLED', 'Bearing wear', 'FALSE_ALARM')).toBe(
      'Cancelled (false alarm): Bearing wear',
    );
    expect(historyEntryForCustomer({ acceptedBy: 'd@x' } as never).acceptedBy).toBeNull();
  });
});
