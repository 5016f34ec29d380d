// The ALARM kind end to end on real PostgreSQL and the embedded broker: an imported fleet history (a small
// generated one: a failure mode announced by its error code hours before each failure) trains ALARM versions
// through the API (a worker-thread job with a backtest per failure event); a SHADOW version records a prediction
// and opens nothing; promoted, the same pattern of readings and codes over MQTT opens an order carrying the
// failure mode's part.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics } from '../../common/contracts/mqtt.ts';
import type { Db } from '../../common/db.ts';
import { demoDevicePassword } from '../../simulators/demo-world.ts';
import { eventually, startTestPlatform, type TestPlatform } from '../helpers/platform.ts';
import { PRECURSOR_CODE, writeAlarmHistory } from '../helpers/alarm-history.ts';

const H = 3_600_000;
const CODE = PRECURSOR_CODE;

describe('ALARM versions trained from an imported history, live', () => {
  let p: TestPlatform;
  let db: Db;
  let engineer: string;
  let equipmentKey: string;
  let mode: { id: string; key: string; partSku: string };
  let metrics: string[];
  let assets: { id: string; tenant: string; username: string }[];
  let secret: string;
  let versions: { modelId: string; version: number; versionId: string; backtestId: string }[];

  const api = async (method: string, url: string, body?: unknown) => {
    const res = await fetch(`${p.url}${url}`, {
      method,
      headers: {
        authorization: `Bearer ${engineer}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  /**
   * The device's last 5 days of hourly readings (as a device uploads its logged history on connecting), with the
   * code at half past the hour 6, 3 and 0 hours before this one (as the history has them).
   */
  async function headForFailure(asset: { id: string; tenant: string; username: string }) {
    const client = await mqtt.connectAsync(p.mqttUrl, {
      clientId: `${asset.username}-alarm-test`,
      username: asset.username,
      password: demoDevicePassword(secret, asset.username),
      reconnectPeriod: 0,
    });
    const now = Date.now();
    const hour = Math.floor(now / H) * H;
    const events = [6.5, 3.5, 0.5].map((h) => ({ code: CODE, severity: 'error', ts: hour - h * H }));
    await client.publishAsync(topics.events(asset.tenant, asset.id), JSON.stringify({ events }), { qos: 1 });
    await eventually(
      async () => (await db.assetEvent.count({ where: { assetId: asset.id, code: CODE } })) === 3,
    );
    // the history's noise: uniform over one unit above each metric's level
    let seed = 11;
    const rand = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    const readings = Array.from({ length: 120 }, (_, i) => ({
      ts: now - (119 - i) * H,
      metrics: Object.fromEntries(metrics.map((m, j) => [m, 10 + j + rand()])),
    }));
    // the older readings first: the version's track starts and reads the stored codes; then the last day
    const send = (rs: typeof readings) =>
      client.publishAsync(topics.telemetry(asset.tenant, asset.id), JSON.stringify({ readings: rs }), {
        qos: 1,
      });
    await send(readings.slice(0, 96));
    await new Promise((r) => setTimeout(r, 1_000));
    await send(readings.slice(96));
    await client.endAsync();
  }

  beforeAll(async () => {
    p = await startTestPlatform({ DEMO_ASSETS: '6' }, { fleet: false });
    db = p.db;
    engineer = await p.login('engineer@preempt.demo', 'engineer-demo');
    secret = readFileSync(path.join(p.dataDir, 'auth-secret'), 'utf8').trim();
    // the demo's own models stay out of the way
    await db.modelVersion.updateMany({
      where: { status: { in: ['ACTIVE', 'SHADOW'] } },
      data: { status: 'RETIRED' },
    });
    const device = await db.device.findFirstOrThrow({
      orderBy: { username: 'asc' },
      include: {
        asset: {
          include: {
            tenant: true,
            equipmentModel: { include: { metrics: true, failureModes: { include: { part: true } } } },
          },
        },
      },
    });
    const eq = device.asset.equipmentModel;
    equipmentKey = eq.key;
    const fm = eq.failureModes[0]!;
    mode = { id: fm.id, key: fm.key, partSku: fm.part.sku };
    metrics = eq.metrics.map((m) => m.name);
    const devices = await db.device.findMany({
      where: { asset: { equipmentModelId: eq.id } },
      include: { asset: { include: { tenant: true } } },
      orderBy: { username: 'asc' },
      take: 2,
    });
    assets = devices.map((d) => ({ id: d.assetId, tenant: d.asset.tenant.slug, username: d.username }));
    expect(assets.length).toBe(2);
  }, 120_000);

  afterAll(async () => {
    await p?.stop();
  });

  it('trains one version per failure mode of the history, each with its backtest per failure event', async () => {
    const tenant = await db.tenant.findFirstOrThrow();
    const start = Date.now() - 60 * 24 * H;
    const historyId = await writeAlarmHistory(db, {
      tenantId: tenant.id,
      name: 'alarm-fixture',
      machines: 10,
      prefix: 'h',
      metrics,
      mode: mode.key,
      start: Math.floor(start / H) * H,
      strayCode: 'W-STRAY',
    });
    const trainUntil = new Date(start + 21 * 24 * H).toISOString();
    const bad = await api('POST', `/api/fleet-histories/${historyId}/alarm-models`, {
      equipmentModel: 'no-such-model',
      trainUntil,
    });
    expect(bad.status).toBe(404);
    const res = await api('POST', `/api/fleet-histories/${historyId}/alarm-models`, {
      equipmentModel: equipmentKey,
      trainUntil,
      horizonHours: 24,
    });
    expect(res.status).toBe(202);
    const job = await eventually(async () => {
      const j = await api('GET', `/api/alarm-trainings/${res.body.id as string}`);
      return (j.body.status === 'done' || j.body.status === 'failed') && j.body;
    }, 60_000);
    expect(job.error).toBeNull();
    const report = job.report as {
      versions: typeof versions & { summary: { failures: number; detected: number } }[];
    };
    expect(report.versions).toHaveLength(1);
    versions = report.versions;
    const summary = report.versions[0]!.summary;
    expect(summary.failures).toBeGreaterThan(0);
    expect(summary.detected).toBeGreaterThan(0);
    const run = await db.backtestRun.findUniqueOrThrow({ where: { id: report.versions[0]!.backtestId } });
    expect(run.status).toBe('DONE');
    const failures = (run.report as { failures: { caught: boolean; leadHours: number }[] }).failures;
    expect(failures).toHaveLength(summary.failures);
    expect(failures.filter((f) => f.caught)).toHaveLength(summary.detected);
    expect(failures.every((f) => !f.caught || f.leadHours >= 2)).toBe(true);
  }, 90_000);

  it('a SHADOW version records its prediction and opens no order', async () => {
    const v = versions[0]!;
    // replays carry no error codes: an ALARM version's backtest is the one made when it was trained
    const replay = await api('POST', `/api/models/${v.modelId}/versions/${v.version}/backtest`, {
      source: 'telemetry',
    });
    expect(replay.status).toBe(400);
    const s = await api('POST', `/api/models/${v.modelId}/versions/${v.version}/status`, {
      status: 'SHADOW',
    });
    expect(s.status).toBe(200);
    await new Promise((r) => setTimeout(r, 500)); // the service reloads its versions
    await headForFailure(assets[1]!);
    const shadow = await eventually(() =>
      db.prediction.findFirst({
        where: { assetId: assets[1]!.id, modelVersionId: v.versionId, shadow: true },
      }),
    );
    expect(shadow.failureModeId).toBe(mode.id);
    await new Promise((r) => setTimeout(r, 500));
    expect(await db.serviceOrder.count({ where: { assetId: assets[1]!.id } })).toBe(0);
  }, 30_000);

  it('promoted, it opens an order carrying the failure mode’s part, once per episode', async () => {
    const v = versions[0]!;
    const s = await api('POST', `/api/models/${v.modelId}/versions/${v.version}/status`, {
      status: 'ACTIVE',
    });
    expect(s.status).toBe(200);
    await new Promise((r) => setTimeout(r, 500));
    await headForFailure(assets[0]!);
    const order = await eventually(() =>
      db.serviceOrder.findFirst({
        where: { assetId: assets[0]!.id },
        include: { failureMode: { include: { part: true } }, prediction: true },
      }),
    );
    expect(order.failureModeId).toBe(mode.id);
    expect(order.failureMode.part.sku).toBe(mode.partSku);
    expect(order.prediction?.modelVersionId).toBe(v.versionId);
    expect((order.prediction?.evidence as { kind: string }).kind).toBe('ALARM');
    await new Promise((r) => setTimeout(r, 500));
    expect(
      await db.prediction.count({ where: { assetId: assets[0]!.id, modelVersionId: v.versionId } }),
    ).toBe(1);
  }, 30_000);
});
