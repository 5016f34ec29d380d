// Notification subscriptions and their delivery log (issue 17): a customer subscribes to their own tenant's
// orders (optionally one asset), the desk to every tenant's or one; by e-mail to the account's own address or by a
// signed webhook whose secret is shown once. Everyone sees and deletes only their own subscriptions.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { randomBytes } from 'node:crypto';
import { AppError } from '../../common/errors.ts';
import { isStaff } from '../../common/http/access.ts';
import { bearer } from '../../common/http/auth.ts';
import { errorSchema } from '../../common/http/error-handler.ts';
import { NOTIFY_EVENTS } from '../core/kinds.ts';
import { SUBSCRIBER_ROLES } from '../core/matching.ts';
import { checkWebhookUrl, MAX_URL_LENGTH } from '../core/target.ts';
import type { PrismaOutbox } from '../adapters/outbox-store.ts';
import type { PrismaSubscriptions, SubscriptionRow } from '../adapters/subscription-store.ts';

export const MAX_SUBSCRIPTIONS_PER_USER = 20;

const N = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const EventKind = Type.Union([
  Type.Literal('order.planned'),
  Type.Literal('order.eta_changed'),
  Type.Literal('order.en_route'),
  Type.Literal('order.completed'),
]);
const Channel = Type.Union([Type.Literal('EMAIL'), Type.Literal('WEBHOOK')]);

const SubscriptionSchema = Type.Object({
  id: Type.String(),
  channel: Channel,
  target: Type.String({ description: 'the e-mail address or the webhook URL' }),
  events: Type.Array(Type.String()),
  tenantId: N(Type.String()),
  assetId: N(Type.String()),
  createdAt: Type.String(),
});

const CreatedSchema = Type.Intersect([
  SubscriptionSchema,
  Type.Object({
    secret: N(
      Type.String({
        description:
          'the webhook signing secret, shown only now: X-Preempt-Signature = "sha256=" + hex HMAC-SHA256 of "<X-Preempt-Timestamp>.<body>"',
      }),
    ),
  }),
]);

const DeliverySchema = Type.Object({
  id: Type.String(),
  subscriptionId: Type.String(),
  event: Type.String(),
  orderId: Type.String(),
  orderNumber: Type.Integer(),
  asset: Type.String(),
  eta: N(Type.String()),
  status: Type.String({ description: 'PENDING, SENDING, SENT or FAILED' }),
  attempts: Type.Integer(),
  lastError: N(Type.String()),
  nextAttemptAt: N(Type.String()),
  sentAt: N(Type.String()),
  createdAt: Type.String(),
});

const CreateBody = Type.Object(
  {
    channel: Channel,
    events: Type.Array(EventKind, { minItems: 1, maxItems: NOTIFY_EVENTS.length, uniqueItems: true }),
    url: Type.Optional(
      Type.String({ maxLength: MAX_URL_LENGTH, description: 'WEBHOOK: where to POST (http or https)' }),
    ),
    tenantId: Type.Optional(
      Type.String({
        maxLength: 100,
        description: 'staff: only this tenant (default: every tenant); a customer: their own',
      }),
    ),
    assetId: Type.Optional(Type.String({ maxLength: 100, description: 'only this asset' })),
  },
  { additionalProperties: false },
);

const view = (s: SubscriptionRow) => ({ ...s, createdAt: s.createdAt.toISOString() });
const iso = (d: Date | null) => d?.toISOString() ?? null;

