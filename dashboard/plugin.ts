// The dashboard as a fastify plugin: login, assets and their availability, health, read-only admin lists,
// the live channel (socket.io) and the web pages.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { PlatformDeps } from '../common/deps.ts';
import { liveMetrics, onScrape } from '../common/metrics.ts';
import { PrismaAccounts } from '../common/http/prisma-accounts.ts';
import { relayToLive } from './live/live-relay.ts';
import { createSocketServer } from './live/socket-server.ts';
import { adminRoutes } from './routes/admin-routes.ts';
import { userAdminRoutes } from './routes/user-admin-routes.ts';
import { PrismaUserAdmin } from './adapters/prisma-user-admin.ts';
import { assetRoutes } from './routes/asset-routes.ts';
import { authRoutes } from './routes/auth-routes.ts';
import { availabilityRoute } from './routes/availability-route.ts';
import { telemetrySeriesRoute } from './routes/telemetry-series-route.ts';
import { healthRoute } from '../common/http/health-route.ts';
import { metaRoute } from './routes/meta-route.ts';
import { assetAdminRoutes } from './routes/asset-admin-routes.ts';
import { PrismaAssetAdmin } from './adapters/asset-admin.ts';
import { tenantAdminRoutes } from './routes/tenant-admin-routes.ts';
import { PrismaTenantAdmin } from './adapters/tenant-admin.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

export const dashboardPlugin: FastifyPluginAsyncTypebox<{ deps: PlatformDeps }> = async (app, { deps }) => {
  const accounts = new PrismaAccounts(deps.db);
  await app.register(authRoutes, { db: deps.db, accounts, bus: deps.bus });
  await app.register(healthRoute, { health: deps.health });
  await app.register(assetRoutes, { db: deps.db, store: deps.store });
  await app.register(availabilityRoute, { db: deps.db });
  await app.register(telemetrySeriesRoute, { db: deps.db, store: deps.store });
  await app.register(adminRoutes, { db: deps.db });
  await app.register(userAdminRoutes, { admin: new PrismaUserAdmin(deps.db), bus: deps.bus });
  await app.register(assetAdminRoutes, { admin: new PrismaAssetAdmin(deps.db), clock: deps.clock });
  await app.register(tenantAdminRoutes, { admin: new PrismaTenantAdmin(deps.db) });
  await app.register(metaRoute);

  await app.register(fastifyStatic, { root: path.join(here, 'public'), prefix: '/', index: ['index.html'] });
  await app.register(fastifyStatic, {
    root: path.dirname(require.resolve('uplot/dist/uPlot.esm.js')),
    prefix: '/vendor/uplot/',
    decorateReply: false,
  });

  let live: { close(): Promise<void> } | undefined;
  let offMetrics: (() => void) | undefined;
  app.addHook('onReady', async () => {
    const server = createSocketServer(app.server, {
      authenticate: (token) => app.checkToken(token),
      accounts,
      onRevoked: (handler) => deps.bus.on('auth.revoked', (r) => handler(r.userId)),
      assetTenant: async (id) =>
        (await deps.db.asset.findUnique({ where: { id }, select: { tenantId: true } }))?.tenantId,
      log: deps.log.child({ module: 'live' }),
    });
    live = server;
    relayToLive(deps.bus, server.channel);
    offMetrics = onScrape(() => liveMetrics.clients.set(server.io.engine.clientsCount));
  });
  app.addHook('preClose', async () => {
    offMetrics?.();
    await live?.close();
  });
};
