import { describe, expect, it } from 'vitest';
import type { LiveOrder } from '../contracts/live.ts';
import { historyFor, orderForCustomer } from './customer-view.ts';

describe('customer view', () => {
  const order = {
    id: 'o1',
    acceptedBy: 'd@x',
    actions: ['cancel'],
    nextStatus: 'PARTS_STAGED',
    verdictReason: 'no qualified technician free before 14:00 UTC',
    escalated: true,
    snoozeUntil: '2026-12-04T00:00:00.000Z',
    onTime: false,
    lateByMinutes: 40,
    technician: 'T-01 Ann',
  } as unknown as LiveOrder;
  it("drops the desk's people, notes and workflow, and keeps the on-time verdict", () => {
    expect(orderForCustomer(order)).toMatchObject({
      id: 'o1',
      acceptedBy: null,
      actions: [],
      nextStatus: null,
      verdictReason: null,
      escalated: false,
      snoozeUntil: null,
      onTime: false,
      lateByMinutes: 40,
      technician: 'T-01 Ann',
    });
    const h = [{ at: 'x', status: 'PLANNED', action: 'cancel', actor: 'd@x', note: 'internal' }];
    expect(historyFor({ sub: 'c', email: 'c@x', role: 'CUSTOMER', tenantId: 't' }, h)).toEqual([
      { at: 'x', status: 'PLANNED', action: 'cancel', actor: 'dispatcher', note: null },
    ]);
    expect(historyFor({ sub: 'd', email: 'd@x', role: 'DISPATCHER', tenantId: null }, h)).toEqual(h);
  });
});
