// After the repair, on real PostgreSQL: the disposition of a returned defective unit (proposal, confirmation,
// override), stock by condition (defective and in-repair units are never reservable; a refurbished unit is back
// in serviceable stock at its destination once its transfer from the depot is received), concurrent reservations of
// refurbished stock, sustainability figures.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../../common/db.ts';
import { EventBus } from '../../common/event-bus.ts';
import { isAppError } from '../../common/errors.ts';
import type { PlatformEvents } from '../../common/events.ts';
import { PrismaDispositionStore, restockRefurbished } from '../../dispatch/adapters/disposition-store.ts';
import { PrismaNetworkStore } from '../../dispatch/adapters/network-store.ts';
import { PrismaOrderActions } from '../../dispatch/adapters/order-actions.ts';
import { PrismaPartsPlanStore } from '../../dispatch/adapters/parts-plan-store.ts';
import { PrismaReturnStore } from '../../dispatch/adapters/return-store.ts';
import { DEFAULT_POLICY } from '../../dispatch/core/policy.ts';
import { OrderDesk } from '../../dispatch/order-desk.ts';
import { freshDatabase, type TestDatabase } from '../helpers/database.ts';
import {
  dispatchWorld,
  plannedOrder,
  predictedOrder,
  stockViolations,
  type DispatchWorld,
} from '../helpers/dispatch-world.ts';

const refused = (code: string) => (err: unknown) => isAppError(err) && err.code === code;

