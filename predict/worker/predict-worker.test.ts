// Predict workers on an in-memory carrier: the partitions are split, every reading is evaluated by one worker,
// and a stopped or silent worker's partitions move to the other, which rebuilds their assets from the store.
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../common/clock.ts';
import type { Reading } from '../../common/events.ts';
import { createLogger } from '../../common/logger.ts';
import { MemoryTelemetryStore } from '../../common/telemetry/memory-store.ts';
import { MemoryPredictionStore } from '../adapters/memory-prediction-store.ts';
import type { AssetPredictInfo, ModelVersionInfo } from '../adapters/prediction-store.ts';
import { partitionOf, partitionsOf } from '../core/partitions.ts';
import { PredictService } from '../predict-service.ts';
import { MemoryHub } from './memory-carrier.ts';
import { ForwardingBus, PredictWorker } from './predict-worker.ts';

const log = createLogger({ level: 'silent' });
const PARTITIONS = 8;
const model: ModelVersionInfo = {
  versionId: 'v1',
  modelId: 'm1',
  label: 'pump v1',
  kind: 'THRESHOLD',
  equipmentModelId: 'pump',
  failureModeId: 'bearing',
  failureModeName: 'Bearing',
  partId: 'p1',
  partQty: 1,
  skill: 'mech',
  status: 'ACTIVE',
  params: {
    metric: 'vibration',
    direction: 'up',
    alertLevel: 8,
    leadHours: 3,
    ewmaAlpha: 0.5,
    windowPoints: 10,
    horizonHours: 48,
    confirmations: 2,
    marginMinutes: 60,
  },
};
const assets: AssetPredictInfo[] = Array.from({ length: 16 }, (_, i) => ({
  assetId: `pump-${i}`,
  tenantId: 't1',
  equipmentModelId: 'pump',
  tier: 'STANDARD',
  responseHours: 24,
  lat: 53.5,
  lon: 10,
}));

const waitFor = async (what: string, ok: () => boolean) => {
  const until = Date.now() + 3_000;
  while (!ok()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('predict workers (in-memory carrier)', () => {
  const running: PredictWorker[] = [];
  afterEach(async () => {
    for (const w of running.splice(0)) await w.stop();
  });

  function world() {
    const hub = new MemoryHub(PARTITIONS, 150);
    const telemetry = new MemoryTelemetryStore();
    const start = async (id: string) => {
      const carrier = hub.carrier();
      const bus = new ForwardingBus((e) => carrier.publishEvent(e), log);
      const service = new PredictService(new MemoryPredictionStore([model], assets), bus, systemClock, log);
      const worker = new PredictWorker({
        id,
        partitions: PARTITIONS,
        rebuildHours: 1,
        heartbeatMs: 50,
        carrier,
        service,
        bus,
        telemetry,
        clock: systemClock,
        log,
      });
      await worker.start();
      running.push(worker);
      return { worker, service };
    };
    /** As ingest and the platform do: store, then publish. */
    const ingest = async (value: number, ts: Date) => {
      const readings: Reading[] = assets.map((a) => ({
        assetId: a.assetId,
        tenantId: a.tenantId,
        ts,
        metrics: { vibration: value },
      }));
      await telemetry.write(readings.map((r) => ({ assetId: r.assetId, metric: 'vibration', ts, value })));
      hub.publish(readings);
    };
    /** Workers a and b, once they have split the partitions between them. */
    const split = async () => {
      const a = await start('a');
      const b = await start('b');
      await waitFor(
        'a split',
        () =>
          b.worker.partitions().length > 0 &&
          a.worker.partitions().length + b.worker.partitions().length === PARTITIONS,
      );
      return { a, b };
    };
    /** Three readings a second apart, a minute ago, handled by a and b together; returns the first one's time. */
    const threeReadings = async ({ a, b }: Awaited<ReturnType<typeof split>>) => {
      const t0 = Date.now() - 60_000;
      for (let i = 0; i < 3; i++) await ingest(2, new Date(t0 + i * 1_000));
      await waitFor('every reading', () => a.worker.readings + b.worker.readings === assets.length * 3);
      return t0;
    };
    return { hub, start, ingest, split, threeReadings };
  }

  it('splits the partitions and evaluates every reading on exactly one worker', async () => {
    const { split, threeReadings } = world();
    const { a, b } = await split();
    expect(a.worker.partitions().filter((p) => b.worker.partitions().includes(p))).toEqual([]);
    expect(b.worker.partitions().length).toBeGreaterThan(0);
    await threeReadings({ a, b });
    const ofA = assets.filter((x) =>
      a.worker.partitions().includes(partitionOf('t1', x.assetId, PARTITIONS)),
    );
    expect(a.worker.readings).toBe(ofA.length * 3);
    expect(a.service.evaluations + b.service.evaluations).toBe(assets.length * 3);
  });

  it('moves a stopped worker’s partitions to the other, which rebuilds their assets from the store', async () => {
    const { ingest, split, threeReadings } = world();
    const { a, b } = await split();
    const t0 = await threeReadings({ a, b });
    const ofB = assets.filter((x) =>
      b.worker.partitions().includes(partitionOf('t1', x.assetId, PARTITIONS)),
    );
    await b.worker.stop();
    running.splice(running.indexOf(b.worker), 1);
    await waitFor('a to own everything', () => a.worker.partitions().length === PARTITIONS);
    expect(a.worker.rebuilt).toBe(ofB.length * 3);
    const before = a.worker.readings;
    await ingest(2, new Date(t0 + 5_000));
    await waitFor('the next readings', () => a.worker.readings === before + assets.length);
  });

  it('takes the partitions of a worker that went silent once its heartbeat expired', async () => {
    const { hub, start } = world();
    // a member that joined, took its leases and died: it never heartbeats again
    hub.members.set('ghost', Date.now() + 300);
    const ghosts = partitionsOf('ghost', ['a', 'ghost'], PARTITIONS);
    for (const p of ghosts) hub.leases.set(p, { holder: 'ghost', revision: hub.nextRevision() });
    const a = await start('a');
    expect(a.worker.partitions()).toEqual(partitionsOf('a', ['a', 'ghost'], PARTITIONS));
    await waitFor('a to own everything', () => a.worker.partitions().length === PARTITIONS);
    expect(ghosts.every((p) => hub.leases.get(p)?.holder === 'a')).toBe(true);
  });
});
