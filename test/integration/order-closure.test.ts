// Closing orders on real PostgreSQL, with predict and the dispatcher's desk on one bus: after a completion the
// asset starts afresh (worn readings logged before the repair and arriving later raise nothing, nor does a
// healthy stream, also after a restart of predict); a cancel needs fresh evidence and may snooze the failure
// mode; and the risk-cleared policy — `release` frees technician and stock after the grace period through the
// cancel path, `confirm` leaves the job to the dispatcher — with the customer's view following.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../common/clock.ts';
import { createDb, type Db } from '../../common/db.ts';
import { EventBus } from '../../common/event-bus.ts';
import type { OrderClosed, PlatformEvents } from '../../common/events.ts';
import { createLogger } from '../../common/logger.ts';
import { PrismaFlaggedOrders } from '../../dispatch/adapters/flagged-orders.ts';
import { PrismaNetworkStore } from '../../dispatch/adapters/network-store.ts';
import { PrismaOrderActions } from '../../dispatch/adapters/order-actions.ts';
import { OrderView } from '../../dispatch/adapters/order-view.ts';
import { PrismaReturnStore } from '../../dispatch/adapters/return-store.ts';
import type { RiskClearedPolicy } from '../../dispatch/core/order-closure.ts';
import { DEFAULT_POLICY } from '../../dispatch/core/policy.ts';
import { OrderDesk } from '../../dispatch/order-desk.ts';
import { RELEASE_ACTOR, RiskClearedRelease } from '../../dispatch/risk-cleared-release.ts';
import { PrismaPredictionStore } from '../../predict/adapters/prediction-store.ts';
import type { ThresholdParams } from '../../predict/core/models/params.ts';
import { PredictService } from '../../predict/predict-service.ts';
import { freshDatabase, type TestDatabase } from '../helpers/database.ts';
import {
  dispatchWorld,
  stockViolations,
  thresholdModel,
  type DispatchWorld,
} from '../helpers/dispatch-world.ts';

const MIN = 60_000;
const log = createLogger({ level: 'silent' });

/** Vibration past 8 mm/s means failure within 3 h; 2 readings in a row open an order, 3 quiet ones clear it. */
const params: ThresholdParams = {
  metric: 'vibration',
  direction: 'up',
  alertLevel: 8,
  leadHours: 3,
  ewmaAlpha: 1,
  windowPoints: 5,
  horizonHours: 48,
  confirmations: 2,
  marginMinutes: 60,
  clearAfter: 3,
};

