// The order lifecycle and returns through the HTTP API of the whole platform (demo world, no fleet): role
// checks, 409s with error codes, the order pushed live after each change, the printable return document, and
// the repair finding showing up in GET /api/predictions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveOrder } from '../../common/contracts/live.ts';
import { callApi } from '../helpers/api-client.ts';
import { demoPredictedOrder } from '../helpers/demo-order.ts';
import { walkOrder } from '../helpers/field-walk.ts';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.ts';

describe('order lifecycle and returns over HTTP', () => {
  let p: TestPlatform;
  const tokens: Record<string, string> = {};
  const views: LiveOrder[] = [];

  const call = <T = unknown>(who: keyof typeof tokens | null, method: string, url: string, body?: unknown) =>
    callApi<T>(p.url, who ? tokens[who] : null, method, url, body);

  /** A predicted order on a demo asset whose failure mode some technician can fix with a part in stock. */
  async function predictedOrder(): Promise<{ orderId: string; predictionId: string }> {
    const { orderId, predictionId } = await demoPredictedOrder(p.db);
    return { orderId, predictionId };
  }

  async function plannedOrder() {
    const ids = await predictedOrder();
    expect((await call('dispatcher', 'POST', '/api/dispatch/plan')).status).toBe(200);
    const { body } = await call<LiveOrder>('dispatcher', 'GET', `/api/orders/${ids.orderId}`);
    expect(body.status).toBe('PLANNED');
    return { ...ids, order: body };
  }

  beforeAll(async () => {
    p = await startTestPlatform({}, { fleet: false });
    p.bus.on('order.view', (o) => void views.push(o));
    for (const [who, email, password] of [
      ['dispatcher', 'dispatcher@preempt.demo', 'dispatcher-demo'],
      ['admin', 'admin@preempt.demo', 'admin-demo'],
      ['engineer', 'engineer@preempt.demo', 'engineer-demo'],
      ['customer', 'customer@acme.demo', 'customer-demo'],
    ] as const)
      tokens[who] = await p.login(email, password);
  }, 60_000);
  afterAll(async () => {
    await p?.stop();
  });

  it('drives a planned order to completion, live, and turns the repair finding into the prediction outcome', async () => {
    const { orderId, predictionId, order } = await plannedOrder();
    expect(order).toMatchObject({
      acceptedBy: null,
      actions: ['accept', 'reassign', 'restage', 'cancel'],
      nextStatus: null,
    });

    // only dispatchers and admins act; customers and engineers are refused, strangers too
    expect((await call('customer', 'POST', `/api/orders/${orderId}/accept`)).status).toBe(403);
    expect((await call('engineer', 'POST', `/api/orders/${orderId}/accept`)).status).toBe(403);
    expect((await call(null, 'POST', `/api/orders/${orderId}/accept`)).status).toBe(401);

    const early = await call('dispatcher', 'POST', `/api/orders/${orderId}/status`, {
      status: 'PARTS_STAGED',
    });
    expect(early).toMatchObject({ status: 409, body: { code: 'DISPATCH_ILLEGAL_TRANSITION' } });
    expect(
      (await call('dispatcher', 'POST', `/api/orders/${orderId}/status`, { status: 'PLANNED' })).status,
    ).toBe(400);

    const accepted = await call<LiveOrder>('dispatcher', 'POST', `/api/orders/${orderId}/accept`);
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ acceptedBy: 'dispatcher@preempt.demo' });
    expect(['PARTS_STAGED', 'PARTS_IN_TRANSIT']).toContain(accepted.body.nextStatus);
    expect(accepted.body.actions).not.toContain('accept');

    // reassign to the best eligible technician the choices offer
    const choices = await call<{ technicians: { code: string; eligible: boolean }[] }>(
      'dispatcher',
      'GET',
      `/api/orders/${orderId}/choices`,
    );
    expect(choices.status).toBe(200);
    const pick = choices.body.technicians.find((t) => t.eligible)!;
    expect(pick).toBeDefined();
    const re = await call<LiveOrder>('dispatcher', 'POST', `/api/orders/${orderId}/reassign`, {
      technician: pick.code,
    });
    expect(re.status).toBe(200);
    expect(re.body.technician).toMatch(new RegExp(`^${pick.code} `));
    await p.bus.drain();
    expect(views.filter((v) => v.id === orderId).at(-1)?.technician).toBe(re.body.technician);
    const unqualified = choices.body.technicians.find(
      (t) => !t.eligible && !order.technician?.startsWith(t.code),
    )!;
    const refused = await call('dispatcher', 'POST', `/api/orders/${orderId}/reassign`, {
      technician: unqualified.code,
    });
    expect(refused).toMatchObject({ status: 409, body: { code: 'DISPATCH_NO_QUALIFIED_TECHNICIAN' } });

    // the desk moves the part; the technician's own steps are his: a dispatcher is refused, an administrator
    // overriding needs a reason
    let current = accepted.body;
    while (current.nextStatus !== 'TECHNICIAN_EN_ROUTE') {
      const res = await call<LiveOrder>('dispatcher', 'POST', `/api/orders/${orderId}/status`, {
        status: current.nextStatus,
      });
      expect(res.status).toBe(200);
      current = res.body;
    }
    const forHim = await call('dispatcher', 'POST', `/api/orders/${orderId}/status`, {
      status: 'TECHNICIAN_EN_ROUTE',
    });
    expect(forHim).toMatchObject({ status: 403, body: { code: 'DISPATCH_FIELD_STEP_TECHNICIAN_ONLY' } });
    const noReason = await call('admin', 'POST', `/api/orders/${orderId}/status`, {
      status: 'TECHNICIAN_EN_ROUTE',
    });
    expect(noReason).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
    const overridden = await call<LiveOrder>('admin', 'POST', `/api/orders/${orderId}/status`, {
      status: 'TECHNICIAN_EN_ROUTE',
      overrideReason: 'technician phoned in, his phone is flat',
    });
    expect(overridden).toMatchObject({ status: 200, body: { status: 'TECHNICIAN_EN_ROUTE' } });
    current = await walkOrder(p, tokens.dispatcher!, orderId, {
      removedSerial: 'SN-REMOVED-1',
      note: 'replaced',
    });
    expect(current).toMatchObject({
      status: 'COMPLETED',
      actions: [],
      nextStatus: null,
      reservationStatus: 'CONSUMED',
    });
    await p.bus.drain();
    expect(views.filter((v) => v.id === orderId).at(-1)?.status).toBe('COMPLETED');

    const history = await call<{ status: string; action: string; actor: string }[]>(
      'customer',
      'GET',
      `/api/orders/${orderId}/events`,
    );
    const own = (
      await p.db.serviceOrder.findUniqueOrThrow({ where: { id: orderId }, include: { tenant: true } })
    ).tenant.slug;
    if (own === 'acme') expect(history.status).toBe(200);
    else expect(history.status).toBe(404);
    const events = await call<{ status: string; action: string; actor: string }[]>(
      'dispatcher',
      'GET',
      `/api/orders/${orderId}/events`,
    );
    expect(events.body.map((e) => e.action)).toContain('accept');
    expect(events.body.find((e) => e.action === 'override')).toMatchObject({
      status: 'TECHNICIAN_EN_ROUTE',
      actor: 'admin@preempt.demo',
      note: expect.stringContaining('his phone is flat'),
    });
    expect(events.body.at(-1)).toMatchObject({
      status: 'COMPLETED',
      actor: expect.stringMatching(/^t-\d+@preempt\.demo$/),
    });

    // the removed part goes to the repair depot with a printable return document
    const returns = await call<{ id: string; rma: string; reason: string; to: string; serial: string }[]>(
      'dispatcher',
      'GET',
      `/api/returns?orderId=${orderId}`,
    );
    expect(returns.body).toHaveLength(1);
    const depot = await p.db.stockLocation.findFirstOrThrow({
      where: { kind: 'REPAIR_DEPOT' },
      orderBy: { code: 'asc' },
    });
    expect(returns.body[0]).toMatchObject({ reason: 'DEFECTIVE', to: depot.code, serial: 'SN-REMOVED-1' });
    const ra = returns.body[0]!;
    const doc = await call<string>('dispatcher', 'GET', `/api/returns/${ra.id}/document`);
    expect(doc.status).toBe(200);
    expect(doc.type).toMatch(/^text\/html/);
    expect(doc.body).toContain(`*${ra.rma}*`);
    expect(doc.body).toContain('<svg');
    expect(doc.body).toContain('SN-REMOVED-1');
    expect((await call('customer', 'GET', `/api/returns/${ra.id}/document`)).status).toBe(403);
    expect((await call('customer', 'GET', '/api/returns')).status).toBe(403);

    // the engineer records the depot's finding; the prediction shows it
    const finding = await call<{ outcome: string; state: string }>(
      'engineer',
      'POST',
      `/api/returns/${ra.id}/finding`,
      {
        finding: 'FAILURE_CONFIRMED',
      },
    );
    expect(finding).toMatchObject({ status: 200, body: { outcome: 'CONFIRMED', state: 'CLOSED' } });
    const again = await call('engineer', 'POST', `/api/returns/${ra.id}/finding`, {
      finding: 'NO_FAULT_FOUND',
    });
    expect(again).toMatchObject({ status: 409, body: { code: 'DISPATCH_ILLEGAL_TRANSITION' } });
    const predictions = await call<{ id: string; outcome: string; outcomeAt: string | null }[]>(
      'engineer',
      'GET',
      '/api/predictions?limit=500',
    );
    const mine = predictions.body.find((x) => x.id === predictionId);
    expect(mine).toMatchObject({ outcome: 'CONFIRMED' });
    expect(mine!.outcomeAt).toMatch(/^\d{4}-/);
  }, 60_000);

  it('restages and cancels, answering refusals with codes', async () => {
    const { orderId, order } = await plannedOrder();
    // a pickup counter holds no stock of its own: staging there from itself finds nothing to reserve
    const counter = await p.db.stockLocation.findFirstOrThrow({
      where: { kind: 'COUNTER', stock: { none: { part: { sku: order.part.sku }, onHand: { gt: 0 } } } },
    });
    const res = await call('dispatcher', 'POST', `/api/orders/${orderId}/staging`, {
      location: counter.code,
    });
    expect(res).toMatchObject({ status: 409, body: { code: 'DISPATCH_STOCK_CONFLICT' } });
    // …but the hub can ship the part there
    const hub = await p.db.stockLocation.findFirstOrThrow({ where: { kind: 'HUB' } });
    const moved = await call<LiveOrder>('dispatcher', 'POST', `/api/orders/${orderId}/staging`, {
      location: counter.code,
      source: hub.code,
    });
    expect(moved).toMatchObject({
      status: 200,
      body: { status: 'PLANNED', pickup: counter.code, source: hub.code },
    });
    const depot = await p.db.stockLocation.findFirstOrThrow({ where: { kind: 'REPAIR_DEPOT' } });
    expect(
      (await call('dispatcher', 'POST', `/api/orders/${orderId}/staging`, { location: depot.code })).status,
    ).toBe(400);
    expect((await call('dispatcher', 'POST', `/api/orders/${orderId}/staging`, {})).status).toBe(400);
    expect((await call('dispatcher', 'POST', `/api/orders/${orderId}/cancel`, {})).status).toBe(400);
    // the reason is a code, the snooze at most 30 days
    for (const bad of [
      { reason: 'risk cleared' },
      { reason: 'OTHER', snoozeHours: 721 },
      { reason: 'OTHER', snoozeHours: -1 },
      { reason: 'OTHER', snoozeHours: 1.5 },
    ])
      expect((await call('dispatcher', 'POST', `/api/orders/${orderId}/cancel`, bad)).status).toBe(400);

    const cancelled = await call<LiveOrder>('dispatcher', 'POST', `/api/orders/${orderId}/cancel`, {
      reason: 'RISK_CLEARED',
      note: 'confirmed with the site',
      snoozeHours: 12,
    });
    expect(cancelled).toMatchObject({
      status: 200,
      body: { status: 'CANCELLED', actions: [], cancelReason: 'RISK_CLEARED' },
    });
    expect(cancelled.body.customerStatus).toBe('cancelled – risk cleared');
    expect(Date.parse(cancelled.body.snoozeUntil!) - Date.parse(cancelled.body.closedAt!)).toBe(
      12 * 3_600_000,
    );
    expect(cancelled.body.reservationStatus).toBe('RELEASED');
    const again = await call('dispatcher', 'POST', `/api/orders/${orderId}/cancel`, { reason: 'DUPLICATE' });
    expect(again).toMatchObject({ status: 409, body: { code: 'DISPATCH_ILLEGAL_TRANSITION' } });
    expect((await call('dispatcher', 'POST', '/api/orders/nope/cancel', { reason: 'OTHER' })).status).toBe(
      404,
    );
  }, 60_000);

  it('documents the new routes in OpenAPI', async () => {
    const spec = await call<{ paths: Record<string, unknown> }>(null, 'GET', '/docs/json');
    for (const path of [
      '/api/orders/{id}/accept',
      '/api/orders/{id}/cancel',
      '/api/orders/{id}/reassign',
      '/api/orders/{id}/staging',
      '/api/orders/{id}/status',
      '/api/orders/{id}/choices',
      '/api/orders/{id}/events',
      '/api/returns',
      '/api/returns/{id}',
      '/api/returns/{id}/document',
      '/api/returns/{id}/receive',
      '/api/returns/{id}/finding',
    ])
      expect(Object.keys(spec.body.paths)).toContain(path);
  });
});
