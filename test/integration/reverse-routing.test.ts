// The second life of a returned unit on the whole platform (real PostgreSQL): an unused part routed to the location
// short of its parts-plan target, with its return document; a refurbished unit's stock transfer from the depot
// tracked by signed carrier events (delivered books it in, a replay changes nothing, a bad signature is 401, an
// exception is announced); and the parts review counting units in repair and in transit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsignmentProblem } from '../../common/events.ts';
import { EventBus } from '../../common/event-bus.ts';
import type { PlatformEvents } from '../../common/events.ts';
import { PrismaCarrierEvents } from '../../dispatch/adapters/carrier-events.ts';
import { PrismaDispositionStore } from '../../dispatch/adapters/disposition-store.ts';
import { PrismaOrderActions } from '../../dispatch/adapters/order-actions.ts';
import { PrismaPartsPlanStore } from '../../dispatch/adapters/parts-plan-store.ts';
import { PrismaPartsReviewStore } from '../../dispatch/adapters/parts-review-store.ts';
import { PrismaReturnStore } from '../../dispatch/adapters/return-store.ts';
import { buildPartsReviewInstance, DEFAULT_REVIEW_POLICY } from '../../dispatch/core/parts-planner/review.ts';
import { DEFAULT_POLICY } from '../../dispatch/core/policy.ts';
import { renderReturnDocument } from '../../dispatch/core/return-document.ts';
import { renderTransferDocument } from '../../dispatch/core/transfer-document.ts';
import { OrderDesk } from '../../dispatch/order-desk.ts';
import { postCarrierEvent } from '../helpers/carrier-event.ts';
import {
  appliedPartsPlan,
  dispatchWorld,
  plannedOrder,
  stockViolations,
  type DispatchWorld,
} from '../helpers/dispatch-world.ts';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.ts';

const SECRET = 'fastfreight-test-secret-0123456789';
const OTHER = 'parcelco-test-secret-0123456789';

