// Turns the bus's order events into deliveries in the outbox: order.planned, order.eta-changed, order.en-route and
// order.closed (COMPLETED). For each, the order's facts are read once and every subscription the event reaches
// (core/matching.ts) gets one row. The outbox row is written after the order's own transaction committed; a crash
// between the two loses that notification (the bus is in-process) — once written, it is delivered (ADR).
import type { Clock } from '../common/clock.ts';
import type { PlatformBus } from '../common/events.ts';
import type { Logger } from '../common/logger.ts';
import { occurrenceKey, type NotifyEvent, type OrderOccurrence } from './core/kinds.ts';
import { matches } from './core/matching.ts';
import { notificationPayload } from './core/message.ts';
import type { PrismaOutbox } from './adapters/outbox-store.ts';
import type { PrismaSubscriptions } from './adapters/subscription-store.ts';
import type { OrderFactsReader } from './ports.ts';

export interface OrderEventsOptions {
  bus: PlatformBus;
  facts: OrderFactsReader;
  subscriptions: PrismaSubscriptions;
  outbox: PrismaOutbox;
  clock: Clock;
  log: Logger;
  /** Called when rows were added (the worker sends them now instead of at its next poll). */
  onEnqueued: () => void;
  /** Without SMTP, e-mail subscriptions (made while it was configured) get no rows. */
  emailEnabled: boolean;
}

export function listenForOrderEvents(o: OrderEventsOptions): () => void {
  const handle = async (kind: NotifyEvent, orderId: string, at: Date, etaAt?: Date): Promise<void> => {
    const facts = await o.facts.get(orderId);
    if (!facts) return;
    const f = etaAt ? { ...facts, etaAt } : facts;
    const occurrence: OrderOccurrence = {
      kind,
      orderId,
      tenantId: f.tenantId,
      assetId: f.assetId,
      at,
      discriminator:
        kind === 'order.completed'
          ? ''
          : kind === 'order.en_route'
            ? at.toISOString()
            : (f.etaAt?.toISOString() ?? ''),
    };
    const reached = (await o.subscriptions.candidates(kind, f.tenantId)).filter(
      (s) => (o.emailEnabled || s.channel !== 'EMAIL') && matches(s, s.subscriber, occurrence),
    );
    if (reached.length === 0) return;
    const payload = notificationPayload(kind, at, f);
    const added = await o.outbox.enqueue(
      reached.map((s) => ({
        subscriptionId: s.id,
        eventKey: occurrenceKey(occurrence),
        kind,
        orderId,
        tenantId: f.tenantId,
        payload,
      })),
      o.clock.now(),
    );
    o.log.debug({ kind, order: orderId, subscriptions: reached.length, added }, 'notifications queued');
    if (added > 0) o.onEnqueued();
  };
  const offs = [
    o.bus.on('order.planned', (e) => handle('order.planned', e.orderId, o.clock.now())),
    o.bus.on('order.eta-changed', (e) => handle('order.eta_changed', e.orderId, o.clock.now(), e.etaAt)),
    o.bus.on('order.en-route', (e) => handle('order.en_route', e.orderId, e.at)),
    o.bus.on('order.closed', (e) =>
      e.status === 'COMPLETED' ? handle('order.completed', e.orderId, e.at) : undefined,
    ),
  ];
  return () => offs.forEach((off) => off());
}
