// Billing over HTTP (docs/reverse-logistics.md): invoice lines of completed orders as JSON or CSV for the customer's
// ERP, an asset's warranty and contract coverage, and the warranty claims on suppliers (RTV claims).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Clock } from '../../common/clock.ts';
import { AppError } from '../../common/errors.ts';
import { canSeeTenant, tenantScope } from '../../common/http/access.ts';
import { bearer } from '../../common/http/auth.ts';
import { errorSchema } from '../../common/http/error-handler.ts';
import type { PrismaBillingStore } from '../adapters/billing-store.ts';
import { COST_KINDS, invoiceCsv } from '../core/billing.ts';
import { IdParams, refusals } from './schemas.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const DAY_MS = 86_400_000;
/** One export covers at most a year and a day. */
const MAX_RANGE_MS = 366 * DAY_MS;

const InvoiceLineSchema = Type.Object({
  invoiceLine: Type.String({ description: '<order number>-<n>: stable id of the line for the ERP' }),
  orderNumber: Type.Integer(),
  tenantId: Type.String(),
  tenant: Type.String(),
  assetSerial: Type.String(),
  serviceDate: Type.String({ description: 'completion of the order: the date coverage is judged on' }),
  kind: Type.Union(
    [Type.Literal('PARTS'), Type.Literal('LABOUR'), Type.Literal('TRAVEL'), Type.Literal('SHIPPING')],
    { description: COST_KINDS.join(', ') },
  ),
  description: Type.String(),
  qty: Type.Number(),
  unitPrice: Type.Number(),
  amount: Type.Number(),
  covered: Type.Number(),
  billable: Type.Number(),
  coveredBy: Nullable(Type.String()),
  currency: Type.String(),
});

const InvoicesSchema = Type.Object({
  from: Type.String(),
  to: Type.String(),
  totals: Type.Object({
    orders: Type.Integer(),
    total: Type.Number(),
    covered: Type.Number(),
    billable: Type.Number(),
  }),
  lines: Type.Array(InvoiceLineSchema),
});

const Covers = Type.Object({
  PARTS: Type.Boolean(),
  LABOUR: Type.Boolean(),
  TRAVEL: Type.Boolean(),
  SHIPPING: Type.Boolean(),
});

const CoverageSchema = Type.Object({
  assetId: Type.String(),
  tenantId: Type.String(),
  serial: Type.String(),
  slaTier: Type.String(),
  responseHours: Type.Integer(),
  coverages: Type.Array(
    Type.Object({
      source: Type.Union([Type.Literal('WARRANTY'), Type.Literal('CONTRACT')]),
      name: Type.String(),
      from: Nullable(Type.String()),
      until: Nullable(Type.String()),
      inForce: Type.Boolean(),
      covers: Covers,
      excludedSkus: Type.Array(Type.String()),
    }),
  ),
});

const ClaimStatusEnum = Type.Union([
  Type.Literal('OPEN'),
  Type.Literal('CREDITED'),
  Type.Literal('REJECTED'),
]);

const ClaimSchema = Type.Object({
  id: Type.String(),
  claim: Type.String(),
  rtv: Type.String(),
  rma: Type.String(),
  tenantId: Type.String(),
  sku: Type.String(),
  serial: Type.String(),
  supplier: Type.String(),
  qty: Type.Integer(),
  amount: Type.Number(),
  status: ClaimStatusEnum,
  createdAt: Type.String(),
  settledAt: Nullable(Type.String()),
  settledBy: Nullable(Type.String()),
  creditAmount: Nullable(Type.Number()),
  note: Nullable(Type.String()),
});

