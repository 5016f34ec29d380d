// Order detail and service history over HTTP on the whole platform (demo world, no fleet): a predicted order
// with a trend metric's readings in the telemetry store is planned, accepted and completed; its detail shows the
// prediction, the downsampled trend, the plan, the timeline, the consumed reservation and the return; a
// customer sees their own tenant's only and without the desk's internals; another tenant's customer gets 404s;
// bad filters are 400s; the service history lists the completed job with its part, per asset and organisation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderDetail } from '../../dispatch/core/order-detail.ts';
import type { ServiceHistoryEntry } from '../../dispatch/core/service-history.ts';
import { callApi } from '../helpers/api-client.ts';
import { demoPredictedOrder } from '../helpers/demo-order.ts';
import { walkOrder } from '../helpers/field-walk.ts';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.ts';

describe('order detail and service history', () => {
  let p: TestPlatform;
  const tokens: Record<string, string> = {};
  let orderId = '';
  let assetId = '';
  let tenantId = '';

  const call = <T = unknown>(who: string | null, method: string, url: string, body?: unknown) =>
    callApi<T>(p.url, who ? tokens[who] : null, method, url, body);

  beforeAll(async () => {
    p = await startTestPlatform({}, { fleet: false });
    for (const [who, email, password] of [
      ['admin', 'admin@preempt.demo', 'admin-demo'],
      ['dispatcher', 'dispatcher@preempt.demo', 'dispatcher-demo'],
      ['acme', 'customer@acme.demo', 'customer-demo'],
      ['globex', 'customer@globex.demo', 'customer-demo'],
    ] as const)
      tokens[who] = await p.login(email, password);

    // an Acme asset whose failure mode a technician can fix with a part in stock
    const now = Date.now();
    const made = await demoPredictedOrder(p.db, {
      tenant: 'acme',
      raisedAt: new Date(now - 3_600_000),
      evidence: { metric: 'test_wear', failureLevel: 100, slopePerHour: 2.5 },
    });
    const asset = made.asset;
    assetId = asset.id;
    tenantId = asset.tenantId;
    // two hours of readings every 10 s, rising toward the failure level
    const points = Array.from({ length: 720 }, (_, i) => ({
      assetId: asset.id,
      metric: 'test_wear',
      ts: new Date(now - 2 * 3_600_000 + i * 10_000),
      value: 40 + i / 24,
    }));
    await p.store.write(points);
    orderId = made.orderId;
    expect((await call('dispatcher', 'POST', '/api/dispatch/plan')).status).toBe(200);
  }, 90_000);
  afterAll(async () => {
    await p?.stop();
  });

  it('shows why it was predicted, the trend downsampled, the plan and the timeline', async () => {
    const { status, body } = await call<OrderDetail>('dispatcher', 'GET', `/api/orders/${orderId}/detail`);
    expect(status).toBe(200);
    expect(body.order).toMatchObject({ id: orderId, status: 'PLANNED' });
    expect(body.prediction).toMatchObject({
      confidence: 0.8,
      metric: 'test_wear',
      failureLevel: 100,
      evidence: { slopePerHour: 2.5 },
    });
    expect(body.prediction!.model).toMatchObject({ version: expect.any(Number), key: expect.any(String) });
    expect(body.prediction!.earliestAt < body.prediction!.latestAt).toBe(true);
    expect(body.trend).toMatchObject({ metric: 'test_wear', failureLevel: 100 });
    // 720 readings downsampled to at most ~120 windows, rising
    expect(body.trend!.points.length).toBeGreaterThan(10);
    expect(body.trend!.points.length).toBeLessThanOrEqual(121);
    expect(body.trend!.points.at(-1)!.value).toBeGreaterThan(body.trend!.points[0]!.value);
    expect(body.plan.technician).not.toBeNull();
    expect(body.plan.etaAt).not.toBeNull();
    expect(typeof body.plan.onTime).toBe('boolean');
    expect(body.reservations).toEqual([expect.objectContaining({ status: 'HELD', qty: expect.any(Number) })]);
    expect(body.timeline.map((e) => e.status)).toContain('PLANNED');
  });

  it('a customer sees their own order without the model, evidence, costs or the desk; another tenant gets 404', async () => {
    const mine = await call<OrderDetail>('acme', 'GET', `/api/orders/${orderId}/detail`);
    expect(mine.status).toBe(200);
    expect(mine.body.prediction).toMatchObject({ model: null, evidence: null, metric: 'test_wear' });
    expect(mine.body.trend!.points.length).toBeGreaterThan(10);
    expect(mine.body.order.actions).toEqual([]);
    expect(mine.body.plan.verdictReason).toBeNull();
    for (const s of mine.body.shipments) expect(s.cost).toBeNull();
    expect(JSON.stringify(mine.body)).not.toContain('@preempt.demo');

    expect((await call('globex', 'GET', `/api/orders/${orderId}/detail`)).status).toBe(404);
    expect((await call(null, 'GET', `/api/orders/${orderId}/detail`)).status).toBe(401);
    expect((await call('dispatcher', 'GET', '/api/orders/no-such-order/detail')).status).toBe(404);
  });

  it('lists the completed job in the service history, per asset and for the organisation', async () => {
    expect((await call('dispatcher', 'POST', `/api/orders/${orderId}/accept`)).status).toBe(200);
    const o = await walkOrder(p, tokens.dispatcher!, orderId, {
      removedSerial: 'SN-DETAIL-1',
      note: 'bearing replaced',
    });
    expect(o.status).toBe('COMPLETED');

    const detail = (await call<OrderDetail>('dispatcher', 'GET', `/api/orders/${orderId}/detail`)).body;
    expect(detail.reservations[0]!.status).toBe('CONSUMED');
    expect(detail.returns).toEqual([expect.objectContaining({ serial: 'SN-DETAIL-1', reason: 'DEFECTIVE' })]);
    expect(detail.timeline.at(-1)).toMatchObject({
      status: 'COMPLETED',
      actor: expect.stringMatching(/^t-\d+@preempt\.demo$/),
    });

    const asset = await call<ServiceHistoryEntry[]>('acme', 'GET', `/api/assets/${assetId}/history`);
    expect(asset.status).toBe(200);
    expect(asset.body).toEqual([
      expect.objectContaining({
        orderId,
        status: 'COMPLETED',
        work: expect.stringContaining('Repaired'),
        technician: expect.any(String),
        onSiteAt: expect.any(String),
        closedAt: expect.any(String),
        acceptedBy: null,
      }),
    ]);
    expect(asset.body[0]!.partsFitted.length).toBe(1);
    const staff = await call<ServiceHistoryEntry[]>('dispatcher', 'GET', `/api/assets/${assetId}/history`);
    expect(staff.body[0]!.acceptedBy).toBe('dispatcher@preempt.demo');

    const org = await call<ServiceHistoryEntry[]>('acme', 'GET', '/api/service-history?status=COMPLETED');
    expect(org.status).toBe(200);
    expect(org.body.map((e) => e.orderId)).toContain(orderId);
    expect(org.body.every((e) => e.tenantId === tenantId)).toBe(true);
    const past = await call<ServiceHistoryEntry[]>('acme', 'GET', '/api/service-history?to=2020-01-01');
    expect(past.body).toEqual([]);
    const cancelled = await call<ServiceHistoryEntry[]>(
      'acme',
      'GET',
      '/api/service-history?status=CANCELLED',
    );
    expect(cancelled.body.map((e) => e.orderId)).not.toContain(orderId);

    // another tenant: not their asset, not in their organisation's history
    expect((await call('globex', 'GET', `/api/assets/${assetId}/history`)).status).toBe(404);
    const globex = await call<ServiceHistoryEntry[]>('globex', 'GET', '/api/service-history');
    expect(globex.body.map((e) => e.orderId)).not.toContain(orderId);
    expect((await call(null, 'GET', '/api/service-history')).status).toBe(401);
  });

  it('refuses bad filters with 400', async () => {
    for (const q of [
      'from=yesterday',
      'from=2026-02-01&to=2026-01-01',
      'status=PLANNED',
      'limit=0',
      'limit=x',
    ])
      expect((await call('acme', 'GET', `/api/service-history?${q}`)).status, q).toBe(400);
    expect((await call('acme', 'GET', `/api/assets/${assetId}/history?status=OPEN`)).status).toBe(400);
  });
});
