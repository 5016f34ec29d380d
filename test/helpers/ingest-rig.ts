// The ingest pipeline composed as the platform composes it, for integration tests: real broker, real
// PostgreSQL adapters, a journal on disk, and a telemetry store that can be switched off like a failing server.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mqtt from 'mqtt';
import { systemClock } from '../../common/clock.ts';
import { createDb, type Db } from '../../common/db.ts';
import { EventBus } from '../../common/event-bus.ts';
import type { PlatformEvents } from '../../common/events.ts';
import { createLogger } from '../../common/logger.ts';
import { hashPassword } from '../../common/password.ts';
import { PostgresTelemetryStore } from '../../common/telemetry/postgres-store.ts';
import type { TelemetryPoint, TelemetryStore } from '../../common/telemetry-store.ts';
import { PrismaAssetDirectory } from '../../ingest/adapters/asset-directory.ts';
import { PrismaConnectivityStore } from '../../ingest/adapters/connectivity-store.ts';
import { DeviceAuthority } from '../../ingest/adapters/device-authority.ts';
import { FileJournal } from '../../ingest/adapters/file-journal.ts';
import { PrismaEventStore } from '../../ingest/adapters/event-store.ts';
import { PrismaRejectStore } from '../../ingest/adapters/reject-store.ts';
import { mosquittoAuthFiles, mosquittoPasswordHash } from '../../ingest/core/mosquitto-auth.ts';
import { IngestService } from '../../ingest/ingest-service.ts';
import { testBroker, type TestBroker } from './broker.ts';
import { freshDatabase, type TestDatabase } from './database.ts';
import { minimalWorld } from './fixtures.ts';
import { startMosquitto, type PrivateMosquitto } from './mosquitto.ts';

/** A TelemetryStore that refuses writes while `down` is set. */
export class SwitchableStore implements TelemetryStore {
  down = false;
  writes = 0;
  constructor(private readonly inner: TelemetryStore) {}
  get kind() {
    return this.inner.kind;
  }
  async write(points: readonly TelemetryPoint[]) {
    this.writes++;
    if (this.down) throw new Error('telemetry store unreachable (switched off by the test)');
    await this.inner.write(points);
  }
  range: TelemetryStore['range'] = (q) => this.inner.range(q);
  aggregate: TelemetryStore['aggregate'] = (q) => this.inner.aggregate(q);
  latest: TelemetryStore['latest'] = (a) => this.inner.latest(a);
  ping = async () => {
    if (this.down) throw new Error('down');
    await this.inner.ping();
  };
  close = () => this.inner.close();
}

export const PLATFORM = { username: 'preempt-ingest', password: randomBytes(8).toString('hex') };
export const DEVICE_PASSWORD = 'device-secret-1';

export interface IngestRigOptions {
  assets?: number;
  journalMaxBytes?: number;
  /** Another broker than the test broker (e.g. a Mosquitto the test started). */
  brokerUrl?: string;
  /** Starts the broker on the rig's database (e.g. an embedded one even when TEST_MQTT_URL is set). */
  broker?: (db: Db) => Promise<TestBroker>;
}

export interface IngestRig {
  db: Db;
  database: TestDatabase;
  broker: TestBroker;
  store: SwitchableStore;
  bus: EventBus<PlatformEvents>;
  service: IngestService;
  clientId: string;
  tenant: string;
  assets: string[];
  /** Starts a new IngestService on the same journal and session (a restart). */
  restart(): Promise<void>;
  pointCount(assetId?: string): Promise<number>;
  close(): Promise<void>;
}

export async function ingestRig(opts: IngestRigOptions = {}): Promise<IngestRig> {
  const database = await freshDatabase();
  const db = createDb(database.url);
  const world = await minimalWorld(db, { assets: opts.assets ?? 3 });
  const secretHash = await hashPassword(DEVICE_PASSWORD);
  const brokerHash = mosquittoPasswordHash(DEVICE_PASSWORD);
  for (const a of world.assets)
    await db.device.create({ data: { assetId: a.id, username: a.id, secretHash, brokerHash } });
  const broker: TestBroker = opts.brokerUrl
    ? { url: opts.brokerUrl, external: true, stop: async () => undefined }
    : opts.broker
      ? await opts.broker(db)
      : await testBroker(new DeviceAuthority(db, PLATFORM));
  const pgStore = new PostgresTelemetryStore(database.url);
  const store = new SwitchableStore(pgStore);
  const bus = new EventBus<PlatformEvents>(createLogger({ level: 'silent' }));
  const journalDir = mkdtempSync(path.join(os.tmpdir(), 'preempt-ingest-journal-'));
  const clientId = `preempt-it-${randomBytes(4).toString('hex')}`;
  const log = createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const directory = new PrismaAssetDirectory(db);
  await directory.refresh();

  const make = () =>
    new IngestService({
      mqttUrl: broker.url,
      ...PLATFORM,
      clientId,
      store,
      journal: new FileJournal({ dir: journalDir }),
      journalMaxBytes: opts.journalMaxBytes ?? 64 << 20,
      directory,
      rejects: new PrismaRejectStore(db),
      events: new PrismaEventStore(db),
      connectivity: new PrismaConnectivityStore(db),
      bus,
      clock: systemClock,
      log,
    });
  const rig: IngestRig = {
    db,
    database,
    broker,
    store,
    bus,
    service: make(),
    clientId,
    tenant: world.tenant.slug,
    assets: world.assets.map((a) => a.id),
    async restart() {
      await rig.service.stop();
      rig.service = make();
      await rig.service.start();
    },
    async pointCount(assetId) {
      return db.telemetryPoint.count({ where: assetId ? { assetId } : {} });
    },
    async close() {
      await rig.service.stop();
      await endSession(broker.url, clientId);
      await store.close();
      await broker.stop();
      await db.$disconnect();
      await database.drop();
      rmSync(journalDir, { recursive: true, force: true });
    },
  };
  await rig.service.start();
  return rig;
}

/** Removes a persistent session from the broker (clean start), so a shared broker keeps nothing for it. */
export async function endSession(url: string, clientId: string): Promise<void> {
  const c = await mqtt.connectAsync(url, { clientId, clean: true, ...PLATFORM, reconnectPeriod: 0 });
  await c.endAsync();
}

/** An MQTT.js client acting as one device (its own credentials, a client id of its own: `<username>-…`). */
export function deviceClient(url: string, assetId: string) {
  return mqtt.connectAsync(url, {
    clientId: `${assetId}-${randomBytes(3).toString('hex')}`,
    username: assetId,
    password: DEVICE_PASSWORD,
    reconnectPeriod: 0,
  });
}

/**
 * A private Mosquitto configured with the files `npm run mosquitto:auth` writes for the rig's devices (pump-0,
 * pump-1 of tenant acme, DEVICE_PASSWORD) and the platform's user: password file and ACL, no anonymous clients.
 */
export function startRigMosquitto(): Promise<PrivateMosquitto> {
  const files = mosquittoAuthFiles(
    ['pump-0', 'pump-1'].map((a) => ({
      username: a,
      tenant: 'acme',
      assetId: a,
      brokerHash: mosquittoPasswordHash(DEVICE_PASSWORD),
    })),
    { username: PLATFORM.username, brokerHash: mosquittoPasswordHash(PLATFORM.password) },
  );
  return startMosquitto((dir) => {
    writeFileSync(path.join(dir, 'passwd'), files.passwd);
    writeFileSync(path.join(dir, 'acl'), files.acl);
    return ['allow_anonymous false', `password_file ${dir}/passwd`, `acl_file ${dir}/acl`];
  }, PLATFORM);
}
