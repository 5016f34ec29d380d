// `npm run ingest`: an ingest worker as a process of its own, joining a platform that runs on real services.
// Start the platform with INGEST_IN_PROCESS=false and as many workers as needed, each with its own
// MQTT_CLIENT_ID, PORT and (with INGEST_SHARE_GROUP) a share of the load. docs/scale-out.md
import { configOrExit, onStopSignal } from '../common/cli.ts';
import { systemClock } from '../common/clock.ts';
import { createDb } from '../common/db.ts';
import type { PlatformDeps } from '../common/deps.ts';
import { EventBus } from '../common/event-bus.ts';
import type { PlatformBus, PlatformEvents } from '../common/events.ts';
import { HealthRegistry } from '../common/health.ts';
import { createLogger } from '../common/logger.ts';
import { migrate } from '../common/migrate.ts';
import { createTelemetryStore } from '../common/telemetry/create-store.ts';
import { workerHttp } from '../common/http/worker-http.ts';
import { startHeartbeat } from './adapters/worker-heartbeat.ts';
import { MqttAnnouncer } from './adapters/ingested-relay.ts';
import { ingestPlugin } from './plugin.ts';

const config = configOrExit();
if (!config.databaseUrl || !config.mqttUrl) {
  console.error(
    'preempt ingest: a worker joins a platform on real services: set DATABASE_URL and MQTT_URL (see docs/scale-out.md)',
  );
  process.exit(78);
}
const log = createLogger({ level: config.logLevel, pretty: config.logPretty }).child({
  worker: config.mqttClientId,
});
try {
  await migrate(config.databaseUrl, log.child({ module: 'migrate' }));
  const db = createDb(config.databaseUrl);
  const store = createTelemetryStore(config, config.databaseUrl);
  const bus: PlatformBus = new EventBus<PlatformEvents>(log.child({ module: 'bus' }));
  const health = new HealthRegistry();
  const mqtt = { url: config.mqttUrl, username: config.mqttUsername, password: config.mqttPassword };
  const deps: PlatformDeps = { config, log, db, store, bus, clock: systemClock, health, mqtt };
  // what the worker stores is announced to the platform; its journal advances only once the broker has it
  const announcer = await MqttAnnouncer.connect(
    { ...mqtt, clientId: `${config.mqttClientId}-announce` },
    log.child({ module: 'ingest-relay' }),
  );

  // the worker's port is private: health detail and /metrics are open unless METRICS_TOKEN is set
  const app = await workerHttp(log, health, config.metricsToken);
  await app.register(ingestPlugin, { deps, routes: false, announcer });
  await app.listen({ port: config.port, host: config.host });
  const heartbeat = startHeartbeat(
    { ...mqtt, clientId: `${config.mqttClientId}-heartbeat`, worker: config.mqttClientId },
    async () => {
      const ingest = (await health.report()).components.ingest;
      const d = ingest?.detail as
        { accepted?: number; stored?: number; journal?: { records: number; bytes: number } } | undefined;
      return {
        status: ingest?.status ?? 'down',
        ...(d?.journal ? { backlog: { records: d.journal.records, bytes: d.journal.bytes } } : {}),
        accepted: d?.accepted,
        stored: d?.stored,
      };
    },
    log.child({ module: 'heartbeat' }),
  );
  log.info({ port: config.port, shareGroup: config.ingestShareGroup || null }, 'ingest worker running');

  onStopSignal(async (signal) => {
    log.info({ signal }, 'ingest worker stopping: draining the journal');
    await heartbeat.stop();
    await app.close();
    await announcer.close();
    await store.close();
    await db.$disconnect();
    process.exit(0);
  });
} catch (err) {
  log.fatal({ err }, 'ingest worker could not start');
  process.exit(1);
}