describe('closing orders: fresh start, cancel reasons and snooze, the risk-cleared policy (real PostgreSQL)', () => {
  let tdb: TestDatabase;
  let db: Db;
  let w: DispatchWorld;
  let clock: FakeClock;
  let bus: EventBus<PlatformEvents>;
  let predict: PredictService;
  let desk: OrderDesk;
  let view: OrderView;
  const closed: OrderClosed[] = [];

  beforeAll(async () => {
    tdb = await freshDatabase();
    db = createDb(tdb.url, { max: 10 });
    w = await dispatchWorld(db);
    // the world's own model has no valid parameters (predict skips it); this one watches the same failure mode
    await thresholdModel(db, w, params);
    clock = new FakeClock(new Date());
    bus = new EventBus<PlatformEvents>(log);
    bus.on('order.closed', (c) => void closed.push(c));
    predict = new PredictService(new PrismaPredictionStore(db), bus, clock, log);
    await predict.start();
    desk = new OrderDesk({
      actions: new PrismaOrderActions(db),
      returns: new PrismaReturnStore(db),
      bus,
      clock,
      policy: DEFAULT_POLICY,
    });
    view = new OrderView(db);
  });
  afterAll(async () => {
    await db?.$disconnect();
    await tdb?.drop();
  });

  /** Readings of one asset, a minute apart on the clock; `loggedAt` stamps them earlier (a history upload). */
  async function feed(assetIndex: number, values: number[], loggedAt?: Date, on = bus) {
    const asset = w.assets[assetIndex]!;
    for (const [i, v] of values.entries()) {
      clock.advance(MIN);
      const ts = loggedAt ? new Date(loggedAt.getTime() + i * 1_000) : clock.now();
      on.emit('reading.ingested', {
        assetId: asset.id,
        tenantId: asset.tenantId,
        ts,
        metrics: { vibration: v },
      });
      await on.drain();
    }
  }

  const openOrder = (assetIndex: number) =>
    db.serviceOrder.findFirst({ where: { assetId: w.assets[assetIndex]!.id, openKey: { not: null } } });
  const orderCount = (assetIndex: number) =>
    db.serviceOrder.count({ where: { assetId: w.assets[assetIndex]!.id } });

  /** Plans the order as the planner commits it: technician, stock reserved at FSL-1. */
  async function plan(orderId: string, technician: string) {
    const now = clock.now();
    await new PrismaNetworkStore(db).commit(
      {
        order: orderId,
        technician,
        source: 'FSL-1',
        pickup: 'FSL-1',
        mode: 'stock',
        partsReadyAt: now.toISOString(),
        arrivalAt: new Date(now.getTime() + 3_600_000).toISOString(),
        cost: 10,
      },
      { now, policy: DEFAULT_POLICY, actor: 'planner' },
    );
  }

  it('starts the asset afresh after a repair: late pre-repair readings and a healthy stream raise nothing', async () => {
    await feed(0, [5, 9, 9.5]);
    const order = (await openOrder(0))!;
    expect(order).not.toBeNull();
    // the order's history names the model version by its key, not its id (was "model 7e53d99e-…")
    const opened = await db.orderEvent.findFirstOrThrow({
      where: { orderId: order.id, status: 'PREDICTED' },
    });
    expect(opened.actor).toBe('model pump-bearing-threshold@v1');
    await plan(order.id, 'T-A');
    await desk.accept(order.id, 'dan@dispatch');
    for (const s of ['PARTS_STAGED', 'TECHNICIAN_EN_ROUTE', 'ON_SITE'] as const)
      await desk.advance(order.id, s, {}, 'field@dispatch');
    const wornAt = new Date(clock.now().getTime() - 30_000); // logged while the technician worked
    clock.advance(5 * MIN);
    await desk.advance(order.id, 'COMPLETED', { removedSerial: 'BRG-1' }, 'field@dispatch');
    await bus.drain();
    const done = await db.serviceOrder.findUniqueOrThrow({ where: { id: order.id } });
    expect(done).toMatchObject({ status: 'COMPLETED', openKey: null, closedAt: clock.now() });
    expect(closed.at(-1)).toMatchObject({ orderId: order.id, status: 'COMPLETED', at: clock.now() });

    // the device uploads the readings it logged before the repair: still worn, but from before it
    await feed(0, [9.6, 9.7, 9.8, 9.9, 10], wornAt);
    // the repaired asset reports healthy readings
    await feed(0, [3, 3.1, 2.9, 3, 3.2]);
    expect(await orderCount(0)).toBe(1);

    // predict restarts: no history is replayed, and the close in the database keeps the old readings out
    const bus2 = new EventBus<PlatformEvents>(log);
    await new PredictService(new PrismaPredictionStore(db), bus2, clock, log).start();
    await feed(0, [9.6, 9.7, 9.8, 9.9, 10], wornAt, bus2);
    expect(await orderCount(0)).toBe(1);

    // fresh wear after the repair is evidence again: a new order after `confirmations` readings
    await feed(0, [9.5]);
    expect(await orderCount(0)).toBe(1);
    await feed(0, [9.6]);
    expect(await orderCount(0)).toBe(2);
    await desk.cancel((await openOrder(0))!.id, { reason: 'OTHER', note: 'test cleanup' }, 'dan@dispatch');
  });

  it('cancels with a reason and a snooze: predictions go on, no order until the snooze ends', async () => {
    await feed(1, [9, 9.5]);
    const order = (await openOrder(1))!;
    await plan(order.id, 'T-B');
    const predictionsBefore = await db.prediction.count({ where: { assetId: w.assets[1]!.id } });
    await desk.cancel(
      order.id,
      { reason: 'CUSTOMER_DECLINED', note: 'plant shut this week', snoozeHours: 24 },
      'dan@dispatch',
    );
    await bus.drain();
    const saved = await db.serviceOrder.findUniqueOrThrow({
      where: { id: order.id },
      include: { reservations: true, events: { orderBy: { id: 'desc' }, take: 1 } },
    });
    expect(saved).toMatchObject({ status: 'CANCELLED', cancelReason: 'CUSTOMER_DECLINED' });
    expect(saved.snoozeUntil!.getTime() - saved.closedAt!.getTime()).toBe(24 * 3_600_000);
    expect(saved.reservations.map((r) => r.status)).toEqual(['RELEASED']);
    expect(saved.events[0]!.note).toMatch(
      /^customer declined: plant shut this week; no new order for this failure mode before /,
    );

    // worn for half an hour while snoozed: predictions are recorded, no order opens
    await feed(
      1,
      Array.from({ length: 30 }, () => 9.8),
    );
    expect(await orderCount(1)).toBe(1);
    expect(await db.prediction.count({ where: { assetId: w.assets[1]!.id } })).toBeGreaterThan(
      predictionsBefore,
    );
    // after the snooze the same risk opens an order
    clock.advance(24 * 3_600_000);
    await feed(1, [9.8, 9.9]);
    expect(await orderCount(1)).toBe(2);
    await desk.cancel((await openOrder(1))!.id, { reason: 'DUPLICATE' }, 'dan@dispatch');
    expect(await stockViolations(db)).toEqual([]);
  });

  it('does not re-raise a cancelled order from the pre-cancel data: it needs fresh in-horizon evaluations', async () => {
    await feed(2, [9, 9.5, 9.6, 9.7]);
    const order = (await openOrder(2))!;
    const before = new Date(clock.now().getTime() - 10_000);
    await desk.cancel(order.id, { reason: 'FALSE_ALARM' }, 'dan@dispatch');
    await bus.drain();
    await feed(2, [9.8, 9.9, 10], before); // a journal replay of pre-cancel readings
    await feed(2, [9.8]); // one fresh reading is not enough
    expect(await orderCount(2)).toBe(1);
    await feed(2, [9.9]);
    expect(await orderCount(2)).toBe(2);
    await desk.cancel((await openOrder(2))!.id, { reason: 'OTHER' }, 'dan@dispatch');
  });

  /** An open, planned order of asset 3 that predict has flagged risk-cleared. */
  async function flaggedOrder(technician: string) {
    await feed(3, [9, 9.5]);
    const order = (await openOrder(3))!;
    await plan(order.id, technician);
    await feed(3, [4, 4, 4]);
    const flagged = await db.serviceOrder.findUniqueOrThrow({ where: { id: order.id } });
    expect(flagged).toMatchObject({ riskCleared: true, riskClearedAt: clock.now() });
    return flagged;
  }

  const release = (policy: RiskClearedPolicy) =>
    new RiskClearedRelease({ policy, orders: new PrismaFlaggedOrders(db), desk, clock, log });

  it('release policy: frees technician and stock after the grace period; the customer sees it cancelled, risk cleared', async () => {
    const order = await flaggedOrder('T-C');
    const fsl = await db.stockLevel.findFirstOrThrow({ where: { locationId: w.locations.fsl1.id } });
    expect((await view.get(order.id))!.customerStatus).toBe('risk cleared – under review');
    const sweeper = release({ mode: 'release', graceMinutes: 60 });

    clock.advance(59 * MIN);
    expect(await sweeper.sweep()).toEqual([]);
    clock.advance(1 * MIN);
    expect(await sweeper.sweep()).toEqual([order.id]);
    await bus.drain();

    const o = await db.serviceOrder.findUniqueOrThrow({
      where: { id: order.id },
      include: { reservations: true, events: { orderBy: { id: 'desc' }, take: 1 } },
    });
    expect(o).toMatchObject({ status: 'CANCELLED', cancelReason: 'RISK_CLEARED', openKey: null });
    expect(o.reservations.map((r) => r.status)).toEqual(['RELEASED']);
    expect(o.events[0]).toMatchObject({ action: 'cancel', actor: RELEASE_ACTOR });
    expect(o.events[0]!.note).toMatch(
      /^risk cleared: flagged .*, released after the 60-minute grace; 1 × P-1 released at FSL-1; technician T-C released$/,
    );
    const after = await db.stockLevel.findFirstOrThrow({ where: { locationId: w.locations.fsl1.id } });
    expect(after.reserved).toBe(fsl.reserved - 1);
    expect(await stockViolations(db)).toEqual([]);
    expect(closed.at(-1)).toMatchObject({
      orderId: order.id,
      status: 'CANCELLED',
      cancelReason: 'RISK_CLEARED',
    });
    const live = (await view.get(order.id))!;
    expect(live).toMatchObject({
      status: 'CANCELLED',
      cancelReason: 'RISK_CLEARED',
      customerStatus: 'cancelled – risk cleared',
    });
    // the technician is free for the next job
    await feed(3, [9, 9.5]);
    await plan((await openOrder(3))!.id, 'T-C');
    await desk.cancel((await openOrder(3))!.id, { reason: 'OTHER' }, 'dan@dispatch');
  });

  it('release policy: leaves a kept job and one whose technician is on the way to the dispatcher', async () => {
    const sweeper = release({ mode: 'release', graceMinutes: 60 });
    const kept = await flaggedOrder('T-D');
    await desk.accept(kept.id, 'dan@dispatch'); // "keep": clears the flag
    clock.advance(120 * MIN);
    expect(await sweeper.sweep()).toEqual([]);
    expect((await db.serviceOrder.findUniqueOrThrow({ where: { id: kept.id } })).status).toBe('PLANNED');
    await desk.cancel(kept.id, { reason: 'OTHER' }, 'dan@dispatch');

    const enRoute = await flaggedOrder('T-E');
    await desk.accept(enRoute.id, 'dan@dispatch');
    await feed(3, [9, 9.5, 4, 4, 4]); // the risk returns, then clears again
    await desk.advance(enRoute.id, 'PARTS_STAGED', {}, 'field@dispatch');
    await desk.advance(enRoute.id, 'TECHNICIAN_EN_ROUTE', {}, 'field@dispatch');
    expect((await db.serviceOrder.findUniqueOrThrow({ where: { id: enRoute.id } })).riskCleared).toBe(true);
    clock.advance(120 * MIN);
    expect(await sweeper.sweep()).toEqual([]);
    expect((await view.get(enRoute.id))!.customerStatus).toBe('risk cleared – under review');
    await desk.cancel(enRoute.id, { reason: 'RISK_CLEARED' }, 'dan@dispatch');
  });

  it('confirm policy: the flagged job stays, under review for the customer, until the dispatcher releases it', async () => {
    const order = await flaggedOrder('T-F');
    const sweeper = release({ mode: 'confirm', graceMinutes: 0 });
    clock.advance(10 * 3_600_000);
    expect(await sweeper.sweep()).toEqual([]);
    const live = (await view.get(order.id))!;
    expect(live).toMatchObject({
      status: 'PLANNED',
      riskCleared: true,
      customerStatus: 'risk cleared – under review',
    });
    expect(live.actions).toContain('cancel');
    expect(live.actions).toContain('accept');
    // the dispatcher confirms the release
    await desk.cancel(order.id, { reason: 'RISK_CLEARED', note: 'confirmed with the site' }, 'dan@dispatch');
    const o = await db.serviceOrder.findUniqueOrThrow({
      where: { id: order.id },
      include: { reservations: true },
    });
    expect(o).toMatchObject({ status: 'CANCELLED', cancelReason: 'RISK_CLEARED' });
    expect(o.reservations.map((r) => r.status)).toEqual(['RELEASED']);
    expect((await view.get(order.id))!.customerStatus).toBe('cancelled – risk cleared');
    expect(await stockViolations(db)).toEqual([]);
  });
});
