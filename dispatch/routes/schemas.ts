// TypeBox schemas of the dispatch API (requests and responses; OpenAPI at /docs).
import { Type, type Static } from '@sinclair/typebox';
import { errorSchema } from '../../common/http/error-handler.ts';
import { DISPATCHER_ACTIONS, FIELD_STATUSES, type FieldStatus } from '../core/lifecycle.ts';
import { CANCEL_REASONS, MAX_SNOOZE_HOURS, type CancelReason } from '../core/order-closure.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T, o?: { description: string }) =>
  Type.Union([t, Type.Null()], o);

/** A stock location's place and opening hours, as the network map and the technician's job show it. */
export const stockLocationFields = {
  code: Type.String(),
  name: Type.String(),
  kind: Type.String(),
  lat: Type.Number(),
  lon: Type.Number(),
  openUtc: Nullable(Type.String()),
  closeUtc: Nullable(Type.String()),
};

export const FieldStatusSchema = Type.Union([
  Type.Literal('PARTS_IN_TRANSIT'),
  Type.Literal('PARTS_STAGED'),
  Type.Literal('TECHNICIAN_EN_ROUTE'),
  Type.Literal('ON_SITE'),
  Type.Literal('COMPLETED'),
]);
// the schema lists exactly the state machine's field statuses
const _fieldStatuses: [Static<typeof FieldStatusSchema>, FieldStatus] = [
  '' as FieldStatus,
  '' as Static<typeof FieldStatusSchema>,
];

export const CancelReasonSchema = Type.Union(
  CANCEL_REASONS.map((r) => Type.Literal(r)),
  { description: `why: ${CANCEL_REASONS.join(', ')}` },
);
// the schema lists exactly the cancel reasons of the database enum
const _cancelReasons: [Static<typeof CancelReasonSchema>, CancelReason] = [
  '' as CancelReason,
  '' as Static<typeof CancelReasonSchema>,
];

export const CancelBodySchema = Type.Object({
  reason: CancelReasonSchema,
  note: Type.Optional(Type.String({ maxLength: 500, description: 'free text for the order history' })),
  snoozeHours: Type.Optional(
    Type.Integer({
      minimum: 0,
      maximum: MAX_SNOOZE_HOURS,
      description: 'no new order for this asset and failure mode for this many hours (0: none)',
    }),
  ),
});

export const FindingSchema = Type.Union([Type.Literal('FAILURE_CONFIRMED'), Type.Literal('NO_FAULT_FOUND')]);

export const OrderSchema = Type.Object({
  id: Type.String(),
  number: Type.Integer(),
  tenantId: Type.String(),
  assetId: Type.String(),
  assetName: Type.String(),
  failureMode: Type.String(),
  status: Type.String(),
  slaTier: Type.String(),
  expectedFailureAt: Type.String(),
  dueBy: Type.String(),
  riskCleared: Type.Boolean(),
  technician: Nullable(Type.String()),
  pickup: Nullable(Type.String()),
  source: Nullable(Type.String()),
  partsReadyAt: Nullable(Type.String()),
  etaAt: Nullable(Type.String()),
  onTime: Nullable(Type.Boolean(), {
    description: 'on-time verdict of the plan: ETA no later than the expected failure (null: not judged yet)',
  }),
  lateByMinutes: Nullable(Type.Integer(), {
    description: 'minutes the ETA falls after the expected failure',
  }),
  verdictReason: Nullable(Type.String(), { description: 'why the order is late or cannot be planned' }),
  escalated: Type.Boolean({ description: 'no plan reaches the site before the expected failure' }),
  part: Type.Object({ sku: Type.String(), qty: Type.Integer() }),
  reservationStatus: Nullable(Type.String()),
  acceptedBy: Nullable(Type.String()),
  actions: Type.Array(Type.String(), {
    description: `what a dispatcher may do now: some of ${DISPATCHER_ACTIONS.join(', ')}`,
  }),
  nextStatus: Nullable(Type.String(), {
    description: `the status POST /api/orders/{id}/status accepts next: one of ${FIELD_STATUSES.join(', ')}`,
  }),
  closedAt: Nullable(Type.String(), { description: 'when it was completed or cancelled' }),
  cancelReason: Nullable(Type.String(), {
    description: `why it was cancelled: ${CANCEL_REASONS.join(', ')}`,
  }),
  snoozeUntil: Nullable(Type.String(), {
    description: 'no new order for the asset and failure mode before this (a cancel with a snooze)',
  }),
  customerStatus: Type.String({
    description: 'the status as the customer sees it, e.g. "risk cleared – under review"',
  }),
});

export const OrderEventSchema = Type.Object({
  at: Type.String(),
  status: Type.String(),
  action: Type.String({ description: 'status, accept, reassign, restage or cancel' }),
  actor: Type.String(),
  note: Nullable(Type.String()),
});

/** The consequence of a reassign or re-stage choice, by the planner's timing rules. */
const previewFields = {
  etaAt: Nullable(Type.String(), { description: 'when the technician would reach the site' }),
  cost: Nullable(Type.Number(), { description: 'travel and shipping cost of the resulting plan' }),
  onTime: Nullable(Type.Boolean(), { description: 'the ETA is no later than the expected failure' }),
  lateByMinutes: Nullable(Type.Integer(), { description: 'minutes after the expected failure (0: on time)' }),
};

