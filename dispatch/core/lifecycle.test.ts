import { describe, expect, it } from 'vitest';
import { isAppError } from '../../common/errors.ts';
import {
  allowedActions,
  assertAllowed,
  decide,
  FIELD_STATUSES,
  nextStatus,
  ORDER_STATUSES,
  type OrderState,
  type OrderStatus,
} from './lifecycle.ts';

const state = (status: OrderStatus, patch: Partial<OrderState> = {}): OrderState => ({
  status,
  accepted: true,
  riskCleared: false,
  shipping: false,
  ...patch,
});

describe('order state machine', () => {
  it('walks the field statuses in order, through transit only when the part ships', () => {
    const walk = (shipping: boolean) => {
      let s = state('PLANNED', { shipping });
      const seen: OrderStatus[] = [s.status];
      for (let n = nextStatus(s); n; n = nextStatus(s)) {
        s = { ...s, status: assertAllowed(s, { kind: 'advance', to: n }) };
        seen.push(s.status);
      }
      return seen;
    };
    expect(walk(true)).toEqual([
      'PLANNED',
      'PARTS_IN_TRANSIT',
      'PARTS_STAGED',
      'TECHNICIAN_EN_ROUTE',
      'ON_SITE',
      'COMPLETED',
    ]);
    expect(walk(false)).toEqual(['PLANNED', 'PARTS_STAGED', 'TECHNICIAN_EN_ROUTE', 'ON_SITE', 'COMPLETED']);
  });

  it('refuses skipped, repeated and backward steps', () => {
    expect(decide(state('PLANNED'), { kind: 'advance', to: 'ON_SITE' })).toMatchObject({ ok: false });
    expect(
      decide(state('PLANNED', { shipping: true }), { kind: 'advance', to: 'PARTS_STAGED' }),
    ).toMatchObject({ ok: false });
    expect(decide(state('ON_SITE'), { kind: 'advance', to: 'ON_SITE' })).toMatchObject({ ok: false });
    expect(decide(state('ON_SITE'), { kind: 'advance', to: 'PARTS_STAGED' })).toMatchObject({ ok: false });
    expect(decide(state('PREDICTED'), { kind: 'advance', to: 'PARTS_STAGED' })).toMatchObject({ ok: false });
  });

  it('needs an accepted job before the part moves', () => {
    const s = state('PLANNED', { accepted: false });
    expect(nextStatus(s)).toBeNull();
    expect(decide(s, { kind: 'advance', to: 'PARTS_STAGED' })).toEqual({
      ok: false,
      reason: 'cannot move to PARTS_STAGED: a dispatcher must accept the job first',
    });
    expect(decide(s, { kind: 'accept' })).toEqual({ ok: true, status: 'PLANNED' });
  });

  it('accepts once, and again only to keep a job whose risk predict reports cleared', () => {
    expect(decide(state('PLANNED'), { kind: 'accept' })).toMatchObject({ ok: false });
    expect(decide(state('PARTS_STAGED', { riskCleared: true }), { kind: 'accept' })).toEqual({
      ok: true,
      status: 'PARTS_STAGED',
    });
    expect(decide(state('PREDICTED', { accepted: false }), { kind: 'accept' })).toMatchObject({ ok: true });
  });

  it('cancels any open order and nothing closed', () => {
    for (const s of ORDER_STATUSES) {
      const d = decide(state(s), { kind: 'cancel' });
      if (s === 'COMPLETED' || s === 'CANCELLED') expect(d.ok).toBe(false);
      else expect(d).toEqual({ ok: true, status: 'CANCELLED' });
    }
  });

  it('reassigns planned jobs until the technician is on site; an en-route job waits for the new one', () => {
    expect(decide(state('PREDICTED'), { kind: 'reassign' })).toMatchObject({ ok: false });
    expect(decide(state('PLANNED'), { kind: 'reassign' })).toEqual({ ok: true, status: 'PLANNED' });
    expect(decide(state('PARTS_STAGED'), { kind: 'reassign' })).toEqual({ ok: true, status: 'PARTS_STAGED' });
    expect(decide(state('TECHNICIAN_EN_ROUTE'), { kind: 'reassign' })).toEqual({
      ok: true,
      status: 'PARTS_STAGED',
    });
    expect(decide(state('ON_SITE'), { kind: 'reassign' })).toMatchObject({ ok: false });
  });

  it('restages until the part is collected, back to PLANNED', () => {
    for (const s of ['PLANNED', 'PARTS_IN_TRANSIT', 'PARTS_STAGED'] as const)
      expect(decide(state(s), { kind: 'restage' })).toEqual({ ok: true, status: 'PLANNED' });
    for (const s of ['PREDICTED', 'TECHNICIAN_EN_ROUTE', 'ON_SITE', 'COMPLETED'] as const)
      expect(decide(state(s), { kind: 'restage' }).ok).toBe(false);
  });

  it('lists the actions of each status', () => {
    expect(allowedActions(state('PREDICTED', { accepted: false }))).toEqual(['accept', 'cancel']);
    expect(allowedActions(state('PLANNED', { accepted: false }))).toEqual([
      'accept',
      'reassign',
      'restage',
      'cancel',
    ]);
    expect(allowedActions(state('ON_SITE'))).toEqual(['cancel']);
    expect(allowedActions(state('COMPLETED'))).toEqual([]);
    expect(FIELD_STATUSES.every((s) => nextStatus(state(s === 'COMPLETED' ? 'ON_SITE' : s)) !== null)).toBe(
      true,
    );
  });

  it('throws DISPATCH_ILLEGAL_TRANSITION with the reason', () => {
    try {
      assertAllowed(state('CANCELLED'), { kind: 'reassign' }, 'order #7');
      expect.unreachable();
    } catch (err) {
      expect(isAppError(err) && err.code).toBe('DISPATCH_ILLEGAL_TRANSITION');
      expect((err as Error).message).toBe('order #7: the order is already cancelled');
    }
  });
});
