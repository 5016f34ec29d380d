// Ingest in workers (INGEST_IN_PROCESS=false): the platform's health lists the workers it hears from (heartbeats
// on a platform-only topic, with their backlog) and is degraded while none is alive; a worker serves its own
// /metrics, and its health detail and metrics need METRICS_TOKEN when one is set. A real `npm run ingest` process
// on the platform's broker (the embedded one, or TEST_MQTT_URL).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordDrill } from '../helpers/drill-record.ts';
import { endSession } from '../helpers/ingest-rig.ts';
import { eventually, startTestPlatform, type TestPlatform } from '../helpers/platform.ts';
import { freePort } from '../helpers/ports.ts';
import { sample } from '../helpers/prom-text.ts';

interface Health {
  status: string;
  components?: Record<string, { status: string; detail?: Record<string, unknown> }>;
}
interface Roster {
  alive: number;
  workers: Record<string, { status: string; backlog?: { records: number; bytes: number }; stored?: number }>;
}

describe('ingest workers in the platform health', () => {
  let p: TestPlatform;
  let admin: string;
  let worker: ChildProcess | undefined;
  let port: number;
  const workerId = `preempt-hb-${randomBytes(3).toString('hex')}`;
  const token = randomBytes(12).toString('hex');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'preempt-hb-worker-'));

  const roster = async () => {
    const h = (await (
      await fetch(`${p.url}/api/health`, { headers: { authorization: `Bearer ${admin}` } })
    ).json()) as Health;
    return {
      status: h.components!.ingestWorkers!.status,
      ...(h.components!.ingestWorkers!.detail as unknown as Roster),
    };
  };
  const workerGet = (route: string, auth?: string) =>
    fetch(`http://127.0.0.1:${port}${route}`, auth ? { headers: { authorization: `Bearer ${auth}` } } : {});

  beforeAll(async () => {
    p = await startTestPlatform({ INGEST_IN_PROCESS: 'false' }, { fleet: false });
    admin = await p.login('admin@preempt.demo', 'admin-demo');
  }, 120_000);

  afterAll(async () => {
    if (worker && worker.exitCode === null) {
      worker.kill('SIGKILL');
      await new Promise((r) => worker!.once('exit', r));
    }
    if (process.env.TEST_MQTT_URL) await endSession(process.env.TEST_MQTT_URL, workerId);
    await p?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is degraded while no worker is alive', async () => {
    const r = await roster();
    expect(r).toMatchObject({ status: 'degraded', alive: 0, workers: {} });
    const text = await (await fetch(`${p.url}/metrics`)).text();
    expect(sample(text, 'preempt_ingest_workers_alive')).toBe(0);
    expect(sample(text, 'preempt_mqtt_connected', { client: 'relay' })).toBe(1);
    expect(sample(text, 'preempt_mqtt_connected', { client: 'heartbeat' })).toBe(1);
  });

  it('lists a worker with its backlog once it beats, and counts it gone when it stops', async () => {
    port = await freePort();
    const secret = path.join(p.dataDir, 'mqtt-password');
    worker = spawn(process.execPath, ['--import', 'tsx', 'ingest/main.ts'], {
      env: {
        ...process.env,
        DATABASE_URL: p.databaseUrl,
        MQTT_URL: p.mqttUrl,
        MQTT_USERNAME: 'preempt-ingest',
        MQTT_PASSWORD: existsSync(secret) ? readFileSync(secret, 'utf8').trim() : '',
        MQTT_CLIENT_ID: workerId,
        METRICS_TOKEN: token,
        DATA_DIR: dir,
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    const r = await eventually(async () => {
      const x = await roster();
      return x.alive === 1 && x;
    }, 40_000);
    expect(r.status).toBe('up');
    // on a shared broker the worker also takes other tests' telemetry: its counts are not known here
    expect(r.workers[workerId]).toMatchObject({
      status: 'up',
      backlog: { records: expect.any(Number), bytes: expect.any(Number) },
      stored: expect.any(Number),
    });
    expect(sample(await (await fetch(`${p.url}/metrics`)).text(), 'preempt_ingest_workers_alive')).toBe(1);

    // the worker's own port: status for anyone, detail and metrics with its METRICS_TOKEN
    expect(Object.keys(await (await workerGet('/api/health')).json())).toEqual(['status']);
    const detail = (await (await workerGet('/api/health', token)).json()) as Health;
    expect(detail.components!.ingest!.status).toBe('up');
    expect((await workerGet('/metrics')).status).toBe(401);
    expect((await workerGet('/metrics', 'wrong-token-wrong-token')).status).toBe(401);
    const text = await (await workerGet('/metrics', token)).text();
    expect(sample(text, 'preempt_mqtt_connected', { client: 'ingest' })).toBe(1);
    expect(sample(text, 'preempt_ingest_journal_backlog_records')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'preempt_health_component_status', { component: 'ingest', status: 'up' })).toBe(1);
    // a worker exports what it does: no planner, orders or live clients
    expect(text).not.toMatch(/^preempt_(dispatch|orders|live)/m);

    worker.kill('SIGTERM');
    await new Promise((res) => worker!.once('exit', res));
    const after = await eventually(async () => {
      const x = await roster();
      return x.alive === 0 && x;
    }, 20_000);
    expect(after.status).toBe('degraded');
    expect(after.workers[workerId]!.status).toBe('gone');
    recordDrill({
      drill: 'The only ingest worker stops (INGEST_IN_PROCESS=false)',
      behaviour:
        'platform health listed the worker from its heartbeats, then ingestWorkers degraded with the worker gone',
      lost: 'nothing (the worker drains its journal on stop)',
      test: 'test/integration/worker-health.test.ts',
    });
  }, 90_000);
});
