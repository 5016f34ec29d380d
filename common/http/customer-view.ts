// What a customer may see of their own service orders: the job, its technician, part, ETA and on-time verdict,
// and its status as told to customers (`customerStatus`); not who on the dispatch desk handled it (e-mail
// addresses), their free-text notes, or the desk's workflow (the actions open to a dispatcher, the next field
// status, the planner's reasoning behind a verdict, the escalation flag, a cancel's snooze). Pure; used by the
// HTTP routes and the live relay, so both give a customer the same view.
import type { LiveOrder } from '../contracts/live.ts';
import { isStaff, type Principal } from './access.ts';

export function orderForCustomer(o: LiveOrder): LiveOrder {
  return {
    ...o,
    acceptedBy: null,
    actions: [],
    nextStatus: null,
    verdictReason: null,
    escalated: false,
    snoozeUntil: null,
  };
}

export interface OrderHistoryEntry {
  at: string;
  status: string;
  action: string;
  actor: string;
  note: string | null;
}

/**
 * A person (an e-mail address) becomes their role on the desk, and the prediction model that opened the order
 * (`model <version id>`) becomes "prediction": customers see orders without the model. The platform's other
 * actors (planner, carrier, …) stay.
 */
export function actorForCustomer(actor: string): string {
  if (actor.includes('@')) return 'dispatcher';
  if (actor === 'model' || actor.startsWith('model ')) return 'prediction';
  return actor;
}

export function historyForCustomer(e: OrderHistoryEntry): OrderHistoryEntry {
  return { ...e, actor: actorForCustomer(e.actor), note: null };
}

export const orderFor = (viewer: Principal, o: LiveOrder): LiveOrder =>
  isStaff(viewer) ? o : orderForCustomer(o);

export const historyFor = (viewer: Principal, h: OrderHistoryEntry[]): OrderHistoryEntry[] =>
  isStaff(viewer) ? h : h.map(historyForCustomer);
