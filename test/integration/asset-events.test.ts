// Equipment error codes on `t/{tenant}/a/{asset}/events` through real brokers into PostgreSQL: the embedded broker
// (aedes, with the device table's credentials) and, where installed, a Mosquitto with the files
// `npm run mosquitto:auth` writes. Accepted codes are stored once per (asset, ts, code), a bad payload is
// dead-lettered with its reason, and a device publishing on another asset's events topic stores nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics } from '../../common/contracts/mqtt.ts';
import { startEmbeddedBroker } from '../../common/embedded/mqtt-broker.ts';
import { createLogger } from '../../common/logger.ts';
import { DeviceAuthority } from '../../ingest/adapters/device-authority.ts';
import {
  deviceClient,
  ingestRig,
  PLATFORM,
  startRigMosquitto,
  type IngestRig,
} from '../helpers/ingest-rig.ts';
import { hasMosquitto, type PrivateMosquitto } from '../helpers/mosquitto.ts';
import { eventually } from '../helpers/platform.ts';
import { freePort } from '../helpers/ports.ts';

const events = (rig: IngestRig, assetId: string) =>
  rig.db.assetEvent.findMany({ where: { assetId }, orderBy: { ts: 'asc' } });

/** What every broker must do with a device's error codes. */
async function checkEvents(rig: IngestRig, url: string): Promise<void> {
  const device = await deviceClient(url, 'pump-0');
  const t0 = Date.now() - 60_000;
  const batch = {
    events: [
      { code: 'E-217', severity: 'error', ts: t0 },
      { code: 'HP_LOW', ts: new Date(t0 + 1_000).toISOString() },
    ],
  };
  await device.publishAsync(topics.events('acme', 'pump-0'), JSON.stringify(batch), { qos: 1 });
  // a redelivery (the same batch again) stores nothing twice
  await device.publishAsync(topics.events('acme', 'pump-0'), JSON.stringify(batch), { qos: 1 });
  await device.publishAsync(topics.events('acme', 'pump-0'), JSON.stringify({ code: 'E 1', ts: t0 }), {
    qos: 1,
  });
  // another asset's topic: refused by the broker (aedes drops the connection, Mosquitto the message), so
  // there may be no acknowledgement to wait for; if it got through, the test fails below
  await Promise.race([
    device
      .publishAsync(topics.events('acme', 'pump-1'), JSON.stringify({ code: 'SPOOF', ts: t0 }), { qos: 1 })
      .catch(() => undefined),
    new Promise((r) => setTimeout(r, 1_000)),
  ]);

  const rejected = await eventually(async () =>
    rig.db.ingestReject.findFirst({ where: { topic: topics.events('acme', 'pump-0') } }),
  );
  expect(rejected.reason).toBe('schema');
  const stored = await eventually(async () => {
    const rows = await events(rig, 'pump-0');
    return rows.length >= 2 && rows;
  });
  await new Promise((r) => setTimeout(r, 300));
  expect((await events(rig, 'pump-0')).length).toBe(2);
  expect(stored.map((e) => [e.code, e.severity])).toEqual([
    ['E-217', 'error'],
    ['HP_LOW', 'warning'],
  ]);
  const tenant = await rig.db.tenant.findUniqueOrThrow({ where: { slug: 'acme' } });
  expect(stored.every((e) => e.tenantId === tenant.id)).toBe(true);
  expect(await events(rig, 'pump-1')).toEqual([]);
  await device.endAsync(true);
}

describe('equipment error codes over MQTT (embedded broker)', () => {
  let rig: IngestRig;
  let url: string;

  beforeAll(async () => {
    rig = await ingestRig({
      assets: 2,
      broker: async (db) => {
        const b = await startEmbeddedBroker({
          port: await freePort(),
          host: '127.0.0.1',
          authority: new DeviceAuthority(db, PLATFORM),
          log: createLogger({ level: 'silent' }),
        });
        url = b.url;
        return { url: b.url, external: false, stop: b.stop };
      },
    });
  }, 60_000);
  afterAll(async () => rig?.close());

  it('stores a device’s codes once, dead-letters a bad one, refuses another asset’s topic', async () => {
    await checkEvents(rig, url);
  });
});

describe.skipIf(!hasMosquitto())('equipment error codes over MQTT (Mosquitto, generated ACL)', () => {
  let broker: PrivateMosquitto;
  let rig: IngestRig;

  beforeAll(async () => {
    broker = await startRigMosquitto();
    rig = await ingestRig({ assets: 2, brokerUrl: broker.url });
  }, 60_000);
  afterAll(async () => {
    await rig?.close();
    await broker?.stop();
  });

  it('stores a device’s codes once, dead-letters a bad one, refuses another asset’s topic', async () => {
    await checkEvents(rig, broker.url);
  });
});
