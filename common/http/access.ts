// Who may see what: customers see their own tenant; admins, dispatchers and engineers see all tenants.
export type Role = 'ADMIN' | 'DISPATCHER' | 'ENGINEER' | 'CUSTOMER';

export interface Principal {
  sub: string;
  email: string;
  role: Role;
  tenantId: string | null;
}

export const isStaff = (p: Principal) => p.role !== 'CUSTOMER';

export function canSeeTenant(p: Principal, tenantId: string): boolean {
  return isStaff(p) || p.tenantId === tenantId;
}

/** A filter for queries: undefined means every tenant. */
export function tenantScope(p: Principal): string | undefined {
  return isStaff(p) ? undefined : (p.tenantId ?? '\u0000none');
}
