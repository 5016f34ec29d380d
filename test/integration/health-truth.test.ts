// Health that tells the truth (issue 19): a telemetry store whose writes hang (no error, no answer) turns ingest
// degraded with the journal's backlog — by the stall check when writes take longer than INGEST_STALL_SECONDS,
// by the write timeout (STORE_TIMEOUT_MS) otherwise — and recovers; anonymous callers get the status alone;
// /metrics shows the same. On the platform with its demo fleet publishing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordDrill } from '../helpers/drill-record.ts';
import { FreezableStore } from '../helpers/frozen-store.ts';
import { sample } from '../helpers/prom-text.ts';
import { eventually, startTestPlatform, type TestPlatform } from '../helpers/platform.ts';

interface IngestDetail {
  accepted: number;
  stored: number;
  store: string;
  nothingStoredForMs?: number;
  journal: { records: number };
}
interface Health {
  status: string;
  components?: Record<string, { status: string; detail?: Record<string, unknown> }>;
}

function rig(env: Record<string, string>) {
  const r = {
    p: undefined as unknown as TestPlatform,
    store: undefined as unknown as FreezableStore,
    admin: '',
  };
  const health = async (token = r.admin) =>
    (await (
      await fetch(`${r.p.url}/api/health`, { headers: token ? { authorization: `Bearer ${token}` } : {} })
    ).json()) as Health;
  const ingest = async () => {
    const h = await health();
    return {
      status: h.components!.ingest!.status,
      ...(h.components!.ingest!.detail as unknown as IngestDetail),
    };
  };
  const metrics = async () => {
    const res = await fetch(`${r.p.url}/metrics`);
    expect(res.status).toBe(200);
    return res.text();
  };
  beforeAll(async () => {
    r.p = await startTestPlatform(env, { wrapStore: (s) => (r.store = new FreezableStore(s)) });
    r.admin = await r.p.login('admin@preempt.demo', 'admin-demo');
    await eventually(async () => (await ingest()).stored > 50, 60_000);
  }, 120_000);
  afterAll(async () => r.p?.stop());
  return Object.assign(r, { health, ingest, metrics });
}

describe('health and metrics when the store hangs (stall check)', () => {
  const r = rig({ STORE_TIMEOUT_MS: '60000', INGEST_STALL_SECONDS: '3' });

  it('tells anonymous callers and customers the status only, staff the components', async () => {
    expect(await r.health('')).toEqual({ status: expect.stringMatching(/^(up|degraded)$/) });
    const customer = await r.p.login('customer@acme.demo', 'customer-demo');
    expect(Object.keys(await r.health(customer))).toEqual(['status']);
    for (const who of [r.admin, await r.p.login('engineer@preempt.demo', 'engineer-demo')])
      expect(Object.keys((await r.health(who)).components!).sort()).toEqual([
        'broker',
        'database',
        'dead-letters',
        'dispatch',
        'ingest',
        'notifications',
        'parts-planning',
        'predict',
        'telemetryStore',
      ]);
  });

  it('serves the metrics of every module at /metrics', async () => {
    const text = await r.metrics();
    expect(sample(text, 'preempt_ingest_readings_accepted_total')).toBeGreaterThan(0);
    expect(sample(text, 'preempt_ingest_readings_stored_total')).toBeGreaterThan(0);
    expect(
      sample(text, 'preempt_ingest_store_write_duration_seconds_count', { target: 'points' }),
    ).toBeGreaterThan(0);
    expect(sample(text, 'preempt_ingest_store_batch_points_count')).toBeGreaterThan(0);
    expect(sample(text, 'preempt_ingest_journal_backlog_records')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'preempt_mqtt_connected', { client: 'ingest' })).toBe(1);
    expect(sample(text, 'preempt_orders', { status: 'CANCELLED' })).toBe(0);
    expect(
      sample(text, 'preempt_http_requests_total', { route: '/api/health', status_code: '200' }),
    ).toBeGreaterThan(0);
    expect(sample(text, 'preempt_health_component_status', { component: 'database', status: 'up' })).toBe(1);
    expect(sample(text, 'preempt_live_clients')).toBe(0);
    expect(sample(text, 'nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
    expect(text).toContain('preempt_dispatch_planner_gap_ratio');
    expect(text).not.toContain('preempt_ingest_workers_alive'); // ingest runs in this process
    // a route pattern, never the URL with its ids
    await fetch(`${r.p.url}/api/orders/00000000-0000-4000-8000-000000000000/events`, {
      headers: { authorization: `Bearer ${r.admin}` },
    });
    const after = await r.metrics();
    expect(after).toContain('route="/api/orders/:id/events"');
    expect(after).not.toContain('00000000-0000-4000-8000-000000000000');
    // predict and dispatch have seen the fleet's readings by now
    await eventually(async () => sample(await r.metrics(), 'preempt_predict_evaluations_total') > 0, 30_000);
  });

  it('goes degraded with the backlog while writes hang, and recovers when they go through', async () => {
    const before = await r.ingest();
    expect(before.status).toBe('up');
    r.store.frozen = true;
    const stalled = await eventually(async () => {
      const i = await r.ingest();
      return i.status === 'degraded' && i.store === 'stalled' && i;
    }, 20_000);
    expect(stalled.nothingStoredForMs).toBeGreaterThanOrEqual(3_000);
    expect(stalled.journal.records).toBeGreaterThan(0);
    expect((await r.health()).status).toBe('degraded');
    expect(await r.health('')).toEqual({ status: 'degraded' });
    // the backlog grows while nothing is stored
    const later = await eventually(async () => {
      const i = await r.ingest();
      return i.journal.records > stalled.journal.records && i;
    }, 10_000);
    expect(later.stored).toBe(stalled.stored);
    expect(sample(await r.metrics(), 'preempt_ingest_journal_backlog_records')).toBeGreaterThan(0);
    expect(
      sample(await r.metrics(), 'preempt_health_component_status', {
        component: 'ingest',
        status: 'degraded',
      }),
    ).toBe(1);

    r.store.thaw();
    const recovered = await eventually(async () => {
      const i = await r.ingest();
      return i.status === 'up' && i.journal.records < 100 && i;
    }, 30_000);
    expect(recovered.stored).toBeGreaterThan(later.stored);
    expect(recovered.store).toBe('ok');
    recordDrill({
      drill: 'Telemetry-store writes hang (no error, no answer) under the demo fleet',
      behaviour: `ingest health degraded (store stalled, nothing stored for ${stalled.nothingStoredForMs} ms) while the journal grew to ${later.journal.records} records; healthy again once writes went through`,
      lost: `nothing: ${recovered.stored} readings stored after the thaw, journal drained`,
      test: 'test/integration/health-truth.test.ts',
    });
  }, 60_000);
});

describe('health when the store hangs longer than STORE_TIMEOUT_MS (write timeout)', () => {
  const r = rig({ STORE_TIMEOUT_MS: '500', INGEST_STALL_SECONDS: '300' });

  it('fails the hanging write after the timeout, retries it, and recovers', async () => {
    r.store.frozen = true;
    const failing = await eventually(async () => {
      const i = await r.ingest();
      return i.status === 'degraded' && i.store === 'failing' && i;
    }, 15_000);
    expect(failing.journal.records).toBeGreaterThan(0);
    expect(
      sample(await r.metrics(), 'preempt_ingest_store_write_failures_total', {
        target: 'points',
        kind: 'timeout',
      }),
    ).toBeGreaterThan(0);
    r.store.thaw();
    await eventually(async () => (await r.ingest()).status === 'up', 30_000);
  }, 60_000);
});
