// A platform restart is not a failure of the customer's machines (docs/adr/0028): the whole platform with its demo
// fleet on real PostgreSQL and a real broker (a private Mosquitto when TEST_MQTT_URL asks for an external broker, else
// the embedded one) is stopped as Ctrl-C stops it
// and started again on the same database and DATA_DIR; every asset's availability then shows no failure, no
// downtime and no time "not reporting". Downtime comes only from the machine's reported condition, through the
// real ingest: `condition: down` then `up` is one failure with its repair; an `offline` then `online` is none, and
// neither is a dropped connection (its last will), which shows as time not reporting.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../common/config.ts';
import { createLogger } from '../../common/logger.ts';
import { startPlatform, type Platform } from '../../platform.ts';
import { isSimulated } from '../../simulators/core/catalog.ts';
import { DeviceLink } from '../../simulators/device-link.ts';
import { demoDevicePassword } from '../../simulators/demo-world.ts';
import { freshDatabase, type TestDatabase } from '../helpers/database.ts';
import { hasMosquitto, startMosquitto, type PrivateMosquitto } from '../helpers/mosquitto.ts';
import { eventually } from '../helpers/platform.ts';

interface Availability {
  failures: number;
  downMs: number;
  notReportingMs: number;
  mtbfMs: number | null;
  mttrMs: number | null;
  segments: { state: string }[];
}

