// An asset's telemetry over 24 h, 7 d or 30 d, downsampled by the store: per-bucket mean, min and max of each
// metric, at most MAX_POINTS buckets per series (the bucket size from fleet/core/telemetry-period.ts).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Db } from '../../common/db.ts';
import { AppError } from '../../common/errors.ts';
import { canSeeTenant } from '../../common/http/access.ts';
import { bearer } from '../../common/http/auth.ts';
import { errorSchema } from '../../common/http/error-handler.ts';
import type { TelemetryStore } from '../../common/telemetry-store.ts';
import { MAX_POINTS, seriesWindow } from '../core/telemetry-period.ts';

const Bucket = Type.Object({
  ts: Type.String({ description: 'start of the bucket' }),
  mean: Type.Number(),
  min: Type.Number(),
  max: Type.Number(),
  count: Type.Integer({ description: 'readings in the bucket' }),
});

const Series = Type.Object({
  assetId: Type.String(),
  period: Type.String(),
  from: Type.String(),
  to: Type.String(),
  bucketMs: Type.Integer({
    description: 'bucket size; buckets are aligned to the epoch, empty ones left out',
  }),
  maxPoints: Type.Integer(),
  series: Type.Array(
    Type.Object({
      metric: Type.String(),
      unit: Type.String(),
      points: Type.Array(Bucket, { maxItems: MAX_POINTS }),
    }),
  ),
});

export const telemetrySeriesRoute: FastifyPluginAsyncTypebox<{ db: Db; store: TelemetryStore }> = async (
  app,
  { db, store },
) => {
  app.get(
    '/api/assets/:assetId/series',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['assets'],
        summary:
          'Telemetry of the last 24 h, 7 d or 30 d, downsampled by the store (mean, min, max per bucket)',
        description:
          `At most ${MAX_POINTS} buckets per metric: 5 min over 24 h, 30 min over 7 d, 2 h over 30 d. ` +
          'Every metric of the asset, or the one named by `metric`. A decommissioned asset ends when it left service.',
        security: bearer,
        params: Type.Object({ assetId: Type.String() }),
        querystring: Type.Object({
          period: Type.Union([Type.Literal('24h'), Type.Literal('7d'), Type.Literal('30d')], {
            default: '24h',
          }),
          metric: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
        }),
        response: { 200: Series, 404: errorSchema },
      },
    },
    async (req) => {
      const asset = await db.asset.findUnique({
        where: { id: req.params.assetId },
        select: {
          id: true,
          tenantId: true,
          decommissionedAt: true,
          equipmentModel: { select: { metrics: { select: { name: true, unit: true } } } },
        },
      });
      if (!asset || !canSeeTenant(req.user, asset.tenantId))
        throw new AppError('NOT_FOUND', `no asset ${req.params.assetId}`);
      const metrics = req.query.metric
        ? asset.equipmentModel.metrics.filter((m) => m.name === req.query.metric)
        : asset.equipmentModel.metrics;
      if (req.query.metric && metrics.length === 0)
        throw new AppError('NOT_FOUND', `asset ${asset.id} has no metric ${req.query.metric}`);
      const w = seriesWindow(req.query.period, asset.decommissionedAt ?? new Date());
      const series = await Promise.all(
        metrics.map(async (m) => {
          const buckets = await store.aggregate({
            assetId: asset.id,
            metric: m.name,
            from: w.from,
            to: w.to,
            everyMs: w.bucketMs,
            limit: MAX_POINTS,
          });
          return {
            metric: m.name,
            unit: m.unit,
            points: buckets.map((b) => ({
              ts: b.ts.toISOString(),
              mean: b.mean,
              min: b.min,
              max: b.max,
              count: b.count,
            })),
          };
        }),
      );
      return {
        assetId: asset.id,
        period: req.query.period,
        from: w.from.toISOString(),
        to: w.to.toISOString(),
        bucketMs: w.bucketMs,
        maxPoints: MAX_POINTS,
        series,
      };
    },
  );
};
