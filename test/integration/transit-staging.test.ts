// Units in transit for the staging planner on the whole platform (real PostgreSQL, issue #15): a location with no
// stock but a transfer arriving before the technician's pickup gets the order, the unit reserved against the
// transfer; the carrier's delivery moves the reservation to the location's stock; an exception on a transfer that
// carries a reserved unit re-plans the order it serves.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../common/logger.ts';
import { PrismaNetworkStore } from '../../dispatch/adapters/network-store.ts';
import { OrderView } from '../../dispatch/adapters/order-view.ts';
import { PrismaPartsPlanStore } from '../../dispatch/adapters/parts-plan-store.ts';
import { PrismaPartsReviewStore } from '../../dispatch/adapters/parts-review-store.ts';
import { DEFAULT_POLICY } from '../../dispatch/core/policy.ts';
import { transferCode } from '../../dispatch/core/transfer-document.ts';
import { DispatchService } from '../../dispatch/dispatch-service.ts';
import { postCarrierEvent } from '../helpers/carrier-event.ts';
import {
  dispatchWorld,
  predictedOrder,
  stockViolations,
  type DispatchWorld,
} from '../helpers/dispatch-world.ts';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.ts';

const SECRET = 'fastfreight-test-secret-0123456789';

describe('units in transit staged by the planner (real PostgreSQL)', () => {
  let p: TestPlatform;
  let w: DispatchWorld;
  let planner: DispatchService;

  const post = async (eventId: string, ref: string, kind: string) => {
    const event = { eventId, shipmentId: ref, kind, at: new Date().toISOString() };
    expect((await postCarrierEvent(p.url, event, { secret: SECRET })).status).toBe(200);
  };
  const level = async (code: string) => {
    const l = await p.db.stockLocation.findUniqueOrThrow({ where: { code } });
    return p.db.stockLevel.findUnique({
      where: { locationId_partId: { locationId: l.id, partId: w.part.id } },
      select: { onHand: true, reserved: true },
    });
  };
  /** A transfer of one unit from the repair depot to `to`, arriving in 30 minutes. */
  const transfer = async (to: string) => {
    const [rd, dest] = await Promise.all([
      p.db.stockLocation.findUniqueOrThrow({ where: { code: 'RD' } }),
      p.db.stockLocation.findUniqueOrThrow({ where: { code: to } }),
    ]);
    return p.db.stockTransfer.create({
      data: {
        fromLocationId: rd.id,
        toLocationId: dest.id,
        partId: w.part.id,
        qty: 1,
        mode: 'COURIER',
        cost: 40,
        shipAt: new Date(),
        etaAt: new Date(Date.now() + 30 * 60_000),
        trackingState: 'IN_TRANSIT',
      },
    });
  };
  const order = (id: string) =>
    p.db.serviceOrder.findUniqueOrThrow({
      where: { id },
      include: { sourceLocation: true, reservations: { orderBy: { createdAt: 'asc' } } },
    });

  beforeAll(async () => {
    p = await startTestPlatform(
      { DEMO: 'false', CARRIER_SECRETS: `fastfreight=${SECRET}` },
      { fleet: false },
    );
    w = await dispatchWorld(p.db);
    // the field locations are empty: only the hub (overnight, tomorrow 08:00) holds the part
    await p.db.stockLevel.updateMany({
      where: { locationId: { in: [w.locations.fsl1.id, w.locations.fsl2.id] } },
      data: { onHand: 0 },
    });
    planner = new DispatchService({
      network: new PrismaNetworkStore(p.db),
      orders: new OrderView(p.db),
      bus: p.bus,
      clock: { now: () => new Date() },
      log: createLogger({ level: 'silent' }),
      policy: DEFAULT_POLICY,
    });
  }, 60_000);
  afterAll(async () => {
    await p?.stop();
  });

  it('plans an order with a unit arriving at an empty location, reserved against its transfer; delivery moves it onto the shelf', async () => {
    const t = await transfer('FSL-1');
    const { order: o } = await predictedOrder(p.db, w, 0);
    await planner.plan();
    const planned = await order(o.id);
    expect(planned).toMatchObject({ status: 'PLANNED', sourceLocation: { code: 'FSL-1' } });
    // the parts are ready when the unit arrives (the assignment's ETA at FSL-1)
    expect(planned.partsReadyAt!.getTime()).toBeGreaterThanOrEqual(t.etaAt.getTime() - 1000);
    expect(planned.reservations).toEqual([
      expect.objectContaining({ status: 'HELD', qty: 1, transferId: t.id }),
    ]);
    const shown = async () =>
      (await new PrismaPartsPlanStore(p.db).transfers({ limit: 20 })).find((x) => x.id === t.id);
    expect(await shown()).toMatchObject({ status: 'IN_TRANSIT', qty: 1, reserved: 1 });
    const note = await p.db.orderEvent.findFirstOrThrow({ where: { orderId: o.id, status: 'PLANNED' } });
    expect(note.note).toContain(`from FSL-1 (in transit, there from ${t.etaAt.toISOString()})`);
    expect(await level('FSL-1')).toMatchObject({ onHand: 0, reserved: 0 });
    // a reserved unit in transit is not the parts review's to count (nor to move)
    const review = await new PrismaPartsReviewStore(p.db).snapshot(new Date());
    expect(review.locations.find((l) => l.code === 'FSL-1')?.inbound).toEqual({ 'P-1': 0 });
    expect(await stockViolations(p.db)).toEqual([]);

    // the next round does not count the reserved unit again
    const { order: other } = await predictedOrder(p.db, w, 1);
    await planner.plan();
    expect((await order(other.id)).sourceLocation?.code).toBe('HUB');

    await post('d-1', transferCode(t.number), 'DELIVERED');
    expect(await level('FSL-1')).toMatchObject({ onHand: 1, reserved: 1 });
    expect(await shown()).toMatchObject({ status: 'RECEIVED', reserved: 0 });
    expect((await order(o.id)).reservations).toEqual([
      expect.objectContaining({ status: 'HELD', qty: 1, transferId: null }),
    ]);
    expect(await stockViolations(p.db)).toEqual([]);
  });

  it('re-plans the order a failed transfer was bringing its unit for', async () => {
    const t = await transfer('FSL-2');
    const { order: o } = await predictedOrder(p.db, w, 2);
    await planner.plan();
    expect(await order(o.id)).toMatchObject({ status: 'PLANNED', sourceLocation: { code: 'FSL-2' } });

    await post('x-1', t.id, 'EXCEPTION');
    let after = await order(o.id);
    for (let i = 0; i < 50 && after.sourceLocation?.code === 'FSL-2'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      after = await order(o.id);
    }
    expect(after.sourceLocation?.code).toBe('HUB');
    expect(after.verdictReason).toContain('carrier re-plan');
    expect(after.reservations.map((r) => [r.status, r.transferId])).toEqual([
      ['RELEASED', t.id],
      ['HELD', null],
    ]);
    expect(await stockViolations(p.db)).toEqual([]);
  });

  it('lets exactly one of two concurrent plans take the one unit a transfer brings', async () => {
    const t = await transfer('FSL-1');
    const free = await p.db.technician.findMany({
      where: { skills: { has: 'mech' }, orders: { none: { status: { notIn: ['COMPLETED', 'CANCELLED'] } } } },
      orderBy: { code: 'asc' },
      take: 2,
    });
    expect(free).toHaveLength(2);
    const now = new Date();
    const orders = [(await predictedOrder(p.db, w, 3)).order, (await predictedOrder(p.db, w, 3)).order];
    const store = new PrismaNetworkStore(p.db);
    const results = await Promise.allSettled(
      orders.map((o, i) =>
        store.commit(
          {
            order: o.id,
            technician: free[i]!.code,
            source: 'FSL-1',
            pickup: 'FSL-1',
            mode: 'stock',
            partsReadyAt: t.etaAt.toISOString(),
            arrivalAt: new Date(t.etaAt.getTime() + 600_000).toISOString(),
            cost: 10,
            sourceEta: t.etaAt.toISOString(),
          },
          { now, policy: DEFAULT_POLICY, actor: 'planner' },
        ),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const lost = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(lost?.reason).toMatchObject({ code: 'DISPATCH_STOCK_CONFLICT' });
    expect(await p.db.reservation.count({ where: { transferId: t.id, status: 'HELD' } })).toBe(1);
    expect(await stockViolations(p.db)).toEqual([]);
  });
});
