// A device flooding ingest with bad payloads, on real PostgreSQL and a real broker (the platform as it runs, its
// clock a port the test moves): at most DEAD_LETTERS_PER_DEVICE_PER_MINUTE of its refused messages are stored in
// full, the rest become one summary dead letter with their count (and a Prometheus counter); another device's dead
// letters are stored as before; the retention sweep deletes dead letters older than DEAD_LETTER_RETENTION_DAYS.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../common/clock.ts';
import { topics } from '../../common/contracts/mqtt.ts';
import { demoDevicePassword } from '../../simulators/demo-world.ts';
import { eventually, startTestPlatform, type TestPlatform } from '../helpers/platform.ts';
import { sample } from '../helpers/prom-text.ts';

const CAP = 5;
const FLOOD = 40;
const DAY = 24 * 3_600_000;

describe('dead letters of a flooding device: capped per minute, counted, and kept for a while', () => {
  let p: TestPlatform;
  let offsetMs = 0;
  const clock: Clock = { now: () => new Date(Date.now() + offsetMs) };
  let devices: { asset: string; tenant: string; username: string }[];
  let secret: string;
  let admin: string;

  const rejectsOf = (topic: string) =>
    p.db.ingestReject.findMany({ where: { topic }, orderBy: { id: 'asc' } });
  const ingestDetail = async () => {
    const res = await fetch(`${p.url}/api/health`, { headers: { authorization: `Bearer ${admin}` } });
    const body = (await res.json()) as {
      components: Record<string, { detail?: { deadLetters?: { notStored: number } } }>;
    };
    return body.components.ingest?.detail;
  };

  beforeAll(async () => {
    // the platform's clock at the start of a minute: the whole flood falls in one window, whatever the real time
    offsetMs = Math.ceil(Date.now() / 60_000) * 60_000 + 1_000 - Date.now();
    p = await startTestPlatform(
      {
        DEAD_LETTERS_PER_DEVICE_PER_MINUTE: String(CAP),
        DEAD_LETTER_RETENTION_DAYS: '30',
        DEAD_LETTER_SWEEP_SECONDS: '1',
        DEMO_ASSETS: '6',
      },
      { fleet: false, clock },
    );
    admin = await p.login('admin@preempt.demo', 'admin-demo');
    secret = readFileSync(path.join(p.dataDir, 'auth-secret'), 'utf8').trim();
    const rows = await p.db.device.findMany({
      include: { asset: { include: { tenant: true } } },
      orderBy: { username: 'asc' },
      take: 2,
    });
    devices = rows.map((d) => ({ asset: d.assetId, tenant: d.asset.tenant.slug, username: d.username }));
    expect(devices.length).toBe(2);
  }, 120_000);
  afterAll(async () => {
    await p?.stop();
  });

  const connect = (d: { username: string }) =>
    mqtt.connectAsync(p.mqttUrl, {
      clientId: `${d.username}-flood-${Date.now()}`,
      username: d.username,
      password: demoDevicePassword(secret, d.username),
      reconnectPeriod: 0,
    });

  it('stores at most the cap of a flooding device in full and the rest as one summary with their count', async () => {
    const [flooder, quiet] = devices as [(typeof devices)[0], (typeof devices)[0]];
    const floodTopic = topics.telemetry(flooder.tenant, flooder.asset);
    const quietTopic = topics.telemetry(quiet.tenant, quiet.asset);
    const a = await connect(flooder);
    const b = await connect(quiet);
    const junk = Buffer.alloc(60 * 1024, 0xfe); // 60 KB, not JSON
    for (let i = 0; i < FLOOD; i++) await a.publishAsync(floodTopic, junk, { qos: 1 });
    for (let i = 0; i < 3; i++) await b.publishAsync(quietTopic, `not json ${i}`, { qos: 1 });
    await a.endAsync();
    await b.endAsync();

    // every message was taken: the cap's count says so, and the stored ones are in the database
    await eventually(async () => (await ingestDetail())?.deadLetters?.notStored === FLOOD - CAP);
    await eventually(async () => (await rejectsOf(floodTopic)).length === CAP);
    await eventually(async () => (await rejectsOf(quietTopic)).length === 3);
    const stored = await rejectsOf(floodTopic);
    expect(stored.every((r) => r.reason === 'not_json' && r.raw.byteLength === 4096)).toBe(true);
    expect(stored.every((r) => r.rawBytes === junk.length)).toBe(true);

    // the minute is over (by the platform's clock): one summary row of the flooding device, none of the other
    offsetMs += 60_000;
    const summary = await eventually(async () =>
      (await rejectsOf(floodTopic)).find((r) => r.reason === 'not_stored'),
    );
    expect(summary.detail).toMatch(
      new RegExp(`^${FLOOD - CAP} more refused messages from this device were not stored \\(`),
    );
    expect(summary.detail).toContain(`at most ${CAP} a minute per device`);
    expect(summary.detail).toContain(`not_json ${FLOOD - CAP}`);
    expect(summary.raw.byteLength).toBe(0);
    const after = await rejectsOf(floodTopic);
    expect(after.length).toBe(CAP + 1);
    const quietRows = await rejectsOf(quietTopic);
    expect(quietRows.map((r) => r.reason)).toEqual(['not_json', 'not_json', 'not_json']);
    expect(Buffer.from(quietRows[2]!.raw).toString()).toBe('not json 2');

    // the API lists the summary like any dead letter, and /metrics counts what was not stored
    const res = await fetch(`${p.url}/api/ingest/rejects?reason=not_stored`, {
      headers: { authorization: `Bearer ${admin}` },
    });
    const listed = (await res.json()) as { items: { topic: string; detail: string }[] };
    expect(listed.items.find((i) => i.topic === floodTopic)?.detail).toBe(summary.detail);
    const text = await (await fetch(`${p.url}/metrics`)).text();
    expect(
      sample(text, 'preempt_ingest_dead_letters_not_stored_total', { reason: 'not_json' }),
    ).toBeGreaterThanOrEqual(FLOOD - CAP);

    // a new minute: the device's refused messages are stored in full again
    const again = await connect(flooder);
    await again.publishAsync(floodTopic, 'still not json', { qos: 1 });
    await again.endAsync();
    await eventually(async () => (await rejectsOf(floodTopic)).length === CAP + 2);
  });

  it('deletes dead letters past their retention, and keeps the younger ones', async () => {
    const now = clock.now().getTime();
    const topic = 't/x/a/retention-probe/telemetry';
    await p.db.ingestReject.createMany({
      data: [40, 31, 29, 1].map((days) => ({
        receivedAt: new Date(now - days * DAY),
        topic,
        reason: 'schema',
        detail: `${days} days old`,
        raw: new Uint8Array(Buffer.from('{}')),
        rawBytes: 2,
      })),
    });
    // the sweep runs every second
    await eventually(async () => (await rejectsOf(topic)).length === 2);
    expect((await rejectsOf(topic)).map((r) => r.detail)).toEqual(['29 days old', '1 days old']);
    const text = await (await fetch(`${p.url}/metrics`)).text();
    expect(sample(text, 'preempt_ingest_dead_letters_deleted_total')).toBeGreaterThanOrEqual(2);
  });
});
