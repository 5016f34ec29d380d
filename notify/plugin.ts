// Notifications as a fastify plugin (docs/adr/0012-notifications-outbox.md): order events from the bus become rows in
// the delivery outbox (order-events.ts), a worker sends them by e-mail or signed webhook (outbox-worker.ts), and
// users manage their subscriptions and read the delivery log over HTTP (routes/subscription-routes.ts).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { PlatformDeps } from '../common/deps.ts';
import { PrismaOrderFacts } from './adapters/order-facts.ts';
import { PrismaOutbox } from './adapters/outbox-store.ts';
import { redactSmtpUrl, SmtpEmail } from './adapters/email-sender.ts';
import { PrismaSubscriptions } from './adapters/subscription-store.ts';
import { HttpWebhook } from './adapters/webhook-sender.ts';
import { listenForOrderEvents } from './order-events.ts';
import { OutboxWorker } from './outbox-worker.ts';
import { subscriptionRoutes } from './routes/subscription-routes.ts';

export const notifyPlugin: FastifyPluginAsyncTypebox<{ deps: PlatformDeps }> = async (app, { deps }) => {
  const { config } = deps;
  const log = deps.log.child({ module: 'notify' });
  const outbox = new PrismaOutbox(deps.db);
  const subscriptions = new PrismaSubscriptions(deps.db);
  const email = new SmtpEmail({ smtpUrl: config.notifySmtpUrl, from: config.notifyMailFrom });
  const worker = new OutboxWorker({
    outbox,
    email,
    webhook: new HttpWebhook({ allowPrivate: config.notifyWebhookAllowPrivate }),
    clock: deps.clock,
    log,
    retry: {
      maxAttempts: config.notifyMaxAttempts,
      baseMs: config.notifyRetryBaseMs,
      maxDelayMs: config.notifyRetryMaxMs,
    },
    pollMs: config.notifyPollMs,
  });
  const off = listenForOrderEvents({
    bus: deps.bus,
    facts: new PrismaOrderFacts(deps.db),
    subscriptions,
    outbox,
    clock: deps.clock,
    log,
    onEnqueued: () => void worker.kick(),
    emailEnabled: email.enabled,
  });
  deps.health.register('notifications', () => ({
    status: 'up',
    detail: {
      email: config.notifySmtpUrl ? redactSmtpUrl(config.notifySmtpUrl) : 'off',
      sent: worker.sent,
      failed: worker.failed,
    },
  }));
  if (config.notifyWebhookAllowPrivate)
    log.warn('NOTIFY_WEBHOOK_ALLOW_PRIVATE=true: webhooks may call loopback and private addresses');
  app.addHook('onReady', async () => worker.start());
  app.addHook('onClose', async () => {
    off();
    await worker.stop();
    email.close();
  });
  await app.register(subscriptionRoutes, {
    subscriptions,
    outbox,
    emailEnabled: email.enabled,
    allowPrivate: config.notifyWebhookAllowPrivate,
    tenantExists: async (id) => (await deps.db.tenant.count({ where: { id } })) > 0,
  });
};
