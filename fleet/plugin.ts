// The fleet as a fastify plugin: the assets and their telemetry (list, latest readings, the 24 h / 7 d / 30 d
// series), each asset's availability, and asset and device administration (register, decommission, the device
// list and the catalog). Decisions in core/ (availability, telemetry-period), PostgreSQL in adapters/.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { PlatformDeps } from '../common/deps.ts';
import { PrismaAssetAdmin } from './adapters/asset-admin.ts';
import { assetAdminRoutes } from './routes/asset-admin-routes.ts';
import { assetRoutes } from './routes/asset-routes.ts';
import { availabilityRoute } from './routes/availability-route.ts';
import { telemetrySeriesRoute } from './routes/telemetry-series-route.ts';

export const fleetPlugin: FastifyPluginAsyncTypebox<{ deps: PlatformDeps }> = async (app, { deps }) => {
  await app.register(assetRoutes, { db: deps.db, store: deps.store });
  await app.register(availabilityRoute, { db: deps.db });
  await app.register(telemetrySeriesRoute, { db: deps.db, store: deps.store });
  await app.register(assetAdminRoutes, { admin: new PrismaAssetAdmin(deps.db), clock: deps.clock });
};
