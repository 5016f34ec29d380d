// Dispatcher actions on real PostgreSQL: reassigning, restaging and cancelling keep stock reservations and
// technician bookings consistent — one transaction each, concurrent bookings of one technician or of the last
// part in stock decided by exactly one winner — and every change is in the order's history.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../../common/db.ts';
import { isAppError } from '../../common/errors.ts';
import { PrismaNetworkStore } from '../../dispatch/adapters/network-store.ts';
import { PrismaOrderActions, type ActionContext } from '../../dispatch/adapters/order-actions.ts';
import { DEFAULT_POLICY } from '../../dispatch/core/policy.ts';
import { freshDatabase, type TestDatabase } from '../helpers/database.ts';
import {
  dispatchWorld,
  doubleBookings,
  level,
  plannedOrder,
  stockViolations,
  type DispatchWorld,
} from '../helpers/dispatch-world.ts';

const codeOf = async (p: Promise<unknown>) => {
  try {
    await p;
    return 'ok';
  } catch (err) {
    if (isAppError(err)) return err.code;
    throw err;
  }
};

describe('dispatcher actions keep stock and technicians consistent (real PostgreSQL)', () => {
  let tdb: TestDatabase;
  let db: Db;
  let w: DispatchWorld;
  let actions: PrismaOrderActions;
  const ctx = (actor = 'dispatcher@test'): ActionContext => ({
    now: new Date(),
    actor,
    policy: DEFAULT_POLICY,
  });

  beforeAll(async () => {
    tdb = await freshDatabase();
    db = createDb(tdb.url, { max: 20 });
    w = await dispatchWorld(db);
    actions = new PrismaOrderActions(db);
  });
  afterEach(async () => {
    expect(await stockViolations(db)).toEqual([]);
    expect(await doubleBookings(db)).toEqual([]);
    // each test starts from a network without open jobs
    const open = await db.serviceOrder.findMany({ where: { status: { notIn: ['COMPLETED', 'CANCELLED'] } } });
    for (const o of open)
      await actions.cancel(o.id, { reason: 'OTHER', note: 'test cleanup' }, ctx('cleanup'));
  });
  afterAll(async () => {
    await db?.$disconnect();
    await tdb?.drop();
  });

  const techOf = async (orderId: string) =>
    (await db.serviceOrder.findUniqueOrThrow({ where: { id: orderId }, include: { technician: true } }))
      .technician?.code;

  it('reassigns a job to a free, qualified technician and records who and when', async () => {
    const { order } = await plannedOrder(db, w, { technician: 'T-A' });
    const before = await db.serviceOrder.findUniqueOrThrow({ where: { id: order.id } });
    const res = await actions.reassign(order.id, 'T-B', ctx('dan@dispatch'));
    expect(res).toMatchObject({ orderId: order.id, status: 'PLANNED' });
    expect(await techOf(order.id)).toBe('T-B');
    const after = await db.serviceOrder.findUniqueOrThrow({
      where: { id: order.id },
      include: { reservations: true },
    });
    expect(after.reservations).toMatchObject([{ status: 'HELD', qty: 1 }]);
    expect(after.etaAt).not.toEqual(before.etaAt);
    const last = await db.orderEvent.findFirstOrThrow({
      where: { orderId: order.id },
      orderBy: { id: 'desc' },
    });
    expect(last).toMatchObject({ action: 'reassign', actor: 'dan@dispatch', status: 'PLANNED' });
    expect(last.note).toBe('technician T-A → T-B');
    // T-A is free again: the planner can give it another job
    await plannedOrder(db, w, { technician: 'T-A', asset: 1 });
  });

  it('refuses a technician without the skill, one already booked, and an unknown one; nothing changes', async () => {
    const { order } = await plannedOrder(db, w, { technician: 'T-A' });
    await plannedOrder(db, w, { technician: 'T-B', asset: 1 });
    expect(await codeOf(actions.reassign(order.id, 'T-H', ctx()))).toBe('DISPATCH_NO_QUALIFIED_TECHNICIAN');
    expect(await codeOf(actions.reassign(order.id, 'T-B', ctx()))).toBe('DISPATCH_TECHNICIAN_BUSY');
    expect(await codeOf(actions.reassign(order.id, 'T-NOPE', ctx()))).toBe(
      'DISPATCH_NO_QUALIFIED_TECHNICIAN',
    );
    expect(await codeOf(actions.reassign(order.id, 'T-A', ctx()))).toBe('VALIDATION_FAILED');
    expect(await techOf(order.id)).toBe('T-A');
    expect(await db.orderEvent.count({ where: { orderId: order.id, action: 'reassign' } })).toBe(0);
  });

  it('lets exactly one of two concurrent reassignments to the same technician win', async () => {
    const a = await plannedOrder(db, w, { technician: 'T-A' });
    const b = await plannedOrder(db, w, { technician: 'T-B', asset: 1 });
    const results = await Promise.all([
      codeOf(actions.reassign(a.order.id, 'T-C', ctx())),
      codeOf(actions.reassign(b.order.id, 'T-C', ctx())),
    ]);
    expect(results.sort()).toEqual(['DISPATCH_TECHNICIAN_BUSY', 'ok']);
    const techs = [await techOf(a.order.id), await techOf(b.order.id)];
    expect(techs.filter((t) => t === 'T-C')).toHaveLength(1);
  });

  it('lets exactly one of many concurrent reassignments to the same technician win', async () => {
    const orders = await Promise.all(
      ['T-A', 'T-B', 'T-C', 'T-D'].map((t, i) => plannedOrder(db, w, { technician: t, asset: i })),
    );
    const results = await Promise.all(orders.map((o) => codeOf(actions.reassign(o.order.id, 'T-E', ctx()))));
    expect(results.filter((r) => r === 'ok')).toHaveLength(1);
    expect(results.filter((r) => r === 'DISPATCH_TECHNICIAN_BUSY')).toHaveLength(3);
    const booked = await db.serviceOrder.count({ where: { technician: { code: 'T-E' }, status: 'PLANNED' } });
    expect(booked).toBe(1);
  });

  it('moves the reservation to the new staging location in one transaction', async () => {
    const { order } = await plannedOrder(db, w, { technician: 'T-A', source: 'FSL-1' });
    const [fsl1, fsl2] = [await level(db, w, w.locations.fsl1.id), await level(db, w, w.locations.fsl2.id)];
    await actions.restage(order.id, { pickup: 'FSL-2' }, ctx());
    expect(await level(db, w, w.locations.fsl1.id)).toEqual({ ...fsl1, reserved: fsl1.reserved - 1 });
    expect(await level(db, w, w.locations.fsl2.id)).toEqual({ ...fsl2, reserved: fsl2.reserved + 1 });
    const o = await db.serviceOrder.findUniqueOrThrow({
      where: { id: order.id },
      include: {
        reservations: { orderBy: { createdAt: 'asc' } },
        pickupLocation: true,
        sourceLocation: true,
      },
    });
    expect(o.reservations.map((r) => [r.status, r.locationId])).toEqual([
      ['RELEASED', w.locations.fsl1.id],
      ['HELD', w.locations.fsl2.id],
    ]);
    expect([o.status, o.pickupLocation?.code, o.sourceLocation?.code]).toEqual(['PLANNED', 'FSL-2', 'FSL-2']);
  });

  it('refuses a staging location without stock and leaves everything as it was', async () => {
    const { order } = await plannedOrder(db, w, { technician: 'T-A', source: 'FSL-1' });
    await plannedOrder(db, w, { technician: 'T-B', source: 'FSL-2', asset: 1 }); // FSL-2's only part
    const before = await Promise.all([level(db, w, w.locations.fsl1.id), level(db, w, w.locations.fsl2.id)]);
    expect(await codeOf(actions.restage(order.id, { pickup: 'FSL-2' }, ctx()))).toBe(
      'DISPATCH_STOCK_CONFLICT',
    );
    expect(await Promise.all([level(db, w, w.locations.fsl1.id), level(db, w, w.locations.fsl2.id)])).toEqual(
      before,
    );
    const o = await db.serviceOrder.findUniqueOrThrow({
      where: { id: order.id },
      include: { reservations: true },
    });
    expect(o.reservations).toMatchObject([{ status: 'HELD', locationId: w.locations.fsl1.id }]);
    expect(await codeOf(actions.restage(order.id, { pickup: 'RD' }, ctx()))).toBe('VALIDATION_FAILED');
    expect(await codeOf(actions.restage(order.id, { pickup: 'FSL-1' }, ctx()))).toBe('VALIDATION_FAILED');
  });

  it('lets exactly one of two orders restaged at once take the last part of a location', async () => {
    const a = await plannedOrder(db, w, { technician: 'T-A', source: 'FSL-1' });
    const b = await plannedOrder(db, w, { technician: 'T-B', source: 'HUB', asset: 1 });
    const results = await Promise.all([
      codeOf(actions.restage(a.order.id, { pickup: 'FSL-2' }, ctx())),
      codeOf(actions.restage(b.order.id, { pickup: 'FSL-2' }, ctx())),
    ]);
    expect(results.sort()).toEqual(['DISPATCH_STOCK_CONFLICT', 'ok']);
    expect(await level(db, w, w.locations.fsl2.id)).toEqual({ onHand: 1, reserved: 1 });
  });

  it('restages onto a unit in transit to the pickup: reserved against its transfer, ready at its ETA', async () => {
    const { order } = await plannedOrder(db, w, { technician: 'T-A', source: 'FSL-1' });
    const other = await plannedOrder(db, w, { technician: 'T-B', source: 'FSL-2', asset: 1 }); // FSL-2's shelf
    const etaAt = new Date(Date.now() + 3_600_000);
    const transfer = await db.stockTransfer.create({
      data: {
        fromLocationId: w.locations.hub.id,
        toLocationId: w.locations.fsl2.id,
        partId: w.part.id,
        qty: 1,
        mode: 'COURIER',
        cost: 10,
        shipAt: new Date(),
        etaAt,
      },
    });
    const fsl2 = await level(db, w, w.locations.fsl2.id);
    expect(await codeOf(actions.restage(order.id, { pickup: 'FSL-2', inTransit: true }, ctx()))).toBe('ok');
    const o = await db.serviceOrder.findUniqueOrThrow({
      where: { id: order.id },
      include: { reservations: { where: { status: 'HELD' } }, shipments: true, pickupLocation: true },
    });
    expect(o.reservations).toMatchObject([
      { locationId: w.locations.fsl2.id, transferId: transfer.id, qty: 1 },
    ]);
    expect([o.status, o.pickupLocation?.code, o.shipments.length]).toEqual(['PLANNED', 'FSL-2', 0]);
    expect(o.partsReadyAt).toEqual(etaAt);
    // the shelf is not touched: the unit is not on it yet
    expect(await level(db, w, w.locations.fsl2.id)).toEqual(fsl2);
    // the transfer's only unit is taken: nothing left in transit for another order
    expect(await codeOf(actions.restage(other.order.id, { pickup: 'FSL-2', inTransit: true }, ctx()))).toBe(
      'DISPATCH_STOCK_CONFLICT',
    );
    expect(
      await codeOf(actions.restage(order.id, { pickup: 'FSL-2', source: 'HUB', inTransit: true }, ctx())),
    ).toBe('VALIDATION_FAILED');
    await actions.cancel(order.id, { reason: 'OTHER', note: 'test' }, ctx());
    await db.stockTransfer.update({ where: { id: transfer.id }, data: { status: 'RECEIVED' } });
  });

  it('ships the part when staged away from its source, so the field reports it in transit first', async () => {
    const { order } = await plannedOrder(db, w, { technician: 'T-A', source: 'FSL-1' });
    await actions.restage(order.id, { pickup: 'FSL-1', source: 'HUB' }, ctx());
    const o = await db.serviceOrder.findUniqueOrThrow({
      where: { id: order.id },
      include: { shipments: true, sourceLocation: true, pickupLocation: true },
    });
    expect([o.sourceLocation?.code, o.pickupLocation?.code]).toEqual(['HUB', 'FSL-1']);
    expect(o.shipments).toMatchObject([{ mode: 'COURIER', status: 'PLANNED', qty: 1 }]);
    expect(o.partsReadyAt!.getTime()).toBeGreaterThan(Date.now());
    await actions.accept(order.id, ctx());
    expect(await codeOf(actions.advance(order.id, 'PARTS_STAGED', {}, ctx()))).toBe(
      'DISPATCH_ILLEGAL_TRANSITION',
    );
    await actions.advance(order.id, 'PARTS_IN_TRANSIT', {}, ctx());
    expect((await db.shipment.findFirstOrThrow({ where: { orderId: order.id } })).status).toBe('IN_TRANSIT');
    // restaging while the part travels cancels the shipment and starts over
    await actions.restage(order.id, { pickup: 'FSL-1' }, ctx());
    expect((await db.shipment.findFirstOrThrow({ where: { orderId: order.id } })).status).toBe('CANCELLED');
    expect((await db.serviceOrder.findUniqueOrThrow({ where: { id: order.id } })).status).toBe('PLANNED');
  });

  it('cancels: releases the reservation, the shipment and the technician, and closes the order', async () => {
    const { order } = await plannedOrder(db, w, {
      technician: 'T-A',
      source: 'HUB',
      pickup: 'FSL-1',
      mode: 'courier',
    });
    const hub = await level(db, w, w.locations.hub.id);
    await actions.cancel(order.id, { reason: 'RISK_CLEARED' }, ctx('dan@dispatch'));
    expect(await level(db, w, w.locations.hub.id)).toEqual({ ...hub, reserved: hub.reserved - 1 });
    const o = await db.serviceOrder.findUniqueOrThrow({
      where: { id: order.id },
      include: { reservations: true, shipments: true },
    });
    expect(o).toMatchObject({ status: 'CANCELLED', openKey: null, cancelReason: 'RISK_CLEARED' });
    expect(o.closedAt).not.toBeNull();
    expect(o.reservations.map((r) => r.status)).toEqual(['RELEASED']);
    expect(o.shipments.map((s) => s.status)).toEqual(['CANCELLED']);
    const last = await db.orderEvent.findFirstOrThrow({
      where: { orderId: order.id },
      orderBy: { id: 'desc' },
    });
    expect(last).toMatchObject({ status: 'CANCELLED', action: 'cancel', actor: 'dan@dispatch' });
    expect(last.note).toBe('risk cleared; 1 × P-1 released at HUB; technician T-A released');
    // the technician is free for the next job; the cancelled order cannot change any more
    await plannedOrder(db, w, { technician: 'T-A', asset: 1 });
    expect(await codeOf(actions.cancel(order.id, { reason: 'DUPLICATE' }, ctx()))).toBe(
      'DISPATCH_ILLEGAL_TRANSITION',
    );
    expect(await codeOf(actions.reassign(order.id, 'T-F', ctx()))).toBe('DISPATCH_ILLEGAL_TRANSITION');
  });

  it('keeps one of a cancel and a reassignment racing on the same order, never both half-way', async () => {
    const { order } = await plannedOrder(db, w, { technician: 'T-A' });
    const results = await Promise.all([
      codeOf(actions.cancel(order.id, { reason: 'OTHER', note: 'race' }, ctx())),
      codeOf(actions.reassign(order.id, 'T-B', ctx())),
    ]);
    const o = await db.serviceOrder.findUniqueOrThrow({
      where: { id: order.id },
      include: { technician: true },
    });
    expect(o.status).toBe('CANCELLED');
    expect(results[0]).toBe('ok');
    if (results[1] === 'ok') expect(o.technician?.code).toBe('T-B');
    else expect(results[1]).toBe('DISPATCH_ILLEGAL_TRANSITION');
  });

  it('never resurrects an order cancelled while the planner commits it', async () => {
    const store = new PrismaNetworkStore(db);
    for (let i = 0; i < 15; i++) {
      const order = await db.serviceOrder.create({
        data: {
          tenantId: w.tenant.id,
          assetId: w.assets[0]!.id,
          failureModeId: w.failureMode.id,
          slaTier: 'STANDARD',
          expectedFailureAt: new Date(Date.now() + 3_600_000),
          dueBy: new Date(Date.now() + 3_600_000),
        },
      });
      const now = new Date();
      await Promise.all([
        codeOf(
          store.commit(
            {
              order: order.id,
              technician: 'T-A',
              source: 'FSL-1',
              pickup: 'FSL-1',
              mode: 'stock',
              partsReadyAt: now.toISOString(),
              arrivalAt: now.toISOString(),
              cost: 1,
            },
            { now, policy: DEFAULT_POLICY, actor: 'planner' },
          ),
        ),
        codeOf(actions.cancel(order.id, { reason: 'OTHER', note: 'race' }, ctx())),
      ]);
      const o = await db.serviceOrder.findUniqueOrThrow({
        where: { id: order.id },
        include: { reservations: true },
      });
      expect(o.status).toBe('CANCELLED');
      expect(o.reservations.filter((r) => r.status === 'HELD')).toEqual([]);
    }
  });

  it('records the accept, keeps a job whose risk cleared, and gates field progress on acceptance', async () => {
    const { order } = await plannedOrder(db, w, { technician: 'T-A' });
    expect(await codeOf(actions.advance(order.id, 'PARTS_STAGED', {}, ctx()))).toBe(
      'DISPATCH_ILLEGAL_TRANSITION',
    );
    await actions.accept(order.id, ctx('dan@dispatch'));
    expect(await codeOf(actions.accept(order.id, ctx()))).toBe('DISPATCH_ILLEGAL_TRANSITION');
    await db.serviceOrder.update({ where: { id: order.id }, data: { riskCleared: true } });
    await actions.accept(order.id, ctx('eve@dispatch'));
    const o = await db.serviceOrder.findUniqueOrThrow({ where: { id: order.id } });
    expect(o).toMatchObject({ acceptedBy: 'dan@dispatch', riskCleared: false });
    const history = await db.orderEvent.findMany({ where: { orderId: order.id }, orderBy: { id: 'asc' } });
    expect(history.map((e) => [e.status, e.action, e.actor, e.note])).toEqual([
      ['PREDICTED', 'status', 'test model', null],
      ['PLANNED', 'status', 'planner', 'stock from FSL-1, collect at FSL-1, technician T-A'],
      ['PLANNED', 'accept', 'dan@dispatch', 'accepted'],
      ['PLANNED', 'accept', 'eve@dispatch', 'kept although predict reports the risk cleared'],
    ]);
    await actions.advance(order.id, 'PARTS_STAGED', {}, ctx());
    expect(await codeOf(actions.advance(order.id, 'ON_SITE', {}, ctx()))).toBe('DISPATCH_ILLEGAL_TRANSITION');
    await actions.advance(order.id, 'TECHNICIAN_EN_ROUTE', {}, ctx());
    // reassigned while en route: back to staged, the new technician has not left yet
    expect(await actions.reassign(order.id, 'T-B', ctx())).toMatchObject({ status: 'PARTS_STAGED' });
    expect(await codeOf(actions.restage(order.id, { pickup: 'FSL-2' }, ctx()))).toBe('ok');
  });
});
