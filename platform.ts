// The composition root: what runs where. Embedded PostgreSQL and MQTT broker unless DATABASE_URL / MQTT_URL
// say otherwise (docs/adr/0001-embedded-defaults.md), migrations, the demo world, the HTTP app and the fleet.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { systemClock, type Clock } from './common/clock.ts';
import type { Config } from './common/config.ts';
import { createDb, type Db } from './common/db.ts';
import type { PlatformDeps } from './common/deps.ts';
import { startEmbeddedBroker, type EmbeddedBroker } from './common/embedded/mqtt-broker.ts';
import { embeddedMqttPort, httpPortInUse, portInUse } from './common/embedded/port-check.ts';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from './common/embedded/postgres.ts';
import { EventBus } from './common/event-bus.ts';
import type { PlatformBus, PlatformEvents } from './common/events.ts';
import { HealthRegistry } from './common/health.ts';
import { createLogger, type Logger } from './common/logger.ts';
import { migrate } from './common/migrate.ts';
import { createTelemetryStore } from './common/telemetry/create-store.ts';
import type { TelemetryStore } from './common/telemetry-store.ts';
import { buildHttpApp } from './http-app.ts';
import { DeviceAuthority } from './ingest/adapters/device-authority.ts';
import { receiveIngested } from './ingest/adapters/ingested-relay.ts';
import { watchWorkers } from './ingest/adapters/worker-heartbeat.ts';
import { announceDemoBroker } from './simulators/demo-broker.ts';
import { seedDemo } from './simulators/demo-seed.ts';
import { demoDevicePassword } from './simulators/demo-world.ts';
import { FleetRunner, type FleetRunnerOptions } from './simulators/fleet-runner.ts';

export interface PlatformOptions {
  log?: Logger;
  clock?: Clock;
  /** Run the demo fleet in demo mode (default true); overrides for tests. */
  fleet?: boolean | Partial<Omit<FleetRunnerOptions, 'mqttUrl' | 'devices'>>;
  /** Wraps the telemetry store (tests use it to switch the store off like a failing server). */
  wrapStore?: (store: TelemetryStore) => TelemetryStore;
  /** Leave the demo fleet unstarted (a test starts it with `platform.fleet.start()` once it listens). */
  fleetManualStart?: boolean;
  /** Overrides of the history uploads' limits (a test's stalled upload is cut sooner). */
  importLimits?: { uploadIdleMs?: number };
}

export interface Platform {
  app: FastifyInstance;
  url: string;
  db: Db;
  databaseUrl: string;
  mqttUrl: string;
  bus: PlatformBus;
  store: TelemetryStore;
  fleet?: FleetRunner;
  close(): Promise<void>;
}

/** A secret kept in DATA_DIR: generated on first use, the same on every restart. */
function keptSecret(dataDir: string, name: string): string {
  const file = path.join(dataDir, name);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const value = randomBytes(32).toString('base64url');
  writeFileSync(file, value + '\n', { mode: 0o600 });
  return value;
}

