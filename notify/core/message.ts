// What a notification says: the order, its asset, the event, the ETA with its date, the technician — of the
// subscriber's own order only (a delivery is made per matching subscription, from that order's facts alone).
import { EVENT_LABEL, type NotifyEvent } from './kinds.ts';

/** The order as notify reads it (adapters/order-facts.ts). */
export interface OrderFacts {
  id: string;
  number: number;
  tenantId: string;
  assetId: string;
  assetName: string;
  siteName: string;
  failureMode: string;
  status: string;
  etaAt: Date | null;
  technician: string | null;
}

export interface NotificationPayload {
  event: NotifyEvent;
  occurredAt: string;
  order: {
    id: string;
    number: number;
    status: string;
    asset: { id: string; name: string; site: string };
    failureMode: string;
    etaAt: string | null;
    /** The ETA as people read it, always with its date (UTC). */
    eta: string | null;
    technician: string | null;
  };
}

/** "Thu 3 Dec 2026, 16:40 UTC". */
export function etaText(at: Date): string {
  const d = at.toLocaleDateString('en-GB', {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  });
  const t = at.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'UTC' });
  return `${d.replace(/,/g, '')}, ${t} UTC`;
}

export function notificationPayload(kind: NotifyEvent, at: Date, o: OrderFacts): NotificationPayload {
  return {
    event: kind,
    occurredAt: at.toISOString(),
    order: {
      id: o.id,
      number: o.number,
      status: o.status,
      asset: { id: o.assetId, name: o.assetName, site: o.siteName },
      failureMode: o.failureMode,
      etaAt: o.etaAt?.toISOString() ?? null,
      eta: o.etaAt ? etaText(o.etaAt) : null,
      technician: o.technician,
    },
  };
}

export function emailSubject(p: NotificationPayload): string {
  return `Order #${p.order.number} ${EVENT_LABEL[p.event]}: ${p.order.asset.name}`;
}

export function emailText(p: NotificationPayload): string {
  const o = p.order;
  const line: Record<NotifyEvent, string> = {
    'order.planned': `Service order #${o.number} for ${o.asset.name} is planned.`,
    'order.eta_changed': `The arrival time of service order #${o.number} for ${o.asset.name} has changed.`,
    'order.en_route': `The technician is on the way to ${o.asset.name} (order #${o.number}).`,
    'order.completed': `Service order #${o.number} for ${o.asset.name} is completed.`,
  };
  return [
    line[p.event],
    '',
    `Asset: ${o.asset.name} (${o.asset.site})`,
    `Failure mode: ${o.failureMode}`,
    `Status: ${o.status}`,
    ...(o.eta && p.event !== 'order.completed' ? [`Technician expected: ${o.eta}`] : []),
    ...(o.technician ? [`Technician: ${o.technician}`] : []),
    `Order id: ${o.id}`,
    '',
    'You receive this because you subscribed to these notifications in Preempt (Notifications).',
  ].join('\n');
}
