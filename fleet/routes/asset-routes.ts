import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Db } from '../../common/db.ts';
import { AppError } from '../../common/errors.ts';
import type { TelemetryStore } from '../../common/telemetry-store.ts';
import { canSeeTenant, tenantScope } from '../../common/http/access.ts';
import { bearer } from '../../common/http/auth.ts';

const AssetSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  serial: Type.String(),
  tenantId: Type.String(),
  tenant: Type.String(),
  site: Type.String(),
  lat: Type.Number(),
  lon: Type.Number(),
  equipmentModel: Type.String(),
  metrics: Type.Array(Type.Object({ name: Type.String(), unit: Type.String() })),
  slaTier: Type.String(),
  state: Type.String(),
  online: Type.Boolean(),
  lastSeenAt: Type.Union([Type.String(), Type.Null()]),
});

const Point = Type.Object({
  ts: Type.String(),
  value: Type.Number(),
  min: Type.Optional(Type.Number()),
  max: Type.Optional(Type.Number()),
  count: Type.Optional(Type.Integer()),
});

export const assetRoutes: FastifyPluginAsyncTypebox<{ db: Db; store: TelemetryStore }> = async (
  app,
  { db, store },
) => {
  const visibleAsset = async (id: string, user: Parameters<typeof canSeeTenant>[0]) => {
    const asset = await db.asset.findUnique({ where: { id }, select: { id: true, tenantId: true } });
    if (!asset || !canSeeTenant(user, asset.tenantId)) throw new AppError('NOT_FOUND', `no asset ${id}`);
    return asset;
  };

  app.get(
    '/api/assets',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['assets'],
        summary:
          'Assets visible to the caller (in service: decommissioned ones are in GET /api/admin/devices)',
        security: bearer,
        response: { 200: Type.Array(AssetSchema) },
      },
    },
    async (req) => {
      const scope = tenantScope(req.user);
      const rows = await db.asset.findMany({
        where: { decommissionedAt: null, ...(scope ? { tenantId: scope } : {}) },
        include: { tenant: true, site: true, equipmentModel: { include: { metrics: true } }, contract: true },
        orderBy: { id: 'asc' },
      });
      return rows.map((a) => ({
        id: a.id,
        name: a.name,
        serial: a.serial,
        tenantId: a.tenantId,
        tenant: a.tenant.name,
        site: a.site.name,
        lat: a.site.lat,
        lon: a.site.lon,
        equipmentModel: a.equipmentModel.name,
        metrics: a.equipmentModel.metrics.map((m) => ({ name: m.name, unit: m.unit })),
        slaTier: a.contract.tier,
        state: a.state,
        online: a.online,
        lastSeenAt: a.lastSeenAt?.toISOString() ?? null,
      }));
    },
  );

  app.get(
    '/api/assets/:assetId/telemetry',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['assets'],
        summary:
          'Raw points of one metric, or windowed aggregates (mean, min, max, count) when `every` (seconds) is given',
        security: bearer,
        params: Type.Object({ assetId: Type.String() }),
        querystring: Type.Object({
          metric: Type.String({ minLength: 1 }),
          from: Type.Optional(Type.String({ format: 'date-time' })),
          to: Type.Optional(Type.String({ format: 'date-time' })),
          every: Type.Optional(Type.Integer({ minimum: 1, maximum: 86_400 * 30 })),
          limit: Type.Integer({ minimum: 1, maximum: 100_000, default: 5_000 }),
        }),
        response: {
          200: Type.Object({ assetId: Type.String(), metric: Type.String(), points: Type.Array(Point) }),
        },
      },
    },
    async (req) => {
      const asset = await visibleAsset(req.params.assetId, req.user);
      const to = req.query.to ? new Date(req.query.to) : new Date();
      const from = req.query.from ? new Date(req.query.from) : new Date(to.getTime() - 3_600_000);
      if (from > to) throw new AppError('VALIDATION_FAILED', '`from` must not be after `to`');
      const q = { assetId: asset.id, metric: req.query.metric, from, to, limit: req.query.limit };
      const points = req.query.every
        ? (await store.aggregate({ ...q, everyMs: req.query.every * 1000 })).map((w) => ({
            ts: w.ts.toISOString(),
            value: w.mean,
            min: w.min,
            max: w.max,
            count: w.count,
          }))
        : (await store.range(q)).map((p) => ({ ts: p.ts.toISOString(), value: p.value }));
      return { assetId: asset.id, metric: req.query.metric, points };
    },
  );
};
