// Billing and carrier re-planning on the whole platform (demo world, no fleet, real PostgreSQL): invoice lines split
// into covered and billable by warranty and contract, tenant isolation, the CSV for the ERP, the RTV claim of a unit
// returned to vendor; a lost shipment and an overdue one move their orders to another source on their own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderEscalation } from '../../common/events.ts';
import { callApi } from '../helpers/api-client.ts';
import { postCarrierEvent } from '../helpers/carrier-event.ts';
import { eventually, startTestPlatform, type TestPlatform } from '../helpers/platform.ts';

const SECRET = 'fastfreight-test-secret-0123456789';
const DAY = 86_400_000;

describe('invoices, RTV claims and carrier re-planning', () => {
  let p: TestPlatform;
  const tokens: Record<string, string> = {};
  const tenants: Record<string, string> = {};
  const escalations: OrderEscalation[] = [];

  const call = <T = unknown>(who: string | null, method: string, url: string, body?: unknown) =>
    callApi<T>(p.url, who ? tokens[who] : null, method, url, body);

  const postEvent = (body: object) => postCarrierEvent(p.url, body, { secret: SECRET });

  /** A demo asset of the tenant without orders, on a contract of its own with the given coverage. */
  async function assetWith(
    slug: string,
    cover: { parts: boolean; labour: boolean; endsAt?: Date },
    warrantyEndsAt: Date | null = null,
  ) {
    const asset = await p.db.asset.findFirstOrThrow({
      where: { tenant: { slug }, orders: { none: {} } },
      include: { equipmentModel: { include: { failureModes: { include: { part: true } } } } },
    });
    const contract = await p.db.serviceContract.create({
      data: {
        tenantId: asset.tenantId,
        name: `test ${slug} ${cover.parts ? 'parts' : ''}${cover.labour ? 'labour' : ''}`,
        tier: 'STANDARD',
        responseHours: 24,
        coversParts: cover.parts,
        coversLabour: cover.labour,
        coversTravel: false,
        coversShipping: false,
        endsAt: cover.endsAt ?? null,
      },
    });
    await p.db.asset.update({
      where: { id: asset.id },
      data: { contractId: contract.id, warrantyEndsAt, installedAt: new Date(Date.now() - 365 * DAY) },
    });
    return { asset, fm: asset.equipmentModel.failureModes[0]! };
  }

  /** A completed order: 1 part fitted, 90 min repair, travel 120 (plan cost, on time), shipping 40. */
  async function completed(a: Awaited<ReturnType<typeof assetWith>>, closedAt: Date) {
    const [fsl, counter] = await Promise.all([
      p.db.stockLocation.findFirstOrThrow({ where: { code: 'FSL-HH' } }),
      p.db.stockLocation.findFirstOrThrow({ where: { code: 'PC-H' } }),
    ]);
    const order = await p.db.serviceOrder.create({
      data: {
        tenantId: a.asset.tenantId,
        assetId: a.asset.id,
        failureModeId: a.fm.id,
        status: 'COMPLETED',
        slaTier: 'STANDARD',
        expectedFailureAt: closedAt,
        dueBy: closedAt,
        etaAt: new Date(closedAt.getTime() - 3_600_000),
        planCost: 160,
        closedAt,
        sourceLocationId: fsl.id,
        pickupLocationId: counter.id,
      },
    });
    await p.db.reservation.create({
      data: { orderId: order.id, locationId: fsl.id, partId: a.fm.partId, qty: 1, status: 'CONSUMED' },
    });
    await p.db.shipment.create({
      data: {
        orderId: order.id,
        fromLocationId: fsl.id,
        toLocationId: counter.id,
        partId: a.fm.partId,
        qty: 1,
        mode: 'COURIER',
        cost: 40,
        shipAt: closedAt,
        readyAt: closedAt,
        status: 'DELIVERED',
      },
    });
    return order;
  }

  type Line = {
    invoiceLine: string;
    kind: string;
    amount: number;
    covered: number;
    billable: number;
    tenantId: string;
  };
  type Invoices = { totals: { orders: number; covered: number; billable: number }; lines: Line[] };

  beforeAll(async () => {
    p = await startTestPlatform(
      { CARRIER_SECRETS: `fastfreight=${SECRET}`, CARRIER_SWEEP_SECONDS: '1' },
      { fleet: false },
    );
    p.bus.on('order.escalated', (e) => void escalations.push(e));
    for (const [who, email, password] of [
      ['dispatcher', 'dispatcher@preempt.demo', 'dispatcher-demo'],
      ['admin', 'admin@preempt.demo', 'admin-demo'],
      ['acme', 'customer@acme.demo', 'customer-demo'],
      ['globex', 'customer@globex.demo', 'customer-demo'],
    ] as const)
      tokens[who] = await p.login(email, password);
    for (const t of await p.db.tenant.findMany()) tenants[t.slug] = t.id;
  }, 60_000);
  afterAll(async () => {
    await p?.stop();
  });

  it('splits cost to serve into covered and billable, per tenant, as JSON and CSV', async () => {
    const yesterday = new Date(Date.now() - DAY);
    // parts covered by the contract, labour not
    const partsOnly = await completed(await assetWith('acme', { parts: true, labour: false }), yesterday);
    // in the manufacturer's warranty (parts), on a contract that has expired
    const warranty = await completed(
      await assetWith(
        'acme',
        { parts: true, labour: true, endsAt: new Date(Date.now() - 2 * DAY) },
        new Date(Date.now() + 365 * DAY),
      ),
      yesterday,
    );
    const globex = await completed(await assetWith('globex', { parts: false, labour: false }), yesterday);

    const acme = await call<Invoices>('acme', 'GET', '/api/invoices');
    expect(acme.status).toBe(200);
    expect(new Set(acme.body.lines.map((l) => l.tenantId))).toEqual(new Set([tenants.acme]));
    const linesOf = (b: Invoices, n: number) =>
      Object.fromEntries(b.lines.filter((l) => l.invoiceLine.startsWith(`${n}-`)).map((l) => [l.kind, l]));
    const a = linesOf(acme.body, partsOnly.number);
    expect(Object.keys(a).sort()).toEqual(['LABOUR', 'PARTS', 'SHIPPING', 'TRAVEL']);
    expect(a.PARTS).toMatchObject({ covered: a.PARTS!.amount, billable: 0 });
    expect(a.LABOUR).toMatchObject({ amount: 127.5, covered: 0, billable: 127.5 }); // 1.5 h at 85
    expect(a.TRAVEL).toMatchObject({ amount: 120, billable: 120 });
    expect(a.SHIPPING).toMatchObject({ amount: 40, billable: 40 });
    const w = linesOf(acme.body, warranty.number);
    expect(w.PARTS).toMatchObject({ billable: 0, coveredBy: 'warranty: manufacturer warranty' });
    expect(w.LABOUR).toMatchObject({ covered: 0, billable: 127.5 });
    expect(acme.body.totals.orders).toBe(2);

    const gx = await call<Invoices>('globex', 'GET', '/api/invoices');
    expect(gx.body.lines.every((l) => l.tenantId === tenants.globex)).toBe(true);
    expect(gx.body.totals).toMatchObject({ orders: 1, covered: 0 });
    expect(linesOf(gx.body, globex.number).PARTS?.billable).toBeGreaterThan(0);
    // a customer cannot ask for another tenant's lines; staff see all or one
    expect((await call('acme', 'GET', `/api/invoices?tenantId=${tenants.globex}`)).status).toBe(403);
    const all = await call<Invoices>('dispatcher', 'GET', '/api/invoices');
    expect(all.body.totals.orders).toBe(3);
    const one = await call<Invoices>('admin', 'GET', `/api/invoices?tenantId=${tenants.globex}`);
    expect(one.body.totals.orders).toBe(1);

    // CSV for the ERP: a header and one row per line, the customer's own only
    const csv = await call<string>('acme', 'GET', '/api/invoices?format=csv');
    expect(csv.status).toBe(200);
    expect(csv.type).toMatch(/^text\/csv/);
    const rows = csv.body.trimEnd().split('\r\n');
    expect(rows[0]).toBe(
      'invoiceLine,orderNumber,tenant,assetSerial,serviceDate,kind,description,qty,unitPrice,amount,covered,billable,coveredBy,currency',
    );
    expect(rows).toHaveLength(1 + acme.body.lines.length);
    expect(rows.find((r) => r.startsWith(`${partsOnly.number}-2,`))).toMatch(
      /,LABOUR,.*,127\.5,0,127\.5,,EUR$/,
    );
    expect(csv.body).not.toContain(gx.body.lines[0]!.invoiceLine + ',');

    // bad input: clear 4xx
    expect((await call(null, 'GET', '/api/invoices')).status).toBe(401);
    expect((await call('acme', 'GET', '/api/invoices?format=xml')).status).toBe(400);
    expect(
      (await call('acme', 'GET', '/api/invoices?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z')).status,
    ).toBe(400);
    expect(
      (await call('acme', 'GET', '/api/invoices?from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z')).status,
    ).toBe(400);
    // an asset's coverage: the customer's own only
    const cov = await call<{ coverages: { source: string; inForce: boolean }[] }>(
      'acme',
      'GET',
      `/api/assets/${warranty.assetId}/coverage`,
    );
    expect(cov.body.coverages.map((c) => [c.source, c.inForce])).toEqual([
      ['WARRANTY', true],
      ['CONTRACT', false],
    ]);
    expect((await call('globex', 'GET', `/api/assets/${warranty.assetId}/coverage`)).status).toBe(404);
  });

  it('raises an RTV claim on the supplier for a unit returned to vendor, settled once', async () => {
    const a = await assetWith('acme', { parts: true, labour: true });
    // fitted a month ago: the part is still under the supplier's 12-month warranty
    await p.db.asset.update({
      where: { id: a.asset.id },
      data: { installedAt: new Date(Date.now() - 30 * DAY) },
    });
    const order = await completed(a, new Date());
    const depot = await p.db.stockLocation.findFirstOrThrow({ where: { kind: 'REPAIR_DEPOT' } });
    const ret = await p.db.returnAuthorization.create({
      data: {
        orderId: order.id,
        partId: a.fm.partId,
        serial: 'SN-RTV',
        reason: 'DEFECTIVE',
        toLocationId: depot.id,
        finding: 'FAILURE_CONFIRMED',
        findingAt: new Date(),
        receivedAt: new Date(),
      },
    });
    const decided = await call('dispatcher', 'POST', `/api/returns/${ret.id}/disposition`, {
      disposition: 'RETURN_TO_VENDOR',
      reason: 'supplier warranty',
    });
    expect(decided.status).toBe(200);
    type Claim = { id: string; rtv: string; supplier: string; amount: number; status: string };
    const claims = await call<Claim[]>('dispatcher', 'GET', '/api/rtv-claims?status=OPEN');
    const claim = claims.body.find((c) => c.rtv === `RTV-${String(ret.number).padStart(6, '0')}`);
    expect(claim).toMatchObject({ supplier: 'Northwind Components (demo)', amount: a.fm.part.unitCost });
    expect((await call('acme', 'GET', '/api/rtv-claims')).status).toBe(403);
    expect(
      (await call('dispatcher', 'POST', `/api/rtv-claims/${claim!.id}/settle`, { status: 'CREDITED' }))
        .status,
    ).toBe(403);
    const over = { status: 'CREDITED', creditAmount: claim!.amount + 1 };
    expect((await call('admin', 'POST', `/api/rtv-claims/${claim!.id}/settle`, over)).status).toBe(409);
    expect(
      await call('admin', 'POST', `/api/rtv-claims/${claim!.id}/settle`, { status: 'CREDITED' }),
    ).toMatchObject({ status: 200, body: { status: 'CREDITED', creditAmount: claim!.amount } });
    expect(
      (await call('admin', 'POST', `/api/rtv-claims/${claim!.id}/settle`, { status: 'REJECTED' })).status,
    ).toBe(409);
  });

  /** A planned order of a technician whose part ships from FSL-HH to the Hamburg counter, due in `readyInMs`. */
  async function shippedOrder(tech: string, readyInMs: number) {
    const asset = await p.db.asset.findFirstOrThrow({
      where: { orders: { none: {} } },
      include: { contract: true, equipmentModel: { include: { failureModes: true } } },
    });
    const fm = asset.equipmentModel.failureModes[0]!;
    const [fsl, counter, hub, technician] = await Promise.all([
      p.db.stockLocation.findFirstOrThrow({ where: { code: 'FSL-HH' } }),
      p.db.stockLocation.findFirstOrThrow({ where: { code: 'PC-H' } }),
      p.db.stockLocation.findFirstOrThrow({ where: { code: 'HUB-KS' } }),
      p.db.technician.findFirstOrThrow({ where: { code: tech } }),
    ]);
    for (const l of [fsl, hub])
      await p.db.stockLevel.upsert({
        where: { locationId_partId: { locationId: l.id, partId: fm.partId } },
        create: { locationId: l.id, partId: fm.partId, onHand: 5 },
        update: { onHand: { increment: 5 } },
      });
    await p.db.stockLevel.update({
      where: { locationId_partId: { locationId: fsl.id, partId: fm.partId } },
      data: { reserved: { increment: 1 } },
    });
    const stock = () =>
      p.db.stockLevel.findUniqueOrThrow({
        where: { locationId_partId: { locationId: fsl.id, partId: fm.partId } },
      });
    const before = await stock();
    const now = Date.now();
    const order = await p.db.serviceOrder.create({
      data: {
        tenantId: asset.tenantId,
        assetId: asset.id,
        failureModeId: fm.id,
        status: 'PLANNED',
        slaTier: asset.contract.tier,
        expectedFailureAt: new Date(now + 48 * 3_600_000),
        dueBy: new Date(now + 40 * 3_600_000),
        technicianId: technician.id,
        sourceLocationId: fsl.id,
        pickupLocationId: counter.id,
        partsReadyAt: new Date(now + readyInMs),
        onTime: true,
        reservations: { create: { locationId: fsl.id, partId: fm.partId, qty: 1 } },
      },
    });
    const shipment = await p.db.shipment.create({
      data: {
        orderId: order.id,
        fromLocationId: fsl.id,
        toLocationId: counter.id,
        partId: fm.partId,
        qty: 1,
        mode: 'COURIER',
        cost: 50,
        shipAt: new Date(now),
        readyAt: new Date(now + readyInMs),
      },
    });
    return { order, shipment, fsl, counter, stock, before };
  }

  const restaged = (orderId: string) =>
    eventually(async () => {
      const o = await p.db.serviceOrder.findUniqueOrThrow({
        where: { id: orderId },
        include: { events: { where: { action: 'restage' } }, sourceLocation: true },
      });
      return o.events.length > 0 ? o : undefined;
    });

  it('moves an order whose part is lost to another source, writing the lost unit off', async () => {
    const s = await shippedOrder('T-01', 6 * 3_600_000);
    const at = new Date().toISOString();
    await postEvent({ eventId: 'l-1', shipmentId: s.shipment.id, kind: 'PICKED_UP', at });
    const exc = { eventId: 'l-2', shipmentId: s.shipment.id, kind: 'EXCEPTION', at, detail: 'damaged' };
    expect((await postEvent(exc)).body).toEqual({ duplicate: false, state: 'EXCEPTION' });
    const o = await restaged(s.order.id);
    expect(o.sourceLocation?.code).not.toBe('FSL-HH');
    expect(o.events[0]).toMatchObject({ actor: 'carrier re-plan' });
    expect(escalations.find((e) => e.orderId === s.order.id)?.reason).toBe(
      're-plan: carrier exception: damaged',
    );
    // the lost unit left FSL-HH for good: on hand and reserved both one less
    const after = await s.stock();
    expect([after.onHand, after.reserved]).toEqual([s.before.onHand - 1, s.before.reserved - 1]);
    expect(await p.db.shipment.findUniqueOrThrow({ where: { id: s.shipment.id } })).toMatchObject({
      status: 'CANCELLED',
    });
    expect(await p.db.reservation.count({ where: { orderId: s.order.id, status: 'HELD' } })).toBe(1);
    // it turns up at the counter after all: serviceable stock there, no second re-plan
    const counterStock = () =>
      p.db.stockLevel.findUnique({
        where: { locationId_partId: { locationId: s.counter.id, partId: s.shipment.partId } },
      });
    const before = (await counterStock())?.onHand ?? 0;
    await postEvent({
      eventId: 'l-3',
      shipmentId: s.shipment.id,
      kind: 'DELIVERED',
      at: new Date().toISOString(),
    });
    expect((await counterStock())?.onHand).toBe(before + 1);
    await p.bus.drain();
    expect(await p.db.orderEvent.count({ where: { orderId: s.order.id, action: 'restage' } })).toBe(1);
  });

  it('moves an order whose part is not delivered by the time it is needed (overdue sweep)', async () => {
    const s = await shippedOrder('T-02', -10 * 60_000); // was due 10 min ago, never picked up
    const o = await restaged(s.order.id);
    expect(o.sourceLocation?.code).not.toBe('FSL-HH');
    expect(escalations.find((e) => e.orderId === s.order.id)?.reason).toMatch(
      /^re-plan: not picked up \d+ min after the parts were due$/,
    );
    // never picked up: the unit is still on the shelf, its reservation released
    const after = await s.stock();
    expect([after.onHand, after.reserved]).toEqual([s.before.onHand, s.before.reserved - 1]);
    const history = await p.db.orderEvent.findMany({
      where: { orderId: s.order.id },
      orderBy: { at: 'asc' },
    });
    expect(history.map((h) => h.action)).toEqual(['replan', 'restage']);
  });
});
