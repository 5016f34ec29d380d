import { describe, expect, it } from 'vitest';
import { occurrenceKey, type OrderOccurrence } from './kinds.ts';
import { matches, subscriberSeesTenant } from './matching.ts';

const event: OrderOccurrence = {
  kind: 'order.planned',
  orderId: 'o1',
  tenantId: 'acme',
  assetId: 'a1',
  at: new Date('2026-12-03T10:00:00Z'),
  discriminator: '2026-12-03T14:00:00.000Z',
};
const customer = { role: 'CUSTOMER', tenantId: 'acme', disabled: false };
const dispatcher = { role: 'DISPATCHER', tenantId: null, disabled: false };
const all = { events: ['order.planned'], tenantId: null, assetId: null };

describe('which subscriptions an order event reaches', () => {
  it('a customer: their own tenant only, and only the kinds and asset subscribed to', () => {
    const own = { ...all, tenantId: 'acme' };
    expect(matches(own, customer, event)).toBe(true);
    expect(matches(own, customer, { ...event, kind: 'order.completed' })).toBe(false);
    expect(matches({ ...own, assetId: 'a1' }, customer, event)).toBe(true);
    expect(matches({ ...own, assetId: 'a2' }, customer, event)).toBe(false);
    expect(matches(own, customer, { ...event, tenantId: 'globex' })).toBe(false);
  });

  it("never another tenant's order, even when the stored scope were wrong", () => {
    expect(matches(all, customer, { ...event, tenantId: 'globex' })).toBe(false);
    expect(matches({ ...all, tenantId: 'globex' }, { ...customer }, { ...event, tenantId: 'globex' })).toBe(
      false,
    );
  });

  it('the desk: every tenant, or the one it chose', () => {
    expect(matches(all, dispatcher, { ...event, tenantId: 'globex' })).toBe(true);
    expect(matches({ ...all, tenantId: 'acme' }, dispatcher, { ...event, tenantId: 'globex' })).toBe(false);
    expect(matches(all, { ...dispatcher, role: 'ADMIN' }, event)).toBe(true);
  });

  it('a disabled account, an engineer or a technician gets nothing', () => {
    expect(matches(all, { ...dispatcher, disabled: true }, event)).toBe(false);
    expect(subscriberSeesTenant({ role: 'ENGINEER', tenantId: null, disabled: false }, 'acme')).toBe(false);
    expect(subscriberSeesTenant({ role: 'TECHNICIAN', tenantId: null, disabled: false }, 'acme')).toBe(false);
    expect(subscriberSeesTenant({ role: 'CUSTOMER', tenantId: null, disabled: false }, 'acme')).toBe(false);
  });

  it('one delivery per occurrence: a new ETA is a new occurrence, the same one is not', () => {
    expect(occurrenceKey(event)).toBe(occurrenceKey({ ...event }));
    expect(occurrenceKey(event)).not.toBe(occurrenceKey({ ...event, discriminator: 'later' }));
  });
});