describe('disposition and stock by condition (real PostgreSQL)', () => {
  let tdb: TestDatabase;
  let db: Db;
  let w: DispatchWorld;
  let desk: OrderDesk;
  let store: PrismaDispositionStore;
  const ctx = () => ({ now: new Date(), actor: 'rd@depot' });

  beforeAll(async () => {
    tdb = await freshDatabase();
    db = createDb(tdb.url, { max: 20 });
    w = await dispatchWorld(db);
    desk = new OrderDesk({
      actions: new PrismaOrderActions(db),
      returns: new PrismaReturnStore(db),
      bus: new EventBus<PlatformEvents>(),
      clock: { now: () => new Date() },
      policy: DEFAULT_POLICY,
    });
    store = new PrismaDispositionStore(db);
  });
  afterAll(async () => {
    await db?.$disconnect();
    await tdb?.drop();
  });

  /** A completed order on asset i, its defective return and the depot's finding (unless none). */
  async function returned(technician: string, asset: number) {
    const { order } = await plannedOrder(db, w, { technician, source: 'FSL-1', asset });
    await desk.accept(order.id, 'dan@dispatch');
    for (const s of ['PARTS_STAGED', 'TECHNICIAN_EN_ROUTE', 'ON_SITE'] as const)
      await desk.advance(order.id, s, {}, 'field@tech');
    await desk.advance(order.id, 'COMPLETED', { removedSerial: `SN-${asset}` }, 'field@tech');
    return db.returnAuthorization.findFirstOrThrow({ where: { orderId: order.id, reason: 'DEFECTIVE' } });
  }
  /** Books in the stock transfer that carries a return's unit from the depot. */
  const receiveFrom = async (returnId: string) => {
    const t = await db.stockTransfer.findUniqueOrThrow({ where: { returnId } });
    expect(t).toMatchObject({ status: 'IN_TRANSIT', refurbished: t.qty });
    await new PrismaPartsPlanStore(db).receive(t.id, 'clerk@fsl', new Date());
  };
  const at = async (location: string) =>
    (await store.stockByCondition({ location })).find((s) => s.sku === 'P-1');

  it('proposes refurbishment, takes the override only with a reason, and refurbishes into stock', async () => {
    // out of warranty, repair 3.50 at 80 % yield on a part of 10: economic
    await db.part.update({ where: { id: w.part.id }, data: { warrantyMonths: 0 } });
    const ra = await returned('T-A', 0);
    await expect(store.decide(ra.id, {}, ctx())).rejects.toSatisfy(refused('DISPATCH_ILLEGAL_TRANSITION'));

    await desk.receiveReturn(ra.id, 'rd@depot');
    expect(await at('RD')).toMatchObject({ defective: 1, inRepair: 0, new: 0, refurbished: 0 });
    await desk.recordFinding(ra.id, { finding: 'FAILURE_CONFIRMED' }, 'rd@depot');

    const advice = await store.advice(ra.id);
    expect(advice.proposal).toMatchObject({
      disposition: 'REFURBISH',
      repairCost: 3.5,
      turnaroundDays: 10,
      inWarranty: false,
    });
    expect(advice.decided).toBeNull();
    await expect(store.decide(ra.id, { disposition: 'SCRAP' }, ctx())).rejects.toSatisfy(
      refused('VALIDATION_FAILED'),
    );
    await expect(
      store.decide(ra.id, { disposition: 'REFURBISH', toLocation: 'RD' }, ctx()),
    ).rejects.toSatisfy(refused('VALIDATION_FAILED'));

    const fsl = await at('FSL-1');
    const decided = await store.decide(ra.id, {}, ctx());
    expect(decided.decided).toMatchObject({
      disposition: 'REFURBISH',
      proposed: 'REFURBISH',
      to: null, // decided when it leaves the bench
      repairCost: 3.5,
      restockedAt: null,
      co2eAvoidedKg: 4, // 5 kg to make new (10 × 0.5), less the 20 % a refurbishment emits
    });
    await expect(store.decide(ra.id, {}, ctx())).rejects.toSatisfy(refused('DISPATCH_ILLEGAL_TRANSITION'));
    // in repair at the depot: not serviceable anywhere yet
    expect(await at('RD')).toMatchObject({ defective: 0, inRepair: 1 });
    expect(await at('FSL-1')).toEqual(fsl);

    const done = await store.completeRepair(ra.id, true, ctx());
    expect(done.decided?.restockedAt).not.toBeNull();
    // no applied parts plan: back to the shelf it was drawn from, as a stock transfer from the depot
    expect(done.decided?.to).toBe('FSL-1');
    expect(await at('RD')).toBeUndefined(); // nothing of the part left at the depot
    expect(await at('FSL-1')).toEqual(fsl);
    await receiveFrom(ra.id);
    expect(await at('FSL-1')).toMatchObject({
      new: fsl!.new,
      refurbished: fsl!.refurbished + 1,
      available: fsl!.available + 1,
    });
    await expect(store.completeRepair(ra.id, true, ctx())).rejects.toSatisfy(
      refused('DISPATCH_ILLEGAL_TRANSITION'),
    );
    expect(await stockViolations(db)).toEqual([]);
  });

  it('retests and restocks a unit with no fault found; sends one in warranty back to the vendor', async () => {
    const nff = await returned('T-B', 1);
    await desk.recordFinding(nff.id, { finding: 'NO_FAULT_FOUND' }, 'rd@depot');
    const fsl2 = await at('FSL-2');
    const restocked = await store.decide(nff.id, { toLocation: 'FSL-2' }, ctx());
    expect(restocked.decided).toMatchObject({ disposition: 'RESTOCK', to: 'FSL-2', co2eAvoidedKg: 5 });
    expect(restocked.decided?.restockedAt).not.toBeNull();
    await receiveFrom(nff.id);
    expect(await at('FSL-2')).toMatchObject({
      refurbished: fsl2!.refurbished + 1,
      available: fsl2!.available + 1,
    });

    await db.part.update({ where: { id: w.part.id }, data: { warrantyMonths: 24 } });
    const rtv = await returned('T-C', 2);
    await desk.recordFinding(rtv.id, { finding: 'FAILURE_CONFIRMED' }, 'rd@depot');
    expect((await store.advice(rtv.id)).proposal).toMatchObject({
      disposition: 'RETURN_TO_VENDOR',
      inWarranty: true,
    });
    const sent = await store.decide(rtv.id, {}, ctx());
    expect(sent.decided).toMatchObject({ disposition: 'RETURN_TO_VENDOR', to: null, co2eAvoidedKg: 0 });
    expect(sent.decided?.rtv).toMatch(/^RTV-\d{6}$/);
    expect(await store.rtv(rtv.id)).toMatchObject({ serial: 'SN-2', part: { sku: 'P-1' } });
    expect(await store.rtv(nff.id)).toBeUndefined();
  });

  it('counts reuse and CO2e per tenant over a period', async () => {
    const now = new Date();
    const range = { from: new Date(now.getTime() - 3_600_000), to: new Date(now.getTime() + 60_000) };
    const s = await store.sustainability(range);
    expect(s.total).toMatchObject({
      units: 3,
      refurbished: 1,
      restocked: 1,
      returnedToVendor: 1,
      reusedShare: 0.667,
      co2eAvoidedKg: 9,
    });
    expect(s.tenants.map((t) => t.tenantId)).toEqual([w.tenant.id]);
    expect((await store.sustainability({ ...range, tenantId: 'someone-else' })).total.units).toBe(0);
    expect((await store.sustainability({ ...range, to: range.from, from: new Date(0) })).total.units).toBe(0);
  });

  it('reserves refurbished stock like new under concurrency, never defective units', async () => {
    const loc = await db.stockLocation.create({
      data: { code: 'FSL-R', name: 'FSL-R', kind: 'FSL', lat: 53.5, lon: 10 },
    });
    await db.$transaction((tx) => restockRefurbished(tx, loc.id, w.part.id, 2));
    const network = new PrismaNetworkStore(db);
    const snap = await network.snapshot(new Date());
    expect(snap.locations.find((l) => l.id === 'FSL-R')?.available).toEqual({ 'P-1': 2 });

    const orders = [];
    for (let i = 0; i < 8; i++) {
      orders.push((await predictedOrder(db, w, i % 4)).order);
      await db.technician.create({
        data: {
          code: `R-${i}`,
          name: `R ${i}`,
          skills: ['mech'],
          lat: 53.5,
          lon: 10,
          homeLat: 53.5,
          homeLon: 10,
        },
      });
    }
    const now = new Date();
    const results = await Promise.allSettled(
      orders.map((o, i) =>
        network.commit(
          {
            order: o.id,
            technician: `R-${i}`,
            source: 'FSL-R',
            pickup: 'FSL-R',
            mode: 'stock',
            partsReadyAt: now.toISOString(),
            arrivalAt: now.toISOString(),
            cost: 1,
          },
          { now, policy: DEFAULT_POLICY, actor: 'planner' },
        ),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
    expect(
      results.every(
        (r) =>
          r.status === 'fulfilled' || refused('DISPATCH_STOCK_CONFLICT')((r as PromiseRejectedResult).reason),
      ),
    ).toBe(true);
    expect(await at('FSL-R')).toMatchObject({ new: 0, refurbished: 2, reserved: 2, available: 0 });

    // fitting one uses a refurbished unit: the condition counts stay consistent
    const planned = await db.serviceOrder.findFirstOrThrow({
      where: { sourceLocation: { code: 'FSL-R' }, status: 'PLANNED' },
    });
    await desk.accept(planned.id, 'dan@dispatch');
    for (const s of ['PARTS_STAGED', 'TECHNICIAN_EN_ROUTE', 'ON_SITE', 'COMPLETED'] as const)
      await desk.advance(planned.id, s, {}, 'field@tech');
    expect(await at('FSL-R')).toMatchObject({ new: 0, refurbished: 1, reserved: 1, available: 0 });
    expect(await stockViolations(db)).toEqual([]);
  });
});
