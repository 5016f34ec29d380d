import { describe, expect, it } from 'vitest';
import { changed, ownAccountProblem, roleTenantProblem, snapshot } from './user-admin.ts';

describe('user administration rules', () => {
  it('a customer needs a tenant, staff have none', () => {
    expect(roleTenantProblem('CUSTOMER', null)?.code).toBe('ADMIN_INVALID_ACCOUNT');
    expect(roleTenantProblem('DISPATCHER', 't1')?.code).toBe('ADMIN_INVALID_ACCOUNT');
    expect(roleTenantProblem('CUSTOMER', 't1')).toBeUndefined();
    expect(roleTenantProblem('ADMIN', null)).toBeUndefined();
  });

  it("a technician account is one technician's, in no tenant", () => {
    expect(roleTenantProblem('TECHNICIAN', null)?.code).toBe('ADMIN_INVALID_ACCOUNT');
    expect(roleTenantProblem('TECHNICIAN', 't1', 'T-01')?.code).toBe('ADMIN_INVALID_ACCOUNT');
    expect(roleTenantProblem('DISPATCHER', null, 'T-01')?.code).toBe('ADMIN_INVALID_ACCOUNT');
    expect(roleTenantProblem('TECHNICIAN', null, 'T-01')).toBeUndefined();
  });

  it('an administrator cannot disable or demote themselves', () => {
    expect(ownAccountProblem('a', 'a', 'disable')?.code).toBe('ADMIN_OWN_ACCOUNT');
    expect(ownAccountProblem('a', 'a', 'role', 'ENGINEER')?.code).toBe('ADMIN_OWN_ACCOUNT');
    expect(ownAccountProblem('a', 'a', 'role', 'ADMIN')).toBeUndefined();
    expect(ownAccountProblem('a', 'b', 'disable')).toBeUndefined();
  });

  it('records only what changed, and no credentials', () => {
    const u = { email: 'x@y', name: 'X', role: 'ENGINEER' as const, tenantId: null, disabledAt: null };
    const s = snapshot({ ...u, passwordHash: 'scrypt$secret' } as typeof u);
    expect(JSON.stringify(s)).not.toContain('scrypt');
    expect(changed(s, { ...s, role: 'DISPATCHER' })).toEqual({
      before: { role: 'ENGINEER' },
      after: { role: 'DISPATCHER' },
    });
  });
});
