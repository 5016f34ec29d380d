// Completion and reverse logistics on real PostgreSQL: completing a job uses the staged part, frees the
// technician and authorizes the returns (removed part to the repair depot, unused ones back to stock); the
// repair depot's finding marks the prediction that raised the order confirmed or refuted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../../common/db.ts';
import { EventBus } from '../../common/event-bus.ts';
import { isAppError } from '../../common/errors.ts';
import type { PlatformEvents } from '../../common/events.ts';
import { PrismaOrderActions } from '../../dispatch/adapters/order-actions.ts';
import { PrismaReturnStore } from '../../dispatch/adapters/return-store.ts';
import { DEFAULT_POLICY } from '../../dispatch/core/policy.ts';
import { renderReturnDocument } from '../../dispatch/core/return-document.ts';
import { OrderDesk } from '../../dispatch/order-desk.ts';
import { freshDatabase, type TestDatabase } from '../helpers/database.ts';
import {
  dispatchWorld,
  level,
  plannedOrder,
  stockViolations,
  type DispatchWorld,
} from '../helpers/dispatch-world.ts';

describe('completion, returns and repair findings (real PostgreSQL)', () => {
  let tdb: TestDatabase;
  let db: Db;
  let w: DispatchWorld;
  let desk: OrderDesk;
  let returns: PrismaReturnStore;
  const bus = new EventBus<PlatformEvents>();
  const seen: { event: string; payload: unknown }[] = [];
  const ACTOR = 'dan@dispatch';

  beforeAll(async () => {
    tdb = await freshDatabase();
    db = createDb(tdb.url);
    w = await dispatchWorld(db);
    returns = new PrismaReturnStore(db);
    desk = new OrderDesk({
      actions: new PrismaOrderActions(db),
      returns,
      bus,
      clock: { now: () => new Date() },
      policy: DEFAULT_POLICY,
    });
    for (const event of ['order.updated', 'return.authorized', 'prediction.outcome'] as const)
      bus.on(event, (payload) => void seen.push({ event, payload }));
  });
  afterAll(async () => {
    await db?.$disconnect();
    await tdb?.drop();
  });

  /** Accepts a planned order and reports it through the field statuses up to on site. */
  async function onSite(orderId: string) {
    await desk.accept(orderId, ACTOR);
    for (const s of ['PARTS_STAGED', 'TECHNICIAN_EN_ROUTE', 'ON_SITE'] as const)
      await desk.advance(orderId, s, {}, 'field@tech');
  }

  it('uses the part, frees the technician at the site and sends the removed part to the repair depot', async () => {
    const { order, prediction } = await plannedOrder(db, w, { technician: 'T-A', source: 'FSL-1' });
    const fsl = await level(db, w, w.locations.fsl1.id);
    await onSite(order.id);
    await desk.advance(
      order.id,
      'COMPLETED',
      { removedSerial: 'BRG-0042', note: 'bearing replaced' },
      'field@tech',
    );

    expect(await level(db, w, w.locations.fsl1.id)).toEqual({
      onHand: fsl.onHand - 1,
      reserved: fsl.reserved - 1,
    });
    const o = await db.serviceOrder.findUniqueOrThrow({
      where: { id: order.id },
      include: {
        reservations: true,
        returns: { include: { toLocation: true } },
        technician: true,
        asset: { include: { site: true } },
      },
    });
    expect(o).toMatchObject({ status: 'COMPLETED', openKey: null });
    expect(o.reservations.map((r) => r.status)).toEqual(['CONSUMED']);
    expect(o.technician).toMatchObject({ lat: o.asset.site.lat, lon: o.asset.site.lon });
    expect(o.returns).toHaveLength(1);
    expect(o.returns[0]).toMatchObject({
      reason: 'DEFECTIVE',
      qty: 1,
      serial: 'BRG-0042',
      createdBy: 'field@tech',
      closedAt: null,
      finding: null,
    });
    expect(o.returns[0]!.toLocation.code).toBe('RD');
    const history = await db.orderEvent.findMany({ where: { orderId: order.id }, orderBy: { id: 'asc' } });
    expect(history.map((e) => e.status)).toEqual([
      'PREDICTED',
      'PLANNED',
      'PLANNED',
      'PARTS_STAGED',
      'TECHNICIAN_EN_ROUTE',
      'ON_SITE',
      'COMPLETED',
    ]);
    expect(history.at(-1)).toMatchObject({ actor: 'field@tech' });
    expect(history.at(-1)!.note).toMatch(/^bearing replaced; all fitted; DEFECTIVE → RMA-\d{6}$/);
    await bus.drain();
    expect(seen).toContainEqual({
      event: 'return.authorized',
      payload: { returnId: o.returns[0]!.id, orderId: order.id, tenantId: w.tenant.id, reason: 'DEFECTIVE' },
    });
    expect(await stockViolations(db)).toEqual([]);

    // the repair depot confirms the failure: the prediction and its model version get the credit
    const view = await desk.recordFinding(
      o.returns[0]!.id,
      { finding: 'FAILURE_CONFIRMED', note: 'spalled race' },
      'rd@depot',
    );
    expect(view).toMatchObject({
      state: 'CLOSED',
      finding: 'FAILURE_CONFIRMED',
      findingBy: 'rd@depot',
      outcome: 'CONFIRMED',
    });
    expect(view.modelVersion).toBe('pump-bearing@v3');
    const p = await db.prediction.findUniqueOrThrow({ where: { id: prediction.id } });
    expect(p.outcome).toBe('CONFIRMED');
    expect(p.outcomeAt).toBeInstanceOf(Date);
    expect(p.outcomeNote).toMatch(/^RMA-\d{6}: failure confirmed by rd@depot$/);
    await bus.drain();
    expect(seen.find((e) => e.event === 'prediction.outcome')?.payload).toMatchObject({
      predictionId: prediction.id,
      modelVersionId: w.modelVersion.id,
      outcome: 'CONFIRMED',
      returnId: view.id,
    });

    // once only
    await expect(desk.recordFinding(view.id, { finding: 'NO_FAULT_FOUND' }, 'rd@depot')).rejects.toSatisfy(
      (err) => isAppError(err) && err.code === 'DISPATCH_ILLEGAL_TRANSITION',
    );
    expect((await db.prediction.findUniqueOrThrow({ where: { id: prediction.id } })).outcome).toBe(
      'CONFIRMED',
    );
  });

  it('marks the prediction refuted when the repair depot finds no fault', async () => {
    const { order, prediction } = await plannedOrder(db, w, { technician: 'T-B', source: 'FSL-1', asset: 1 });
    await onSite(order.id);
    await desk.advance(order.id, 'COMPLETED', {}, 'field@tech');
    const [ra] = await returns.list({ orderId: order.id, limit: 10 });
    expect(ra).toMatchObject({
      reason: 'DEFECTIVE',
      state: 'AUTHORIZED',
      serial: '',
      to: 'RD',
      outcome: 'PENDING',
    });
    // booked in at the depot first, then the finding
    expect(await desk.receiveReturn(ra!.id, 'rd@depot')).toMatchObject({ state: 'RECEIVED' });
    const view = await desk.recordFinding(ra!.id, { finding: 'NO_FAULT_FOUND' }, 'rd@depot');
    expect(view).toMatchObject({ state: 'CLOSED', outcome: 'REFUTED' });
    expect((await db.prediction.findUniqueOrThrow({ where: { id: prediction.id } })).outcome).toBe('REFUTED');
  });

  it('sends unused parts back to the stock they came from, and books them in on receipt', async () => {
    await db.failureMode.update({ where: { id: w.failureMode.id }, data: { partQty: 2 } });
    try {
      const { order } = await plannedOrder(db, w, { technician: 'T-C', source: 'HUB', asset: 2 });
      const hub = await level(db, w, w.locations.hub.id);
      await onSite(order.id);
      await desk.advance(order.id, 'COMPLETED', { usedQty: 1, removedSerial: 'X-1' }, 'field@tech');
      // both staged parts leave the hub's books; the unused one comes back on receipt
      expect(await level(db, w, w.locations.hub.id)).toEqual({
        onHand: hub.onHand - 2,
        reserved: hub.reserved - 2,
      });
      const list = await returns.list({ orderId: order.id, limit: 10 });
      expect(list.map((r) => [r.reason, r.qty, r.to]).sort()).toEqual([
        ['DEFECTIVE', 1, 'RD'],
        ['UNUSED', 1, 'HUB'],
      ]);
      const unused = list.find((r) => r.reason === 'UNUSED')!;
      await expect(desk.recordFinding(unused.id, { finding: 'FAILURE_CONFIRMED' }, 'x')).rejects.toSatisfy(
        (err) => isAppError(err) && err.code === 'DISPATCH_ILLEGAL_TRANSITION',
      );
      expect(await desk.receiveReturn(unused.id, ACTOR)).toMatchObject({ state: 'CLOSED' });
      expect(await level(db, w, w.locations.hub.id)).toEqual({
        onHand: hub.onHand - 1,
        reserved: hub.reserved - 2,
      });
      await expect(desk.receiveReturn(unused.id, ACTOR)).rejects.toSatisfy(
        (err) => isAppError(err) && err.code === 'DISPATCH_ILLEGAL_TRANSITION',
      );
      expect(await returns.list({ open: true, limit: 100 })).not.toContainEqual(
        expect.objectContaining({ id: unused.id }),
      );

      const doc = await returns.document(unused.id);
      const html = renderReturnDocument(doc!);
      expect(html).toContain(unused.rma);
      expect(html).toContain('Unused part — return to stock');
      expect(html).toContain('HUB — HUB (HUB)');
      expect(html).toContain('Acme, Plant');
    } finally {
      await db.failureMode.update({ where: { id: w.failureMode.id }, data: { partQty: 1 } });
    }
    expect(await stockViolations(db)).toEqual([]);
  });

  it('refuses to complete twice, or to use more parts than were staged', async () => {
    const { order } = await plannedOrder(db, w, { technician: 'T-D', asset: 3 });
    await onSite(order.id);
    await expect(desk.advance(order.id, 'COMPLETED', { usedQty: 2 }, 'field@tech')).rejects.toSatisfy(
      (err) => isAppError(err) && err.code === 'VALIDATION_FAILED',
    );
    expect((await db.serviceOrder.findUniqueOrThrow({ where: { id: order.id } })).status).toBe('ON_SITE');
    await desk.advance(order.id, 'COMPLETED', {}, 'field@tech');
    await expect(desk.advance(order.id, 'COMPLETED', {}, 'field@tech')).rejects.toSatisfy(
      (err) => isAppError(err) && err.code === 'DISPATCH_ILLEGAL_TRANSITION',
    );
    expect(await db.returnAuthorization.count({ where: { orderId: order.id } })).toBe(1);
  });
});