describe('returned units routed, shipped and tracked (real PostgreSQL)', () => {
  let p: TestPlatform;
  let w: DispatchWorld;
  let desk: OrderDesk;
  let returns: PrismaReturnStore;
  let dispositions: PrismaDispositionStore;
  let plans: PrismaPartsPlanStore;
  const problems: ConsignmentProblem[] = [];
  const ctx = () => ({ now: new Date(), actor: 'rd@depot' });

  const post = (body: unknown, o: { secret?: string; carrier?: string } = {}) =>
    postCarrierEvent(p.url, body, { ...o, secret: o.secret ?? SECRET });
  const event = (eventId: string, ref: string, kind: string, detail?: string) => ({
    eventId,
    shipmentId: ref,
    kind,
    at: new Date().toISOString(),
    ...(detail ? { detail } : {}),
  });
  const stock = async (code: string) => {
    const l = await p.db.stockLocation.findUniqueOrThrow({ where: { code } });
    return p.db.stockLevel.findUnique({
      where: { locationId_partId: { locationId: l.id, partId: w.part.id } },
    });
  };
  /** A completed order drawn from FSL-1: `usedQty` 0 returns the part unused, 1 sends the removed one to the depot. */
  async function completed(technician: string, asset: number, usedQty: number) {
    const { order } = await plannedOrder(p.db, w, { technician, source: 'FSL-1', asset });
    await desk.accept(order.id, 'dan@dispatch');
    for (const s of ['PARTS_STAGED', 'TECHNICIAN_EN_ROUTE', 'ON_SITE'] as const)
      await desk.advance(order.id, s, {}, 'field@tech');
    await desk.advance(order.id, 'COMPLETED', { removedSerial: `SN-${asset}`, usedQty }, 'field@tech');
    return p.db.returnAuthorization.findFirstOrThrow({ where: { orderId: order.id } });
  }

  beforeAll(async () => {
    p = await startTestPlatform(
      { DEMO: 'false', CARRIER_SECRETS: `fastfreight=${SECRET},parcelco=${OTHER}` },
      { fleet: false },
    );
    p.bus.on('consignment.problem', (e) => void problems.push(e));
    w = await dispatchWorld(p.db);
    desk = new OrderDesk({
      actions: new PrismaOrderActions(p.db),
      returns: (returns = new PrismaReturnStore(p.db)),
      bus: new EventBus<PlatformEvents>(),
      clock: { now: () => new Date() },
      policy: DEFAULT_POLICY,
    });
    dispositions = new PrismaDispositionStore(p.db);
    plans = new PrismaPartsPlanStore(p.db);
    // the latest applied parts plan wants 3 of P-1 at FSL-2 (it holds 1) and what FSL-1 (below its stock) and the hub hold
    await appliedPartsPlan(p.db, 'P-1', [
      { code: 'FSL-1', kind: 'fsl', target: 2 },
      { code: 'FSL-2', kind: 'fsl', target: 3 },
      { code: 'HUB', kind: 'hub', target: 20 },
    ]);
  }, 60_000);
  afterAll(async () => {
    await p?.stop();
  });

  it('sends an unused part to the location short of its target, with its return document, booked in on delivery', async () => {
    const ra = await completed('T-A', 0, 0);
    expect(ra.reason).toBe('UNUSED');
    const view = await returns.get(ra.id);
    expect(view).toMatchObject({ to: 'FSL-2', tracking: { state: 'AWAITING_PICKUP', carrier: null } });
    expect(view?.routeReason).toMatch(/parts review #\d+ at FSL-2: 1 of 3/);
    const doc = renderReturnDocument((await returns.document(ra.id))!);
    expect(doc).toContain('FSL-2');

    const before = (await stock('FSL-2'))!.onHand;
    const ok = await post(event('r-1', view!.rma, 'DELIVERED'));
    expect(ok).toMatchObject({ status: 200, body: { duplicate: false, state: 'DELIVERED' } });
    expect((await stock('FSL-2'))!.onHand).toBe(before + 1);
    expect(await returns.get(ra.id)).toMatchObject({
      state: 'CLOSED',
      tracking: { state: 'DELIVERED', carrier: 'fastfreight' },
    });
    // a replay changes nothing
    expect(await post(event('r-1', view!.rma, 'DELIVERED'))).toMatchObject({ body: { duplicate: true } });
    expect((await stock('FSL-2'))!.onHand).toBe(before + 1);
  });

  it('ships a refurbished unit from the depot as a tracked transfer; delivered → serviceable at its destination', async () => {
    await p.db.part.update({ where: { id: w.part.id }, data: { warrantyMonths: 0 } });
    const ra = await completed('T-B', 1, 1);
    await desk.recordFinding(ra.id, { finding: 'FAILURE_CONFIRMED' }, 'rd@depot');
    const decided = await dispositions.decide(ra.id, {}, ctx());
    expect(decided.decided).toMatchObject({ disposition: 'REFURBISH', to: null });

    // in repair: the parts review counts it at the hub, 1 × 0.8 yield → 1 expected unit
    const reviews = new PrismaPartsReviewStore(p.db);
    const inRepair = await reviews.snapshot(new Date());
    expect(inRepair.pipeline).toHaveLength(1);
    const hubBefore = (await stock('HUB'))!.onHand - (await stock('HUB'))!.reserved;
    const inst = buildPartsReviewInstance(inRepair, DEFAULT_REVIEW_POLICY);
    expect(inst.locations.find((l) => l.id === 'HUB')?.stock['P-1']).toBe(hubBefore + 1);

    const done = await dispositions.completeRepair(ra.id, true, ctx());
    expect(done.decided?.to).toBe('FSL-2'); // 2 of 3 there: still short
    const view = (await returns.get(ra.id))!;
    expect(view.transfer).toMatchObject({ from: 'RD', to: 'FSL-2', status: 'IN_TRANSIT' });
    const code = view.transfer!.code;
    const html = renderTransferDocument((await plans.document(view.transfer!.id))!);
    expect(html).toContain(code);
    expect(html).toContain(view.rma);

    // in transit: counted at the destination by the next review, not in the pipeline any more
    const moving = await reviews.snapshot(new Date());
    expect(moving.pipeline).toHaveLength(0);
    expect(moving.locations.find((l) => l.code === 'FSL-2')?.inbound).toEqual({ 'P-1': 1 });

    const fsl2 = (await stock('FSL-2'))!;
    expect(
      (await post(event('t-1', code, 'PICKED_UP'), { secret: 'wrong-secret-0123456789abc' })).status,
    ).toBe(401);
    expect((await post(event('t-1', code, 'PICKED_UP'))).body).toMatchObject({ state: 'PICKED_UP' });
    expect((await post(event('t-2', view.transfer!.id, 'IN_TRANSIT'))).body).toMatchObject({
      state: 'IN_TRANSIT',
    });
    expect((await stock('FSL-2'))!.onHand).toBe(fsl2.onHand);
    expect((await post(event('t-3', code, 'DELIVERED'))).body).toMatchObject({ duplicate: false });
    expect(await stock('FSL-2')).toMatchObject({
      onHand: fsl2.onHand + 1,
      refurbished: fsl2.refurbished + 1,
    });
    expect((await post(event('t-3', code, 'DELIVERED'))).body).toMatchObject({ duplicate: true });
    expect((await stock('FSL-2'))!.onHand).toBe(fsl2.onHand + 1);
    // another carrier, correctly signed, cannot report on it
    expect((await post(event('x-1', code, 'DELIVERED'), { carrier: 'parcelco', secret: OTHER })).status).toBe(
      404,
    );
    const t = (await plans.transfers({ limit: 10 })).find((x) => x.code === code);
    expect(t).toMatchObject({ status: 'RECEIVED', trackingState: 'DELIVERED', carrier: 'fastfreight' });
    expect(await stockViolations(p.db)).toEqual([]);
  });

  it('announces a transfer exception to staff once; the units stay out of stock', async () => {
    const [rd, fsl1] = await Promise.all([
      p.db.stockLocation.findUniqueOrThrow({ where: { code: 'RD' } }),
      p.db.stockLocation.findUniqueOrThrow({ where: { code: 'FSL-1' } }),
    ]);
    const t = await p.db.stockTransfer.create({
      data: {
        fromLocationId: rd.id,
        toLocationId: fsl1.id,
        partId: w.part.id,
        qty: 1,
        refurbished: 1,
        mode: 'OVERNIGHT',
        cost: 55,
        shipAt: new Date(),
        etaAt: new Date(Date.now() + 86_400_000),
      },
    });
    const before = (await stock('FSL-1'))!.onHand;
    expect((await post(event('e-1', t.id, 'EXCEPTION', 'parcel damaged'))).body).toMatchObject({
      state: 'EXCEPTION',
    });
    await post(event('e-2', t.id, 'EXCEPTION', 'still damaged'));
    expect(problems.filter((x) => x.id === t.id)).toEqual([
      expect.objectContaining({
        kind: 'TRANSFER',
        from: 'RD',
        to: 'FSL-1',
        reason: expect.stringContaining('damaged'),
      }),
    ]);
    expect((await stock('FSL-1'))!.onHand).toBe(before);
    expect((await post(event('e-3', 'TRF-999999', 'DELIVERED'))).status).toBe(404);
  });

  it('takes events on its own consignments only from CONSIGNMENT_CARRIER when it names one', async () => {
    const [from, to] = await Promise.all(
      ['FSL-1', 'FSL-2'].map((code) => p.db.stockLocation.findUniqueOrThrow({ where: { code } })),
    );
    const transfer = await p.db.stockTransfer.create({
      data: {
        fromLocationId: from!.id,
        toLocationId: to!.id,
        partId: w.part.id,
        qty: 1,
        mode: 'OVERNIGHT',
        cost: 10,
        shipAt: new Date(),
        etaAt: new Date(Date.now() + 86_400_000),
      },
    });
    const named = new PrismaCarrierEvents(p.db, 'fastfreight');
    const at = new Date();
    const ev = (eventId: string) => ({ eventId, shipmentId: transfer.id, kind: 'PICKED_UP' as const, at });
    // unclaimed, but not parcelco's to claim: the platform says who carries its consignments
    await expect(named.record('parcelco', ev('cc-1'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await p.db.carrierEvent.count({ where: { transferId: transfer.id } })).toBe(0);
    await expect(named.record('fastfreight', ev('cc-2'))).resolves.toMatchObject({ state: 'PICKED_UP' });
    // and it is recorded as the consignment's carrier, as a first event always is
    expect((await p.db.stockTransfer.findUniqueOrThrow({ where: { id: transfer.id } })).carrier).toBe(
      'fastfreight',
    );
  });
});
