// Predict across workers on the real NATS JetStream and PostgreSQL: two workers split the asset partitions and
// each asset is evaluated by one of them; when one stops, its partitions move to the other, which rebuilds the
// assets' model state from the telemetry store and carries on; predictions reach the platform's bus once.
// Skips when no NATS with JetStream listens on 127.0.0.1:4222.
import { randomBytes } from 'node:crypto';
import { connect } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../../common/db.ts';
import { EventBus } from '../../common/event-bus.ts';
import type { PlatformEvents, PredictionRaised } from '../../common/events.ts';
import { createLogger } from '../../common/logger.ts';
import { loadConfig } from '../../common/config.ts';
import { PostgresTelemetryStore } from '../../common/telemetry/postgres-store.ts';
import { bridgePredictWorkers, natsNames, NatsWorkerCarrier } from '../../predict/adapters/nats-carrier.ts';
import type { ThresholdParams } from '../../predict/core/models/params.ts';
import { partitionOf } from '../../predict/core/partitions.ts';
import { startPredictWorker, type RunningWorker } from '../../predict/worker/start-worker.ts';
import { freshDatabase, type TestDatabase } from '../helpers/database.ts';
import { dispatchWorld, thresholdModel } from '../helpers/dispatch-world.ts';
import { addPumps } from '../helpers/fixtures.ts';
import { reachable } from '../helpers/ports.ts';

const NATS_URL = 'nats://127.0.0.1:4222';
const PARTITIONS = 8;

async function jetStreamAvailable(): Promise<boolean> {
  if (!(await reachable('127.0.0.1', 4222))) return false;
  try {
    const nc = await connect({ servers: NATS_URL, timeout: 1_000 });
    try {
      await (await nc.jetstreamManager()).getAccountInfo();
      return true;
    } finally {
      await nc.close();
    }
  } catch {
    return false;
  }
}
const natsUp = await jetStreamAvailable();

/** EWMA ½: the smoothed level depends on the asset's history, so a worker without the history decides otherwise. */
const params: ThresholdParams = {
  metric: 'vibration',
  direction: 'up',
  alertLevel: 8,
  leadHours: 3,
  ewmaAlpha: 0.5,
  windowPoints: 10,
  horizonHours: 48,
  confirmations: 2,
  marginMinutes: 60,
};

