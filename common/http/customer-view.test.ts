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
  it('shows the prediction that opened an order without its model, and keeps the platform actors', () => {
    const h = [
      {
        at: 'a',
        status: 'PREDICTED',
        action: 'create',
        actor: 'model c731cc48-0c5e-4a8e-9d1e-2f3b4a5c6d7e',
        note: null,
      },
      { at: 'b', status: 'PLANNED', action: 'plan', actor: 'planner', note: null },
      { at: 'c', status: 'PARTS_IN_TRANSIT', action: 'track', actor: 'carrier', note: null },
    ];
    const customer = { sub: 'c', email: 'c@x', role: 'CUSTOMER', tenantId: 't' } as const;
    expect(historyFor(customer, h).map((e) => e.actor)).toEqual(['prediction', 'planner', 'carrier']);
    expect(JSON.stringify(historyFor(customer, h))).not.toContain('c731cc48');
    expect(historyFor({ sub: 'e', email: 'e@x', role: 'ENGINEER', tenantId: null }, h)).toEqual(h);
  });
});
