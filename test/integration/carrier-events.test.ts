// Carrier webhooks on the whole platform: HMAC-SHA256 signatures and stale timestamps refused with 401, replays
// answered 200 without a change, and a failed or late delivery flagging the order for re-planning on the bus.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderEscalation } from '../../common/events.ts';
import { sign } from '../../dispatch/core/carrier.ts';
import { postCarrierEvent } from '../helpers/carrier-event.ts';
import { eventually, startTestPlatform, type TestPlatform } from '../helpers/platform.ts';

const SECRET = 'fastfreight-test-secret-0123456789';
const OTHER = 'parcelco-test-secret-0123456789ab';

describe('carrier tracking events', () => {
  let p: TestPlatform;
  const escalations: OrderEscalation[] = [];

  const post = (
    carrier: string,
    body: unknown,
    o: { secret?: string; ts?: number; signature?: string; raw?: string } = {},
  ) => postCarrierEvent(p.url, body, { ...o, carrier, secret: o.secret ?? SECRET });

  /** A planned order of the demo world whose part is shipped, due at the pickup in `readyInMs`. */
  async function shippedOrder(readyInMs: number) {
    const asset = await p.db.asset.findFirstOrThrow({
      where: { orders: { none: {} } },
      include: { contract: true, equipmentModel: { include: { failureModes: true } } },
    });
    const fm = asset.equipmentModel.failureModes[0]!;
    const [from, to] = await p.db.stockLocation.findMany({
      where: { kind: { in: ['HUB', 'FSL'] } },
      take: 2,
    });
    const now = Date.now();
    const order = await p.db.serviceOrder.create({
      data: {
        tenantId: asset.tenantId,
        assetId: asset.id,
        failureModeId: fm.id,
        status: 'PLANNED',
        slaTier: asset.contract.tier,
        expectedFailureAt: new Date(now + 24 * 3_600_000),
        dueBy: new Date(now + 20 * 3_600_000),
        sourceLocationId: from!.id,
        pickupLocationId: to!.id,
        onTime: true,
      },
    });
    const shipment = await p.db.shipment.create({
      data: {
        orderId: order.id,
        fromLocationId: from!.id,
        toLocationId: to!.id,
        partId: fm.partId,
        qty: 1,
        mode: 'COURIER',
        cost: 50,
        shipAt: new Date(now),
        readyAt: new Date(now + readyInMs),
      },
    });
    return { order, shipment };
  }

  beforeAll(async () => {
    p = await startTestPlatform(
      { CARRIER_SECRETS: `fastfreight=${SECRET},parcelco=${OTHER}` },
      { fleet: false },
    );
    p.bus.on('order.escalated', (e) => void escalations.push(e));
  }, 60_000);
  afterAll(async () => {
    await p?.stop();
  });

  it('refuses unsigned, wrongly signed, stale and unknown-carrier events with 401', async () => {
    const { shipment } = await shippedOrder(3_600_000);
    const ev = { eventId: 'e-401', shipmentId: shipment.id, kind: 'PICKED_UP', at: new Date().toISOString() };
    expect(await post('fastfreight', ev, { signature: '' })).toMatchObject({
      status: 401,
      body: { code: 'CARRIER_SIGNATURE_INVALID' },
    });
    expect((await post('fastfreight', ev, { secret: 'not-the-secret-of-this-carrier' })).status).toBe(401);
    expect((await post('fastfreight', ev, { ts: Math.floor(Date.now() / 1000) - 600 })).body).toMatchObject({
      message: 'stale timestamp',
    });
    expect((await post('slowboat', ev)).status).toBe(401);
    // signed, but tampered with on the way
    const ts = Math.floor(Date.now() / 1000);
    const signature = `sha256=${sign(SECRET, String(ts), JSON.stringify(ev))}`;
    expect(
      (await post('fastfreight', ev, { ts, signature, raw: JSON.stringify({ ...ev, kind: 'DELIVERED' }) }))
        .status,
    ).toBe(401);
    expect(await p.db.carrierEvent.count({ where: { shipmentId: shipment.id } })).toBe(0);
    const s = await p.db.shipment.findUniqueOrThrow({ where: { id: shipment.id } });
    expect(s.trackingState).toBe('AWAITING_PICKUP');
  });

  it('applies an event once: a replay answers 200 and changes nothing', async () => {
    const { shipment } = await shippedOrder(3_600_000);
    const ev = { eventId: 'e-1', shipmentId: shipment.id, kind: 'PICKED_UP', at: new Date().toISOString() };
    expect(await post('fastfreight', ev)).toEqual({
      status: 200,
      body: { duplicate: false, state: 'PICKED_UP' },
    });
    const transit = { ...ev, eventId: 'e-2', kind: 'IN_TRANSIT' };
    expect((await post('fastfreight', transit)).body).toEqual({ duplicate: false, state: 'IN_TRANSIT' });
    expect(await post('fastfreight', ev)).toEqual({
      status: 200,
      body: { duplicate: true, state: 'IN_TRANSIT' },
    });
    // concurrent duplicates: one applies, the rest are replays
    const same = { ...ev, eventId: 'e-3', kind: 'IN_TRANSIT' };
    const all = await Promise.all([1, 2, 3].map(() => post('fastfreight', same)));
    expect(all.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(all.filter((r) => r.body.duplicate === false)).toHaveLength(1);
    expect(await p.db.carrierEvent.count({ where: { shipmentId: shipment.id } })).toBe(3);

    // signed but invalid: 400, never 500; an unknown shipment: 404
    expect((await post('fastfreight', { ...ev, eventId: 'e-4', kind: 'LOST' })).status).toBe(400);
    expect((await post('fastfreight', { ...ev, eventId: 'e-5', at: 'soon' })).status).toBe(400);
    // the form of a date-time, but in year 10000 UTC (was 500: Prisma refuses to write it)
    expect(
      await post('fastfreight', { ...ev, eventId: 'e-5b', at: '9999-12-31T23:59:59-12:00' }),
    ).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
    // signed, but dated after now (a day, or late in 9999): nothing has happened yet; nothing stored
    for (const [eventId, at] of [
      ['e-5c', new Date(Date.now() + 86_400_000).toISOString()],
      ['e-5d', '9999-12-31T00:00:00Z'],
    ] as const)
      expect(await post('fastfreight', { ...ev, eventId, kind: 'DELIVERED', at })).toMatchObject({
        status: 400,
        body: { code: 'VALIDATION_FAILED', message: expect.stringMatching(/after the platform's clock/) },
      });
    expect(await p.db.carrierEvent.count({ where: { shipmentId: shipment.id } })).toBe(3);
    expect((await p.db.shipment.findUniqueOrThrow({ where: { id: shipment.id } })).trackingState).toBe(
      'IN_TRANSIT',
    );
    expect((await post('fastfreight', {}, { raw: '{"eventId":' })).status).toBe(400);
    expect((await post('fastfreight', { ...ev, eventId: 'e-6', shipmentId: 'nope' })).status).toBe(404);
  });

  it("refuses another carrier's events about an order's shipment with 404: no change, no state read", async () => {
    const { order, shipment } = await shippedOrder(3_600_000);
    const at = new Date().toISOString();
    const ev = { eventId: 'own-1', shipmentId: shipment.id, kind: 'PICKED_UP', at };
    expect((await post('fastfreight', ev)).body).toEqual({ duplicate: false, state: 'PICKED_UP' });
    // another carrier, correctly signed: neither an exception (which would re-plan the order) nor a replay of
    // an event id of its own tells it anything or changes anything
    const forged = { eventId: 'p-1', shipmentId: shipment.id, kind: 'EXCEPTION', at, detail: 'lost' };
    expect(await post('parcelco', forged, { secret: OTHER })).toMatchObject({
      status: 404,
      body: { code: 'NOT_FOUND' },
    });
    expect((await post('parcelco', { ...forged, eventId: 'p-1' }, { secret: OTHER })).status).toBe(404);
    expect(await p.db.carrierEvent.count({ where: { shipmentId: shipment.id } })).toBe(1);
    const s = await p.db.shipment.findUniqueOrThrow({ where: { id: shipment.id } });
    expect(s).toMatchObject({ trackingState: 'PICKED_UP', problemAt: null, status: 'PLANNED' });
    const o = await p.db.serviceOrder.findUniqueOrThrow({ where: { id: order.id } });
    expect(o).toMatchObject({ onTime: true, escalatedAt: null });
    // its own carrier goes on
    const next = { eventId: 'own-2', shipmentId: shipment.id, kind: 'IN_TRANSIT', at };
    expect((await post('fastfreight', next)).body).toEqual({ duplicate: false, state: 'IN_TRANSIT' });
  });

  it('takes numeric event and shipment ids as their decimal strings; a fraction or negative id is a 400', async () => {
    const { shipment } = await shippedOrder(3_600_000);
    const ev = {
      eventId: 9_000_001,
      shipmentId: shipment.id,
      kind: 'PICKED_UP',
      at: new Date().toISOString(),
    };
    expect(await post('fastfreight', ev)).toEqual({
      status: 200,
      body: { duplicate: false, state: 'PICKED_UP' },
    });
    // the same event with its id as a string is the same event
    expect((await post('fastfreight', { ...ev, eventId: '9000001' })).body).toMatchObject({
      duplicate: true,
    });
    const stored = await p.db.carrierEvent.findFirstOrThrow({ where: { shipmentId: shipment.id } });
    expect(stored.eventId).toBe('9000001');
    // a numeric shipment id that is no shipment of ours: 404, as a string one
    expect((await post('fastfreight', { ...ev, eventId: 9_000_002, shipmentId: 123456 })).status).toBe(404);
    for (const eventId of [1.5, -3, 2 ** 60])
      expect((await post('fastfreight', { ...ev, eventId })).status).toBe(400);
  });

  it('flags the order for re-planning and tells the dispatcher on an exception or a late delivery', async () => {
    const failed = await shippedOrder(3_600_000);
    const at = new Date().toISOString();
    const exc = { eventId: 'x-1', shipmentId: failed.shipment.id, kind: 'EXCEPTION', at, detail: 'damaged' };
    expect((await post('fastfreight', exc)).body).toEqual({ duplicate: false, state: 'EXCEPTION' });
    const o = await eventually(async () => {
      const row = await p.db.serviceOrder.findUniqueOrThrow({ where: { id: failed.order.id } });
      return row.escalatedAt ? row : undefined;
    });
    expect(o).toMatchObject({ onTime: false, verdictReason: 're-plan: carrier exception: damaged' });
    expect(escalations).toContainEqual({
      orderId: failed.order.id,
      tenantId: failed.order.tenantId,
      reason: 're-plan: carrier exception: damaged',
      lateByMinutes: null,
    });
    const history = await p.db.orderEvent.findMany({ where: { orderId: failed.order.id, action: 'replan' } });
    expect(history).toHaveLength(1);

    const late = await shippedOrder(-90 * 60_000); // was due 90 min ago
    const delivered = { eventId: 'x-2', shipmentId: late.shipment.id, kind: 'DELIVERED', at };
    expect((await post('fastfreight', delivered)).body).toEqual({ duplicate: false, state: 'DELIVERED' });
    await eventually(async () => escalations.find((e) => e.orderId === late.order.id));
    expect(escalations.find((e) => e.orderId === late.order.id)).toMatchObject({
      reason: expect.stringMatching(/^re-plan: delivered 9\d min after the parts were due$/),
    });
    // a replay of the delivery changes nothing and raises nothing again
    const before = escalations.length;
    expect((await post('fastfreight', delivered)).body).toEqual({ duplicate: true, state: 'DELIVERED' });
    await p.bus.drain();
    expect(escalations).toHaveLength(before);
  });
});
