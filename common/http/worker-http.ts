// A worker process's private HTTP port (ingest and predict workers): GET /api/health, with its detail open unless
// METRICS_TOKEN is set, and GET /metrics (the same access). The caller registers its own plugins, then listens.
import Fastify, { LogController, type FastifyBaseLogger } from 'fastify';
import type { HealthRegistry } from '../health.ts';
import type { Logger } from '../logger.ts';
import { onScrape } from '../metrics.ts';
import { observeHealth } from '../platform-metrics.ts';
import { installRequestValidators } from './ajv-options.ts';
import { healthRoute } from './health-route.ts';
import { installHttpMetrics, metricsAccess, metricsRoute } from './metrics-route.ts';

export async function workerHttp(log: Logger, health: HealthRegistry, metricsToken: string) {
  const app = Fastify({
    loggerInstance: log.child({ module: 'http' }) as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
  });
  installRequestValidators(app);
  const metrics = { token: metricsToken, openWithoutToken: true };
  installHttpMetrics(app);
  metricsRoute(app, metrics);
  onScrape(() => observeHealth(health));
  await app.register(healthRoute, {
    health,
    showDetail: (req) => metricsAccess(req.headers.authorization, metrics).ok,
  });
  return app;
}
