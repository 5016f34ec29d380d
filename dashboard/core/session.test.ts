import { describe, expect, it } from 'vitest';
import { orderForCustomer, historyFor } from './customer-view.ts';
import { admit, freshFloodState, refusal, type FloodPolicy } from './flood-guard.ts';
import { checkSession, msUntilExpiry, type TokenClaims } from './session.ts';
import { take } from './token-bucket.ts';
import type { LiveOrder } from '../../common/contracts/live.ts';

const now = new Date('2026-12-03T08:00:00Z');
const claims: TokenClaims = {
  sub: 'u1',
  email: 'd@x',
  role: 'DISPATCHER',
  tenantId: null,
  ver: 3,
  exp: now.getTime() / 1000 + 60,
};
const account = { tokenVersion: 3, role: 'DISPATCHER' as const, tenantId: null };

describe('session', () => {
  it('lets a current token through', () => {
    expect(checkSession(claims, account, now)).toEqual({ ok: true });
  });
  it('refuses a token of a deleted account, an older version, a changed role or tenant, or past its expiry', () => {
    expect(checkSession(claims, undefined, now)).toMatchObject({ ok: false, code: 'AUTH_TOKEN_REVOKED' });
    expect(checkSession(claims, { ...account, tokenVersion: 4 }, now)).toMatchObject({
      code: 'AUTH_TOKEN_REVOKED',
    });
    expect(checkSession(claims, { ...account, role: 'ADMIN' }, now)).toMatchObject({
      code: 'AUTH_TOKEN_REVOKED',
    });
    expect(checkSession(claims, { ...account, tenantId: 't1' }, now)).toMatchObject({
      code: 'AUTH_TOKEN_REVOKED',
    });
    expect(checkSession({ ...claims, ver: undefined as never }, account, now)).toMatchObject({ ok: false });
    expect(checkSession(claims, account, new Date(now.getTime() + 60_000))).toMatchObject({
      code: 'AUTH_TOKEN_EXPIRED',
    });
  });
  it('counts down to expiry', () => {
    expect(msUntilExpiry(claims, now)).toBe(60_000);
    expect(msUntilExpiry(claims, new Date(now.getTime() + 120_000))).toBe(0);
    expect(msUntilExpiry({ ...claims, exp: undefined }, now)).toBe(Infinity);
  });
});

describe('flood guard', () => {
  const p: FloodPolicy = { bucket: { capacity: 3, perSecond: 1 }, windowMs: 10_000, disconnectAfter: 5 };
  it('allows a burst, refills over time, logs the first refusal of a window only and closes a flooder', () => {
    let s = freshFloodState(p, 0);
    const run = (t: number) => {
      const d = admit(p, s, t);
      s = d.state;
      return d;
    };
    expect([run(0), run(0), run(0)].map((d) => d.allow)).toEqual([true, true, true]);
    const limited = [run(0), run(0), run(0), run(0)];
    expect(limited.map((d) => [d.allow, d.logLimited, d.disconnect])).toEqual([
      [false, true, false],
      [false, false, false],
      [false, false, false],
      [false, false, false],
    ]);
    expect(run(1_000).allow).toBe(true); // one token refilled
    expect(run(1_000).disconnect).toBe(true); // the fifth refusal of the window
    // a new window reports the last one's counts once
    expect(run(20_000)).toMatchObject({ allow: true, summary: { limited: 5, refused: 0 } });
    const r1 = refusal(p, s, 20_001);
    const r2 = refusal(p, r1.state, 20_002);
    expect([r1.log, r2.log]).toEqual([true, false]);
  });
  it('never holds more than its capacity', () => {
    expect(take({ capacity: 2, perSecond: 100 }, { tokens: 0, at: 0 }, 60_000).bucket.tokens).toBe(1);
  });
});

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
