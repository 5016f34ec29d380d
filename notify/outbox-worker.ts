// Sends what the outbox holds: claims due rows (FOR UPDATE SKIP LOCKED, under a lease), sends each by e-mail or
// signed webhook, and marks it sent, or reschedules it with back-off and jitter, or — after the last attempt —
// failed. Polls every NOTIFY_POLL_MS and whenever new rows were queued. At-least-once: a crash after sending and
// before marking sends it again once the lease has run out; webhooks carry the delivery id to de-duplicate on.
import type { Clock } from '../common/clock.ts';
import type { Logger } from '../common/logger.ts';
import { afterFailure, type RetryPolicy } from './core/backoff.ts';
import { subscriberSeesTenant } from './core/matching.ts';
import { emailSubject, emailText } from './core/message.ts';
import {
  DELIVERY_HEADER,
  EVENT_HEADER,
  SIGNATURE_HEADER,
  signWebhook,
  TIMESTAMP_HEADER,
} from './core/signature.ts';
import type { PrismaOutbox } from './adapters/outbox-store.ts';
import type { ClaimedDelivery, EmailPort, WebhookPort } from './ports.ts';

export interface OutboxWorkerOptions {
  outbox: PrismaOutbox;
  email: EmailPort;
  webhook: WebhookPort;
  clock: Clock;
  log: Logger;
  retry: RetryPolicy;
  pollMs: number;
  leaseMs?: number;
  batch?: number;
  random?: () => number;
}

const short = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 300);

export class OutboxWorker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  sent = 0;
  failed = 0;

  constructor(private readonly o: OutboxWorkerOptions) {}

  start(): void {
    this.timer = setInterval(() => this.kick(), this.o.pollMs);
    this.timer.unref();
    this.kick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }

  /** Sends everything due now (again after the current pass, if one is running). */
  kick(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.drain()
      .catch((err: unknown) => this.o.log.warn({ err }, 'notification pass failed; the next poll retries'))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          void this.kick();
        }
      });
    return this.running;
  }

  private async drain(): Promise<void> {
    for (;;) {
      if (this.stopped) return;
      const batch = await this.o.outbox.claim(
        this.o.clock.now(),
        this.o.leaseMs ?? 60_000,
        this.o.batch ?? 50,
      );
      if (batch.length === 0) return;
      const done = await Promise.all(batch.map((d) => this.deliver(d)));
      const sent = batch.filter((_, i) => done[i]).map((d) => d.id);
      await this.o.outbox.sent(sent, this.o.clock.now());
      this.sent += sent.length;
    }
  }

  /** Sends one; true when it went out (marked with its batch), false when rescheduled or failed. */
  private async deliver(d: ClaimedDelivery): Promise<boolean> {
    const { outbox, clock, log } = this.o;
    if (!subscriberSeesTenant(d.subscriber, d.tenantId)) {
      await outbox.failed(d.id, 'the subscriber may no longer see this order');
      return false;
    }
    try {
      await this.send(d);
      return true;
    } catch (err) {
      const reason = short(err);
      const next = afterFailure(d.attempts, clock.now(), this.o.retry, this.o.random ?? Math.random);
      if (next.status === 'FAILED') {
        this.failed++;
        await outbox.failed(d.id, reason);
        log.warn(
          { delivery: d.id, channel: d.channel, attempts: d.attempts, reason },
          'notification given up',
        );
      } else {
        await outbox.retryAt(d.id, next.nextAttemptAt, reason);
        log.info(
          { delivery: d.id, channel: d.channel, attempts: d.attempts, reason, next: next.nextAttemptAt },
          'notification failed; retrying',
        );
      }
      return false;
    }
  }

  private async send(d: ClaimedDelivery): Promise<void> {
    if (d.channel === 'EMAIL') {
      await this.o.email.send({
        to: d.target,
        subject: emailSubject(d.payload),
        text: emailText(d.payload),
        deliveryId: d.id,
      });
      return;
    }
    if (!d.secret) throw new Error('the webhook has no secret');
    const body = JSON.stringify({ id: d.id, ...d.payload });
    const ts = Math.floor(this.o.clock.now().getTime() / 1000);
    await this.o.webhook.post(
      d.target,
      {
        'user-agent': 'Preempt-Webhook/1',
        [DELIVERY_HEADER]: d.id,
        [EVENT_HEADER]: d.payload.event,
        [TIMESTAMP_HEADER]: String(ts),
        [SIGNATURE_HEADER]: signWebhook(d.secret, ts, body),
      },
      body,
    );
  }
}
