// The dashboard as a fastify plugin: login, assets and their availability, health, read-only admin lists,
// the live channel (socket.io) and the web pages.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { PlatformDeps } from '../common/deps.ts';
import { relayToLive } from './live/live-relay.ts';
import { createSocketServer, type LiveServer } from './live/socket-server.ts';
import { adminRoutes } from './routes/admin-routes.ts';
import { assetRoutes } from './routes/asset-routes.ts';
import { authRoutes } from './routes/auth-routes.ts';
import { availabilityRoute } from './routes/availability-route.ts';
import { healthRoute } from './routes/health-route.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

export const dashboardPlugin: FastifyPluginAsyncTypebox<{ deps: PlatformDeps }> = async (app, { deps }) => {
  await app.register(authRoutes, { db: deps.db });
  await app.register(healthRoute, { health: deps.health });
  await app.register(assetRoutes, { db: deps.db, store: deps.store });
  await app.register(availabilityRoute, { db: deps.db });
  await app.register(adminRoutes, { db: deps.db });

  await app.register(fastifyStatic, { root: path.join(here, 'public'), prefix: '/', index: ['index.html'] });
  await app.register(fastifyStatic, {
    root: path.dirname(require.resolve('uplot/dist/uPlot.esm.js')),
    prefix: '/vendor/uplot/',
    decorateReply: false,
  });

  let io: LiveServer | undefined;
  app.addHook('onReady', async () => {
    const live = createSocketServer(app.server, {
      verify: (token) => app.verifyToken(token),
      assetTenant: async (id) =>
        (await deps.db.asset.findUnique({ where: { id }, select: { tenantId: true } }))?.tenantId,
      log: deps.log.child({ module: 'live' }),
    });
    io = live.io;
    relayToLive(deps.bus, live.channel);
  });
  app.addHook('preClose', async () => {
    await io?.close();
  });
};
