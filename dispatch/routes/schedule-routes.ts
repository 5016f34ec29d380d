// The schedule board over HTTP: technicians × time with bookings, shifts, counter hours, conflicts and late
// bookings (GET /api/schedule), and the preview of moving a booking to another technician or time
// (POST /api/orders/{id}/reassign/preview), which changes nothing; POST /api/orders/{id}/reassign confirms it.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Clock } from '../../common/clock.ts';
import { AppError } from '../../common/errors.ts';
import { bearer } from '../../common/http/auth.ts';
import { errorSchema } from '../../common/http/error-handler.ts';
import type { ScheduleReader } from '../adapters/schedule-reader.ts';
import { DAY_MS } from '../core/planner/time.ts';
import { IdParams } from './schemas.ts';

/** The longest range one board covers. */
export const MAX_RANGE_DAYS = 14;
const DEFAULT_DAYS = 3;

const Instant = Type.String({ format: 'date-time' });
const WindowSchema = Type.Object({ start: Instant, end: Instant });
const SegmentSchema = Type.Object({
  kind: Type.Union([Type.Literal('travel'), Type.Literal('collect'), Type.Literal('onsite')]),
  place: Type.String({ description: "the pickup's code, or `site`" }),
  start: Instant,
  end: Instant,
});
const ConflictSchema = Type.Object({
  code: Type.Union([Type.Literal('OVERLAP'), Type.Literal('OUTSIDE_SHIFT'), Type.Literal('SKILL_MISMATCH')]),
  detail: Type.String(),
});
const RefusalSchema = Type.Union([Type.Null(), Type.Object({ code: Type.String(), message: Type.String() })]);

export const ScheduleSchema = Type.Object({
  from: Instant,
  to: Instant,
  technicians: Type.Array(
    Type.Object({
      code: Type.String(),
      name: Type.String(),
      skills: Type.Array(Type.String()),
      shifts: Type.Array(WindowSchema),
      bookings: Type.Array(
        Type.Object({
          orderId: Type.String(),
          number: Type.Integer(),
          status: Type.String(),
          assetName: Type.String(),
          skill: Type.String(),
          start: Instant,
          end: Instant,
          etaAt: Instant,
          expectedFailureAt: Instant,
          late: Type.Boolean({ description: 'the ETA is after the expected failure' }),
          lateByMinutes: Type.Integer(),
          reason: Type.Union([Type.String(), Type.Null()], { description: 'why it is late' }),
          segments: Type.Array(SegmentSchema),
          conflicts: Type.Array(ConflictSchema),
        }),
      ),
    }),
  ),
  counters: Type.Array(
    Type.Object({ code: Type.String(), name: Type.String(), openings: Type.Array(WindowSchema) }),
  ),
  unbooked: Type.Array(
    Type.Object({
      orderId: Type.String(),
      number: Type.Integer(),
      status: Type.String(),
      assetName: Type.String(),
      reason: Type.String(),
    }),
  ),
  counts: Type.Object({
    bookings: Type.Integer(),
    conflicts: Type.Integer(),
    late: Type.Integer(),
    unbooked: Type.Integer(),
  }),
});

/** How far ahead of now a booking may be moved (`startAt`): past any board, far short of the year 9999. */
export const MAX_START_AHEAD_DAYS = 366;

export const MoveBodySchema = Type.Object({
  technician: Type.String({ minLength: 1, maxLength: 64, description: 'technician code, e.g. T-03' }),
  startAt: Type.Optional(
    Type.String({
      format: 'date-time',
      description: `the earliest the technician leaves for the job: at most ${MAX_START_AHEAD_DAYS} days from now`,
    }),
  ),
});

export const MovePreviewSchema = Type.Object({
  technician: Type.String(),
  startAt: Instant,
  etaAt: Type.Union([Instant, Type.Null()]),
  cost: Type.Union([Type.Number(), Type.Null()], { description: 'travel and shipping, no lateness penalty' }),
  onTime: Type.Union([Type.Boolean(), Type.Null()]),
  lateByMinutes: Type.Union([Type.Integer(), Type.Null()]),
  segments: Type.Array(SegmentSchema),
  conflicts: Type.Array(ConflictSchema),
  refusal: RefusalSchema,
});

const iso = (d: Date) => d.toISOString();

/** A date-time of the API as a Date, 400 when it is not one. */
export function instant(text: string | undefined, field: string): Date | undefined {
  if (text === undefined) return undefined;
  const d = new Date(text);
  if (Number.isNaN(d.getTime())) throw new AppError('VALIDATION_FAILED', `${field} is not a date-time`);
  return d;
}

