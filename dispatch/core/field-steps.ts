// Who may report which field step. The technician's own steps — en route, on site, complete — are his alone:
// a dispatcher cannot click them on his behalf, an administrator may override with a reason (recorded in the
// order's timeline). The part's own movements (in transit, staged) stay with the desk and the carriers.
import { AppError } from '../../common/errors.ts';
import type { Role } from '../../common/http/access.ts';
import type { FieldStatus, OrderStatus } from './lifecycle.ts';

/** The technician's steps, as the URL names them (POST /api/me/jobs/{id}/<step>). */
export const TECHNICIAN_STEPS = {
  'en-route': 'TECHNICIAN_EN_ROUTE',
  'on-site': 'ON_SITE',
  complete: 'COMPLETED',
} as const satisfies Record<string, FieldStatus>;
export type TechnicianStep = keyof typeof TECHNICIAN_STEPS;

const STEP_OF: Partial<Record<FieldStatus, TechnicianStep>> = {
  TECHNICIAN_EN_ROUTE: 'en-route',
  ON_SITE: 'on-site',
  COMPLETED: 'complete',
};

export const isTechnicianStep = (s: FieldStatus) => STEP_OF[s] !== undefined;

/** The step a technician can take next, given the next field status of the order (lifecycle.nextStatus). */
export const stepOf = (next: FieldStatus | null): TechnicianStep | null =>
  next ? (STEP_OF[next] ?? null) : null;

export type StepPermission = { ok: true; override: string | null } | { ok: false; error: AppError };

/**
 * May this desk user report `to` through POST /api/orders/{id}/status? Part movements: admins and dispatchers.
 * Technician steps: only an administrator, and only with a reason (the override lands in the timeline).
 */
export function deskStepPermission(role: Role, to: FieldStatus, overrideReason?: string): StepPermission {
  if (role !== 'ADMIN' && role !== 'DISPATCHER')
    return { ok: false, error: new AppError('AUTH_FORBIDDEN', 'only the desk reports part movements') };
  if (!isTechnicianStep(to)) return { ok: true, override: null };
  if (role !== 'ADMIN')
    return {
      ok: false,
      error: new AppError(
        'DISPATCH_FIELD_STEP_TECHNICIAN_ONLY',
        `${to} is the technician's step: he reports it from his phone (an administrator may override with a reason)`,
      ),
    };
  const reason = overrideReason?.trim() ?? '';
  if (reason.length < 3)
    return {
      ok: false,
      error: new AppError(
        'VALIDATION_FAILED',
        `${to} is the technician's step: an administrator overriding it must give overrideReason`,
      ),
    };
  return { ok: true, override: reason };
}

/** Why the technician cannot take a step yet (shown on his phone), or null when he can. */
export function waitingFor(status: OrderStatus, accepted: boolean, next: FieldStatus | null): string | null {
  if (stepOf(next)) return null;
  if (status === 'COMPLETED') return null;
  if (status === 'CANCELLED') return 'the job was cancelled';
  if (status === 'PLANNED' && !accepted) return 'a dispatcher has not accepted the job yet';
  // a part taken from the pickup's own shelf moves nowhere: the desk marks it staged (next: PARTS_STAGED)
  if (status === 'PLANNED' && next === 'PARTS_STAGED')
    return 'the part is at the pickup; the desk has not marked it staged yet';
  if (status === 'PLANNED' || status === 'PARTS_IN_TRANSIT') return 'the part is on its way to the pickup';
  return 'the desk';
}
