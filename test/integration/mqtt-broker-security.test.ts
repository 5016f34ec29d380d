// Attacks on the embedded broker by a device with valid credentials, or by anyone who can open a TCP connection:
// taking over the ingest subscriber's or another device's client id, an oversized CONNECT, and a secret that was
// rotated or revoked. Always on an embedded broker (it is what is tested); PostgreSQL as configured.
import net from 'node:net';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics } from '../../common/contracts/mqtt.ts';
import { MAX_PACKET_BYTES } from '../../common/contracts/mqtt-broker-policy.ts';
import { startEmbeddedBroker, type EmbeddedBroker } from '../../common/embedded/mqtt-broker.ts';
import { createLogger } from '../../common/logger.ts';
import { hashPassword } from '../../common/password.ts';
import { DeviceAuthority } from '../../ingest/adapters/device-authority.ts';
import { PrismaDeviceCredentials } from '../../ingest/adapters/device-credentials.ts';
import { recordDrill } from '../helpers/drill-record.ts';
import { DEVICE_PASSWORD, ingestRig, PLATFORM, type IngestRig } from '../helpers/ingest-rig.ts';
import { eventually } from '../helpers/platform.ts';
import { freePort } from '../helpers/ports.ts';

const TEST = 'test/integration/mqtt-broker-security.test.ts';
const RECHECK_MS = 1_000;

