// Rotating and revoking a device secret through the API, on the whole platform with its demo fleet: admin only,
// the new secret shown once, and (on the embedded broker) the simulated device's open connection closed within
// seconds, its old secret refused, the new one accepted.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../common/db.ts';
import { verifyPassword } from '../../common/password.ts';
import { demoDevicePassword } from '../../simulators/demo-world.ts';
import { recordDrill } from '../helpers/drill-record.ts';
import { eventually, startTestPlatform, type TestPlatform } from '../helpers/platform.ts';

const TEST = 'test/integration/device-secret-routes.test.ts';
const embeddedBroker = !process.env.TEST_MQTT_URL;

describe('device secrets: rotate and revoke through the API', () => {
  let p: TestPlatform;
  let db: Db;
  let admin: string;
  let assetId: string;

  const post = (path: string, token?: string) =>
    fetch(`${p.url}${path}`, {
      method: 'POST',
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
  const online = async (id: string) => (await db.asset.findUniqueOrThrow({ where: { id } })).online;
  /** Connects as the device under a second client id of its own (not to displace the simulator's connection). */
  const tryConnect = (username: string, password: string) =>
    mqtt
      .connectAsync(p.mqttUrl, {
        clientId: `${username}-check`,
        username,
        password,
        reconnectPeriod: 0,
        connectTimeout: 3_000,
      })
      .then(async (c) => {
        await c.endAsync();
        return true;
      })
      .catch(() => false);

  beforeAll(async () => {
    p = await startTestPlatform({ DEMO_ASSETS: '6' });
    db = p.db;
    admin = await p.login('admin@preempt.demo', 'admin-demo');
    const device = await db.device.findFirstOrThrow({ orderBy: { username: 'asc' } });
    assetId = device.assetId;
    if (embeddedBroker) await eventually(() => online(assetId));
  }, 120_000);

  afterAll(async () => {
    await p?.stop();
  });

  it('is for administrators only, and only for assets that exist', async () => {
    expect((await post(`/api/assets/${assetId}/device/rotate`)).status).toBe(401);
    for (const [email, password] of [
      ['dispatcher@preempt.demo', 'dispatcher-demo'],
      ['customer@acme.demo', 'customer-demo'],
    ] as const) {
      const token = await p.login(email, password);
      expect((await post(`/api/assets/${assetId}/device/rotate`, token)).status).toBe(403);
      expect((await post(`/api/assets/${assetId}/device/revoke`, token)).status).toBe(403);
    }
    expect((await post('/api/assets/no-such-asset/device/rotate', admin)).status).toBe(404);
  });

  it("rotates: the simulated device's connection is closed, its old secret refused, the new one accepted", async () => {
    const device = await db.device.findUniqueOrThrow({ where: { assetId } });
    // the demo's device secrets derive from the platform's kept auth secret (simulators/demo-seed.ts)
    const authSecret = readFileSync(path.join(p.dataDir, 'auth-secret'), 'utf8').trim();
    const oldSecret = demoDevicePassword(authSecret, device.username);
    if (embeddedBroker) expect(await tryConnect(device.username, oldSecret)).toBe(true);

    const rotatedAt = Date.now();
    const res = await post(`/api/assets/${assetId}/device/rotate`, admin);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const issued = (await res.json()) as { assetId: string; username: string; secret: string };
    expect(issued).toMatchObject({ assetId, username: device.username });
    const stored = await db.device.findUniqueOrThrow({ where: { assetId } });
    expect(await verifyPassword(issued.secret, stored.secretHash)).toBe(true);
    expect(await verifyPassword(oldSecret, stored.secretHash)).toBe(false);
    expect(stored.brokerHash).toMatch(/^\$7\$/);
    if (!embeddedBroker) return; // the machine's broker does not check the platform's device table

    // the simulator's connection is closed; its last will marks the asset offline; it cannot come back
    await eventually(async () => !(await online(assetId)), 10_000, 100);
    const offlineAfterMs = Date.now() - rotatedAt;
    expect(await tryConnect(device.username, oldSecret)).toBe(false);
    expect(await tryConnect(device.username, issued.secret)).toBe(true);

    const revoked = await post(`/api/assets/${assetId}/device/revoke`, admin);
    expect(revoked.status).toBe(200);
    expect(await revoked.json()).toEqual({ assetId, username: device.username, revoked: true });
    expect(await tryConnect(device.username, issued.secret)).toBe(false);
    recordDrill({
      drill:
        "an administrator rotates, then revokes, a connected simulated device's secret through the API (whole platform, embedded broker)",
      behaviour: `the device's connection was closed and the asset shown offline ${offlineAfterMs} ms after the rotation; the old secret refused, the new one accepted until revoked`,
      lost: "nothing but the rotated device's own readings until it gets the new secret",
      test: TEST,
    });
  });
});
