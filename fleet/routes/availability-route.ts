// Availability of one asset (uptime share, MTBF, MTTR and an up/degraded/down/not-reporting timeline) from its
// state events.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Db } from '../../common/db.ts';
import { AppError } from '../../common/errors.ts';
import { canSeeTenant } from '../../common/http/access.ts';
import { availabilityReport, covered, MIN_COVERAGE, type StateEvent } from '../core/availability.ts';
import { bearer } from '../../common/http/auth.ts';
import { errorSchema } from '../../common/http/error-handler.ts';

const WINDOWS = { '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000 } as const;
const KINDS = ['connectivity', 'condition'];
const MAX_EVENTS = 20_000;

const Ms = Type.Union([Type.Number(), Type.Null()]);
const Availability = Type.Object({
  assetId: Type.String(),
  window: Type.String(),
  from: Type.String(),
  to: Type.String(),
  availability: Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()], {
    description: 'null when nothing is known, or withheld: less of the window covered than `minCoverage`',
  }),
  coverage: Type.Number({ minimum: 0, maximum: 1, description: 'share of the window with data' }),
  minCoverage: Type.Number({ description: 'the covered share below which the figure is withheld' }),
  withheld: Type.Boolean(),
  upMs: Type.Number(),
  degradedMs: Type.Number(),
  downMs: Type.Number({
    description: 'time the machine reported itself down (failed), until it reported up again',
  }),
  notReportingMs: Type.Number({
    description:
      'time the device was offline while its machine last reported up or degraded: neither up nor down',
  }),
  unknownMs: Type.Number(),
  failures: Type.Integer(),
  mtbfMs: Ms,
  mttrMs: Ms,
  segments: Type.Array(
    Type.Object({
      from: Type.String(),
      to: Type.String(),
      state: Type.Union([
        Type.Literal('up'),
        Type.Literal('degraded'),
        Type.Literal('down'),
        Type.Literal('not_reporting'),
        Type.Literal('unknown'),
      ]),
    }),
  ),
});

export const availabilityRoute: FastifyPluginAsyncTypebox<{ db: Db }> = async (app, { db }) => {
  app.get(
    '/api/assets/:assetId/availability',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['assets'],
        summary:
          'Availability over the last 24 h, 7 d or 30 d: share of known time up or degraded, MTBF, MTTR and the timeline',
        description:
          'Downtime and failures are what the machine reports (status `condition: down`), not its connection: time ' +
          'its device is offline while the machine last reported up is `not_reporting`, left out of availability, ' +
          'MTBF and MTTR (docs/adr/0028). ' +
          `With the covered share of the window (\`coverage\`, not-reporting time uncovered): below ${MIN_COVERAGE * 100}% ` +
          'the availability figure is withheld (null, `withheld: true`) rather than computed from a sliver of the window.',
        security: bearer,
        params: Type.Object({ assetId: Type.String() }),
        querystring: Type.Object({
          window: Type.Optional(Type.Union([Type.Literal('24h'), Type.Literal('7d'), Type.Literal('30d')])),
          period: Type.Optional(
            Type.Union([Type.Literal('24h'), Type.Literal('7d'), Type.Literal('30d')], {
              description: 'the same as `window` (the name the series route uses); default 24h',
            }),
          ),
        }),
        response: { 200: Availability, 400: errorSchema, 404: errorSchema },
      },
    },
    async (req) => {
      const { window: w, period } = req.query;
      if (w && period && w !== period)
        throw new AppError('VALIDATION_FAILED', `window ${w} and period ${period} disagree: give one`);
      const window = period ?? w ?? '24h';
      const asset = await db.asset.findUnique({
        where: { id: req.params.assetId },
        select: { id: true, tenantId: true, decommissionedAt: true },
      });
      if (!asset || !canSeeTenant(req.user, asset.tenantId))
        throw new AppError('NOT_FOUND', `no asset ${req.params.assetId}`);
      // a decommissioned asset counts only while it was in service
      const to = asset.decommissionedAt ?? new Date();
      const from = new Date(to.getTime() - WINDOWS[window]);
      const select = { at: true, kind: true, value: true } as const;
      const [before, within] = await Promise.all([
        Promise.all(
          KINDS.map((kind) =>
            db.assetStateEvent.findFirst({
              where: { assetId: asset.id, kind, at: { lte: from } },
              orderBy: { at: 'desc' },
              select,
            }),
          ),
        ),
        db.assetStateEvent.findMany({
          where: { assetId: asset.id, kind: { in: KINDS }, at: { gt: from, lte: to } },
          orderBy: [{ at: 'asc' }, { id: 'asc' }],
          take: MAX_EVENTS,
          select,
        }),
      ]);
      const events: StateEvent[] = [...before.filter((e) => e !== null), ...within].sort(
        (a, b) => a.at.getTime() - b.at.getTime(),
      );
      const r = availabilityReport(events, { from, to });
      const c = covered(r);
      return {
        assetId: asset.id,
        window,
        from: from.toISOString(),
        to: to.toISOString(),
        availability: c.availability,
        coverage: c.coverage,
        minCoverage: c.minCoverage,
        withheld: c.withheld,
        upMs: r.upMs,
        degradedMs: r.degradedMs,
        downMs: r.downMs,
        notReportingMs: r.notReportingMs,
        unknownMs: r.unknownMs,
        failures: r.failures,
        mtbfMs: r.mtbfMs,
        mttrMs: r.mttrMs,
        segments: r.segments.map((s) => ({
          from: s.from.toISOString(),
          to: s.to.toISOString(),
          state: s.state,
        })),
      };
    },
  );
};
