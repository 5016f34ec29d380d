// One contract, every TelemetryStore adapter: the in-memory fake, PostgreSQL, and InfluxDB 2.x when INFLUX_URL is set.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryTelemetryStore } from '../../common/telemetry/memory-store.ts';
import { PostgresTelemetryStore } from '../../common/telemetry/postgres-store.ts';
import { InfluxTelemetryStore } from '../../common/telemetry/influx-store.ts';
import type { TelemetryStore } from '../../common/telemetry-store.ts';
import { freshDatabase, type TestDatabase } from '../helpers/database.ts';

const t0 = new Date(Date.now() - 3_600_000);
const at = (s: number) => new Date(Math.floor(t0.getTime() / 60_000) * 60_000 + s * 1000);
const asset = `asset-${Date.now()}`;

function contract(name: string, make: () => Promise<{ store: TelemetryStore; done: () => Promise<void> }>) {
  describe(`TelemetryStore contract: ${name}`, () => {
    let store: TelemetryStore;
    let done: () => Promise<void>;
    beforeAll(async () => {
      ({ store, done } = await make());
      const points = [];
      for (let s = 0; s < 120; s++) points.push({ assetId: asset, metric: 'temp', ts: at(s), value: s });
      points.push({ assetId: asset, metric: 'flow', ts: at(5), value: 42 });
      await store.write(points);
      await store.write(points.slice(0, 30)); // redelivery
    });
    afterAll(async () => done?.());

    it('answers ping', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });

    it('returns a range in time order, once per (asset, metric, ts) even after redelivery', async () => {
      const pts = await store.range({ assetId: asset, metric: 'temp', from: at(0), to: at(59) });
      expect(pts).toHaveLength(60);
      expect(pts.map((p) => p.value)).toEqual([...Array(60).keys()]);
      expect(pts[0]!.ts.getTime()).toBe(at(0).getTime());
    });

    it('respects limits and bounds', async () => {
      expect(
        await store.range({ assetId: asset, metric: 'temp', from: at(10), to: at(19), limit: 5 }),
      ).toHaveLength(5);
      expect(await store.range({ assetId: 'other', metric: 'temp', from: at(0), to: at(200) })).toEqual([]);
    });

    it('aggregates windows aligned to the epoch', async () => {
      const w = await store.aggregate({
        assetId: asset,
        metric: 'temp',
        from: at(0),
        to: at(119),
        everyMs: 60_000,
      });
      expect(w).toHaveLength(2);
      expect(w[0]).toMatchObject({ mean: 29.5, min: 0, max: 59, count: 60 });
      expect(w[0]!.ts.getTime()).toBe(at(0).getTime());
    });

    it('gives at most `limit` windows, the first ones (a client may ask 1-second windows over years)', async () => {
      const w = await store.aggregate({
        assetId: asset,
        metric: 'temp',
        from: at(0),
        to: at(119),
        everyMs: 1_000,
        limit: 7,
      });
      expect(w.map((x) => x.mean)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    });

    it('stores a batch mixing stored and new points, and repeats within it, once each', async () => {
      const other = `${asset}-mixed`;
      const odd = 'odd\tname\\with\nescapes';
      const p = (s: number, metric = 'temp') => ({ assetId: other, metric, ts: at(s), value: s });
      await store.write([p(0), p(1)]);
      await store.write([p(1), p(2), p(2), p(3), p(3, odd)]);
      const pts = await store.range({ assetId: other, metric: 'temp', from: at(0), to: at(10) });
      expect(pts.map((x) => x.value)).toEqual([0, 1, 2, 3]);
      expect(await store.range({ assetId: other, metric: odd, from: at(0), to: at(10) })).toEqual([
        { ts: at(3), value: 3 },
      ]);
    });

    it('gives the latest value of each metric', async () => {
      const latest = await store.latest(asset);
      expect(latest.temp).toEqual({ ts: at(119), value: 119 });
      expect(latest.flow?.value).toBe(42);
    });
  });
}

contract('memory', async () => ({ store: new MemoryTelemetryStore(), done: async () => undefined }));

contract('postgres', async () => {
  const db: TestDatabase = await freshDatabase();
  const store = new PostgresTelemetryStore(db.url);
  return {
    store,
    done: async () => {
      await store.close();
      await db.drop();
    },
  };
});

describe.skipIf(!process.env.INFLUX_URL)('InfluxDB 2.x (INFLUX_URL)', () => {
  it('runs the contract above', () => undefined);
});
if (process.env.INFLUX_URL) {
  contract('influx', async () => {
    const store = new InfluxTelemetryStore({
      url: process.env.INFLUX_URL!,
      token: process.env.INFLUX_TOKEN ?? '',
      org: process.env.INFLUX_ORG ?? 'preempt',
      bucket: process.env.INFLUX_BUCKET ?? 'telemetry',
    });
    return { store, done: () => store.close() };
  });
}
