// The HTTP application: security headers, rate limits, OpenAPI at /docs, auth, and every module's plugin.
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { PlatformDeps } from './common/deps.ts';
import { PrismaAccounts } from './common/http/prisma-accounts.ts';
import { authPlugin } from './common/http/auth.ts';
import { authRoutes } from './common/http/auth-routes.ts';
import { healthRoute } from './common/http/health-route.ts';
import { installRequestValidators } from './common/http/ajv-options.ts';
import { installErrorHandler } from './common/http/error-handler.ts';
import { installInputGuard } from './common/http/input-guard.ts';
import { installHttpMetrics, metricsRoute } from './common/http/metrics-route.ts';
import { installPlatformMetrics } from './common/platform-metrics.ts';
import { adminPlugin } from './admin/plugin.ts';
import { dashboardPlugin } from './dashboard/plugin.ts';
import { dispatchPlugin } from './dispatch/plugin.ts';
import { fleetPlugin } from './fleet/plugin.ts';
import { ingestPlugin } from './ingest/plugin.ts';
import { notifyPlugin } from './notify/plugin.ts';
import { predictPlugin } from './predict/plugin.ts';

export async function buildHttpApp(
  deps: PlatformDeps,
  opts: { authSecret: string },
): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.log.child({ module: 'http' }) as FastifyBaseLogger,
    // one line per request is noise at this volume; errors are logged by the error handler
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 256 * 1024,
    trustProxy: trustProxyOption(deps.config.trustProxy),
  }).withTypeProvider<TypeBoxTypeProvider>();
  installRequestValidators(app);
  installErrorHandler(app);
  installInputGuard(app);
  installHttpMetrics(app);
  metricsRoute(app, { token: deps.config.metricsToken, openWithoutToken: deps.config.demo });
  const offMetrics = installPlatformMetrics(deps.db, deps.health);
  app.addHook('onClose', async () => offMetrics());
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        'script-src': ["'self'"],
        'style-src': ["'self'", "'unsafe-inline'"],
        // job photos are fetched with the bearer token and shown from blob: URLs (dashboard/public/job-report.js)
        'img-src': ["'self'", 'data:', 'blob:'],
        'connect-src': ["'self'", 'ws:', 'wss:'],
        'upgrade-insecure-requests': null,
      },
    },
  });
  await app.register(rateLimit, { global: false });
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Preempt API',
        version: '0.1.0',
        description: 'Predictive field service: telemetry, predictions, service orders and dispatch.',
      },
      components: {
        securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  const accounts = new PrismaAccounts(deps.db);
  await app.register(authPlugin, {
    secret: opts.authSecret,
    ttlMinutes: deps.config.tokenTtlMinutes,
    accounts,
  });
  await app.register(authRoutes, {
    db: deps.db,
    accounts,
    bus: deps.bus,
    loginLimitPerIp: deps.config.loginLimitPerIp,
  });
  await app.register(healthRoute, { health: deps.health });
  if (deps.config.ingestInProcess) await app.register(ingestPlugin, { deps });
  await app.register(predictPlugin, { deps });
  await app.register(dispatchPlugin, { deps });
  await app.register(fleetPlugin, { deps });
  await app.register(adminPlugin, { deps });
  await app.register(dashboardPlugin, { deps });
  await app.register(notifyPlugin, { deps });
  return app;
}

/** TRUST_PROXY as Fastify takes it: a hop count becomes "the nearest n hops" (its types have no number). */
function trustProxyOption(
  t: false | number | string,
): boolean | string | ((addr: string, hop: number) => boolean) {
  return typeof t === 'number' ? (_addr, hop) => hop < t : t;
}
