// Parts planning over HTTP (docs/parts-planning.md): reviews with their plans and history, approval (all or
// nothing), stock transfers with their shipping documents and receipt. Network-wide staff data: admins and
// dispatchers act; reliability engineers may read (the predictions behind the stock); customers have no access.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Clock } from '../../common/clock.ts';
import { AppError } from '../../common/errors.ts';
import { bearer } from '../../common/http/auth.ts';
import { errorSchema } from '../../common/http/error-handler.ts';
import type { PartsPlanStore } from '../adapters/parts-plan-store.ts';
import { renderTransferDocument } from '../core/transfer-document.ts';
import type { PartsPlanning } from '../parts-planning.ts';
import { documentRoute } from './document-route.ts';
import { IdParams, refusals } from './schemas.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Tier = Type.Union([Type.Literal('CRITICAL'), Type.Literal('STANDARD')]);
const Status = Type.Union([
  Type.Literal('PROPOSED'),
  Type.Literal('APPLIED'),
  Type.Literal('STALE'),
  Type.Literal('SUPERSEDED'),
]);
const Mode = Type.Union([Type.Literal('COURIER'), Type.Literal('OVERNIGHT')]);
const Purpose = Type.Union([Type.Literal('RESTOCK'), Type.Literal('EXCESS')]);
const TransferStatus = Type.Union(
  [Type.Literal('IN_TRANSIT'), Type.Literal('RECEIVED'), Type.Literal('WRITTEN_OFF')],
  { description: 'WRITTEN_OFF: lost or damaged with the carrier (out of every stock)' },
);

const Headline = Type.Object({
  total: Type.Number(),
  fillWithinSla: Type.Number(),
  inventoryValue: Type.Number(),
});
const Breakdown = Type.Object({
  holding: Type.Number(),
  positioning: Type.Number(),
  service: Type.Number({
    description: 'expected service cost: local serves, hub shipments, emergencies, SLA penalties',
  }),
  total: Type.Number(),
  fillWithinSla: Type.Number({ description: 'expected share of failures served within their SLA' }),
  inventoryValue: Type.Number(),
  fillByTier: Type.Object({ CRITICAL: Type.Number(), STANDARD: Type.Number() }),
});

const AtRisk = Type.Object({
  assetId: Type.String(),
  assetName: Type.String(),
  tenant: Type.Optional(
    Type.String({ description: "the asset's customer: asset names repeat across tenants" }),
  ),
  failureModeKey: Type.String(),
  tier: Tier,
  source: Type.Union([Type.Literal('PREDICTION'), Type.Literal('BASE_RATE'), Type.Literal('RESERVED')]),
  expectedFailureAt: Nullable(Type.String()),
  confidence: Nullable(Type.Number({ description: "predict's raw confidence" })),
  pFail: Type.Number({ description: 'calibrated probability of needing the part within the horizon' }),
  window: Type.Array(Type.Number(), { description: '[fromDay, toDay] of the failure within the horizon' }),
});

const ReviewItemSchema = Type.Object({
  id: Type.String(),
  number: Type.Integer(),
  trigger: Type.Union([Type.Literal('SCHEDULED'), Type.Literal('ON_DEMAND')]),
  requestedBy: Type.String(),
  reviewedAt: Type.String(),
  horizonDays: Type.Integer(),
  status: Status,
  planMs: Type.Integer(),
  decidedBy: Nullable(Type.String()),
  decidedAt: Nullable(Type.String()),
  decisionNote: Nullable(Type.String()),
  assets: Type.Integer({ description: 'assets × failure modes in the instance' }),
  predicted: Type.Integer({ description: 'of them, with a live prediction' }),
  proposedTransfers: Type.Integer(),
  plan: Headline,
  today: Headline,
});

const ProposedTransfer = Type.Object({
  from: Type.String(),
  to: Type.String(),
  sku: Type.String(),
  qty: Type.Integer(),
  mode: Mode,
  shipAt: Type.String(),
  etaAt: Type.String(),
  cost: Type.Number(),
  purpose: Purpose,
});