export const subscriptionRoutes: FastifyPluginAsyncTypebox<{
  subscriptions: PrismaSubscriptions;
  outbox: PrismaOutbox;
  emailEnabled: boolean;
  allowPrivate: boolean;
  tenantExists: (id: string) => Promise<boolean>;
}> = async (app, { subscriptions, outbox, emailEnabled, allowPrivate, tenantExists }) => {
  const subscriber = app.requireRole(...SUBSCRIBER_ROLES);

  app.post(
    '/api/notifications/subscriptions',
    {
      onRequest: subscriber,
      schema: {
        tags: ['notifications'],
        summary: 'Subscribe to order events by e-mail (to your account address) or by signed webhook',
        security: bearer,
        body: CreateBody,
        response: {
          201: CreatedSchema,
          400: errorSchema,
          401: errorSchema,
          403: errorSchema,
          404: errorSchema,
          409: errorSchema,
        },
      },
    },
    async (req, reply) => {
      const user = req.user;
      const b = req.body;
      let tenantId: string | null = isStaff(user) ? (b.tenantId ?? null) : user.tenantId;
      if (!isStaff(user) && (!tenantId || (b.tenantId !== undefined && b.tenantId !== tenantId)))
        throw new AppError('NOT_FOUND', 'no such tenant');
      if (isStaff(user) && tenantId && !(await tenantExists(tenantId)))
        throw new AppError('NOT_FOUND', 'no such tenant');
      if (b.assetId !== undefined) {
        const assetTenant = await subscriptions.assetTenant(b.assetId);
        // another tenant's asset is "no such asset" to a customer: its existence is not told
        if (!assetTenant || (tenantId !== null && assetTenant !== tenantId))
          throw new AppError('NOT_FOUND', 'no such asset');
        tenantId = assetTenant;
      }
      let target: string;
      let secret: string | null = null;
      if (b.channel === 'EMAIL') {
        if (b.url !== undefined)
          throw new AppError('VALIDATION_FAILED', 'e-mail goes to your account address: no url');
        if (!emailEnabled)
          throw new AppError(
            'NOTIFY_EMAIL_DISABLED',
            'e-mail notifications are not configured on this platform',
          );
        const email = await subscriptions.userEmail(user.sub);
        if (!email) throw new AppError('NOT_FOUND', 'no such account');
        target = email;
      } else {
        if (b.url === undefined) throw new AppError('VALIDATION_FAILED', 'a webhook needs a url');
        const check = checkWebhookUrl(b.url, allowPrivate);
        if (!check.ok) throw new AppError('NOTIFY_INVALID_TARGET', `webhook url refused: ${check.reason}`);
        target = check.url;
        secret = randomBytes(32).toString('base64url');
      }
      if ((await subscriptions.countOf(user.sub)) >= MAX_SUBSCRIPTIONS_PER_USER)
        throw new AppError(
          'NOTIFY_TOO_MANY',
          `at most ${MAX_SUBSCRIPTIONS_PER_USER} subscriptions per account`,
        );
      const created = await subscriptions.create({
        userId: user.sub,
        channel: b.channel,
        target,
        secret,
        events: b.events,
        tenantId,
        assetId: b.assetId ?? null,
      });
      return reply.status(201).send({ ...view(created), secret });
    },
  );

  app.get(
    '/api/notifications/subscriptions',
    {
      onRequest: subscriber,
      schema: {
        tags: ['notifications'],
        summary: 'Your notification subscriptions (the webhook secret is never shown again)',
        security: bearer,
        response: { 200: Type.Array(SubscriptionSchema), 401: errorSchema, 403: errorSchema },
      },
    },
    async (req) => (await subscriptions.listOf(req.user.sub)).map(view),
  );

  app.delete(
    '/api/notifications/subscriptions/:id',
    {
      onRequest: subscriber,
      schema: {
        tags: ['notifications'],
        summary: 'Unsubscribe (its delivery log goes with it; nothing more is sent)',
        security: bearer,
        params: Type.Object({ id: Type.String({ maxLength: 100 }) }),
        response: { 204: Type.Null(), 401: errorSchema, 403: errorSchema, 404: errorSchema },
      },
    },
    async (req, reply) => {
      if (!(await subscriptions.delete(req.user.sub, req.params.id)))
        throw new AppError('NOT_FOUND', 'no such subscription');
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/notifications/deliveries',
    {
      onRequest: subscriber,
      schema: {
        tags: ['notifications'],
        summary:
          'The delivery log of your subscriptions, newest first: status, attempts, last error, next attempt',
        security: bearer,
        querystring: Type.Object({
          subscriptionId: Type.Optional(Type.String({ maxLength: 100 })),
          limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
        }),
        response: { 200: Type.Array(DeliverySchema), 400: errorSchema, 401: errorSchema, 403: errorSchema },
      },
    },
    async (req) =>
      (
        await outbox.listOf(req.user.sub, {
          subscriptionId: req.query.subscriptionId,
          limit: req.query.limit,
        })
      ).map((d) => ({
        id: d.id,
        subscriptionId: d.subscriptionId,
        event: d.kind,
        orderId: d.orderId,
        orderNumber: d.payload.order.number,
        asset: d.payload.order.asset.name,
        eta: d.payload.order.eta,
        status: d.status,
        attempts: d.attempts,
        lastError: d.lastError,
        nextAttemptAt: iso(d.nextAttemptAt),
        sentAt: iso(d.sentAt),
        createdAt: d.createdAt.toISOString(),
      })),
  );
};
