// GET /api/orders/{id}/detail: everything about one order on one page (issue 17): why it was predicted (band,
// confidence, model version, evidence) and the watched metric's recent trend, the plan with its on-time verdict,
// the timeline, the parts' movements and the return. A customer sees their own tenant's orders only, through
// dispatch/core/customer-detail.ts.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type TSchema } from '@sinclair/typebox';
import { AppError } from '../../common/errors.ts';
import { canSeeTenant } from '../../common/http/access.ts';
import { detailFor } from '../core/customer-detail.ts';
import { bearer } from '../../common/http/auth.ts';
import { errorSchema } from '../../common/http/error-handler.ts';
import type { OrderDetailReader } from '../adapters/order-detail.ts';
import { JobReportSchema } from './job-report-schema.ts';
import { IdParams, OrderEventSchema, OrderSchema, ReturnTransferSchema } from './schemas.ts';

const N = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

const Shipment = Type.Object({
  id: Type.String(),
  from: Type.String(),
  to: Type.String(),
  sku: Type.String(),
  qty: Type.Integer(),
  mode: Type.String(),
  status: Type.String(),
  shipAt: Type.String(),
  readyAt: Type.String(),
  tracking: Type.String({ description: "the carrier's tracking state" }),
  cost: N(Type.Number()),
});

export const OrderDetailSchema = Type.Object({
  order: OrderSchema,
  prediction: N(
    Type.Object({
      raisedAt: Type.String(),
      expectedFailureAt: Type.String(),
      earliestAt: Type.String({ description: 'lower edge of the band' }),
      latestAt: Type.String({ description: 'upper edge of the band' }),
      confidence: Type.Number(),
      outcome: Type.String(),
      metric: N(Type.String()),
      failureLevel: N(Type.Number()),
      model: N(
        Type.Object({
          key: Type.String(),
          name: Type.String(),
          kind: Type.String(),
          version: Type.Integer(),
        }),
      ),
      evidence: N(Type.Record(Type.String(), Type.Unknown())),
    }),
  ),
  trend: N(
    Type.Object({
      metric: Type.String(),
      unit: N(Type.String()),
      failureLevel: N(Type.Number()),
      from: Type.String(),
      to: Type.String(),
      everySeconds: Type.Number(),
      points: Type.Array(
        Type.Object({ ts: Type.String(), value: Type.Number(), min: Type.Number(), max: Type.Number() }),
      ),
    }),
  ),
  plan: Type.Object({
    pickup: N(Type.String()),
    source: N(Type.String()),
    technician: N(Type.String()),
    partsReadyAt: N(Type.String()),
    etaAt: N(Type.String()),
    onTime: N(Type.Boolean()),
    lateByMinutes: N(Type.Integer()),
    verdictReason: N(Type.String()),
    shipment: N(Shipment),
  }),
  timeline: Type.Array(OrderEventSchema),
  reservations: Type.Array(
    Type.Object({
      location: Type.String(),
      sku: Type.String(),
      qty: Type.Integer(),
      status: Type.String(),
      at: Type.String(),
    }),
  ),
  shipments: Type.Array(Shipment),
  report: N(JobReportSchema),
  returns: Type.Array(
    Type.Object({
      id: Type.String(),
      number: Type.Integer(),
      sku: Type.String(),
      qty: Type.Integer(),
      serial: Type.String(),
      reason: Type.String(),
      to: Type.String(),
      finding: N(Type.String()),
      findingNote: N(Type.String()),
      createdAt: Type.String(),
      receivedAt: N(Type.String()),
      closedAt: N(Type.String()),
      routeReason: N(Type.String()),
      tracking: Type.String(),
      transfer: N(ReturnTransferSchema),
    }),
  ),
});

export const orderDetailRoutes: FastifyPluginAsyncTypebox<{ detail: OrderDetailReader }> = async (
  app,
  { detail },
) => {
  app.get(
    '/api/orders/:id/detail',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['dispatch'],
        summary: 'One order in full: prediction and metric trend, plan, timeline, parts movements, return',
        description:
          'The trend is the watched metric from a day before the prediction to now (or the close), at most a ' +
          "week, as about 120 windows (mean, min, max). A customer sees only their tenant's orders, without " +
          "the model, its evidence, costs, the desk's people and notes.",
        security: bearer,
        params: IdParams,
        response: { 200: OrderDetailSchema, 401: errorSchema, 404: errorSchema },
      },
    },
    async (req) => {
      const d = await detail.get(req.params.id);
      if (!d || !canSeeTenant(req.user, d.order.tenantId)) throw new AppError('NOT_FOUND', 'no such order');
      return detailFor(req.user, d);
    },
  );
};