/**
 * A move's `startAt`, at most MAX_START_AHEAD_DAYS ahead (VALIDATION_FAILED past it). Unbounded, a start late in
 * 9999 gave an ETA in year 10000, which the preview could not serialise and Prisma cannot write: 500 to both.
 */
export function moveStart(text: string | undefined, now: Date): Date | undefined {
  const d = instant(text, 'startAt');
  if (d && d.getTime() - now.getTime() > MAX_START_AHEAD_DAYS * DAY_MS)
    throw new AppError(
      'VALIDATION_FAILED',
      `startAt must lie at most ${MAX_START_AHEAD_DAYS} days from now, got ${d.toISOString()}`,
    );
  return d;
}

export const scheduleRoutes: FastifyPluginAsyncTypebox<{ schedule: ScheduleReader; clock: Clock }> = async (
  app,
  { schedule, clock },
) => {
  const dispatcher = app.requireRole('ADMIN', 'DISPATCHER');
  app.get(
    '/api/schedule',
    {
      onRequest: dispatcher,
      schema: {
        tags: ['dispatch'],
        summary: 'The schedule board: technicians × time, bookings, shifts, counter hours, conflicts',
        description:
          `From \`from\` (default: the start of today, UTC) to \`to\` (default: ${DEFAULT_DAYS} days later; at ` +
          `most ${MAX_RANGE_DAYS} days). Each booking is split into travel, collection and the repair on site, ` +
          'timed back from its ETA; `conflicts` name overlaps, bookings outside the shift and missing skills; ' +
          '`late` is the on-time verdict (ETA after the expected failure) with its reason; `unbooked` lists ' +
          'the open orders without a booking and why.',
        security: bearer,
        querystring: Type.Object({
          from: Type.Optional(Type.String({ format: 'date-time' })),
          to: Type.Optional(Type.String({ format: 'date-time' })),
        }),
        response: { 200: ScheduleSchema, 400: errorSchema, 401: errorSchema, 403: errorSchema },
      },
    },
    async (req) => {
      const today = Math.floor(clock.now().getTime() / DAY_MS) * DAY_MS;
      const from = instant(req.query.from, 'from') ?? new Date(today);
      const to = instant(req.query.to, 'to') ?? new Date(from.getTime() + DEFAULT_DAYS * DAY_MS);
      if (to <= from) throw new AppError('VALIDATION_FAILED', '`to` must be after `from`');
      if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY_MS)
        throw new AppError('VALIDATION_FAILED', `the board covers at most ${MAX_RANGE_DAYS} days`);
      const b = await schedule.board(from, to);
      const w = <T extends { start: Date; end: Date }>(x: T) => ({
        ...x,
        start: iso(x.start),
        end: iso(x.end),
      });
      return {
        ...b,
        from: iso(b.from),
        to: iso(b.to),
        technicians: b.technicians.map((t) => ({
          ...t,
          shifts: t.shifts.map(w),
          bookings: t.bookings.map((k) => ({
            ...w(k),
            etaAt: iso(k.etaAt),
            expectedFailureAt: iso(k.expectedFailureAt),
            segments: k.segments.map(w),
          })),
        })),
        counters: b.counters.map((c) => ({ ...c, openings: c.openings.map(w) })),
      };
    },
  );

  app.post(
    '/api/orders/:id/reassign/preview',
    {
      onRequest: dispatcher,
      schema: {
        tags: ['dispatch'],
        summary: 'Preview moving a booking to a technician and time: ETA, cost, verdict, conflicts',
        description:
          'Changes nothing. `refusal` is what `POST /api/orders/{id}/reassign` with the same body would be ' +
          'refused with (DISPATCH_NO_QUALIFIED_TECHNICIAN, DISPATCH_TECHNICIAN_BUSY, DISPATCH_SLOT_CONFLICT, ' +
          'VALIDATION_FAILED), or null when it would be applied.',
        security: bearer,
        params: IdParams,
        body: MoveBodySchema,
        response: {
          200: MovePreviewSchema,
          400: errorSchema,
          401: errorSchema,
          403: errorSchema,
          404: errorSchema,
          409: errorSchema,
        },
      },
    },
    async (req) => {
      const now = clock.now();
      const p = await schedule.preview(
        req.params.id,
        req.body.technician,
        moveStart(req.body.startAt, now),
        now,
      );
      return { ...p, segments: p.segments.map((s) => ({ ...s, start: iso(s.start), end: iso(s.end) })) };
    },
  );
};
