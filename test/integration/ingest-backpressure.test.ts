// Back-pressure: with the telemetry store down and the journal at its size limit, ingest stops acknowledging
// the broker (which keeps the messages for ingest's session) instead of dropping anything; when the store
// returns, every reading is stored once. (The device's own acknowledgements come from the broker.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics } from '../../common/contracts/mqtt.ts';
import { deviceClient, ingestRig, type IngestRig } from '../helpers/ingest-rig.ts';
import { eventually } from '../helpers/platform.ts';
import { recordDrill } from '../helpers/drill-record.ts';

interface Detail {
  accepted: number;
  journal: { backPressure: boolean; bytes: number; maxBytes: number };
}

describe('ingest back-pressure', () => {
  let rig: IngestRig;
  beforeAll(async () => {
    rig = await ingestRig({ assets: 1, journalMaxBytes: 4_096 });
  }, 60_000);
  afterAll(async () => rig?.close());

  it('holds acknowledgements while the journal is full, then stores every reading once', async () => {
    const asset = rig.assets[0]!;
    const detail = () => rig.service.health().detail as unknown as Detail;
    rig.store.down = true;
    const device = await deviceClient(rig.broker.url, asset);
    const n = 300;
    const base = Date.now() - 120_000;
    await Promise.all(
      Array.from({ length: n }, (_, i) =>
        device.publishAsync(
          topics.telemetry(rig.tenant, asset),
          JSON.stringify({ ts: base + i, metrics: { vibration: 2 + (i % 7) } }),
          { qos: 1 },
        ),
      ),
    );
    // (on a shared broker, other tests' leftovers may fill the journal first: wait for this test's readings)
    await eventually(async () => detail().journal.backPressure && detail().accepted > 0, 20_000, 50);
    expect(rig.service.health().status).toBe('degraded');
    const taken = detail().accepted;
    await new Promise((r) => setTimeout(r, 1_000));
    // ingest takes nothing more while the store is down and the journal full: the broker holds the rest
    expect(detail().accepted).toBe(taken);
    expect(taken).toBeLessThan(n);
    expect(detail().journal.bytes).toBeLessThan(detail().journal.maxBytes * 2);

    rig.store.down = false;
    await eventually(async () => (await rig.pointCount(asset)) >= n, 30_000);
    await new Promise((r) => setTimeout(r, 300));
    expect(await rig.pointCount(asset)).toBe(n);
    await eventually(async () => rig.service.health().status === 'up', 10_000);
    recordDrill({
      drill:
        'telemetry store down while a device publishes, with the ingest journal at its size limit (4 kB)',
      behaviour: `ingest stopped acknowledging the broker after ${taken} of ${n} readings (health: degraded, back-pressure); the broker held the rest; all stored when the store returned`,
      lost: `0 of ${n} readings, 0 stored twice`,
      test: 'test/integration/ingest-backpressure.test.ts',
    });
    await device.endAsync();
  }, 90_000);
});
