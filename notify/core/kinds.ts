// The order events a user may subscribe to, and what a subscription and a subscriber look like to the core.

export const NOTIFY_EVENTS = [
  'order.planned',
  'order.eta_changed',
  'order.en_route',
  'order.completed',
] as const;
export type NotifyEvent = (typeof NOTIFY_EVENTS)[number];

export const NOTIFY_CHANNELS = ['EMAIL', 'WEBHOOK'] as const;
export type NotifyChannel = (typeof NOTIFY_CHANNELS)[number];

export const EVENT_LABEL: Record<NotifyEvent, string> = {
  'order.planned': 'planned',
  'order.eta_changed': 'ETA changed',
  'order.en_route': 'technician on the way',
  'order.completed': 'completed',
};

/** An order event as notify sees it: what happened to which order of which tenant and asset. */
export interface OrderOccurrence {
  kind: NotifyEvent;
  orderId: string;
  tenantId: string;
  assetId: string;
  /** When it happened (the platform's clock). */
  at: Date;
  /** What tells two occurrences of one kind on one order apart (the new ETA; empty when it happens once). */
  discriminator: string;
}

export interface Subscriber {
  role: string;
  tenantId: string | null;
  disabled: boolean;
}

export interface SubscriptionScope {
  events: string[];
  /** null: every tenant the subscriber may see (staff only). */
  tenantId: string | null;
  /** null: every asset in scope. */
  assetId: string | null;
}

/** The key that makes a delivery unique per subscription: at most one row per occurrence. */
export const occurrenceKey = (o: OrderOccurrence) => `${o.kind}:${o.orderId}:${o.discriminator}`;