export const TransferSchema = Type.Object({
  id: Type.String(),
  number: Type.Integer(),
  code: Type.String(),
  reviewId: Nullable(Type.String()),
  reviewNumber: Nullable(Type.Integer()),
  /** A returned unit's way from the repair depot. */
  returnId: Nullable(Type.String()),
  from: Type.String(),
  to: Type.String(),
  sku: Type.String(),
  qty: Type.Integer(),
  refurbished: Type.Integer(),
  /** Of qty, units held for orders while in transit. */
  reserved: Type.Integer(),
  mode: Mode,
  cost: Type.Number(),
  shipAt: Type.String(),
  etaAt: Type.String(),
  status: TransferStatus,
  trackingState: Type.String(),
  carrier: Nullable(Type.String()),
  trackingAt: Nullable(Type.String()),
  receivedAt: Nullable(Type.String()),
  receivedBy: Nullable(Type.String()),
  purpose: Type.Union([Purpose, Type.Literal('RETURN'), Type.Literal('RESEND')]),
  routeReason: Nullable(Type.String()),
  writtenOffAt: Nullable(
    Type.String({ description: 'lost or damaged with the carrier: when it was written off' }),
  ),
  writeOffReason: Nullable(Type.String()),
  resendOf: Nullable(
    Type.String({ description: 'the written-off transfer or return (id) this one re-sends' }),
  ),
});

const ReviewDetailSchema = Type.Intersect([
  ReviewItemSchema,
  Type.Object({
    summary: Type.Object({
      assets: Type.Integer(),
      predicted: Type.Integer(),
      tierAssets: Type.Object({ CRITICAL: Type.Integer(), STANDARD: Type.Integer() }),
      plan: Breakdown,
      today: Breakdown,
      locations: Type.Array(
        Type.Object({
          code: Type.String(),
          kind: Type.String(),
          rows: Type.Array(
            Type.Object({
              sku: Type.String(),
              current: Type.Integer({ description: 'serviceable, unreserved, plus units in transit here' }),
              target: Type.Integer(),
              expectedDemand: Type.Number(),
              atRisk: Type.Array(AtRisk),
            }),
          ),
        }),
      ),
      transfers: Type.Array(ProposedTransfer),
      shortfall: Type.Array(
        Type.Object({ location: Type.String(), sku: Type.String(), qty: Type.Integer() }),
      ),
      calibration: Type.Object({
        resolved: Type.Integer({ description: 'resolved predictions the calibration learnt from' }),
        bins: Type.Array(
          Type.Object({
            lo: Type.Number(),
            hi: Type.Number(),
            n: Type.Integer(),
            confirmed: Type.Integer(),
            p: Type.Number(),
          }),
        ),
      }),
      baseRatePerDay: Type.Record(Type.String(), Type.Number()),
      hubPlannerTarget: Type.Record(Type.String(), Type.Integer(), {
        description:
          "the planner's own hub level; the plan's hub target is what stays there after the transfers",
      }),
      planner: Type.Object({ scenarios: Type.Integer(), validationCost: Type.Number() }),
    }),
    transfers: Type.Array(TransferSchema),
  }),
]);

