// `npm run predict:worker`: a predict worker as a process of its own. The platform runs with
// PREDICT_MODE=workers and hands stored readings over NATS JetStream; each worker owns a share of the asset
// partitions and evaluates their readings in order. docs/scale-out.md, "Predict workers".
import { configOrExit, onStopSignal } from '../../common/cli.ts';
import { HealthRegistry } from '../../common/health.ts';
import { workerHttp } from '../../common/http/worker-http.ts';
import { createLogger } from '../../common/logger.ts';
import { migrate } from '../../common/migrate.ts';
import { startPredictWorker } from './start-worker.ts';

const config = configOrExit();
if (!config.databaseUrl) {
  console.error(
    'preempt predict worker: set DATABASE_URL (and NATS_URL) of the platform it joins (docs/scale-out.md)',
  );
  process.exit(78);
}
const log = createLogger({ level: config.logLevel, pretty: config.logPretty });
try {
  await migrate(config.databaseUrl, log.child({ module: 'migrate' }));
  const running = await startPredictWorker(config, config.databaseUrl, log);
  // PORT serves GET /api/health and GET /metrics (open, or with METRICS_TOKEN), as on an ingest worker
  const health = new HealthRegistry();
  health.register('predictWorker', () => ({
    status: 'up',
    detail: running.worker.report(),
  }));
  const app = await workerHttp(log, health, config.metricsToken);
  await app.listen({ port: config.port, host: config.host });
  log.info(
    { worker: running.id, partitions: config.predictPartitions, nats: config.natsUrl, port: config.port },
    'predict worker running',
  );
  onStopSignal(async (signal) => {
    log.info({ signal, worker: running.id }, 'predict worker stopping: handing its partitions over');
    await app.close();
    await running.stop();
    process.exit(0);
  });
} catch (err) {
  log.fatal({ err }, 'predict worker could not start');
  process.exit(1);
}
