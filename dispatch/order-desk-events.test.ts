// The desk's events for whoever listens (notifications): order.eta-changed when a reassign or re-stage moves the
// ETA (not when it stays), order.en-route when the technician leaves. In-memory stores, the real bus.
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../common/clock.ts';
import { EventBus } from '../common/event-bus.ts';
import type { PlatformEvents } from '../common/events.ts';
import type { ActionResult, OrderActionStore } from './adapters/order-actions.ts';
import type { ReturnStore } from './adapters/return-store.ts';
import { DEFAULT_POLICY } from './core/policy.ts';
import { OrderDesk } from './order-desk.ts';

const base: ActionResult = {
  orderId: 'o1',
  tenantId: 't1',
  status: 'PLANNED',
  assetId: 'a1',
  failureModeId: 'f1',
};
const before = new Date('2026-12-03T12:00:00Z');
const later = new Date('2026-12-03T13:30:00Z');

function desk(results: Partial<Record<keyof OrderActionStore, ActionResult>>) {
  const bus = new EventBus<PlatformEvents>();
  const seen: { event: string; payload: unknown }[] = [];
  for (const event of ['order.eta-changed', 'order.en-route'] as const)
    bus.on(event, (payload) => void seen.push({ event, payload }));
  const answer = (k: keyof OrderActionStore) => async () => ({ ...(results[k] ?? base), returns: [] });
  const actions: OrderActionStore = {
    accept: answer('accept'),
    cancel: answer('cancel'),
    reassign: answer('reassign'),
    restage: answer('restage'),
    advance: answer('advance'),
  };
  const d = new OrderDesk({
    actions,
    returns: {} as ReturnStore,
    bus,
    clock: new FakeClock(before),
    policy: DEFAULT_POLICY,
  });
  return { d, bus, seen };
}

describe('the desk tells the bus when the ETA moves and when the technician leaves', () => {
  it('order.eta-changed on a reassign that moves the ETA, with before and after', async () => {
    const { d, bus, seen } = desk({ reassign: { ...base, eta: { from: before, to: later } } });
    await d.reassign('o1', 'T2', 'dispatcher@x');
    await bus.drain();
    expect(seen).toEqual([
      {
        event: 'order.eta-changed',
        payload: { orderId: 'o1', tenantId: 't1', etaAt: later, previousEtaAt: before },
      },
    ]);
  });

  it('nothing when the ETA stays, or the step reports none', async () => {
    const { d, bus, seen } = desk({ restage: { ...base, eta: { from: later, to: new Date(later) } } });
    await d.restage('o1', { pickup: 'P1' }, 'dispatcher@x');
    await d.accept('o1', 'dispatcher@x');
    await bus.drain();
    expect(seen).toEqual([]);
  });

  it('order.en-route when the field reports the technician on the way', async () => {
    const { d, bus, seen } = desk({ advance: { ...base, status: 'TECHNICIAN_EN_ROUTE' } });
    await d.advance('o1', 'TECHNICIAN_EN_ROUTE', {}, 'tech@x');
    await bus.drain();
    expect(seen).toEqual([
      { event: 'order.en-route', payload: { orderId: 'o1', tenantId: 't1', at: before } },
    ]);
  });
});
