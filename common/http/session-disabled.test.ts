import { describe, expect, it } from 'vitest';
import { checkSession } from './session.ts';

describe('a disabled account', () => {
  it('has every token refused while disabled, whatever its version', () => {
    const claims = { sub: 'u', email: 'u@x', role: 'CUSTOMER' as const, tenantId: 't', ver: 3 };
    const account = { tokenVersion: 3, role: 'CUSTOMER' as const, tenantId: 't' };
    expect(checkSession(claims, account, new Date())).toEqual({ ok: true });
    expect(checkSession(claims, { ...account, disabled: false }, new Date())).toEqual({ ok: true });
    expect(checkSession(claims, { ...account, disabled: true }, new Date())).toEqual({
      ok: false,
      code: 'AUTH_TOKEN_REVOKED',
      reason: 'the account is disabled',
    });
  });
});
