// The service-order state machine: which status follows which in the field, and what a dispatcher may do to an
// order in each status. Routes and adapters ask here; an illegal step is DISPATCH_ILLEGAL_TRANSITION (HTTP 409).
//
//   PREDICTED ─planner→ PLANNED ─(accepted)→ [PARTS_IN_TRANSIT →] PARTS_STAGED → TECHNICIAN_EN_ROUTE → ON_SITE
//   → COMPLETED; any open status → CANCELLED. Reassigning an en-route job puts it back to PARTS_STAGED (the new
//   technician has not left); changing the staging location puts it back to PLANNED (the part must move again).
import { AppError } from '../../common/errors.ts';

export const ORDER_STATUSES = [
  'PREDICTED',
  'PLANNED',
  'PARTS_IN_TRANSIT',
  'PARTS_STAGED',
  'TECHNICIAN_EN_ROUTE',
  'ON_SITE',
  'COMPLETED',
  'CANCELLED',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Statuses the field reports through POST /api/orders/:id/status. */
export const FIELD_STATUSES = [
  'PARTS_IN_TRANSIT',
  'PARTS_STAGED',
  'TECHNICIAN_EN_ROUTE',
  'ON_SITE',
  'COMPLETED',
] as const;
export type FieldStatus = (typeof FIELD_STATUSES)[number];

export const DISPATCHER_ACTIONS = ['accept', 'reassign', 'restage', 'cancel'] as const;
export type DispatcherAction = (typeof DISPATCHER_ACTIONS)[number];

export type OrderCommand = { kind: DispatcherAction } | { kind: 'advance'; to: FieldStatus };

export interface OrderState {
  status: OrderStatus;
  /** A dispatcher has accepted the job. */
  accepted: boolean;
  /** Predict reports that the risk has gone (the dispatcher decides: keep or cancel). */
  riskCleared: boolean;
  /** The part ships from its source to a different staging location. */
  shipping: boolean;
}

export type Decision = { ok: true; status: OrderStatus } | { ok: false; reason: string };

const CLOSED: readonly OrderStatus[] = ['COMPLETED', 'CANCELLED'];
const REASSIGNABLE: readonly OrderStatus[] = [
  'PLANNED',
  'PARTS_IN_TRANSIT',
  'PARTS_STAGED',
  'TECHNICIAN_EN_ROUTE',
];
const RESTAGEABLE: readonly OrderStatus[] = ['PLANNED', 'PARTS_IN_TRANSIT', 'PARTS_STAGED'];

export const isClosed = (s: OrderStatus) => CLOSED.includes(s);
/** Whether the plan's staging may still change: its technician has not set off. */
export const isRestageable = (s: OrderStatus) => RESTAGEABLE.includes(s);

const FOLLOWS: Partial<Record<OrderStatus, FieldStatus>> = {
  PARTS_IN_TRANSIT: 'PARTS_STAGED',
  PARTS_STAGED: 'TECHNICIAN_EN_ROUTE',
  TECHNICIAN_EN_ROUTE: 'ON_SITE',
  ON_SITE: 'COMPLETED',
};

/** The next field status, or why there is none. */
function next(s: OrderState): FieldStatus | { reason: string } {
  if (isClosed(s.status)) return { reason: `the order is ${s.status.toLowerCase()}` };
  if (s.status === 'PREDICTED') return { reason: 'the order has no plan yet' };
  if (s.status === 'PLANNED') {
    if (!s.accepted) return { reason: 'a dispatcher must accept the job first' };
    return s.shipping ? 'PARTS_IN_TRANSIT' : 'PARTS_STAGED';
  }
  return FOLLOWS[s.status] ?? { reason: `nothing follows ${s.status}` };
}

export function decide(s: OrderState, c: OrderCommand): Decision {
  if (isClosed(s.status)) return { ok: false, reason: `the order is already ${s.status.toLowerCase()}` };
  switch (c.kind) {
    case 'accept':
      return !s.accepted || s.riskCleared
        ? { ok: true, status: s.status }
        : { ok: false, reason: 'the job is already accepted' };
    case 'cancel':
      return { ok: true, status: 'CANCELLED' };
    case 'reassign':
      if (s.status === 'PREDICTED')
        return { ok: false, reason: 'the order has no plan yet: the planner assigns its technician' };
      if (!REASSIGNABLE.includes(s.status)) return { ok: false, reason: 'the technician is already on site' };
      return { ok: true, status: s.status === 'TECHNICIAN_EN_ROUTE' ? 'PARTS_STAGED' : s.status };
    case 'restage':
      if (s.status === 'PREDICTED')
        return { ok: false, reason: 'the order has no plan yet: the planner stages its part' };
      if (!RESTAGEABLE.includes(s.status))
        return { ok: false, reason: 'the technician has collected the part already' };
      return { ok: true, status: 'PLANNED' };
    case 'advance': {
      const n = next(s);
      if (typeof n !== 'string') return { ok: false, reason: `cannot move to ${c.to}: ${n.reason}` };
      return n === c.to
        ? { ok: true, status: n }
        : { ok: false, reason: `cannot move from ${s.status} to ${c.to} (next is ${n})` };
    }
  }
}

/** The status after the command, or an AppError DISPATCH_ILLEGAL_TRANSITION naming why not. */
export function assertAllowed(s: OrderState, c: OrderCommand, label = 'order'): OrderStatus {
  const d = decide(s, c);
  if (!d.ok) throw new AppError('DISPATCH_ILLEGAL_TRANSITION', `${label}: ${d.reason}`);
  return d.status;
}

/** The next field status the order can take now, if any. */
export function nextStatus(s: OrderState): FieldStatus | null {
  const n = next(s);
  return typeof n === 'string' ? n : null;
}

/** What a dispatcher may do to the order now. */
export function allowedActions(s: OrderState): DispatcherAction[] {
  return DISPATCHER_ACTIONS.filter((kind) => decide(s, { kind }).ok);
}
