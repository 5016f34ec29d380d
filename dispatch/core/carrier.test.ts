import { describe, expect, it } from 'vitest';
import {
  applyTrackingEvent,
  checkSignature,
  leftSource,
  overdueProblem,
  pickReplan,
  replansItself,
  sign,
  eventTimeRefusal,
} from './carrier.ts';

describe('carrier webhook signature', () => {
  const secret = 'a-secret-of-some-length';
  const body = '{"eventId":"e1"}';
  const nowMs = 1_800_000_000_000;
  const ts = String(nowMs / 1000);
  const ok = { secret, timestamp: ts, signature: `sha256=${sign(secret, ts, body)}`, body, nowMs };

  it('accepts the HMAC-SHA256 of timestamp and raw body', () => {
    expect(checkSignature(ok)).toEqual({ ok: true });
    expect(checkSignature({ ...ok, signature: sign(secret, ts, body) })).toEqual({ ok: true });
  });

  it('refuses a changed body, a wrong secret, a stale or missing timestamp, an unknown carrier', () => {
    expect(checkSignature({ ...ok, body: '{"eventId":"e2"}' })).toEqual({ ok: false, why: 'bad signature' });
    expect(checkSignature({ ...ok, secret: 'another-secret-of-length' }).ok).toBe(false);
    expect(checkSignature({ ...ok, nowMs: nowMs + 301_000 })).toEqual({ ok: false, why: 'stale timestamp' });
    expect(checkSignature({ ...ok, timestamp: undefined }).ok).toBe(false);
    expect(checkSignature({ ...ok, signature: 'zz' })).toEqual({ ok: false, why: 'missing signature' });
    expect(checkSignature({ ...ok, secret: undefined })).toEqual({ ok: false, why: 'unknown carrier' });
  });
});

describe("an event's time", () => {
  it('takes one up to 10 minutes after the clock (a fast carrier clock), refuses a later one', () => {
    const now = new Date('2026-12-06T01:00:00Z');
    expect(eventTimeRefusal(new Date('2020-01-01T00:00:00Z'), now)).toBeUndefined();
    expect(eventTimeRefusal(new Date('2026-12-06T01:10:00Z'), now)).toBeUndefined();
    expect(eventTimeRefusal(new Date('2026-12-06T01:10:00.001Z'), now)).toMatch(/more than 10 minutes after/);
    expect(eventTimeRefusal(new Date('9999-12-31T00:00:00Z'), now)).toMatch(/more than 10 minutes after/);
  });
});

describe('tracking state', () => {
  const readyAt = new Date('2026-12-03T12:00:00Z');
  const at = (iso: string) => new Date(iso);

  it('moves forward only; a delivery ends it', () => {
    expect(
      applyTrackingEvent('AWAITING_PICKUP', { kind: 'PICKED_UP', at: at('2026-12-03T08:00:00Z') }, readyAt),
    ).toEqual({ state: 'PICKED_UP', changed: true, problem: null });
    expect(applyTrackingEvent('IN_TRANSIT', { kind: 'PICKED_UP', at: readyAt }, readyAt).changed).toBe(false);
    expect(applyTrackingEvent('DELIVERED', { kind: 'EXCEPTION', at: readyAt }, readyAt).changed).toBe(false);
    expect(
      applyTrackingEvent('IN_TRANSIT', { kind: 'DELIVERED', at: at('2026-12-03T11:59:00Z') }, readyAt),
    ).toEqual({ state: 'DELIVERED', changed: true, problem: null });
  });

  it('reports a late delivery and an exception as problems', () => {
    expect(
      applyTrackingEvent('IN_TRANSIT', { kind: 'DELIVERED', at: at('2026-12-03T13:30:00Z') }, readyAt)
        .problem,
    ).toEqual({ kind: 'LATE', minutesLate: 90, reason: 'delivered 90 min after the parts were due' });
    expect(
      applyTrackingEvent('IN_TRANSIT', { kind: 'EXCEPTION', at: readyAt, detail: 'damaged' }, readyAt),
    ).toEqual({
      state: 'EXCEPTION',
      changed: true,
      problem: { kind: 'FAILED', minutesLate: null, reason: 'carrier exception: damaged' },
    });
    expect(applyTrackingEvent('EXCEPTION', { kind: 'DELIVERED', at: readyAt }, readyAt).state).toBe(
      'DELIVERED',
    );
  });
});

describe('overdue shipments and re-planning', () => {
  const readyAt = new Date('2026-03-01T10:00:00Z');
  const at = (min: number) => new Date(readyAt.getTime() + min * 60_000);

  it('reports a shipment not delivered by readyAt once', () => {
    const s = { trackingState: 'IN_TRANSIT' as const, readyAt, problemAt: null };
    expect(overdueProblem(s, at(0))).toBeNull();
    expect(overdueProblem(s, at(45))).toEqual({
      kind: 'OVERDUE',
      minutesLate: 45,
      reason: 'not delivered 45 min after the parts were due',
    });
    expect(overdueProblem({ ...s, trackingState: 'AWAITING_PICKUP' }, at(5))?.reason).toBe(
      'not picked up 5 min after the parts were due',
    );
    expect(overdueProblem({ ...s, problemAt: at(1) }, at(45))).toBeNull();
    expect(overdueProblem({ ...s, trackingState: 'DELIVERED' }, at(45))).toBeNull();
    expect(overdueProblem({ ...s, trackingState: 'EXCEPTION' }, at(45))).toBeNull();
  });

  it('moves the order itself when the part is lost or overdue, not when it came late', () => {
    expect(replansItself({ kind: 'FAILED', minutesLate: null, reason: '' })).toBe(true);
    expect(replansItself({ kind: 'OVERDUE', minutesLate: 5, reason: '' })).toBe(true);
    expect(replansItself({ kind: 'LATE', minutesLate: 5, reason: '' })).toBe(false);
    expect(leftSource('AWAITING_PICKUP')).toBe(false);
    expect(leftSource('IN_TRANSIT')).toBe(true);
    expect(leftSource('EXCEPTION')).toBe(true);
  });

  it('picks the fastest other staging, never from the failed source', () => {
    const choices = [
      { pickup: 'C1', source: 'FSL-A', current: true },
      { pickup: 'C1', source: 'FSL-A', current: false },
      { pickup: 'C2', source: 'HUB', current: false },
    ];
    expect(pickReplan(choices, 'FSL-A')).toEqual({ pickup: 'C2', source: 'HUB', current: false });
    expect(pickReplan(choices, null)).toEqual({ pickup: 'C1', source: 'FSL-A', current: false });
    expect(pickReplan(choices.slice(0, 2), 'FSL-A')).toBeUndefined();
  });
});
