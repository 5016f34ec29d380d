// Which subscriptions an order event reaches. Checked again at delivery time against the subscriber as they are
// now (a disabled account, or a customer moved to another tenant, gets nothing more).
import type { OrderOccurrence, Subscriber, SubscriptionScope } from './kinds.ts';

/** Roles that may subscribe: a customer (their own tenant) and the desk (every tenant). */
export const SUBSCRIBER_ROLES = ['CUSTOMER', 'DISPATCHER', 'ADMIN'] as const;

/** May this subscriber see orders of this tenant at all? */
export function subscriberSeesTenant(s: Subscriber, tenantId: string): boolean {
  if (s.disabled) return false;
  if (s.role === 'ADMIN' || s.role === 'DISPATCHER') return true;
  return s.role === 'CUSTOMER' && s.tenantId !== null && s.tenantId === tenantId;
}

export function matches(sub: SubscriptionScope, who: Subscriber, e: OrderOccurrence): boolean {
  if (!sub.events.includes(e.kind)) return false;
  if (!subscriberSeesTenant(who, e.tenantId)) return false;
  if (sub.tenantId !== null && sub.tenantId !== e.tenantId) return false;
  if (sub.assetId !== null && sub.assetId !== e.assetId) return false;
  return true;
}
