// Predict as a fastify plugin: streams readings through the model versions (predict-service.ts); engineers
// manage models and versions, backtest them and import run-to-failure histories through the API (routes/).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { PlatformDeps } from '../common/deps.ts';
import { HistoryStore } from './adapters/history-store.ts';
import { bridgePredictWorkers } from './adapters/nats-carrier.ts';
import { ModelRegistry } from './adapters/model-registry.ts';
import { PrismaPredictionStore } from './adapters/prediction-store.ts';
import { AlarmTrainings } from './alarm-trainings.ts';
import { Backtests } from './backtests.ts';
import { FleetImports } from './fleet-imports.ts';
import { HistoryImports } from './history-imports.ts';
import { PredictService } from './predict-service.ts';
import { alarmTrainingRoutes } from './routes/alarm-training-routes.ts';
import { backtestRoutes } from './routes/backtest-routes.ts';
import { fleetHistoryRoutes } from './routes/fleet-history-routes.ts';
import { historyRoutes } from './routes/history-routes.ts';
import { modelRoutes } from './routes/model-routes.ts';
import { predictionRoutes } from './routes/prediction-routes.ts';

export const predictPlugin: FastifyPluginAsyncTypebox<{ deps: PlatformDeps }> = async (app, { deps }) => {
  const log = deps.log.child({ module: 'predict' });
  const service = new PredictService(new PrismaPredictionStore(deps.db), deps.bus, deps.clock, log);
  const registry = new ModelRegistry(deps.db);
  const backtests = new Backtests(
    { db: deps.db, store: deps.store, clock: deps.clock, log, dataDir: deps.config.dataDir },
    registry,
  );
  const histories = new HistoryStore(deps.db);
  if (!deps.databaseUrl)
    throw new Error('predict needs the database URL (history imports write from a worker)');
  const imports = new HistoryImports({
    store: histories,
    databaseUrl: deps.databaseUrl,
    clock: deps.clock,
    log,
    dataDir: deps.config.dataDir,
    ...(deps.importLimits ? { limits: deps.importLimits } : {}),
  });
  const fleetImports = new FleetImports({
    databaseUrl: deps.databaseUrl,
    clock: deps.clock,
    log,
    dataDir: deps.config.dataDir,
    ...(deps.importLimits ? { limits: deps.importLimits } : {}),
  });
  const alarmTrainings = new AlarmTrainings({
    databaseUrl: deps.databaseUrl,
    clock: deps.clock,
    log,
    bus: deps.bus,
  });
  app.addHook('onClose', () => alarmTrainings.close());
  const workers = deps.config.predictMode === 'workers';
  let bridge: Awaited<ReturnType<typeof bridgePredictWorkers>> | undefined;
  deps.health.register('predict', async () => {
    // with workers: degraded while none is alive (readings wait in the stream)
    const alive = bridge ? await bridge.workers() : undefined;
    return {
      status: alive && alive.length === 0 ? 'degraded' : 'up',
      detail: {
        mode: deps.config.predictMode,
        ...(bridge ? { handedToWorkers: bridge.publisher.published, workers: alive } : {}),
        predictions: service.predictions,
        shadowPredictions: service.shadowPredictions,
        backtestsRunning: backtests.active,
        historyImportsRunning: imports.active,
        fleetImportsRunning: fleetImports.active,
        alarmTrainingsRunning: alarmTrainings.active,
      },
    };
  });
  app.addHook('onReady', async () => {
    const interrupted = await backtests.runs.failInterrupted();
    if (interrupted) log.warn({ runs: interrupted }, 'backtests interrupted by the last stop marked failed');
    if (!workers) return service.start();
    // readings go to `npm run predict:worker` processes; what they raise comes back onto the bus
    bridge = await bridgePredictWorkers(deps.bus, {
      url: deps.config.natsUrl,
      partitions: deps.config.predictPartitions,
      retentionHours: deps.config.predictStreamHours,
      log: log.child({ component: 'predict-workers' }),
    });
    log.info(
      { nats: deps.config.natsUrl, partitions: deps.config.predictPartitions },
      'predict runs in workers',
    );
  });
  app.addHook('onClose', () =>
    Promise.all([backtests.close(), imports.close(), fleetImports.close(), bridge?.stop()]),
  );

  await app.register(modelRoutes, { registry, runs: backtests.runs, bus: deps.bus });
  await app.register(backtestRoutes, { backtests, registry });
  await app.register(historyRoutes, { histories, imports, registry, bus: deps.bus });
  await app.register(fleetHistoryRoutes, { db: deps.db, imports: fleetImports });
  await app.register(alarmTrainingRoutes, { db: deps.db, trainings: alarmTrainings });
  await app.register(predictionRoutes, { db: deps.db });
};
