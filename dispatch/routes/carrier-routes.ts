// Carrier webhooks: POST /api/carriers/{carrier}/events takes tracking events signed with the carrier's
// HMAC-SHA256 secret (CARRIER_SECRETS). Signature and timestamp are checked on the raw body before anything else
// (401); an event id seen before answers 200 and changes nothing; a late or failed delivery goes on the bus.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Clock } from '../../common/clock.ts';
import { AppError } from '../../common/errors.ts';
import type { PlatformBus } from '../../common/events.ts';
import { errorSchema } from '../../common/http/error-handler.ts';
import type { PrismaCarrierEvents } from '../adapters/carrier-events.ts';
import { checkSignature, eventTimeRefusal } from '../core/carrier.ts';

const raw = Symbol('rawBody');

/** A carrier's id: a string, or a whole number (several carriers send numeric ids), stored as its decimal string. */
const carrierId = (maxLength: number, description: string) =>
  Type.Union(
    [
      Type.String({ minLength: 1, maxLength }),
      Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }),
    ],
    {
      description,
    },
  );
type WithRaw = { [raw]?: string };

export const carrierRoutes: FastifyPluginAsyncTypebox<{
  carriers: PrismaCarrierEvents;
  secrets: Record<string, string>;
  bus: PlatformBus;
  clock: Clock;
}> = async (app, { carriers, secrets, bus, clock }) => {
  // this plugin's scope only: keep the raw body, the signature is over its exact bytes
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'string', bodyLimit: 64 * 1024 },
    (req, body, done) => {
      (req as unknown as WithRaw)[raw] = body as string;
      try {
        done(null, JSON.parse(body as string));
      } catch {
        done(new AppError('VALIDATION_FAILED', 'the body is not JSON'), undefined);
      }
    },
  );

  app.post(
    '/api/carriers/:carrier/events',
    {
      preValidation: async (req, reply) => {
        const { carrier } = req.params as { carrier: string };
        const header = (n: string) => {
          const v = req.headers[n];
          return Array.isArray(v) ? v[0] : v;
        };
        const check = checkSignature({
          secret: Object.hasOwn(secrets, carrier) ? secrets[carrier] : undefined,
          timestamp: header('x-carrier-timestamp'),
          signature: header('x-carrier-signature'),
          body: (req as unknown as WithRaw)[raw] ?? '',
          nowMs: clock.now().getTime(),
        });
        if (!check.ok)
          return reply.status(401).send({ code: 'CARRIER_SIGNATURE_INVALID', message: check.why });
      },
      schema: {
        tags: ['carriers'],
        summary: "A carrier's tracking event (picked up, in transit, delivered, exception)",
        description:
          'Headers: `x-carrier-timestamp` (Unix seconds, within 5 minutes of our clock) and `x-carrier-signature` ' +
          '(`sha256=` + hex HMAC-SHA256 of `<timestamp>.<raw body>` under the carrier secret from CARRIER_SECRETS). ' +
          '401 CARRIER_SIGNATURE_INVALID otherwise. Idempotent on `eventId`: a replay answers 200 with ' +
          '`duplicate: true` and changes nothing. An `at` more than 10 minutes after our clock is 400 ' +
          'VALIDATION_FAILED (nothing stored). A late delivery or an exception flags the order for re-planning. ' +
          'A stock transfer or return delivered is booked in at its destination; its exception is announced to staff.',
        params: Type.Object({ carrier: Type.String({ pattern: '^[a-z0-9-]{1,40}$' }) }),
        body: Type.Object({
          eventId: carrierId(
            128,
            "the carrier's id of this event (a string, or a whole number as some carriers send)",
          ),
          shipmentId: carrierId(
            64,
            "what the event is about: an order's shipment id, a stock transfer (`TRF-000123` or its id) or a " +
              'return shipment (`RMA-000042` or its id); a whole number is taken as its decimal string',
          ),
          kind: Type.Union([
            Type.Literal('PICKED_UP'),
            Type.Literal('IN_TRANSIT'),
            Type.Literal('DELIVERED'),
            Type.Literal('EXCEPTION'),
          ]),
          at: Type.String({ format: 'date-time' }),
          detail: Type.Optional(Type.String({ maxLength: 500 })),
        }),
        response: {
          200: Type.Object({ duplicate: Type.Boolean(), state: Type.String() }),
          400: errorSchema,
          401: errorSchema,
          404: errorSchema,
        },
      },
    },
    async (req) => {
      const b = { ...req.body, eventId: String(req.body.eventId), shipmentId: String(req.body.shipmentId) };
      const at = new Date(b.at);
      const ahead = eventTimeRefusal(at, clock.now());
      if (ahead) throw new AppError('VALIDATION_FAILED', ahead);
      const r = await carriers.record(req.params.carrier, { ...b, at });
      if (r.consignmentProblem) {
        req.log.warn({ ...r.consignmentProblem }, 'carrier exception on a stock transfer or return');
        bus.emit('consignment.problem', r.consignmentProblem);
      }
      // a failed transfer carrying units reserved in transit re-plans the orders they serve, as a failed shipment
      if (r.problem && r.consignmentProblem)
        for (const o of r.transferOrders ?? [])
          bus.emit('shipment.problem', { ...o, shipmentId: r.consignmentProblem.id, ...r.problem });
      if (r.problem && r.orderId && r.tenantId)
        bus.emit('shipment.problem', {
          orderId: r.orderId,
          tenantId: r.tenantId,
          shipmentId: b.shipmentId,
          ...r.problem,
        });
      return { duplicate: r.duplicate, state: r.state };
    },
  );
};
