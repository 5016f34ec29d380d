// Workers mode (INGEST_IN_PROCESS=false): every reading a worker stored reaches the platform's bus exactly once,
// through `kill -9` of the worker and a restart of the broker. Counted three ways: rows stored, announcements on
// the wire (a raw subscriber to preempt/internal/ingested: at-least-once), and `reading.ingested` on the bus the
// platform's relay feeds (deduplicated by asset and time).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INGESTED_TOPIC, topics, type IngestedAnnouncement } from '../../common/contracts/mqtt.ts';
import { createDb, type Db } from '../../common/db.ts';
import { EventBus } from '../../common/event-bus.ts';
import type { PlatformEvents } from '../../common/events.ts';
import { createLogger } from '../../common/logger.ts';
import { receiveIngested } from '../../ingest/adapters/ingested-relay.ts';
import { testBroker } from '../helpers/broker.ts';
import { freshDatabase, type TestDatabase } from '../helpers/database.ts';
import { recordDrill } from '../helpers/drill-record.ts';
import { minimalWorld } from '../helpers/fixtures.ts';
import { DEVICE_PASSWORD, deviceClient, endSession, ingestRig } from '../helpers/ingest-rig.ts';
import { hasMosquitto, startMosquitto, type PrivateMosquitto } from '../helpers/mosquitto.ts';
import { eventually } from '../helpers/platform.ts';
import { freePort } from '../helpers/ports.ts';

const ASSETS = ['pump-0', 'pump-1'];
const TEST_FILE = 'test/integration/ingest-announce.test.ts';

interface Tally {
  total: number;
  distinct: Set<string>;
}
const tally = (): Tally => ({ total: 0, distinct: new Set() });

/**
 * The drill's readings: days old, at a random hour, so readings other tests publish for their own pump-0 on a
 * shared broker (this worker takes all telemetry it is given) are not counted.
 */
function drillTimes(n: number) {
  const from = Date.now() - 2 * 86_400_000 - Math.floor(Math.random() * 20 * 3_600_000);
  return { from, to: from + n, at: (i: number) => from + i };
}
type DrillTimes = ReturnType<typeof drillTimes>;