describe('embedded broker: one device never silences another, revocation takes effect at once', () => {
  let rig: IngestRig;
  let broker: EmbeddedBroker;
  const open: MqttClient[] = [];

  const connect = async (clientId: string, username: string, password = DEVICE_PASSWORD, clean = true) => {
    const c = await mqtt.connectAsync(rig.broker.url, {
      clientId,
      username,
      password,
      clean,
      reconnectPeriod: 0,
      connectTimeout: 5_000,
    });
    open.push(c);
    return c;
  };
  const reading = (v: number) => JSON.stringify({ ts: Date.now(), metrics: { vibration: v } });
  /** Watches a client: how often it lost its connection. */
  const watch = (c: MqttClient) => {
    const w = { closes: 0 };
    c.on('close', () => w.closes++);
    return w;
  };

  beforeAll(async () => {
    rig = await ingestRig({
      assets: 4,
      broker: async (db) => {
        broker = await startEmbeddedBroker({
          port: await freePort(),
          host: '127.0.0.1',
          authority: new DeviceAuthority(db, PLATFORM),
          // as platform.ts: the platform's MQTT_CLIENT_ID and username (a worker's id here, `ingest-eu-…`)
          reservedClientIds: ['ingest-eu', PLATFORM.username],
          recheckMs: RECHECK_MS,
          log: createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
        });
        return { url: broker.url, external: false, stop: broker.stop };
      },
    });
    // a device of another tenant
    const any = await rig.db.asset.findFirstOrThrow({ where: { id: 'pump-0' } });
    const globex = await rig.db.tenant.create({ data: { slug: 'globex', name: 'Globex' } });
    const site = await rig.db.site.create({ data: { tenantId: globex.id, name: 'Hall', lat: 48, lon: 11 } });
    const contract = await rig.db.serviceContract.create({
      data: { tenantId: globex.id, name: 'Std', tier: 'STANDARD', responseHours: 24 },
    });
    // and one whose username starts like another's (`globex-chiller` may not use `globex-chiller-1`)
    for (const id of ['globex-chiller-1', 'globex-chiller'])
      await rig.db.asset.create({
        data: {
          id,
          tenantId: globex.id,
          siteId: site.id,
          equipmentModelId: any.equipmentModelId,
          contractId: contract.id,
          serial: `SN-${id}`,
          name: id,
          device: { create: { username: id, secretHash: await hashPassword(DEVICE_PASSWORD) } },
        },
      });
  }, 60_000);

  afterAll(async () => {
    await Promise.all(open.map((c) => c.endAsync(true).catch(() => undefined)));
    await rig?.close();
  });

  it("refuses a device the ingest subscriber's, the workers' and another device's client ids; ingest goes on", async () => {
    // the victims: a device of another tenant, connected as the simulators connect (client id = username),
    // and a device of the attacker's tenant whose readings ingest must keep storing
    const victim = await connect('globex-chiller-1', 'globex-chiller-1');
    const victimWatch = watch(victim);
    const neighbour = await connect('pump-1', 'pump-1');
    const neighbourWatch = watch(neighbour);
    const before = await rig.pointCount('pump-1');

    const attacks = [
      rig.clientId, // the ingest subscriber of this rig (`preempt-it-…`)
      'preempt-ingest', // the default MQTT_CLIENT_ID
      'preempt-ingest-announce', // an ingest worker's relay
      'preempt-ingest-platform', // the platform's relay
      'ingest-eu-w1', // a worker under a configured MQTT_CLIENT_ID
      'globex-chiller-1', // another tenant's device
      'globex-chiller-1-faults',
      'sim-globex-chiller-1', // the old simulator id
      'pump-1', // a device of the same tenant
      '', // a made-up id
    ];
    const refusals: string[] = [];
    let published = 0;
    for (const clientId of attacks) {
      await neighbour.publishAsync(topics.telemetry('acme', 'pump-1'), reading(published++), { qos: 1 });
      const err = await connect(clientId, 'pump-0').then(
        () => null,
        (e: Error) => e,
      );
      expect(err, `client id "${clientId}"`).not.toBeNull();
      refusals.push(err!.message);
    }
    for (const clientId of ['globex-chiller-1', 'globex-chiller-1-faults']) {
      await neighbour.publishAsync(topics.telemetry('acme', 'pump-1'), reading(published++), { qos: 1 });
      const err = await connect(clientId, 'globex-chiller').then(
        () => null,
        (e: Error) => e,
      );
      expect(err, `client id "${clientId}" as globex-chiller`).not.toBeNull();
      refusals.push(err!.message);
    }
    for (const m of refusals) expect(m).toMatch(/Identifier rejected/i);
    await neighbour.publishAsync(topics.telemetry('acme', 'pump-1'), reading(published++), { qos: 1 });

    // its own ids still work
    const own = await connect('pump-0-diag', 'pump-0');
    await own.publishAsync(topics.telemetry('acme', 'pump-0'), reading(1), { qos: 1 });

    // every reading published during the attack is stored; the ingest session and the victims survived
    await eventually(async () => (await rig.pointCount('pump-1')) === before + published);
    await eventually(async () => (await rig.pointCount('pump-0')) >= 1);
    expect(victim.connected && neighbour.connected).toBe(true);
    expect(victimWatch.closes + neighbourWatch.closes).toBe(0);
    recordDrill({
      drill: `a device with valid credentials connects (clean session) with ${refusals.length} client ids not its own: the ingest subscriber's, the platform's and workers' ids, another tenant's device's, a neighbour's, an empty one, a longer username's (embedded broker)`,
      behaviour: 'each refused with CONNACK "identifier rejected" before any session is touched',
      lost: `nothing: ${published} readings published meanwhile all stored; ingest and both victim devices stayed connected`,
      test: TEST,
    });
  });

  it('drops a connection whose CONNECT declares 200 MB as soon as the header arrives; RSS stays flat', async () => {
    const neighbour = await connect('pump-2', 'pump-2');
    const neighbourWatch = watch(neighbour);
    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    const socket = net.connect(broker.port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    let sent = 0;
    let closed = false;
    socket.on('error', () => undefined);
    const closedAt = new Promise<number>((resolve) => socket.once('close', () => resolve(sent)));
    socket.once('close', () => (closed = true));
    // CONNECT, remaining length 200 MB (varint 0x80 0x80 0xe4 0x5f = 200 * 2^20), then zeros, 64 KiB at a time
    const declared = 200 * 1024 * 1024;
    const header = Buffer.from([
      0x10,
      0x80 | (declared & 0x7f),
      0x80 | ((declared >> 7) & 0x7f),
      0x80 | ((declared >> 14) & 0x7f),
      declared >> 21,
    ]);
    socket.write(header);
    const chunk = Buffer.alloc(64 * 1024);
    for (let i = 0; i < 64 && !closed; i++) {
      // 4 MB at most; a broker that reads it all would keep accepting
      if (!socket.write(chunk)) await new Promise((r) => setTimeout(r, 5));
      sent += chunk.length;
      await new Promise((r) => setImmediate(r));
    }
    const sentAtClose = await Promise.race([
      closedAt,
      new Promise<number>((r) => setTimeout(() => r(-1), 5_000)),
    ]);
    socket.destroy();
    global.gc?.();
    const rssGrowth = process.memoryUsage().rss - rssBefore;
    expect(sentAtClose).toBeGreaterThanOrEqual(0); // closed by the broker
    expect(sentAtClose).toBeLessThan(2 * 1024 * 1024);
    expect(rssGrowth).toBeLessThan(16 * 1024 * 1024);

    // a message of the largest allowed size still goes through, and the neighbour was not disturbed
    await neighbour.publishAsync(topics.telemetry('acme', 'pump-2'), reading(2), { qos: 1 });
    await eventually(async () => (await rig.pointCount('pump-2')) === 1);
    expect(neighbourWatch.closes).toBe(0);
    recordDrill({
      drill: `an unauthenticated CONNECT declaring 200 MB, followed by a stream of bytes (embedded broker, limit ${MAX_PACKET_BYTES / 1024} KiB)`,
      behaviour: `socket closed after ${Math.round(sentAtClose / 1024)} KiB were sent, from the packet's fixed header; test process RSS grew ${(rssGrowth / 2 ** 20).toFixed(1)} MB`,
      lost: 'nothing: other devices stayed connected and their readings were stored',
      test: TEST,
    });
  });

  it('closes a device connection within seconds of rotating its secret; the old secret is refused, the new one works', async () => {
    const credentials = new PrismaDeviceCredentials(rig.db);
    const device = await connect('pump-3', 'pump-3');
    const closed = new Promise<number>((resolve) => device.once('close', () => resolve(Date.now())));
    await device.publishAsync(topics.telemetry('acme', 'pump-3'), reading(1), { qos: 1 });
    const rotatedAt = Date.now();
    const issued = await credentials.rotate('pump-3');
    expect(issued).toMatchObject({ assetId: 'pump-3', username: 'pump-3' });
    const closedAfterMs = (await closed) - rotatedAt;
    expect(closedAfterMs).toBeLessThan(RECHECK_MS + 3_000);
    // the old secret was verified (and cached) seconds ago: refused all the same
    await expect(connect('pump-3', 'pump-3')).rejects.toThrow(/Bad username or password|Not authorized/i);
    const renewed = await connect('pump-3', 'pump-3', issued.secret);
    await renewed.publishAsync(topics.telemetry('acme', 'pump-3'), reading(2), { qos: 1 });
    await eventually(async () => (await rig.pointCount('pump-3')) === 2);

    // revoked: the connection closes, and neither secret works
    const revokedClose = new Promise<number>((resolve) => renewed.once('close', () => resolve(Date.now())));
    const revokedAt = Date.now();
    await credentials.revoke('pump-3');
    const revokedAfterMs = (await revokedClose) - revokedAt;
    expect(revokedAfterMs).toBeLessThan(RECHECK_MS + 3_000);
    for (const secret of [DEVICE_PASSWORD, issued.secret])
      await expect(connect('pump-3', 'pump-3', secret)).rejects.toThrow(
        /Bad username or password|Not authorized/i,
      );
    recordDrill({
      drill: "a device's secret is rotated, then revoked, while the device is connected (embedded broker)",
      behaviour: `connection closed ${closedAfterMs} ms after the rotation and ${revokedAfterMs} ms after the revocation; the old secret refused at once although it was cached; the new one works until revoked`,
      lost: 'nothing: readings sent with a valid secret were stored',
      test: TEST,
    });
  });
});
