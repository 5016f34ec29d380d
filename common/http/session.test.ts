import { describe, expect, it } from 'vitest';
import { checkSession, msUntilExpiry, type TokenClaims } from './session.ts';

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
