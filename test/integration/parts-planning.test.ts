// Parts planning through the HTTP API of the whole platform on real PostgreSQL (demo world, no fleet): who may see
// and act, a review's plan and proposed transfers, a plan refused whole when stock moved after the review (nothing
// created, nothing moved), approval creating every transfer in one transaction without touching reserved units,
// the staging planner's view of units in transit, the shipping document and receipt at the destination.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrismaNetworkStore } from '../../dispatch/adapters/network-store.ts';
import { PrismaPartsReviewStore } from '../../dispatch/adapters/parts-review-store.ts';
import { demoPredictedOrder } from '../helpers/demo-order.ts';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.ts';

interface Review {
  id: string;
  status: string;
  summary: {
    transfers: { from: string; to: string; sku: string; qty: number; purpose: string }[];
    locations: {
      code: string;
      rows: {
        sku: string;
        current: number;
        target: number;
        atRisk: { assetId: string; failureModeKey: string; source: string; tenant?: string }[];
      }[];
    }[];
    plan: { fillByTier: { CRITICAL: number; STANDARD: number }; inventoryValue: number };
  };
  transfers: {
    id: string;
    code: string;
    from: string;
    to: string;
    sku: string;
    qty: number;
    status: string;
  }[];
}

describe('parts planning (API, real PostgreSQL)', () => {
  let p: TestPlatform;
  const tokens: Record<string, string> = {};

  async function call<T = unknown>(who: string | null, method: string, url: string) {
    const res = await fetch(`${p.url}${url}`, {
      method,
      headers: who ? { authorization: `Bearer ${tokens[who]}` } : {},
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      /* html */
    }
    return { status: res.status, body: body as T };
  }

  /** onHand and reserved of a location and sku. */
  async function level(code: string, sku: string) {
    const s = await p.db.stockLevel.findFirst({ where: { location: { code }, part: { sku } } });
    return { onHand: s?.onHand ?? 0, reserved: s?.reserved ?? 0 };
  }

  async function setLevel(code: string, sku: string, onHand: number, reserved: number) {
    const loc = await p.db.stockLocation.findUniqueOrThrow({ where: { code } });
    const part = await p.db.part.findUniqueOrThrow({ where: { sku } });
    await p.db.stockLevel.upsert({
      where: { locationId_partId: { locationId: loc.id, partId: part.id } },
      create: { locationId: loc.id, partId: part.id, onHand, reserved },
      update: { onHand, reserved, refurbished: 0 },
    });
  }

  beforeAll(async () => {
    p = await startTestPlatform({ PARTS_REVIEW_AT: 'off', PARTS_PLAN_MS: '1500' }, { fleet: false });
    for (const [who, email, password] of [
      ['dispatcher', 'dispatcher@preempt.demo', 'dispatcher-demo'],
      ['engineer', 'engineer@preempt.demo', 'engineer-demo'],
      ['customer', 'customer@acme.demo', 'customer-demo'],
    ] as const)
      tokens[who] = await p.login(email, password);
    // far more X-ray tubes (18,500 each) than any plan wants at Hamburg, two reserved for orders: the excess goes
    // back to the hub
    await setLevel('FSL-HH', 'CT-TUBE-9', 30, 2);
  }, 60_000);
  afterAll(async () => {
    await p?.stop();
  });

  it('is staff data: customers and strangers are refused, engineers read but do not act', async () => {
    expect((await call('customer', 'GET', '/api/parts/reviews')).status).toBe(403);
    expect((await call('customer', 'POST', '/api/parts/reviews')).status).toBe(403);
    expect((await call('customer', 'GET', '/api/parts/transfers')).status).toBe(403);
    expect((await call(null, 'GET', '/api/parts/reviews')).status).toBe(401);
    expect((await call('engineer', 'POST', '/api/parts/reviews')).status).toBe(403);
    expect((await call('engineer', 'GET', '/api/parts/reviews')).status).toBe(200);
    expect((await call('dispatcher', 'GET', '/api/parts/reviews/nope')).status).toBe(404);
    expect((await call('dispatcher', 'POST', '/api/parts/reviews/nope/approve')).status).toBe(404);
  });

  it('refuses a plan whole when stock moved after the review, then applies a fresh one all at once', async () => {
    const first = await call<Review>('dispatcher', 'POST', '/api/parts/reviews');
    expect(first.status).toBe(201);
    const excess = first.body.summary.transfers.find((t) => t.from === 'FSL-HH' && t.sku === 'CT-TUBE-9');
    expect(excess).toMatchObject({ to: 'HUB-KS', purpose: 'EXCESS' });
    expect(excess!.qty).toBeLessThanOrEqual(28); // reserved units never move
    expect(first.body.summary.plan.fillByTier.CRITICAL).toBeGreaterThan(0);

    // an order reserves one more unit at Hamburg before anyone approves
    await setLevel('FSL-HH', 'CT-TUBE-9', 30, 3);
    const before = await p.db.stockLevel.findMany({ orderBy: [{ locationId: 'asc' }, { partId: 'asc' }] });
    const stale = await call<{ code: string; message: string }>(
      'dispatcher',
      'POST',
      `/api/parts/reviews/${first.body.id}/approve`,
    );
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('PARTS_PLAN_STALE');
    expect(stale.body.message).toContain('FSL-HH');
    // nothing created, nothing moved
    expect(await p.db.stockTransfer.count()).toBe(0);
    expect(await p.db.stockLevel.findMany({ orderBy: [{ locationId: 'asc' }, { partId: 'asc' }] })).toEqual(
      before,
    );
    const again = await call<{ code: string }>(
      'dispatcher',
      'POST',
      `/api/parts/reviews/${first.body.id}/approve`,
    );
    expect(again).toMatchObject({ status: 409, body: { code: 'PARTS_PLAN_DECIDED' } });

    const second = await call<Review>('dispatcher', 'POST', '/api/parts/reviews');
    const third = await call<Review>('dispatcher', 'POST', '/api/parts/reviews');
    expect(
      (await call<Review>('dispatcher', 'GET', `/api/parts/reviews/${second.body.id}`)).body.status,
    ).toBe('SUPERSEDED');
    const proposed = third.body.summary.transfers;
    const sources = new Map<string, number>();
    for (const t of proposed)
      sources.set(`${t.from} ${t.sku}`, (sources.get(`${t.from} ${t.sku}`) ?? 0) + t.qty);
    const levels = new Map<string, { onHand: number; reserved: number }>();
    for (const key of sources.keys()) levels.set(key, await level(...(key.split(' ') as [string, string])));

    const applied = await call<Review>('dispatcher', 'POST', `/api/parts/reviews/${third.body.id}/approve`);
    expect(applied.status).toBe(200);
    expect(applied.body.status).toBe('APPLIED');
    expect(applied.body.transfers).toHaveLength(proposed.length);
    for (const [key, qty] of sources) {
      const was = levels.get(key)!;
      const now = await level(...(key.split(' ') as [string, string]));
      expect(now).toEqual({ onHand: was.onHand - qty, reserved: was.reserved });
      expect(now.onHand).toBeGreaterThanOrEqual(now.reserved);
    }
    const hh = await level('FSL-HH', 'CT-TUBE-9');
    expect(hh.reserved).toBe(3);

    // the staging planner no longer sees the units in transit at their source
    const snap = await new PrismaNetworkStore(p.db).snapshot(new Date());
    expect(snap.locations.find((l) => l.id === 'FSL-HH')?.available['CT-TUBE-9']).toBe(
      hh.onHand - hh.reserved,
    );

    // the next review counts them at their destination: it does not send them again
    const next = await call<Review>('dispatcher', 'POST', '/api/parts/reviews');
    expect(next.body.summary.transfers.filter((t) => t.from === 'FSL-HH' && t.sku === 'CT-TUBE-9')).toEqual(
      [],
    );
    const hub = next.body.summary.locations.find((l) => l.code === 'HUB-KS')!;
    const hubBefore = third.body.summary.locations.find((l) => l.code === 'HUB-KS')!;
    const cur = (rows: Review['summary']['locations'][number]['rows']) =>
      rows.find((r) => r.sku === 'CT-TUBE-9')?.current;
    const net = proposed
      .filter((t) => t.sku === 'CT-TUBE-9')
      .reduce((n, t) => n + (t.to === 'HUB-KS' ? t.qty : t.from === 'HUB-KS' ? -t.qty : 0), 0);
    expect(net).toBeGreaterThan(0);
    expect(cur(hub.rows)).toBe((cur(hubBefore.rows) ?? 0) + net);

    const list = await call<{ id: string; status: string }[]>('dispatcher', 'GET', '/api/parts/reviews');
    expect(list.body.map((r) => r.status)).toEqual(['PROPOSED', 'APPLIED', 'SUPERSEDED', 'STALE']);
  }, 60_000);

  it('prints the shipping document and books the transfer in at its destination, once', async () => {
    const [t] = (
      await call<Review['transfers']>('dispatcher', 'GET', '/api/parts/transfers?status=IN_TRANSIT')
    ).body;
    expect(t).toBeDefined();
    const doc = await call<string>('engineer', 'GET', `/api/parts/transfers/${t!.id}/document`);
    expect(doc.status).toBe(200);
    expect(doc.body).toContain(t!.code);
    expect(doc.body).not.toContain('<script');
    const was = await level(t!.to, t!.sku);
    const got = await call<{ status: string }>('dispatcher', 'POST', `/api/parts/transfers/${t!.id}/receive`);
    expect(got.body.status).toBe('RECEIVED');
    expect((await level(t!.to, t!.sku)).onHand).toBe(was.onHand + t!.qty);
    const twice = await call<{ code: string }>('dispatcher', 'POST', `/api/parts/transfers/${t!.id}/receive`);
    expect(twice).toMatchObject({ status: 409, body: { code: 'PARTS_TRANSFER_RECEIVED' } });
    expect((await call('customer', 'POST', `/api/parts/transfers/${t!.id}/receive`)).status).toBe(403);
  });
  it('runs one review for requests made while one is waiting: a burst of requests is at most two reviews', async () => {
    const before = await p.db.partsReview.count();
    // six at once: the first runs, the other five wait for it and are answered by the one review after it (each
    // used to queue a review of its own, ~1.5 s each, and approvals waited behind them all)
    const all = await Promise.all(
      Array.from({ length: 6 }, () => call<Review>('dispatcher', 'POST', '/api/parts/reviews')),
    );
    expect(all.map((r) => r.status)).toEqual([201, 201, 201, 201, 201, 201]);
    expect(new Set(all.map((r) => r.body.id)).size).toBeLessThanOrEqual(2);
    expect((await p.db.partsReview.count()) - before).toBeLessThanOrEqual(2);
  }, 60_000);

  it('does not count a predicted failure again when its open order already holds the part', async () => {
    // two predicted orders; the first has its part reserved at a stocking location (as dispatch's plan does)
    const held = await demoPredictedOrder(p.db, { tenant: 'acme', confidence: 0.9 });
    const waiting = await demoPredictedOrder(p.db, { tenant: 'globex', confidence: 0.9 });
    const order = await p.db.serviceOrder.findUniqueOrThrow({
      where: { id: held.orderId },
      include: { failureMode: true },
    });
    const stock = await p.db.stockLevel.findFirstOrThrow({ where: { partId: order.failureMode.partId } });
    await p.db.reservation.create({
      data: { orderId: order.id, locationId: stock.locationId, partId: stock.partId, qty: 1 },
    });
    const other = await p.db.serviceOrder.findUniqueOrThrow({
      where: { id: waiting.orderId },
      include: { failureMode: true },
    });

    const snap = await new PrismaPartsReviewStore(p.db).snapshot(new Date());
    expect(snap.reserved).toContainEqual({ assetId: order.assetId, failureModeKey: order.failureMode.key });
    expect(snap.reserved).not.toContainEqual({
      assetId: other.assetId,
      failureModeKey: other.failureMode.key,
    });

    const review = await call<Review>('dispatcher', 'POST', '/api/parts/reviews');
    expect(review.status).toBe(201);
    const atRisk = (assetId: string, mode: string) =>
      review.body.summary.locations
        .flatMap((l) => l.rows.flatMap((r) => r.atRisk))
        .find((a) => a.assetId === assetId && a.failureModeKey === mode);
    // each with its customer: the demo's asset names repeat across tenants
    expect(atRisk(order.assetId, order.failureMode.key)).toMatchObject({
      source: 'RESERVED',
      tenant: 'Acme Hospitals',
    });
    expect(atRisk(other.assetId, other.failureMode.key)).toMatchObject({
      source: 'PREDICTION',
      tenant: 'Globex Foods',
    });
  }, 60_000);
});
