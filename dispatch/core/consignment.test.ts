// Carrier events on stock transfers and return shipments (no order waits for them).
import { describe, expect, it } from 'vitest';
import { applyConsignmentEvent, parseCarrierReference } from './carrier.ts';

const at = new Date('2026-12-04T10:00:00Z');

describe('applyConsignmentEvent', () => {
  it('a delivery books the units in once', () => {
    const c = { trackingState: 'IN_TRANSIT' as const, bookedIn: false, problemAt: null };
    expect(applyConsignmentEvent(c, { kind: 'DELIVERED', at })).toMatchObject({
      state: 'DELIVERED',
      changed: true,
      bookIn: true,
      problem: null,
    });
    // booked in by hand already: the state follows, nothing is booked twice
    expect(applyConsignmentEvent({ ...c, bookedIn: true }, { kind: 'DELIVERED', at }).bookIn).toBe(false);
  });

  it('an exception is reported once; a late event changes nothing', () => {
    const c = { trackingState: 'PICKED_UP' as const, bookedIn: false, problemAt: null };
    const ex = applyConsignmentEvent(c, { kind: 'EXCEPTION', at, detail: 'damaged' });
    expect(ex).toMatchObject({ state: 'EXCEPTION', bookIn: false, writeOff: true });
    // written off once; booked in by hand before the exception came: nothing to write off
    expect(applyConsignmentEvent({ ...c, writtenOff: true }, { kind: 'EXCEPTION', at }).writeOff).toBe(false);
    expect(applyConsignmentEvent({ ...c, bookedIn: true }, { kind: 'EXCEPTION', at }).writeOff).toBe(false);
    expect(ex.problem?.reason).toContain('damaged');
    expect(applyConsignmentEvent({ ...c, problemAt: at }, { kind: 'EXCEPTION', at }).problem).toBeNull();
    expect(applyConsignmentEvent(c, { kind: 'PICKED_UP', at })).toMatchObject({
      changed: false,
      bookIn: false,
    });
  });
});

describe('parseCarrierReference', () => {
  it('reads our document codes, anything else is an id', () => {
    expect(parseCarrierReference('TRF-000123')).toEqual({ kind: 'transfer', number: 123 });
    expect(parseCarrierReference('rma-42')).toEqual({ kind: 'return', number: 42 });
    expect(parseCarrierReference('5b1c-uuid')).toEqual({ kind: 'id', id: '5b1c-uuid' });
  });
});
