// Administration of user accounts (issue 17): the rules for creating an account and changing its role, which
// changes an administrator may not make to their own account, and what the audit log records of an account
// (a snapshot without any credential). Pure.
import type { Role } from '../../common/http/access.ts';

export const ROLES: readonly Role[] = ['ADMIN', 'DISPATCHER', 'ENGINEER', 'CUSTOMER', 'TECHNICIAN'];

/** An account as the audit log records it: never a password or its hash. */
export interface AccountSnapshot {
  email: string;
  name: string;
  role: Role;
  tenantId: string | null;
  /** A TECHNICIAN account's technician (its code). */
  technician: string | null;
  disabled: boolean;
}

export type AuditAction = 'user.create' | 'user.disable' | 'user.enable' | 'user.password' | 'user.role';

export interface AuditEntry {
  action: AuditAction;
  actorId: string;
  actor: string;
  targetId: string;
  target: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

export const snapshot = (u: {
  email: string;
  name: string;
  role: Role;
  tenantId: string | null;
  technician?: { code: string } | null;
  disabledAt: Date | null;
}): AccountSnapshot => ({
  email: u.email,
  name: u.name,
  role: u.role,
  tenantId: u.tenantId,
  technician: u.technician?.code ?? null,
  disabled: u.disabledAt !== null,
});

export type Refusal = { code: 'ADMIN_INVALID_ACCOUNT' | 'ADMIN_OWN_ACCOUNT'; message: string };

/** A customer belongs to a tenant; staff and technicians to none; a technician account is one technician's. */
export function roleTenantProblem(
  role: Role,
  tenantId: string | null,
  technician: string | null = null,
): Refusal | undefined {
  if (role === 'TECHNICIAN' && !technician)
    return { code: 'ADMIN_INVALID_ACCOUNT', message: 'a TECHNICIAN account needs a technician (its code)' };
  if (role !== 'TECHNICIAN' && technician)
    return { code: 'ADMIN_INVALID_ACCOUNT', message: `only a TECHNICIAN account links to a technician` };
  if (role === 'CUSTOMER' && !tenantId)
    return { code: 'ADMIN_INVALID_ACCOUNT', message: 'a CUSTOMER account needs a tenantId' };
  if (role !== 'CUSTOMER' && tenantId)
    return {
      code: 'ADMIN_INVALID_ACCOUNT',
      message: `a ${role} account belongs to no tenant (tenantId null)`,
    };
  return undefined;
}

/** An administrator may not lock themselves out: no disabling or demoting their own account. */
export function ownAccountProblem(
  actorId: string,
  targetId: string,
  change: 'disable' | 'role',
  newRole?: Role,
): Refusal | undefined {
  if (actorId !== targetId) return undefined;
  if (change === 'disable')
    return { code: 'ADMIN_OWN_ACCOUNT', message: 'you cannot disable your own account' };
  if (newRole !== 'ADMIN')
    return { code: 'ADMIN_OWN_ACCOUNT', message: 'you cannot demote your own account' };
  return undefined;
}

/** Only what changed, before and after (the audit log's before/after of a change). */
export function changed(
  before: AccountSnapshot,
  after: AccountSnapshot,
): { before: Record<string, unknown>; after: Record<string, unknown> } {
  const b: Record<string, unknown> = {};
  const a: Record<string, unknown> = {};
  for (const k of Object.keys(after) as (keyof AccountSnapshot)[])
    if (before[k] !== after[k]) {
      b[k] = before[k];
      a[k] = after[k];
    }
  return { before: b, after: a };
}