export async function startPlatform(config: Config, opts: PlatformOptions = {}): Promise<Platform> {
  const log = opts.log ?? createLogger({ level: config.logLevel, pretty: config.logPretty });
  const clock = opts.clock ?? systemClock;
  const cleanup: (() => Promise<unknown>)[] = [];
  const close = async () => {
    for (const fn of cleanup.reverse()) {
      const t0 = Date.now();
      await fn().catch((err: unknown) => log.warn({ err }, 'error during shutdown'));
      log.debug({ step: fn.name || 'cleanup', ms: Date.now() - t0 }, 'shutdown step done');
    }
  };
  try {
    let mqttPort = config.mqttPort;
    if (!config.mqttUrl) {
      const chosen = await embeddedMqttPort({ port: config.mqttPort, given: config.mqttPortGiven });
      if (chosen.moved)
        log.warn(
          { taken: config.mqttPort, port: chosen.port },
          `MQTT port ${config.mqttPort} is taken (another broker?): the embedded broker listens on ` +
            `${chosen.port || 'a port the system picks'} instead; set MQTT_PORT to choose, or MQTT_URL to use that broker`,
        );
      mqttPort = chosen.port;
    }
    if (await portInUse(config.port, config.host)) throw httpPortInUse(config.port);
    mkdirSync(config.dataDir, { recursive: true });
    let pg: EmbeddedPostgresHandle | undefined;
    if (!config.databaseUrl) {
      pg = await startEmbeddedPostgres({
        dataDir: config.dataDir,
        port: config.embeddedPgPort,
        log: log.child({ module: 'postgres' }),
      });
      cleanup.push(() => pg!.stop());
      log.info({ port: config.embeddedPgPort, dataDir: pg.dataDir }, 'embedded PostgreSQL running');
    }
    const databaseUrl = config.databaseUrl ?? pg!.url;
    await migrate(databaseUrl, log.child({ module: 'migrate' }));
    const db = createDb(databaseUrl);
    cleanup.push(() => db.$disconnect());

    const authSecret = config.authSecret || keptSecret(config.dataDir, 'auth-secret');
    const runsFleet = config.demo && config.demoFleet && opts.fleet !== false;
    const fleetOptions = {
      // three days of logged readings every 15 minutes: the trend models' window, to see wear that develops
      // over days
      historyMinutes: 3 * 24 * 60,
      historyStepMs: 15 * 60_000,
      ...(typeof opts.fleet === 'object' ? opts.fleet : {}),
    };
    if (config.demo)
      await seedDemo(db, {
        assets: config.demoAssets,
        secret: authSecret,
        dataDir: config.dataDir,
        log: log.child({ module: 'demo' }),
        // new devices were online for the span whose readings they upload
        onlineSince:
          runsFleet && fleetOptions.historyMinutes
            ? new Date(Date.now() - fleetOptions.historyMinutes * 60_000)
            : undefined,
      });

    const baseStore = createTelemetryStore(config, databaseUrl);
    const store = opts.wrapStore ? opts.wrapStore(baseStore) : baseStore;
    cleanup.push(() => store.close());

    let broker: EmbeddedBroker | undefined;
    const mqttCreds = { username: config.mqttUsername, password: config.mqttPassword };
    if (!config.mqttUrl) {
      mqttCreds.password ||= keptSecret(config.dataDir, 'mqtt-password');
      broker = await startEmbeddedBroker({
        port: mqttPort,
        authority: new DeviceAuthority(db, mqttCreds),
        reservedClientIds: [config.mqttClientId, config.mqttUsername],
        log: log.child({ module: 'broker' }),
      });
      cleanup.push(() => broker!.stop());
    }
    const mqttUrl = config.mqttUrl ?? broker!.url;
    if (config.demo) {
      // `npm run simulate` (the demo's devices) talks to this broker even when MQTT_PORT is not given to it
      const announced = announceDemoBroker(config.dataDir, mqttUrl);
      cleanup.push(async () => announced.forget());
    }

    const bus: PlatformBus = new EventBus<PlatformEvents>(log.child({ module: 'bus' }));
    const health = new HealthRegistry();
    health.register(
      'database',
      async () => {
        await db.$queryRaw`SELECT 1`;
        return { status: 'up', detail: { embedded: !config.databaseUrl } };
      },
      { critical: true },
    );
    health.register('telemetryStore', async () => {
      await store.ping();
      return { status: 'up', detail: { kind: store.kind } };
    });
    health.register('broker', () => ({
      status: 'up',
      detail: { embedded: !config.mqttUrl, url: mqttUrl.replace(/\/\/.*@/, '//') },
    }));

    const deps: PlatformDeps = {
      config,
      log,
      db,
      databaseUrl,
      store,
      bus,
      clock,
      health,
      mqtt: { url: mqttUrl, ...mqttCreds },
      ...(opts.importLimits ? { importLimits: opts.importLimits } : {}),
    };
    if (!config.ingestInProcess) {
      // ingest runs in `npm run ingest` workers: what they store reaches predict and the dashboard over the broker
      const relay = { url: mqttUrl, ...mqttCreds, clientId: `${config.mqttClientId}-platform` };
      cleanup.push(await receiveIngested(bus, relay, log.child({ module: 'ingest-relay' })));
      // their heartbeats: health lists them, and is degraded while none is alive
      const watch = { ...relay, clientId: `${config.mqttClientId}-workers` };
      cleanup.push(watchWorkers(health, watch, log.child({ module: 'ingest-workers' })));
    }
    const app = await buildHttpApp(deps, { authSecret });
    cleanup.push(async () => {
      await app.close();
      await bus.drain();
    });
    try {
      await app.listen({ port: config.port, host: config.host });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') throw httpPortInUse(config.port);
      throw err;
    }
    const address = app.server.address();
    const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : config.port}`;

    let fleet: FleetRunner | undefined;
    if (runsFleet) {
      const devices = await db.device.findMany({
        include: { asset: { include: { tenant: true, equipmentModel: true } } },
        orderBy: { assetId: 'asc' },
      });
      fleet = new FleetRunner({
        mqttUrl,
        intervalMs: config.simulatorIntervalMs,
        seed: config.simulatorSeed,
        // the demo's scenario: of the assets already wearing at the start, about half fail within the order
        // horizon (12 hours to 2.5 days), so predicted jobs arrive from the first minute; the rest follow
        failWithinHours: [12, 60],
        groundTruthFile: path.join(config.dataDir, 'ground-truth.json'),
        log: log.child({ module: 'simulator' }),
        ...fleetOptions,
        devices: devices.map((d) => ({
          assetId: d.assetId,
          tenant: d.asset.tenant.slug,
          equipment: d.asset.equipmentModel.key,
          username: d.username,
          password: demoDevicePassword(authSecret, d.username),
        })),
      });
      bus.on('order.view', (o) => {
        if (o.status === 'COMPLETED') fleet!.fleet.restore(o.assetId);
      });
      if (!opts.fleetManualStart) await fleet.start();
      // the demo's devices stop with the platform: its own gap, not the devices' going offline (docs/adr/0028)
      cleanup.push(() => fleet!.stop({ sayOffline: false }));
    }
    log.info(
      { url, demo: config.demo, mqtt: mqttUrl.replace(/\/\/.*@/, '//'), telemetry: store.kind },
      'Preempt is running',
    );
    return { app, url, db, databaseUrl, mqttUrl, bus, store, fleet, close };
  } catch (err) {
    await close();
    throw err;
  }
}
