// Predict as a fastify plugin: streams readings through the model versions (predict-service.ts); engineers
// manage models and versions, backtest them and import run-to-failure histories through the API (routes/).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { PlatformDeps } from '../common/deps.ts';
import { HistoryStore } from './adapters/history-store.ts';
import { ModelRegistry } from './adapters/model-registry.ts';
import { PrismaPredictionStore } from './adapters/prediction-store.ts';
import { Backtests } from './backtests.ts';
import { FleetImports } from './fleet-imports.ts';
import { HistoryImports } from './history-imports.ts';
import { PredictService } from './predict-service.ts';
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
  });
  const fleetImports = new FleetImports({
    databaseUrl: deps.databaseUrl,
    clock: deps.clock,
    log,
    dataDir: deps.config.dataDir,
  });
  deps.health.register('predict', () => ({
    status: 'up',
    detail: {
      predictions: service.predictions,
      shadowPredictions: service.shadowPredictions,
      backtestsRunning: backtests.active,
      historyImportsRunning: imports.active,
      fleetImportsRunning: fleetImports.active,
    },
  }));
  app.addHook('onReady', async () => {
    const interrupted = await backtests.runs.failInterrupted();
    if (interrupted) log.warn({ runs: interrupted }, 'backtests interrupted by the last stop marked failed');
    await service.start();
  });
  app.addHook('onClose', () => Promise.all([backtests.close(), imports.close(), fleetImports.close()]));

  await app.register(modelRoutes, { registry, runs: backtests.runs, bus: deps.bus });
  await app.register(backtestRoutes, { backtests, registry });
  await app.register(historyRoutes, { histories, imports, registry, bus: deps.bus });
  await app.register(fleetHistoryRoutes, { db: deps.db, imports: fleetImports });
  await app.register(predictionRoutes, { db: deps.db });
};
