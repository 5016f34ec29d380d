// notify's side effects, each behind a small port (real adapters in adapters/).
import type { NotifyChannel } from './core/kinds.ts';
import type { NotificationPayload, OrderFacts } from './core/message.ts';

export interface OrderFactsReader {
  get(orderId: string): Promise<OrderFacts | null>;
}

export interface EmailPort {
  readonly enabled: boolean;
  send(m: { to: string; subject: string; text: string; deliveryId: string }): Promise<void>;
}

export interface WebhookPort {
  /** POSTs the body; throws (with a short reason) unless the receiver answers 2xx. */
  post(url: string, headers: Record<string, string>, body: string): Promise<void>;
}

/** A delivery the worker has claimed, with what it needs to send it. */
export interface ClaimedDelivery {
  id: string;
  attempts: number;
  kind: string;
  tenantId: string;
  payload: NotificationPayload;
  channel: NotifyChannel;
  target: string;
  secret: string | null;
  subscriber: { role: string; tenantId: string | null; disabled: boolean };
}
