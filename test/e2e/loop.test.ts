// The whole loop on real services: simulated equipment degrading over MQTT → ingest → predict → a pre-emptive
// order → dispatch reserves parts and a technician → visible through the API and live over socket.io.
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientToServerEvents, LiveOrder, ServerToClientEvents } from '../../common/contracts/live.ts';
import { eventually, startTestPlatform, type TestPlatform } from '../helpers/platform.ts';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

describe('the predictive service loop, end to end', () => {
  let p: TestPlatform;
  let dispatcher: string;
  const sockets: Client[] = [];
  const connect = (token: string) => {
    const s: Client = io(p.url, { auth: { token }, transports: ['websocket'], reconnection: false });
    sockets.push(s);
    return s;
  };

  beforeAll(async () => {
    p = await startTestPlatform({}, { fleetManualStart: true });
    dispatcher = await p.login('dispatcher@preempt.demo', 'dispatcher-demo');
  }, 120_000);
  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await p?.stop();
  });

  it('turns a degrading asset into a planned order with reserved parts, live and through the API', async () => {
    const live = connect(dispatcher);
    const seen: LiveOrder[] = [];
    live.on('order', (o) => seen.push(o));
    // the equipment starts once the dispatcher's live channel is open, so no order can be planned unseen
    await new Promise<void>((resolve) => live.once('connect', () => resolve()));
    await p.fleet!.start();

    const orders = await eventually(async () => {
      const res = await fetch(`${p.url}/api/orders`, { headers: { authorization: `Bearer ${dispatcher}` } });
      const list = (await res.json()) as LiveOrder[];
      return list.some((o) => o.status === 'PLANNED') && list;
    }, 60_000);
    const planned = orders.find((o) => o.status === 'PLANNED')!;
    expect(planned.technician).toBeTruthy();
    expect(planned.pickup).toBeTruthy();
    expect(planned.reservationStatus).toBe('HELD');
    expect(new Date(planned.dueBy).getTime()).toBeLessThanOrEqual(
      new Date(planned.expectedFailureAt).getTime(),
    );

    // the promise: every planned order has the technician on site before the expected failure (the issue's
    // bar is 90% of a fresh demo's planned orders; failures develop over days, so the demo's are all in time)
    const withPlan = orders.filter((o) => o.etaAt !== null);
    const onTime = withPlan.filter((o) => Date.parse(o.etaAt!) <= Date.parse(o.expectedFailureAt));
    expect(onTime.length / withPlan.length).toBeGreaterThanOrEqual(0.9);

    // ground truth: the order's asset really is degrading in the simulator
    const truth = p.fleet!.fleet.groundTruth().map((g) => g.assetId);
    expect(truth).toContain(planned.assetId);

    const reserved = await p.db.stockLevel.aggregate({ _sum: { reserved: true } });
    expect(reserved._sum.reserved).toBeGreaterThan(0);
    const history = await p.db.orderEvent.findMany({
      where: { orderId: planned.id },
      orderBy: { at: 'asc' },
    });
    expect(history.map((h) => h.status)).toEqual(['PREDICTED', 'PLANNED']);

    await eventually(async () => seen.some((o) => o.status === 'PLANNED'), 30_000);
  }, 120_000);

  it('shows a customer only their own tenant, live and through the API', async () => {
    const customer = await p.login('customer@acme.demo', 'customer-demo');
    const me = (await (
      await fetch(`${p.url}/api/auth/me`, { headers: { authorization: `Bearer ${customer}` } })
    ).json()) as { tenantId: string };
    const assets = (await (
      await fetch(`${p.url}/api/assets`, { headers: { authorization: `Bearer ${customer}` } })
    ).json()) as { id: string; tenantId: string }[];
    expect(assets.length).toBeGreaterThan(0);
    expect(assets.every((a) => a.tenantId === me.tenantId)).toBe(true);
    const orders = (await (
      await fetch(`${p.url}/api/orders`, { headers: { authorization: `Bearer ${customer}` } })
    ).json()) as LiveOrder[];
    expect(orders.every((o) => o.tenantId === me.tenantId)).toBe(true);

    const foreign = (await p.db.asset.findFirstOrThrow({ where: { NOT: { tenantId: me.tenantId } } })).id;
    const own = assets[0]!.id;
    expect(
      (
        await fetch(`${p.url}/api/assets/${foreign}/telemetry?metric=flow`, {
          headers: { authorization: `Bearer ${customer}` },
        })
      ).status,
    ).toBe(404);

    const live = connect(customer);
    const readings: string[] = [];
    live.on('reading', (r) => readings.push(r.assetId));
    expect(await live.timeout(5_000).emitWithAck('asset:watch', foreign)).toEqual({
      ok: false,
      error: 'not found',
    });
    expect(await live.timeout(5_000).emitWithAck('asset:watch', own)).toEqual({ ok: true });
    await eventually(async () => readings.includes(own), 10_000);
    expect(readings.every((id) => id === own)).toBe(true);
  }, 60_000);

  it('refuses the API and the live channel without a valid token', async () => {
    expect((await fetch(`${p.url}/api/orders`)).status).toBe(401);
    expect(
      (await fetch(`${p.url}/api/orders`, { headers: { authorization: 'Bearer nonsense' } })).status,
    ).toBe(401);
    const s = connect('nonsense');
    const err = await new Promise<Error>((resolve) => s.on('connect_error', resolve));
    expect(err.message).toBe('unauthorized');
  });

  it('reports every component in /api/health to staff, and the status alone to anyone else', async () => {
    const customer = await p.login('customer@acme.demo', 'customer-demo');
    const anonymous: Record<string, string>[] = [
      {},
      { authorization: `Bearer ${customer}` },
      { authorization: 'Bearer nonsense' },
    ];
    for (const headers of anonymous)
      expect(Object.keys(await (await fetch(`${p.url}/api/health`, { headers })).json())).toEqual(['status']);
    const health = (await (
      await fetch(`${p.url}/api/health`, { headers: { authorization: `Bearer ${dispatcher}` } })
    ).json()) as {
      status: string;
      components: Record<string, { status: string }>;
    };
    expect(Object.keys(health.components).sort()).toEqual([
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
    expect(health.status).toBe('up');
  });
});