export const OrderChoicesSchema = Type.Object({
  sku: Type.String(),
  qty: Type.Integer(),
  expectedFailureAt: Type.String(),
  stagings: Type.Array(
    Type.Object({
      pickup: Type.String(),
      source: Type.String({
        description: 'the pickup itself: from its own stock, or units in transit to it',
      }),
      mode: Type.Union(
        [
          Type.Literal('stock'),
          Type.Literal('courier'),
          Type.Literal('overnight'),
          Type.Literal('in-transit'),
        ],
        {
          description:
            'in-transit: units on their way to the pickup by stock transfer (ready at their ETA, offered only when ' +
            'they arrive by the expected failure); restage with `inTransit: true`',
        },
      ),
      partsReadyAt: Type.String({
        description: 'when the part is ready at the pickup (in-transit: its ETA)',
      }),
      current: Type.Boolean(),
      ...previewFields,
    }),
    { description: 'every way to re-stage the part for the current technician, fastest first' },
  ),
  technicians: Type.Array(
    Type.Object({
      code: Type.String(),
      name: Type.String(),
      current: Type.Boolean(),
      qualified: Type.Boolean(),
      free: Type.Boolean(),
      bookedOn: Nullable(Type.Integer()),
      eligible: Type.Boolean(),
      arrivalAt: Nullable(Type.String()),
      late: Type.Boolean({ description: 'arrives after the due-by' }),
      ...previewFields,
    }),
  ),
  locations: Type.Array(
    Type.Object({
      code: Type.String(),
      name: Type.String(),
      kind: Type.String(),
      available: Type.Integer(),
      pickup: Type.Boolean(),
      source: Type.Boolean(),
    }),
  ),
});

/** A refurbished or retested unit's way from the repair depot (a stock transfer with its shipping document). */
export const ReturnTransferSchema = Type.Object({
  id: Type.String(),
  code: Type.String({ description: 'TRF- number: the shipping document and the carrier reference' }),
  from: Type.String(),
  to: Type.String(),
  status: Type.Union([Type.Literal('IN_TRANSIT'), Type.Literal('RECEIVED'), Type.Literal('WRITTEN_OFF')], {
    description: 'WRITTEN_OFF: lost or damaged with the carrier',
  }),
  trackingState: Type.String(),
  carrier: Nullable(Type.String()),
  etaAt: Type.String(),
  routeReason: Nullable(Type.String()),
});

export const ReturnSchema = Type.Object({
  id: Type.String(),
  rma: Type.String({ description: 'RMA number as printed and barcoded (Code 39)' }),
  number: Type.Integer(),
  state: Type.Union([Type.Literal('AUTHORIZED'), Type.Literal('RECEIVED'), Type.Literal('CLOSED')]),
  reason: Type.Union([Type.Literal('DEFECTIVE'), Type.Literal('UNUSED')]),
  qty: Type.Integer(),
  serial: Type.String(),
  part: Type.Object({ sku: Type.String(), name: Type.String() }),
  orderId: Type.String(),
  orderNumber: Type.Integer(),
  tenantId: Type.String(),
  assetName: Type.String(),
  to: Type.String({ description: 'code of the destination: the repair depot or a stock location' }),
  finding: Nullable(FindingSchema),
  findingBy: Nullable(Type.String()),
  findingAt: Nullable(Type.String()),
  predictionId: Nullable(Type.String()),
  modelVersion: Nullable(Type.String()),
  outcome: Nullable(Type.String({ description: 'outcome of the prediction that raised the order' })),
  createdAt: Type.String(),
  receivedAt: Nullable(Type.String()),
  closedAt: Nullable(Type.String()),
  routeReason: Nullable(
    Type.String({ description: 'why it goes to `to`: the location whose parts-plan target it fills' }),
  ),
  tracking: Type.Object({
    carrier: Nullable(Type.String()),
    state: Type.String({ description: 'AWAITING_PICKUP, PICKED_UP, IN_TRANSIT, DELIVERED or EXCEPTION' }),
    at: Nullable(Type.String()),
  }),
  transfer: Nullable(ReturnTransferSchema),
  writtenOff: Nullable(
    Type.Object(
      {
        at: Type.String(),
        reason: Nullable(Type.String()),
        resentAs: Nullable(
          Type.String({
            description:
              'TRF- code of the transfer that re-sent an unused part (POST /api/parts/consignments/{ref}/resend)',
          }),
        ),
        resendable: Type.Boolean({
          description:
            'unused units bound for a stock location other than the hub, not turned up, not re-sent yet: the re-send applies',
        }),
      },
      {
        description: 'lost or damaged with the carrier, written off on its exception; null: not written off',
      },
    ),
  ),
});

export const IdParams = Type.Object({ id: Type.String() });

/** Error answers of routes that change things. */
export const refusals = {
  400: errorSchema,
  401: errorSchema,
  403: errorSchema,
  404: errorSchema,
  409: errorSchema,
};