describe('platform restart and availability', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'preempt-restart-avail-'));
  let db: TestDatabase;
  let broker: PrivateMosquitto | undefined;
  let config: ReturnType<typeof loadConfig>;
  let p: Platform | undefined;
  let token = '';
  let assets: { id: string; tenant: string; equipment: string; username: string }[] = [];

  const start = () =>
    startPlatform(config, {
      log: createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
      fleet: { intervalMs: 250 },
    });
  const availability = async (assetId: string, window: string) => {
    const res = await fetch(`${p!.url}/api/assets/${assetId}/availability?window=${window}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    return (await res.json()) as Availability;
  };
  const signIn = async () => {
    const login = await fetch(`${p!.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'dispatcher@preempt.demo', password: 'dispatcher-demo' }),
    });
    token = ((await login.json()) as { token: string }).token;
  };
  /** Every simulated asset has said online (its birth) since `since`. */
  const allBorn = (since: Date) =>
    eventually(async () => {
      const born = await p!.db.assetStateEvent.groupBy({
        by: ['assetId'],
        where: { kind: 'connectivity', value: 'online', at: { gt: since } },
      });
      return born.length >= assets.length;
    }, 60_000);

  beforeAll(async () => {
    db = await freshDatabase();
    // not the shared broker: it keeps other tests' retained statuses of the same demo asset ids
    if (process.env.TEST_MQTT_URL && hasMosquitto()) broker = await startMosquitto();
    config = loadConfig({
      DATA_DIR: dataDir,
      DATABASE_URL: db.url,
      DEMO: 'true',
      DEMO_ASSETS: '4',
      PORT: '0',
      HOST: '127.0.0.1',
      MQTT_PORT: '0',
      MQTT_URL: broker?.url ?? '',
      MQTT_CLIENT_ID: `preempt-test-${randomBytes(4).toString('hex')}`,
      LOG_LEVEL: 'warn',
    });
    const firstStart = new Date();
    p = await start();
    const devices = await p.db.device.findMany({
      include: { asset: { include: { tenant: true, equipmentModel: true } } },
    });
    // the assets the demo fleet runs (replayed engines have no device online)
    assets = devices
      .filter((d) => isSimulated(d.asset.equipmentModel.key))
      .map((d) => ({
        id: d.assetId,
        tenant: d.asset.tenant.slug,
        equipment: d.asset.equipmentModel.key,
        username: d.username,
      }));
    expect(assets.length).toBeGreaterThan(0);
    await allBorn(firstStart);
    await signIn();
  }, 120_000);

  afterAll(async () => {
    await p?.close();
    await broker?.stop();
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows no failure, downtime or time not reporting after the platform is stopped and started again', async () => {
    await p!.close();
    p = undefined;
    const restartedAt = new Date();
    p = await start();
    await signIn();
    await allBorn(restartedAt);

    // the platform's own shutdown was not recorded as the devices going offline
    expect(
      await p.db.assetStateEvent.count({
        where: { assetId: { in: assets.map((a) => a.id) }, kind: 'connectivity', value: 'offline' },
      }),
    ).toBe(0);
    for (const a of assets) {
      for (const window of ['24h', '30d']) {
        const r = await availability(a.id, window);
        expect({ asset: a.id, window, ...r }).toMatchObject({
          failures: 0,
          downMs: 0,
          notReportingMs: 0,
          mtbfMs: null,
          mttrMs: null,
        });
        expect(r.segments.filter((s) => s.state === 'down' || s.state === 'not_reporting')).toEqual([]);
      }
    }
    // `period`, the series route's name for it, is the same as `window`, not ignored for the default 24 h
    const headers = { authorization: `Bearer ${token}` };
    const month = await fetch(`${p.url}/api/assets/${assets[0]!.id}/availability?period=30d`, { headers });
    expect(((await month.json()) as { window: string }).window).toBe('30d');
    const both = await fetch(`${p.url}/api/assets/${assets[0]!.id}/availability?period=30d&window=24h`, {
      headers,
    });
    expect(both.status).toBe(400);
  }, 120_000);

  it('counts the machine reporting down then up as a failure, and a device offline then online as none', async () => {
    const a = assets[0]!;
    const secret = readFileSync(path.join(dataDir, 'auth-secret'), 'utf8').trim();
    // a second connection of the asset's own device (client id <username>-diag), as a gateway's diagnostics would
    const link = new DeviceLink(
      {
        assetId: a.id,
        tenant: a.tenant,
        equipment: a.equipment,
        username: a.username,
        password: demoDevicePassword(secret, a.username),
      },
      { mqttUrl: p!.mqttUrl, clientIdRole: 'diag' },
    );
    try {
      expect(await link.ready()).toBe(true);
      /** Publishes a status and waits until ingest has stored it. */
      const send = async (state: 'online' | 'offline', condition?: 'up' | 'down') => {
        const since = new Date();
        link.status(state, condition);
        const where = condition
          ? { kind: 'condition', value: condition }
          : { kind: 'connectivity', value: state };
        await eventually(
          async () =>
            (await p!.db.assetStateEvent.count({ where: { assetId: a.id, at: { gte: since }, ...where } })) >
            0,
        );
      };

      await send('offline');
      await send('online');
      const gap = await availability(a.id, '24h');
      expect(gap.notReportingMs).toBeGreaterThan(0);
      expect(gap).toMatchObject({ failures: 0, downMs: 0, mtbfMs: null, mttrMs: null });
      expect(gap.segments.map((s) => s.state)).toContain('not_reporting');

      await send('online', 'down');
      await send('online', 'up');
      const r = await availability(a.id, '24h');
      expect(r.failures).toBe(1);
      expect(r.downMs).toBeGreaterThan(0);
      expect(r.mttrMs).toBe(r.downMs);
      expect(r.segments.map((s) => s.state)).toContain('down');

      // the connection drops: the broker publishes the last will, dated at the connection's start by the contract;
      // it is recorded when ingest took it, so the gap shows as not reporting (after the birth, not before it)
      const before = await availability(a.id, '24h');
      const droppedAt = new Date();
      link.client.stream.destroy();
      await eventually(
        async () =>
          (await p!.db.assetStateEvent.count({
            where: { assetId: a.id, kind: 'connectivity', value: 'offline', at: { gte: droppedAt } },
          })) > 0,
      );
      // the device reconnects by itself and says online again
      await eventually(async () => {
        const offline = await p!.db.assetStateEvent.findFirst({
          where: { assetId: a.id, kind: 'connectivity', value: 'offline' },
          orderBy: { at: 'desc' },
        });
        return (
          (await p!.db.assetStateEvent.count({
            where: { assetId: a.id, kind: 'connectivity', value: 'online', at: { gt: offline!.at } },
          })) > 0
        );
      });
      const dropped = await availability(a.id, '24h');
      expect(dropped.notReportingMs).toBeGreaterThan(before.notReportingMs);
      expect(dropped).toMatchObject({ failures: 1, downMs: before.downMs, mttrMs: before.mttrMs });
    } finally {
      await link.close({ sayOffline: false });
    }
  }, 60_000);
});
