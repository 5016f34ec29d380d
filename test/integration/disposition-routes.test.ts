// Dispositions, stock by condition and sustainability figures over HTTP (the whole platform, demo world, no
// fleet): role checks, clear 4xx on bad input, and tenant isolation of GET /api/sustainability.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoCompletedOrder } from '../helpers/demo-order.ts';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.ts';

describe('dispositions and sustainability over HTTP', () => {
  let p: TestPlatform;
  const tokens: Record<string, string> = {};
  const tenants: Record<string, string> = {};

  const call = async <T = unknown>(who: string | null, method: string, url: string, body?: unknown) => {
    const headers: Record<string, string> = who ? { authorization: `Bearer ${tokens[who]}` } : {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${p.url}${url}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    const type = res.headers.get('content-type') ?? '';
    return { status: res.status, type, body: (type.includes('json') ? JSON.parse(text) : text) as T };
  };

  /** A completed order of the tenant with its defective return at the repair depot, finding recorded. */
  async function defectiveReturn(slug: string, finding: 'FAILURE_CONFIRMED' | 'NO_FAULT_FOUND') {
    const [depot, fsl] = await Promise.all([
      p.db.stockLocation.findFirstOrThrow({ where: { kind: 'REPAIR_DEPOT' } }),
      p.db.stockLocation.findFirstOrThrow({ where: { kind: 'FSL' }, orderBy: { code: 'asc' } }),
    ]);
    const now = new Date();
    const { order, fm } = await demoCompletedOrder(p.db, { tenant: slug, sourceLocationId: fsl.id });
    return p.db.returnAuthorization.create({
      data: {
        orderId: order.id,
        partId: fm.partId,
        serial: 'SN-X',
        reason: 'DEFECTIVE',
        toLocationId: depot.id,
        finding,
        findingAt: now,
        receivedAt: now,
        closedAt: now,
      },
    });
  }

  beforeAll(async () => {
    p = await startTestPlatform({}, { fleet: false });
    for (const [who, email, password] of [
      ['dispatcher', 'dispatcher@preempt.demo', 'dispatcher-demo'],
      ['admin', 'admin@preempt.demo', 'admin-demo'],
      ['engineer', 'engineer@preempt.demo', 'engineer-demo'],
      ['acme', 'customer@acme.demo', 'customer-demo'],
      ['globex', 'customer@globex.demo', 'customer-demo'],
    ] as const)
      tokens[who] = await p.login(email, password);
    for (const t of await p.db.tenant.findMany()) tenants[t.slug] = t.id;
  }, 60_000);
  afterAll(async () => {
    await p?.stop();
  });

  it('lets dispatchers confirm or override a disposition, with clear refusals', async () => {
    const nff = await defectiveReturn('acme', 'NO_FAULT_FOUND');
    const advice = await call<{ proposal: { disposition: string } }>(
      'engineer',
      'GET',
      `/api/returns/${nff.id}/disposition`,
    );
    expect(advice).toMatchObject({ status: 200, body: { proposal: { disposition: 'RESTOCK' } } });
    expect((await call('acme', 'GET', `/api/returns/${nff.id}/disposition`)).status).toBe(403);
    expect((await call(null, 'GET', `/api/returns/${nff.id}/disposition`)).status).toBe(401);
    expect((await call('engineer', 'POST', `/api/returns/${nff.id}/disposition`, {})).status).toBe(403);
    expect((await call('acme', 'POST', `/api/returns/${nff.id}/disposition`, {})).status).toBe(403);
    expect(
      await call('dispatcher', 'POST', `/api/returns/${nff.id}/disposition`, { disposition: 'BURN' }),
    ).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
    expect(
      await call('dispatcher', 'POST', `/api/returns/${nff.id}/disposition`, { disposition: 'SCRAP' }),
    ).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
    expect(
      await call('dispatcher', 'POST', `/api/returns/${nff.id}/disposition`, { toLocation: 'NOWHERE' }),
    ).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
    expect((await call('dispatcher', 'POST', '/api/returns/no-such-return/disposition', {})).status).toBe(
      404,
    );

    const ok = await call<{ decided: { disposition: string; decidedBy: string } }>(
      'dispatcher',
      'POST',
      `/api/returns/${nff.id}/disposition`,
      {},
    );
    expect(ok).toMatchObject({
      status: 200,
      body: { decided: { disposition: 'RESTOCK', decidedBy: 'dispatcher@preempt.demo' } },
    });
    expect(await call('dispatcher', 'POST', `/api/returns/${nff.id}/disposition`, {})).toMatchObject({
      status: 409,
      body: { code: 'DISPATCH_ILLEGAL_TRANSITION' },
    });
    expect((await call('dispatcher', 'GET', `/api/returns/${nff.id}/rtv-document`)).status).toBe(404);

    const failed = await defectiveReturn('globex', 'FAILURE_CONFIRMED');
    const scrapped = await call('dispatcher', 'POST', `/api/returns/${failed.id}/disposition`, {
      disposition: 'SCRAP',
      reason: 'housing cracked',
      ageMonths: 40,
    });
    expect(scrapped).toMatchObject({
      status: 200,
      body: { decided: { disposition: 'SCRAP', overrideReason: 'housing cracked' } },
    });

    // A retested unit leaves the depot by a tracked transfer (ADR 22); it is stock once booked in.
    const transfers = await call<{ id: string; returnId: string | null; refurbished: number }[]>(
      'dispatcher',
      'GET',
      '/api/parts/transfers',
    );
    const back = transfers.body.find((t) => t.returnId === nff.id);
    expect(back).toMatchObject({ refurbished: 1 });
    expect((await call('dispatcher', 'POST', `/api/parts/transfers/${back!.id}/receive`, {})).status).toBe(
      200,
    );

    const stock = await call<{ location: string; refurbished: number }[]>('dispatcher', 'GET', '/api/stock');
    expect(stock.status).toBe(200);
    expect(stock.body.some((s) => s.refurbished === 1)).toBe(true);
    expect((await call('acme', 'GET', '/api/stock')).status).toBe(403);
  });

  it('shows a customer their own figures only, and staff the network and each tenant', async () => {
    type S = {
      total: { units: number; reusedShare: number | null; scrapped: number; co2eAvoidedKg: number };
      tenants: { tenantId: string; units: number }[];
    };
    const acme = await call<S>('acme', 'GET', '/api/sustainability');
    expect(acme.status).toBe(200);
    expect(acme.body.total).toMatchObject({ units: 1, reusedShare: 1, scrapped: 0 });
    expect(acme.body.total.co2eAvoidedKg).toBeGreaterThan(0);
    expect(acme.body.tenants.map((t) => t.tenantId)).toEqual([tenants['acme']]);

    const globex = await call<S>('globex', 'GET', '/api/sustainability');
    expect(globex.body.total).toMatchObject({ units: 1, reusedShare: 0, scrapped: 1, co2eAvoidedKg: 0 });
    expect(globex.body.tenants.map((t) => t.tenantId)).toEqual([tenants['globex']]);

    const staff = await call<S>('engineer', 'GET', '/api/sustainability');
    expect(staff.body.total).toMatchObject({ units: 2, reusedShare: 0.5, scrapped: 1 });
    expect(staff.body.tenants.map((t) => t.tenantId).sort()).toEqual(
      [tenants['acme'], tenants['globex']].sort(),
    );

    // a period without dispositions; bad periods are 400, never 500
    const past = await call<S>(
      'dispatcher',
      'GET',
      '/api/sustainability?from=2020-01-01T00:00:00Z&to=2020-02-01T00:00:00Z',
    );
    expect(past.body.total).toMatchObject({ units: 0, reusedShare: null });
    for (const q of [
      '?from=yesterday',
      '?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z',
      '?from=2000-01-01T00:00:00Z&to=2026-01-01T00:00:00Z',
    ])
      expect(await call('acme', 'GET', `/api/sustainability${q}`)).toMatchObject({
        status: 400,
        body: { code: 'VALIDATION_FAILED' },
      });
    expect((await call(null, 'GET', '/api/sustainability')).status).toBe(401);
  });

  it("lets admins set a part's factors; a reset goes back to the stated default", async () => {
    const part = await p.db.part.findFirstOrThrow({ orderBy: { sku: 'asc' } });
    const url = `/api/parts/${encodeURIComponent(part.sku)}/factors`;
    const before = await call<{ used: { repairCost: number } }>('engineer', 'GET', url);
    expect(before.status).toBe(200);
    expect(before.body.used.repairCost).toBeCloseTo(part.unitCost * 0.35, 2);
    expect((await call('dispatcher', 'PUT', url, { refurbYield: 0.5 })).status).toBe(403);
    expect((await call('acme', 'GET', url)).status).toBe(403);
    expect(await call('admin', 'PUT', url, { refurbYield: 2 })).toMatchObject({
      status: 400,
      body: { code: 'VALIDATION_FAILED' },
    });
    expect((await call('admin', 'PUT', '/api/parts/NO-SUCH-SKU/factors', { refurbYield: 0.5 })).status).toBe(
      404,
    );
    const set = await call('admin', 'PUT', url, {
      refurbYield: 0.5,
      warrantyMonths: 24,
      co2eKgPerUnit: 12.5,
    });
    expect(set).toMatchObject({
      status: 200,
      body: {
        stored: { refurbYield: 0.5, warrantyMonths: 24, co2eKgPerUnit: 12.5, repairCost: null },
        used: { refurbYield: 0.5, warrantyMonths: 24, co2eKgPerUnit: 12.5 },
      },
    });
    const reset = await call('admin', 'PUT', url, { reset: ['warrantyMonths'] });
    expect(reset.body).toMatchObject({ stored: { warrantyMonths: null }, used: { warrantyMonths: 12 } });
  });
});