const waitFor = async (what: string, ok: () => boolean | Promise<boolean>, ms = 8_000) => {
  const until = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe.skipIf(!natsUp)('predict workers on NATS JetStream (real NATS, real PostgreSQL)', () => {
  const log = createLogger({ level: 'silent' });
  const namespace = `_t${randomBytes(4).toString('hex')}`;
  let tdb: TestDatabase;
  let db: Db;
  let store: PostgresTelemetryStore;
  let assets: { id: string; tenantId: string }[];
  const bus = new EventBus<PlatformEvents>(log);
  const raised: PredictionRaised[] = [];
  const created: string[] = [];
  let bridge: Awaited<ReturnType<typeof bridgePredictWorkers>>;
  let w1: RunningWorker;
  let w2: RunningWorker | undefined;

  beforeAll(async () => {
    tdb = await freshDatabase();
    db = createDb(tdb.url, { max: 5 });
    const w = await dispatchWorld(db);
    await addPumps(db, w.assets[0]!, 4, 12);
    assets = await db.asset.findMany({ select: { id: true, tenantId: true }, orderBy: { id: 'asc' } });
    await thresholdModel(db, w, params);
    store = new PostgresTelemetryStore(tdb.url);
    bus.on('prediction.raised', (p) => void raised.push(p));
    bus.on('order.created', (o) => void created.push(o.orderId));
    bridge = await bridgePredictWorkers(bus, {
      url: NATS_URL,
      partitions: PARTITIONS,
      retentionHours: 1,
      log,
      namespace,
    });
    const config = {
      ...loadConfig({}),
      natsUrl: NATS_URL,
      predictPartitions: PARTITIONS,
      predictRebuildHours: 1,
    };
    const start = (id: string) =>
      startPredictWorker({ ...config, predictWorkerId: id }, tdb.url, log, { heartbeatMs: 250, namespace });
    w1 = await start('w1');
    w2 = await start('w2');
  });

  afterAll(async () => {
    await w2?.stop();
    await w1?.stop();
    await bridge?.stop();
    const nc = await connect({ servers: NATS_URL });
    const jsm = await nc.jetstreamManager();
    const n = natsNames(namespace);
    for (const s of [n.readings, n.events, n.control, `KV_${n.members}`, `KV_${n.leases}`])
      await jsm.streams.delete(s).catch(() => undefined);
    await nc.close();
    await store?.close();
    await db?.$disconnect();
    await tdb?.drop();
  });

  /** As ingest does: store the reading, then put it on the bus (the platform hands it to the workers). */
  async function ingest(assetId: string, value: number, ts: Date) {
    const a = assets.find((x) => x.id === assetId)!;
    await store.write([{ assetId, metric: 'vibration', ts, value }]);
    bus.emit('reading.ingested', { assetId, tenantId: a.tenantId, ts, metrics: { vibration: value } });
  }
  const partition = (assetId: string) =>
    partitionOf(assets.find((a) => a.id === assetId)!.tenantId, assetId, PARTITIONS);

  it('splits the partitions, evaluates every asset on one worker, and hands them over when a worker stops', async () => {
    await waitFor(
      'both workers to own a disjoint share of all partitions',
      () =>
        w1.worker.partitions().length > 0 &&
        w2!.worker.partitions().length > 0 &&
        w1.worker.partitions().length + w2!.worker.partitions().length === PARTITIONS,
    );
    const own1 = new Set(w1.worker.partitions());
    const own2 = new Set(w2!.worker.partitions());
    expect([...own1].filter((p) => own2.has(p))).toEqual([]);
    // the platform sees both (its health lists them; it reads the members' bucket on its own)
    await waitFor(
      'the platform to list both workers',
      async () => (await bridge.workers()).map((w) => w.id).join() === 'w1,w2',
    );

    // a healthy history for every asset: three readings a second apart
    const t0 = Date.now() - 60_000;
    for (let i = 0; i < 3; i++) for (const a of assets) await ingest(a.id, 2, new Date(t0 + i * 1_000));
    await bridge.publisher.flush();
    const expected1 = assets.filter((a) => own1.has(partition(a.id))).length * 3;
    await waitFor(
      'every reading evaluated',
      () => w1.worker.readings + w2!.worker.readings === assets.length * 3,
    );
    expect(w1.worker.readings).toBe(expected1);
    expect(w2!.worker.readings).toBe(assets.length * 3 - expected1);
    expect(w1.service.evaluations + w2!.service.evaluations).toBe(assets.length * 3);
    expect(raised).toEqual([]);

    // w2 stops: w1 takes its partitions and rebuilds their assets from the telemetry store
    const moved = assets.filter((a) => own2.has(partition(a.id)));
    const stayed = assets.filter((a) => own1.has(partition(a.id)));
    expect(moved.length).toBeGreaterThan(0);
    expect(stayed.length).toBeGreaterThan(0);
    await w2!.stop();
    w2 = undefined;
    await waitFor('w1 to own every partition', () => w1.worker.partitions().length === PARTITIONS);
    expect((await bridge.workers()).map((w) => w.id)).toEqual(['w1']);
    expect(w1.worker.rebuilt).toBe(moved.length * 3);

    // worn readings: with its history (EWMA 2 → 7 → 9.5 → 10.75) an asset needs three to be past the alert level
    // twice; an asset without history would be past it from the first (12) and confirmed at the second
    const before = w1.worker.readings;
    const worn = [moved[0]!, stayed[0]!];
    for (let i = 0; i < 2; i++) for (const a of worn) await ingest(a.id, 12, new Date(t0 + (10 + i) * 1_000));
    await bridge.publisher.flush();
    await waitFor('the worn readings evaluated', () => w1.worker.readings === before + 4);
    await new Promise((r) => setTimeout(r, 300));
    expect(raised).toEqual([]);
    for (const a of worn) await ingest(a.id, 12, new Date(t0 + 12_000));
    await bridge.publisher.flush();
    await waitFor('both predictions on the platform bus', () => raised.length >= 2);
    await waitFor('both orders announced', () => created.length >= 2);
    await new Promise((r) => setTimeout(r, 300));
    expect(raised.map((p) => p.assetId).sort()).toEqual(worn.map((a) => a.id).sort());
    expect(new Set(raised.map((p) => p.predictionId)).size).toBe(2);
    expect(raised[0]!.expectedFailureAt).toBeInstanceOf(Date);
    expect(created).toHaveLength(2);
    expect(await db.serviceOrder.count({ where: { openKey: { not: null } } })).toBe(2);
  }, 20_000);

  it("hands the platform's control events to a worker once each, in order, through the control stream", async () => {
    const carrier = await NatsWorkerCarrier.connect({
      url: NATS_URL,
      name: 'control-test',
      memberTtlMs: 6_000,
      retentionHours: 1,
      log,
      namespace,
    });
    try {
      const got: string[] = [];
      await carrier.onControl(
        (e) => void got.push(`${e.event} ${(e.payload as { versionId?: string }).versionId}`),
      );
      const change = (versionId: string) =>
        bus.emit('model.changed', { modelId: 'm', versionId, version: 1, status: 'DRAFT', actor: 'test' });
      change('v-1');
      change('v-2');
      await waitFor('the two events from the platform at the worker', () => got.length >= 2);
      // a repeat that got past the stream's duplicate window (same event id, another message id) counts once
      const nc = await connect({ servers: NATS_URL });
      const js = nc.jetstream();
      const e = { id: 'repeat-1', event: 'model.changed', payload: { modelId: 'm', versionId: 'v-3' } };
      for (const msgID of ['a', 'b'])
        await js.publish(natsNames(namespace).controlSubject, JSON.stringify(e), { msgID });
      await nc.close();
      await waitFor('three control events at the worker', () => got.length >= 3);
      await new Promise((r) => setTimeout(r, 300));
      expect(got).toEqual(['model.changed v-1', 'model.changed v-2', 'model.changed v-3']);
      // kept in the stream, not only sent to whoever listened at that moment
      const nc2 = await connect({ servers: NATS_URL });
      const jsm = await nc2.jetstreamManager();
      expect((await jsm.streams.info(natsNames(namespace).control)).state.messages).toBe(4);
      await nc2.close();
    } finally {
      await carrier.close();
    }
  }, 20_000);

  it('a worker that had no control event yet still gets those sent while its consumer was gone', async () => {
    const names = natsNames(namespace);
    const nc = await connect({ servers: NATS_URL });
    const jsm = await nc.jetstreamManager();
    const consumers = async () => {
      const out: string[] = [];
      for await (const c of jsm.consumers.list(names.control)) out.push(c.name);
      return out;
    };
    const carrier = await NatsWorkerCarrier.connect({
      url: NATS_URL,
      name: 'control-reset-test',
      memberTtlMs: 6_000,
      retentionHours: 1,
      log,
      namespace,
    });
    try {
      const before = new Set(await consumers());
      const got: string[] = [];
      await carrier.onControl(
        (e) => void got.push(`${e.event} ${(e.payload as { versionId?: string }).versionId}`),
      );
      const mine = (await consumers()).filter((c) => !before.has(c));
      expect(mine).toHaveLength(1);
      // the server loses the worker's consumer (a server restart, or a worker away past the consumer's
      // inactivity limit) before any event reached it; the events sent meanwhile must not be skipped
      await jsm.consumers.delete(names.control, mine[0]!);
      const js = nc.jetstream();
      for (const v of ['v-10', 'v-11']) {
        const e = { id: `gone-${v}`, event: 'model.changed', payload: { modelId: 'm', versionId: v } };
        await js.publish(names.controlSubject, JSON.stringify(e), { msgID: `gone-${v}` });
      }
      await waitFor('the events sent while the consumer was gone', () => got.length >= 2, 30_000);
      expect(got).toEqual(['model.changed v-10', 'model.changed v-11']);
    } finally {
      await carrier.close();
      await nc.close();
    }
  }, 45_000);
});