export const partsRoutes: FastifyPluginAsyncTypebox<{
  planning: PartsPlanning;
  plans: PartsPlanStore;
  clock: Clock;
}> = async (app, { planning, plans, clock }) => {
  const staff = app.requireRole('ADMIN', 'DISPATCHER', 'ENGINEER');
  const planner = app.requireRole('ADMIN', 'DISPATCHER');
  const tags = ['parts'];
  const read = { 401: errorSchema, 403: errorSchema, 404: errorSchema };

  app.post(
    '/api/parts/reviews',
    {
      onRequest: planner,
      schema: {
        tags,
        summary: 'Run a parts review now: the plan from live data, with its proposed transfers',
        description:
          'Reviews run one at a time; a request made while another waits for its turn gets that review. ' +
          'The new plan supersedes any plan still waiting for approval; with ' +
          'PARTS_AUTO_APPLY it is applied at once. 422 PARTS_REVIEW_FAILED when the network cannot be planned.',
        security: bearer,
        response: { 201: ReviewDetailSchema, ...refusals, 422: errorSchema },
      },
    },
    async (req, reply) => reply.code(201).send(await planning.review('ON_DEMAND', req.user.email)),
  );

  app.get(
    '/api/parts/reviews',
    {
      onRequest: staff,
      schema: {
        tags,
        summary: 'Parts reviews and what became of their plans, newest first',
        security: bearer,
        querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 200, default: 30 }) }),
        response: { 200: Type.Array(ReviewItemSchema), ...read },
      },
    },
    async (req) => plans.list(req.query.limit),
  );

  app.get(
    '/api/parts/reviews/:id',
    {
      onRequest: staff,
      schema: {
        tags,
        summary:
          'One review: per location current vs target stock and the at-risk assets behind it, fill within SLA ' +
          'per contract tier, inventory value and costs (plan vs keeping today), proposed and created transfers',
        security: bearer,
        params: IdParams,
        response: { 200: ReviewDetailSchema, ...read },
      },
    },
    async (req) => {
      const r = await plans.get(req.params.id);
      if (!r) throw new AppError('NOT_FOUND', 'no such parts review');
      return r;
    },
  );

  app.post(
    '/api/parts/reviews/:id/approve',
    {
      onRequest: planner,
      schema: {
        tags,
        summary: 'Approve a plan: create all its transfers in one transaction, or none',
        description:
          '409 PARTS_PLAN_STALE (the plan is marked STALE) when a location and part it moves no longer holds ' +
          'the stock the review saw; 409 PARTS_PLAN_DECIDED when it was applied, refused or superseded already. ' +
          'Reserved units are never moved.',
        security: bearer,
        params: IdParams,
        response: { 200: ReviewDetailSchema, ...refusals },
      },
    },
    async (req) => planning.approve(req.params.id, req.user.email),
  );

  app.get(
    '/api/parts/transfers',
    {
      onRequest: staff,
      schema: {
        tags,
        summary: 'Stock transfers, newest first',
        security: bearer,
        querystring: Type.Object({
          status: Type.Optional(TransferStatus),
          reviewId: Type.Optional(Type.String({ maxLength: 64 })),
          limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
        }),
        response: { 200: Type.Array(TransferSchema), ...read },
      },
    },
    async (req) => plans.transfers(req.query),
  );

  documentRoute(app, {
    url: '/api/parts/transfers/:id/document',
    tags,
    summary: 'The printable shipping document (HTML) of a transfer, with its barcode',
    onRequest: staff,
    render: async (id) => {
      const doc = await plans.document(id);
      return doc ? renderTransferDocument(doc) : null;
    },
    notFound: 'no such transfer',
  });

  app.post(
    '/api/parts/transfers/:id/receive',
    {
      onRequest: planner,
      schema: {
        tags,
        summary: 'Book a transfer in at its destination: its units join the serviceable stock there',
        description: '409 PARTS_TRANSFER_RECEIVED when already received.',
        security: bearer,
        params: IdParams,
        response: { 200: TransferSchema, ...refusals },
      },
    },
    async (req) => plans.receive(req.params.id, req.user.email, clock.now()),
  );

  app.post(
    '/api/parts/consignments/:ref/resend',
    {
      onRequest: planner,
      schema: {
        tags,
        summary: 'Re-send a transfer or return the carrier lost or damaged (written off)',
        description:
          '`ref`: a stock transfer (`TRF-000123` or its id) or a return shipment (`RMA-000042` or its id) written ' +
          'off on a carrier exception. Creates a stock transfer of the same units to the same destination from ' +
          'the nearest location holding unreserved units above its parts-plan target, else from the hub (courier ' +
          'within reach, else overnight). Idempotent: once re-sent, answers that transfer with `created: false`. ' +
          '409 PARTS_RESEND_NOT_LOST when it is not written off (or carried a defective part); 409 ' +
          'PARTS_RESEND_NO_STOCK when no location can send the units; 409 PARTS_RESEND_NOT_NEEDED when the units ' +
          'were bound for the hub (excess going back: nothing is missing anywhere).',
        security: bearer,
        params: Type.Object({ ref: Type.String({ minLength: 1, maxLength: 64 }) }),
        response: {
          200: Type.Object({
            created: Type.Boolean({ description: 'false: re-sent before, this is that transfer' }),
            transfer: TransferSchema,
          }),
          ...refusals,
        },
      },
    },
    async (req) => plans.resend(req.params.ref, req.user.email, clock.now()),
  );
};
