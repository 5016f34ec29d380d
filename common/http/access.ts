// Who may see what: customers see their own tenant; admins, dispatchers and engineers see all tenants; a
// technician is no staff and sees no tenant: only his own jobs, through /api/me/jobs (dispatch/routes/technician-routes.ts).
export const ROLES = ['ADMIN', 'DISPATCHER', 'ENGINEER', 'CUSTOMER', 'TECHNICIAN'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  sub: string;
  email: string;
  role: Role;
  tenantId: string | null;
}

export const STAFF_ROLES: readonly Role[] = ['ADMIN', 'DISPATCHER', 'ENGINEER'];

export const isStaff = (p: Principal) => STAFF_ROLES.includes(p.role);

export function canSeeTenant(p: Principal, tenantId: string): boolean {
  return isStaff(p) || p.tenantId === tenantId;
}

/** No tenant has this id (ids are UUIDs): the scope of an account without a tenant. Not a NUL, which PostgreSQL refuses. */
const NO_TENANT = 'no-tenant';

/** A filter for queries: undefined means every tenant. */
export function tenantScope(p: Principal): string | undefined {
  return isStaff(p) ? undefined : (p.tenantId ?? NO_TENANT);
}
