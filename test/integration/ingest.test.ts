// Ingest against a real broker and PostgreSQL: a device client no one here wrote (mosquitto_pub), bad input to
// the dead-letter table, a telemetry-store outage and an ingest restart with nothing lost and nothing doubled.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics } from '../../common/contracts/mqtt.ts';
import { eventually } from '../helpers/platform.ts';
import { deviceClient, DEVICE_PASSWORD, ingestRig, type IngestRig } from '../helpers/ingest-rig.ts';

const run = promisify(execFile);
const MOSQUITTO_PUB = '/usr/bin/mosquitto_pub';

describe('ingest', () => {
  let rig: IngestRig;
  const reading = (i: number) => ({ ts: Date.now() - 60_000 + i, metrics: { vibration: (i % 90) + 1 } });

  beforeAll(async () => {
    rig = await ingestRig({ assets: 3 });
  }, 60_000);
  afterAll(async () => rig?.close());

  const pub = (asset: string, payload: string, topic = topics.telemetry(rig.tenant, asset)) => {
    const u = new URL(rig.broker.url);
    const auth = rig.broker.external ? [] : ['-u', asset, '-P', DEVICE_PASSWORD];
    return run(MOSQUITTO_PUB, [
      '-h',
      u.hostname,
      '-p',
      u.port,
      '-q',
      '1',
      '-i',
      `${asset}-mp-${Date.now()}`, // a client id of its own: `<username>-…`
      ...auth,
      '-t',
      topic,
      '-m',
      payload,
    ]);
  };

  it.skipIf(!existsSync(MOSQUITTO_PUB))(
    'accepts a reading mosquitto_pub publishes as a device, and dead-letters bad ones with their reason',
    async () => {
      const asset = rig.assets[0]!;
      await pub(asset, JSON.stringify({ ts: new Date().toISOString(), metrics: { vibration: 4.2 } }));
      await eventually(async () => (await rig.pointCount(asset)) === 1);

      await pub(asset, 'not json at all');
      await pub(asset, JSON.stringify({ ts: new Date().toISOString(), metrics: { torque: 1 } }));
      await pub(asset, JSON.stringify({ ts: new Date().toISOString(), metrics: { vibration: '4' } }));
      await pub(asset, '{"ts": 1, "metrics": {"vibration": 1e999}}');
      await pub(
        'no-such-asset',
        JSON.stringify(reading(1)),
        topics.telemetry(rig.tenant, 'no-such-asset'),
      ).catch(() => undefined);
      const reasons = await eventually(async () => {
        // (a shared broker may carry other tenants' traffic: only this test's topics count)
        const ours = [topics.telemetry(rig.tenant, asset), topics.telemetry(rig.tenant, 'no-such-asset')];
        const rows = await rig.db.ingestReject.findMany({
          where: { topic: { in: ours } },
          orderBy: { id: 'asc' },
        });
        return rows.length >= (rig.broker.external ? 5 : 4) && rows.map((r) => r.reason);
      });
      expect(reasons).toEqual(expect.arrayContaining(['not_json', 'unknown_metric', 'schema', 'not_finite']));
      const raw = await rig.db.ingestReject.findFirst({
        where: { reason: 'not_json', topic: topics.telemetry(rig.tenant, asset) },
      });
      expect(Buffer.from(raw!.raw).toString()).toBe('not json at all');
      expect(await rig.pointCount(asset)).toBe(1);
    },
  );

  it.skipIf(!existsSync(MOSQUITTO_PUB))(
    'refuses a device publishing to another device’s topic (embedded broker)',
    async (ctx) => {
      if (rig.broker.external) ctx.skip(); // the machine's Mosquitto allows anonymous clients; its ACLs are its own
      const [a, b] = rig.assets as [string, string];
      const spoof = await pub(a, JSON.stringify(reading(1)), topics.telemetry(rig.tenant, b)).then(
        () => 'published',
        () => 'refused',
      );
      await new Promise((r) => setTimeout(r, 300));
      expect(await rig.pointCount(b)).toBe(0);
      // a wrong password does not get in at all
      const u = new URL(rig.broker.url);
      await expect(
        run(MOSQUITTO_PUB, [
          '-h',
          u.hostname,
          '-p',
          u.port,
          '-u',
          a,
          '-P',
          'wrong',
          '-t',
          topics.telemetry(rig.tenant, a),
          '-m',
          '{}',
        ]),
      ).rejects.toThrow();
      expect(['published', 'refused']).toContain(spoof);
    },
  );

  it('keeps every reading through a telemetry-store outage and stores each once when it returns', async () => {
    const asset = rig.assets[1]!;
    const accepted = () => (rig.service.health().detail as { accepted: number }).accepted;
    const before = accepted();
    rig.store.down = true;
    const device = await deviceClient(rig.broker.url, asset);
    const n = 400;
    try {
      for (let i = 0; i < n; i += 10) {
        const readings = Array.from({ length: 10 }, (_, k) => reading(i + k));
        await device.publishAsync(topics.telemetry(rig.tenant, asset), JSON.stringify({ readings }), {
          qos: 1,
        });
      }
      // ingest took every reading while the store was down (they wait in the journal) and says it is degraded
      // (a shared broker may deliver other traffic too: only this asset's accepted readings are counted)
      await eventually(async () => accepted() - before >= n && rig.service.health().status === 'degraded');
      expect(await rig.pointCount(asset)).toBe(0);
    } finally {
      rig.store.down = false;
    }
    await eventually(async () => (await rig.pointCount(asset)) === n, 30_000);
    await new Promise((r) => setTimeout(r, 300));
    expect(await rig.pointCount(asset)).toBe(n);
    await eventually(async () => rig.service.health().status === 'up');
    await device.endAsync();
  }, 60_000);

  it('loses nothing published while ingest is down: the broker keeps its session, the journal what it took', async () => {
    const asset = rig.assets[2]!;
    await rig.service.stop();
    const device = await deviceClient(rig.broker.url, asset);
    const n = 300;
    for (let i = 0; i < n; i++)
      await device.publishAsync(topics.telemetry(rig.tenant, asset), JSON.stringify(reading(i)), { qos: 1 });
    await device.endAsync();
    expect(await rig.pointCount(asset)).toBe(0);

    await rig.restart();
    await eventually(async () => (await rig.pointCount(asset)) === n, 30_000);
    await new Promise((r) => setTimeout(r, 300));
    expect(await rig.pointCount(asset)).toBe(n);
  }, 60_000);
});
