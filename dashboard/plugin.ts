// The dashboard as a fastify plugin: the web pages (public/, and uPlot for the charts), GET /api/meta (the shared
// constants the pages read) and the live channel (socket.io, live/). The HTTP API lives in the modules: fleet/,
// admin/, dispatch/, predict/, ingest/, notify/; login in common/http/auth-routes.ts.
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
import { metaRoute } from './routes/meta-route.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

export const dashboardPlugin: FastifyPluginAsyncTypebox<{ deps: PlatformDeps }> = async (app, { deps }) => {
  const accounts = new PrismaAccounts(deps.db);
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