/** One worker process, the platform's relay into a bus, a raw subscriber on the wire, and devices. */
async function announceRig(brokerUrl: string, database: TestDatabase, db: Db) {
  const id = `preempt-ann-${randomBytes(3).toString('hex')}`;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'preempt-announce-'));
  const port = await freePort();
  let worker: ChildProcess | undefined;
  const health = async () =>
    (await (await fetch(`http://127.0.0.1:${port}/api/health`)).json()) as {
      components: { ingest?: { status: string; detail?: { accepted?: number } } };
    };
  const startWorker = async () => {
    worker = spawn(process.execPath, ['--import', 'tsx', 'ingest/main.ts'], {
      env: {
        ...process.env,
        DATABASE_URL: database.url,
        MQTT_URL: brokerUrl,
        MQTT_CLIENT_ID: id,
        DATA_DIR: dataDir,
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    await eventually(async () => (await health()).components.ingest?.status === 'up', 30_000);
  };
  const killWorker = async (signal: NodeJS.Signals) => {
    const w = worker!;
    if (w.exitCode !== null || w.signalCode !== null) return;
    const exited = new Promise((r) => w.once('exit', r));
    w.kill(signal);
    await exited;
  };

  // the platform side, as platform.ts wires it (fixed client id, persistent session)
  const bus = new EventBus<PlatformEvents>(createLogger({ level: 'silent' }));
  let times: DrillTimes = { from: 0, to: 0, at: (i) => i };
  const count = (t: Tally, assetId: string, ts: number) => {
    if (!ASSETS.includes(assetId) || ts < times.from || ts >= times.to) return;
    t.total++;
    t.distinct.add(`${assetId}|${ts}`);
  };
  const onBus = tally();
  bus.on('reading.ingested', (r) => count(onBus, r.assetId, r.ts.getTime()));
  const codesOnBus: string[] = [];
  bus.on('event.ingested', (e) => {
    if (ASSETS.includes(e.assetId) && e.ts.getTime() >= times.from && e.ts.getTime() < times.to)
      codesOnBus.push(`${e.assetId}|${e.code}|${e.severity}|${e.ts.getTime()}`);
  });
  const platformId = `${id}-platform`;
  const startRelay = () =>
    receiveIngested(bus, { url: brokerUrl, clientId: platformId }, createLogger({ level: 'silent' }));
  let stopRelay = await startRelay();
  // what travels on the wire, before any deduplication
  const wireId = `${id}-wire`;
  const onWire = tally();
  const wire = await mqtt.connectAsync(brokerUrl, { clientId: wireId, clean: false, reconnectPeriod: 300 });
  wire.on('message', (_t, payload) => {
    const a = JSON.parse(payload.toString()) as IngestedAnnouncement;
    for (const r of a.readings) count(onWire, r.assetId, r.ts);
  });
  await wire.subscribeAsync(INGESTED_TOPIC, { qos: 1 });

  const devices: MqttClient[] = await Promise.all(
    ASSETS.map((a) =>
      mqtt.connectAsync(brokerUrl, {
        clientId: `dev-${a}-${randomBytes(3).toString('hex')}`,
        username: a,
        password: DEVICE_PASSWORD,
        reconnectPeriod: 300,
      }),
    ),
  );
  const stored = () =>
    db.telemetryPoint.count({
      where: { assetId: { in: ASSETS }, ts: { gte: new Date(times.from), lt: new Date(times.to) } },
    });

  return {
    onBus,
    codesOnBus,
    onWire,
    devices,
    stored,
    /** The readings this drill publishes (and counts). */
    times(n: number) {
      times = drillTimes(n);
      for (const t of [onBus, onWire]) {
        t.total = 0;
        t.distinct.clear();
      }
      codesOnBus.length = 0;
      return times;
    },
    /** Stops the platform's relay, as a platform restart does (its session stays at the broker). */
    relayDown: () => stopRelay(),
    /** Starts it again, with the same client id and a fresh memory of what it has seen. */
    async relayUp() {
      stopRelay = await startRelay();
    },
    startWorker,
    killWorker,
    accepted: async () => (await health()).components.ingest?.detail?.accepted ?? 0,
    /** Waits until every acknowledged reading is stored and (up to `ms`) every stored one is on the bus. */
    async settle(acked: number) {
      await eventually(async () => (await stored()) >= acked, 30_000).catch(async (err: unknown) => {
        throw new Error(`${await stored()} of ${acked} acknowledged readings stored: ${String(err)}`);
      });
      await eventually(async () => onBus.distinct.size >= (await stored()), 15_000).catch(() => undefined);
      await new Promise((r) => setTimeout(r, 1_500)); // late duplicates, if any
      const rows = await stored();
      return {
        stored: rows,
        wireTotal: onWire.total,
        wireDistinct: onWire.distinct.size,
        busTotal: onBus.total,
        busDistinct: onBus.distinct.size,
      };
    },
    async close() {
      for (const d of devices) await d.endAsync(true);
      if (worker) await killWorker('SIGTERM');
      await stopRelay();
      await wire.endAsync(true);
      for (const c of [id, platformId, wireId]) await endSession(brokerUrl, c).catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

type Rig = Awaited<ReturnType<typeof announceRig>>;
type Counts = Awaited<ReturnType<Rig['settle']>>;

/** What reached the platform: the Lost column of docs/reliability.md. */
const lostOnBus = (c: Counts) =>
  `${c.stored - c.busDistinct} of ${c.stored} stored readings missing on the bus, ${c.busTotal - c.busDistinct} twice`;
/** What travelled on the wire before the relay dropped repeats. */
const onTheWire = (c: Counts) =>
  `wire: ${c.wireTotal} announced for ${c.stored} stored (${c.wireTotal - c.wireDistinct} repeats, ` +
  `${c.stored - c.wireDistinct} never announced)`;

const expectExactlyOnce = (c: Counts, acked: number) => {
  expect(c.stored).toBe(acked);
  expect(c.wireDistinct).toBe(c.stored); // at-least-once on the wire
  expect(c.busDistinct).toBe(c.stored); // nothing stored is missing on the bus
  expect(c.busTotal).toBe(c.stored); // and nothing arrives twice
};

describe('ingest worker announcements: worker killed, platform away', () => {
  let database: TestDatabase;
  let db: Db;
  let stopBroker: () => Promise<void>;
  let rig: Rig;

  beforeAll(async () => {
    database = await freshDatabase();
    db = createDb(database.url);
    await minimalWorld(db, { assets: ASSETS.length });
    let brokerUrl: string;
    if (process.env.TEST_MQTT_URL) {
      brokerUrl = process.env.TEST_MQTT_URL;
      stopBroker = async () => undefined;
    } else if (hasMosquitto()) {
      const m = await startMosquitto(() => ['max_queued_messages 0']);
      brokerUrl = m.url;
      stopBroker = m.stop;
    } else {
      const b = await testBroker();
      brokerUrl = b.url;
      stopBroker = b.stop;
    }
    rig = await announceRig(brokerUrl, database, db);
    await rig.startWorker();
  }, 60_000);

  afterAll(async () => {
    await rig?.close();
    await stopBroker?.();
    await db?.$disconnect();
    await database?.drop();
  });

  it('puts every stored reading on the platform bus exactly once', async () => {
    const n = 2_000;
    const t = rig.times(n);
    let acked = 0;
    let killed = false;
    const window = 20; // publishes in flight at once, so the worker drains batches, not single readings
    for (let i = 0; i < n; i += window) {
      // a stock Mosquitto queues 1,000 messages per client (online or not) and drops the rest: stay within 400
      // of ingest while it runs, and publish fewer than 800 while it is down
      if (!killed && i % 100 === 0)
        await eventually(async () => (await rig.accepted()) >= i - 400, 20_000, 20);
      await Promise.all(
        Array.from({ length: window }, (_, j) => {
          const k = (i + j) % ASSETS.length;
          return rig.devices[k]!.publishAsync(
            topics.telemetry('acme', ASSETS[k]!),
            JSON.stringify({ ts: t.at(i + j), metrics: { vibration: 1 + ((i + j) % 90) } }),
            { qos: 1 },
          );
        }),
      );
      acked += window;
      if (i === 1_200) {
        await rig.killWorker('SIGKILL'); // mid-stream: readings journaled, stored, announced or not yet
        killed = true;
      }
    }
    await rig.startWorker();
    const c = await rig.settle(acked);
    recordDrill({
      drill: `kill -9 of an ingest worker (INGEST_IN_PROCESS=false) while devices publish ${acked} readings; restart`,
      behaviour: `journal checkpointed only after store write and announcement PUBACK; restart replayed; ${onTheWire(c)}`,
      lost: lostOnBus(c),
      test: TEST_FILE,
    });
    expectExactlyOnce(c, acked);
  }, 120_000);

  it("announces the equipment's error codes it stored: each once on the platform bus (the ALARM kind reads them)", async () => {
    const t = rig.times(10);
    const iso = (ms: number) => new Date(ms).toISOString();
    const device = rig.devices[1]!;
    const topic = topics.events('acme', ASSETS[1]!);
    await device.publishAsync(
      topic,
      JSON.stringify({ code: 'E42', severity: 'critical', ts: iso(t.at(1)) }),
      {
        qos: 1,
      },
    );
    const batch = {
      events: [
        { code: 'E7', ts: iso(t.at(2)) },
        { code: 'E42', ts: iso(t.at(3)) },
      ],
    };
    await device.publishAsync(topic, JSON.stringify(batch), { qos: 1 });
    // the same code again (a device re-sending): stored once, on the bus once
    await device.publishAsync(topic, JSON.stringify(batch), { qos: 1 });
    const stored = () =>
      db.assetEvent.count({ where: { ts: { gte: new Date(t.from), lt: new Date(t.to) } } });
    await eventually(async () => (await stored()) === 3, 20_000);
    await eventually(async () => rig.codesOnBus.length >= 3, 10_000);
    await new Promise((r) => setTimeout(r, 1_000)); // late duplicates, if any
    expect([...rig.codesOnBus].sort()).toEqual(
      [
        `pump-1|E42|critical|${t.at(1)}`,
        `pump-1|E7|warning|${t.at(2)}`,
        `pump-1|E42|warning|${t.at(3)}`,
      ].sort(),
    );
  }, 60_000);

  it('keeps the announcements for the platform while it is down (persistent session)', async () => {
    const n = 600;
    const t = rig.times(n);
    await rig.relayDown();
    for (let i = 0; i < n; i += 20)
      await Promise.all(
        Array.from({ length: 20 }, (_, j) => {
          const k = (i + j) % ASSETS.length;
          return rig.devices[k]!.publishAsync(
            topics.telemetry('acme', ASSETS[k]!),
            JSON.stringify({ ts: t.at(i + j), metrics: { vibration: 2 } }),
            { qos: 1 },
          );
        }),
      );
    await eventually(async () => (await rig.stored()) >= n, 30_000);
    await eventually(async () => rig.onWire.distinct.size >= n, 10_000); // announced while the platform was away
    expect(rig.onBus.total).toBe(0);
    await rig.relayUp();
    const c = await rig.settle(n);
    recordDrill({
      drill: `platform's relay stopped while an ingest worker stores and announces ${n} readings, then started again`,
      behaviour: `the broker kept the announcements in the platform's persistent session; ${onTheWire(c)}`,
      lost: lostOnBus(c),
      test: TEST_FILE,
    });
    expectExactlyOnce(c, n);
  }, 60_000);
});

describe.skipIf(!hasMosquitto())('ingest worker announcements: broker restart', () => {
  let database: TestDatabase;
  let db: Db;
  let broker: PrivateMosquitto;
  let rig: Rig;

  beforeAll(async () => {
    database = await freshDatabase();
    db = createDb(database.url);
    await minimalWorld(db, { assets: ASSETS.length });
    // a broker that keeps sessions (and their queued and in-flight messages) across its restart
    broker = await startMosquitto((dir) => [
      'persistence true',
      `persistence_location ${dir}/`,
      'max_queued_messages 0',
    ]);
    rig = await announceRig(broker.url, database, db);
    await rig.startWorker();
  }, 60_000);

  afterAll(async () => {
    await rig?.close();
    await broker?.stop();
    await db?.$disconnect();
    await database?.drop();
  });

  it('puts every stored reading on the platform bus exactly once', async () => {
    const n = 5_000;
    const t = rig.times(n);
    const window = 100;
    let restart: Promise<void> | undefined;
    for (let i = 0; i < n; i += window) {
      await Promise.all(
        Array.from({ length: window }, (_, j) => {
          const k = (i + j) % ASSETS.length;
          return rig.devices[k]!.publishAsync(
            topics.telemetry('acme', ASSETS[k]!),
            JSON.stringify({ ts: t.at(i + j), metrics: { vibration: 1 + ((i + j) % 90) } }),
            { qos: 1 },
          );
        }),
      );
      if (i === 2_500) restart = broker.restart(1_000); // while messages and announcements are in flight
    }
    await restart;
    const c = await rig.settle(n);
    recordDrill({
      drill: `restart of a private Mosquitto (persistence on) while devices publish ${n} readings to an ingest worker (INGEST_IN_PROCESS=false)`,
      behaviour: `all reconnected; the relay dropped repeats by (asset, ts); ${onTheWire(c)}`,
      lost: lostOnBus(c),
      test: TEST_FILE,
    });
    expectExactlyOnce(c, n);
  }, 120_000);
});

describe('in-process ingest (INGEST_IN_PROCESS=true)', () => {
  it('puts a reading that a device sends twice on the bus once', async () => {
    const rig = await ingestRig({ assets: 1 });
    try {
      const asset = rig.assets[0]!;
      const { from: ts, to } = drillTimes(1_001);
      const onBus: number[] = [];
      rig.bus.on('reading.ingested', (r) => {
        if (r.assetId === asset && r.ts.getTime() >= ts && r.ts.getTime() < to) onBus.push(r.ts.getTime());
      });
      const device = await deviceClient(rig.broker.url, asset);
      for (const t of [ts, ts, ts + 1_000, ts])
        // e.g. re-sent after a lost PUBACK: journaled and stored again
        await device.publishAsync(
          topics.telemetry(rig.tenant, asset),
          JSON.stringify({ ts: t, metrics: { vibration: 2 } }),
          { qos: 1 },
        );
      await device.endAsync();
      await eventually(async () => Number(rig.service.health().detail?.stored) >= 4, 10_000);
      await rig.bus.drain();
      const stored = await rig.db.telemetryPoint.count({
        where: { assetId: asset, ts: { gte: new Date(ts), lt: new Date(to) } },
      });
      expect(stored).toBe(2);
      expect(onBus.sort()).toEqual([ts, ts + 1_000]);
    } finally {
      await rig.close();
    }
  });
});
