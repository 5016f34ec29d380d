import { describe, expect, it } from 'vitest';
import { canSeeTenant, isStaff, tenantScope, type Principal } from './access.ts';
import { hashPassword, verifyPassword } from '../password.ts';

const customer: Principal = { sub: 'u1', email: 'c@x', role: 'CUSTOMER', tenantId: 't1' };
const dispatcher: Principal = { sub: 'u2', email: 'd@x', role: 'DISPATCHER', tenantId: null };

describe('access', () => {
  it('limits a customer to their own tenant', () => {
    expect(canSeeTenant(customer, 't1')).toBe(true);
    expect(canSeeTenant(customer, 't2')).toBe(false);
    expect(tenantScope(customer)).toBe('t1');
  });
  it('lets staff see every tenant', () => {
    expect(canSeeTenant(dispatcher, 't2')).toBe(true);
    expect(tenantScope(dispatcher)).toBeUndefined();
  });
  it('gives a technician no tenant at all: he is no staff', () => {
    const tech: Principal = { sub: 'u3', email: 't@x', role: 'TECHNICIAN', tenantId: null };
    expect(isStaff(tech)).toBe(false);
    expect(canSeeTenant(tech, 't1')).toBe(false);
    expect(tenantScope(tech)).not.toBeUndefined();
  });
  it('never scopes a customer without a tenant to everything', () => {
    expect(tenantScope({ ...customer, tenantId: null })).not.toBeUndefined();
  });
});

describe('password', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const h = await hashPassword('s3cret!');
    expect(h).not.toContain('s3cret');
    expect(await verifyPassword('s3cret!', h)).toBe(true);
    expect(await verifyPassword('s3cret?', h)).toBe(false);
    expect(await verifyPassword('x', 'garbage')).toBe(false);
  });
});
