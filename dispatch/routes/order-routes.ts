// Dispatcher actions and field progress of one order, its history, and the choices for reassigning or
// restaging it. Every change answers with the order as it is now; the live channels get it as well.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Clock } from '../../common/clock.ts';
import { AppError } from '../../common/errors.ts';
import { canSeeTenant } from '../../common/http/access.ts';
import { historyFor } from '../../common/http/customer-view.ts';
import { bearer } from '../../common/http/auth.ts';
import { errorSchema } from '../../common/http/error-handler.ts';
import type { OrderChoices } from '../adapters/order-choices.ts';
import type { OrderView } from '../adapters/order-view.ts';
import { deskStepPermission } from '../core/field-steps.ts';
import type { OrderDesk } from '../order-desk.ts';
import {
  CancelBodySchema,
  FieldStatusSchema,
  IdParams,
  OrderChoicesSchema,
  OrderEventSchema,
  OrderSchema,
  refusals,
} from './schemas.ts';
import { MoveBodySchema, moveStart } from './schedule-routes.ts';

export const orderRoutes: FastifyPluginAsyncTypebox<{
  desk: OrderDesk;
  orders: OrderView;
  choices: OrderChoices;
  clock: Clock;
}> = async (app, { desk, orders, choices, clock }) => {
  const dispatcher = app.requireRole('ADMIN', 'DISPATCHER');
  const tags = ['dispatch'];
  const current = async (id: string) => {
    const o = await orders.get(id);
    if (!o) throw new AppError('NOT_FOUND', 'no such order');
    return o;
  };
  const changes = (summary: string, description: string) => ({
    tags,
    summary,
    description,
    security: bearer,
    params: IdParams,
    response: { 200: OrderSchema, ...refusals },
  });

  app.post(
    '/api/orders/:id/accept',
    {
      onRequest: dispatcher,
      schema: changes(
        'Accept a job (or keep it when predict reports its risk cleared)',
        'Marks the order accepted by the caller; the field may then move its part. On an order flagged ' +
          '`riskCleared` it records the decision to keep the job and clears the flag. 409 when already accepted.',
      ),
    },
    async (req) => {
      await desk.accept(req.params.id, req.user.email);
      return current(req.params.id);
    },
  );

  app.post(
    '/api/orders/:id/cancel',
    {
      onRequest: dispatcher,
      schema: {
        ...changes(
          'Cancel an open order, with a reason and an optional snooze',
          'Releases its stock reservation, cancels its shipments and frees its technician, in one transaction. ' +
            '`reason` is one of the listed codes (RISK_CLEARED confirms the release of a job predict flagged ' +
            '`riskCleared`), `note` goes to the order history, and `snoozeHours` (0-720) keeps predict from ' +
            'raising a new order for the asset and failure mode that long. Predict also forgets what it saw of ' +
            'the pair before the cancel: a new order needs fresh evidence.',
        ),
        body: CancelBodySchema,
      },
    },
    async (req) => {
      const { reason, note, snoozeHours } = req.body;
      await desk.cancel(req.params.id, { reason, note, snoozeHours }, req.user.email);
      return current(req.params.id);
    },
  );

  app.post(
    '/api/orders/:id/reassign',
    {
      onRequest: dispatcher,
      schema: {
        ...changes(
          'Give the job to another qualified, free technician',
          'The technician must have the skill (409 DISPATCH_NO_QUALIFIED_TECHNICIAN) and no other open job ' +
            '(409 DISPATCH_TECHNICIAN_BUSY); of two concurrent bookings of one technician exactly one succeeds. ' +
            'The ETA is recomputed; an en-route job goes back to PARTS_STAGED. With `startAt` (a booking moved ' +
            'to a later time on the schedule board) the technician leaves no earlier, the same technician may ' +
            'be given, and a booking outside their shift is refused (409 DISPATCH_SLOT_CONFLICT). ' +
            '`POST …/reassign/preview` shows the outcome first.',
        ),
        body: MoveBodySchema,
      },
    },
    async (req) => {
      const startAt = moveStart(req.body.startAt, clock.now());
      await desk.reassign(req.params.id, req.body.technician, req.user.email, startAt);
      return current(req.params.id);
    },
  );

  app.post(
    '/api/orders/:id/staging',
    {
      onRequest: dispatcher,
      schema: {
        ...changes(
          'Change where the part is staged for pickup',
          'Reserves the part at `source` (default: the staging location itself) and releases the old reservation ' +
            'in one transaction (409 DISPATCH_STOCK_CONFLICT when it has too little available, and nothing ' +
            'changes); ships it by courier or overnight when the source differs. The order goes back to PLANNED.',
        ),
        body: Type.Object({
          location: Type.String({ minLength: 1, description: 'code of the new staging (pickup) location' }),
          source: Type.Optional(
            Type.String({ minLength: 1, description: 'code of the location to draw from' }),
          ),
          inTransit: Type.Optional(
            Type.Boolean({
              description:
                'draw units in transit to the staging location by stock transfer (the choice `in-transit`): ' +
                'reserved against the transfers arriving first, ready at their ETA; 409 DISPATCH_STOCK_CONFLICT ' +
                'when not enough are on their way unreserved',
            }),
          ),
        }),
      },
    },
    async (req) => {
      await desk.restage(
        req.params.id,
        { pickup: req.body.location, source: req.body.source, inTransit: req.body.inTransit },
        req.user.email,
      );
      return current(req.params.id);
    },
  );

  app.post(
    '/api/orders/:id/status',
    {
      onRequest: dispatcher,
      schema: {
        ...changes(
          'Report a part movement (or, as an administrator, override a technician step)',
          'PLANNED → (PARTS_IN_TRANSIT, when the part ships) → PARTS_STAGED → TECHNICIAN_EN_ROUTE → ON_SITE → ' +
            'COMPLETED, one step at a time (409 DISPATCH_ILLEGAL_TRANSITION otherwise; the part moves only once ' +
            'the job is accepted). The desk reports the part movements; TECHNICIAN_EN_ROUTE, ON_SITE and ' +
            "COMPLETED are the technician's own steps (POST /api/me/jobs/{id}/en-route|on-site|complete): a " +
            'dispatcher gets 403 DISPATCH_FIELD_STEP_TECHNICIAN_ONLY, an administrator may override with ' +
            '`overrideReason` (recorded in the timeline as an override). COMPLETED uses the part, frees the ' +
            'technician at the site and authorizes the returns: the removed part to the repair depot, unused ' +
            'parts back to stock.',
        ),
        body: Type.Object({
          status: FieldStatusSchema,
          note: Type.Optional(Type.String({ maxLength: 500 })),
          usedQty: Type.Optional(
            Type.Integer({ minimum: 0, description: 'on COMPLETED: parts fitted (default: all staged)' }),
          ),
          removedSerial: Type.Optional(
            Type.String({ maxLength: 100, description: 'on COMPLETED: serial number of the removed part' }),
          ),
          overrideReason: Type.Optional(
            Type.String({
              maxLength: 500,
              description: "ADMIN only, for a technician's step: why the desk reports it for him",
            }),
          ),
        }),
      },
    },
    async (req) => {
      const { status, overrideReason, ...report } = req.body;
      const allowed = deskStepPermission(req.user.role, status, overrideReason);
      if (!allowed.ok) throw allowed.error;
      await desk.advance(
        req.params.id,
        status,
        { ...report, ...(allowed.override ? { override: allowed.override } : {}) },
        req.user.email,
      );
      return current(req.params.id);
    },
  );

  app.get(
    '/api/orders/:id/choices',
    {
      onRequest: dispatcher,
      schema: {
        tags,
        summary: 'Technicians and staging locations a dispatcher can pick for the order',
        security: bearer,
        params: IdParams,
        response: { 200: OrderChoicesSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema },
      },
    },
    async (req) => choices.get(req.params.id, clock.now()),
  );

  app.get(
    '/api/orders/:id/events',
    {
      onRequest: app.authenticate,
      schema: {
        tags,
        summary: 'History of an order: every change with who and when, oldest first',
        description: "A customer sees the desk's people as `dispatcher` and no notes.",
        security: bearer,
        params: IdParams,
        response: { 200: Type.Array(OrderEventSchema), 401: errorSchema, 404: errorSchema },
      },
    },
    async (req) => {
      const o = await orders.get(req.params.id);
      if (!o || !canSeeTenant(req.user, o.tenantId)) throw new AppError('NOT_FOUND', 'no such order');
      return historyFor(req.user, await orders.history(o.id));
    },
  );
};
