// Wires one predict worker on real services: PostgreSQL (models, assets, orders), the telemetry store (rebuilds)
// and NATS JetStream (readings in, predictions out, membership). Used by `npm run predict:worker`, the
// integration test and the bench.
import { hostname } from 'node:os';
import { systemClock, type Clock } from '../../common/clock.ts';
import type { Config } from '../../common/config.ts';
import { createDb } from '../../common/db.ts';
import type { Logger } from '../../common/logger.ts';
import { createTelemetryStore } from '../../common/telemetry/create-store.ts';
import { NatsWorkerCarrier } from '../adapters/nats-carrier.ts';
import { PrismaPredictionStore } from '../adapters/prediction-store.ts';
import { PredictService } from '../predict-service.ts';
import { ForwardingBus, PredictWorker } from './predict-worker.ts';

export const HEARTBEAT_MS = 2_000;

export type WorkerConfig = Pick<
  Config,
  | 'natsUrl'
  | 'predictPartitions'
  | 'predictRebuildHours'
  | 'predictStreamHours'
  | 'predictWorkerId'
  | 'influxUrl'
  | 'influxToken'
  | 'influxOrg'
  | 'influxBucket'
  | 'storeTimeoutMs'
>;

export interface RunningWorker {
  id: string;
  worker: PredictWorker;
  service: PredictService;
  stop(): Promise<void>;
}

export async function startPredictWorker(
  config: WorkerConfig,
  databaseUrl: string,
  log: Logger,
  o: {
    clock?: Clock;
    heartbeatMs?: number;
    namespace?: string;
    replayFrom?: number;
    gate?: Promise<void>;
  } = {},
): Promise<RunningWorker> {
  const id = config.predictWorkerId || `${hostname()}-${process.pid}`;
  const heartbeatMs = o.heartbeatMs ?? HEARTBEAT_MS;
  const wlog = log.child({ worker: id });
  const clock = o.clock ?? systemClock;
  const db = createDb(databaseUrl);
  const telemetry = createTelemetryStore(config, databaseUrl);
  const carrier = await NatsWorkerCarrier.connect({
    url: config.natsUrl,
    name: `preempt-predict-${id}`,
    memberTtlMs: 3 * heartbeatMs,
    retentionHours: config.predictStreamHours,
    log: wlog.child({ module: 'nats' }),
    namespace: o.namespace,
  });
  const bus = new ForwardingBus((e) => carrier.publishEvent(e), wlog.child({ module: 'bus' }));
  const service = new PredictService(
    new PrismaPredictionStore(db),
    bus,
    clock,
    wlog.child({ module: 'predict' }),
  );
  const worker = new PredictWorker({
    id,
    partitions: config.predictPartitions,
    rebuildHours: config.predictRebuildHours,
    heartbeatMs,
    replayFrom: o.replayFrom,
    carrier,
    service,
    bus,
    telemetry,
    clock,
    log: wlog,
  });
  await worker.start(o.gate);
  return {
    id,
    worker,
    service,
    stop: async () => {
      await worker.stop();
      await carrier.close();
      await telemetry.close();
      await db.$disconnect();
    },
  };
}