export const billingRoutes: FastifyPluginAsyncTypebox<{ store: PrismaBillingStore; clock: Clock }> = async (
  app,
  { store, clock },
) => {
  const tags = ['billing'];

  app.get(
    '/api/invoices',
    {
      onRequest: app.authenticate,
      schema: {
        tags,
        summary: 'Invoice lines of the orders completed in a period (JSON or CSV), covered and billable',
        description:
          "Each completed order's cost to serve (parts fitted, labour, travel, shipping) split into what the " +
          "asset's warranty or service contract covers on the completion date and what is billed. [from, to) " +
          'defaults to the last 30 days, at most 366 days. A customer gets their own tenant only; staff all, or ' +
          'one with `tenantId`. `format=csv` answers RFC 4180 CSV with a header line.',
        security: bearer,
        querystring: Type.Object({
          from: Type.Optional(Type.String({ format: 'date-time' })),
          to: Type.Optional(Type.String({ format: 'date-time' })),
          format: Type.Union([Type.Literal('json'), Type.Literal('csv')], { default: 'json' }),
          tenantId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
        }),
        produces: ['application/json', 'text/csv'],
        response: {
          200: {
            description: 'invoice lines',
            content: {
              'application/json': { schema: InvoicesSchema },
              'text/csv': { schema: Type.String() },
            },
          },
          400: errorSchema,
          401: errorSchema,
          403: errorSchema,
        },
      },
    },
    async (req, reply) => {
      const to = req.query.to ? new Date(req.query.to) : clock.now();
      const from = req.query.from ? new Date(req.query.from) : new Date(to.getTime() - 30 * DAY_MS);
      if (!(from.getTime() < to.getTime()))
        throw new AppError('VALIDATION_FAILED', '`from` must be before `to`');
      if (to.getTime() - from.getTime() > MAX_RANGE_MS)
        throw new AppError('VALIDATION_FAILED', 'at most 366 days at a time');
      const own = tenantScope(req.user);
      if (own !== undefined && req.query.tenantId !== undefined && req.query.tenantId !== own)
        throw new AppError('AUTH_FORBIDDEN', 'a customer sees their own invoice lines only');
      const tenantId = own ?? req.query.tenantId;
      const out = await store.invoices({ from, to, ...(tenantId !== undefined ? { tenantId } : {}) });
      if (req.query.format === 'csv') {
        const name = `invoice-lines-${from.toISOString().slice(0, 10)}-${to.toISOString().slice(0, 10)}.csv`;
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${name}"`)
          .send(invoiceCsv(out.lines));
      }
      return reply.type('application/json').send({ from: from.toISOString(), to: to.toISOString(), ...out });
    },
  );

  app.get(
    '/api/assets/:id/coverage',
    {
      onRequest: app.authenticate,
      schema: {
        tags,
        summary: "An asset's manufacturer warranty and service contract: dates, what they cover, SLA tier",
        security: bearer,
        params: IdParams,
        response: { 200: CoverageSchema, 401: errorSchema, 404: errorSchema },
      },
    },
    async (req) => {
      const c = await store.coverage(req.params.id, clock.now());
      if (!canSeeTenant(req.user, c.tenantId)) throw new AppError('NOT_FOUND', 'no such asset');
      return c;
    },
  );

  app.get(
    '/api/rtv-claims',
    {
      onRequest: app.requireRole('ADMIN', 'DISPATCHER'),
      schema: {
        tags,
        summary: 'Warranty claims on suppliers for units returned to vendor, newest first',
        security: bearer,
        querystring: Type.Object({
          status: Type.Optional(ClaimStatusEnum),
          tenantId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
          limit: Type.Integer({ minimum: 1, maximum: 1000, default: 200 }),
        }),
        response: { 200: Type.Array(ClaimSchema), 401: errorSchema, 403: errorSchema },
      },
    },
    async (req) => store.claims(req.query),
  );

  app.post(
    '/api/rtv-claims/:id/settle',
    {
      onRequest: app.requireRole('ADMIN'),
      schema: {
        tags,
        summary: "Record the supplier's answer to a claim: credited (all or part of the amount) or rejected",
        description:
          '409 DISPATCH_ILLEGAL_TRANSITION when the claim is settled already or the credit is out of range.',
        security: bearer,
        params: IdParams,
        body: Type.Object({
          status: Type.Union([Type.Literal('CREDITED'), Type.Literal('REJECTED')]),
          creditAmount: Type.Optional(Type.Number({ minimum: 0 })),
          note: Type.Optional(Type.String({ maxLength: 500 })),
        }),
        response: { 200: ClaimSchema, ...refusals },
      },
    },
    async (req) => store.settle(req.params.id, req.body, { now: clock.now(), actor: req.user.email }),
  );
};
