// Newer predictions put a planned order's failure sooner (order.forecast-advanced): predict's store moves the
// order's expected failure and due-by earlier (never later) with a line in its history; dispatch keeps a plan that
// still arrives by the new due-by, and marks late and escalates one that no technician or staging gets there in
// time for. On the platform with PostgreSQL (demo world).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderEscalation } from '../../common/events.ts';
import { PrismaPredictionStore } from '../../predict/adapters/prediction-store.ts';
import { demoPredictedOrder } from '../helpers/demo-order.ts';
import { eventually, startTestPlatform, type TestPlatform } from '../helpers/platform.ts';

describe('forecast moved earlier', () => {
  let p: TestPlatform;
  const escalations: OrderEscalation[] = [];

  beforeAll(async () => {
    p = await startTestPlatform({}, { fleet: false });
    p.bus.on('order.escalated', (e) => void escalations.push(e));
  }, 60_000);
  afterAll(async () => {
    await p?.stop();
  });

  /** A demo order, planned by the platform's planner. */
  async function plannedOrder() {
    const { orderId, asset } = await demoPredictedOrder(p.db);
    p.bus.emit('order.created', { orderId, tenantId: asset.tenantId });
    const order = await eventually(async () => {
      const o = await p.db.serviceOrder.findUniqueOrThrow({
        where: { id: orderId },
        include: { technician: true },
      });
      return o.status !== 'PREDICTED' && o.etaAt ? o : undefined;
    });
    return { order, tenantId: asset.tenantId };
  }

  /** What predict does: move the order's forecast earlier, then announce it. */
  async function advance(orderId: string, tenantId: string, expectedFailureAt: Date, dueBy: Date) {
    const store = new PrismaPredictionStore(p.db);
    const moved = await store.advanceForecast(orderId, {
      expectedFailureAt,
      dueBy,
      actor: 'model test@v1',
      at: new Date(),
    });
    if (moved)
      p.bus.emit('order.forecast-advanced', { orderId, tenantId, expectedFailureAt, dueBy, ...moved });
    return moved;
  }

  it('moves the forecast only earlier, and keeps a plan that still arrives by the new due-by', async () => {
    const { order, tenantId } = await plannedOrder();
    const eta = order.etaAt!;
    // later than today's due-by: refused, nothing changes
    expect(
      await advance(
        order.id,
        tenantId,
        new Date(order.expectedFailureAt.getTime() + 3_600_000),
        new Date(order.dueBy.getTime() + 60_000),
      ),
    ).toBeUndefined();
    // earlier, but the technician still gets there before the new due-by
    const dueBy = new Date(Math.max(eta.getTime() + 60_000, Date.now() + 60_000));
    expect(dueBy < order.dueBy).toBe(true); // the demo plan is well before its due-by
    expect(await advance(order.id, tenantId, new Date(dueBy.getTime() + 3_600_000), dueBy)).toEqual({
      previousDueBy: order.dueBy,
    });
    await new Promise((r) => setTimeout(r, 500));
    const after = await p.db.serviceOrder.findUniqueOrThrow({ where: { id: order.id } });
    expect(after.dueBy).toEqual(dueBy);
    expect(after.technicianId).toBe(order.technicianId);
    expect(after.etaAt).toEqual(eta);
    expect(escalations.filter((e) => e.orderId === order.id)).toEqual([]);
    const line = await p.db.orderEvent.findFirstOrThrow({
      where: { orderId: order.id, action: 'forecast' },
    });
    expect(line).toMatchObject({ actor: 'model test@v1' });
    expect(line.note).toContain(`was ${order.dueBy.toISOString()}`);
  });

  it('marks late and escalates a plan no technician or staging gets there in time for', async () => {
    const { order, tenantId } = await plannedOrder();
    const soon = new Date(Date.now() + 60_000);
    expect(await advance(order.id, tenantId, soon, new Date(Date.now()))).toBeDefined();
    const escalated = await eventually(async () => escalations.find((e) => e.orderId === order.id));
    expect(escalated.reason).toContain('failure now expected');
    expect(escalated.lateByMinutes).toBeGreaterThan(0);
    const after = await p.db.serviceOrder.findUniqueOrThrow({ where: { id: order.id } });
    expect(after).toMatchObject({ onTime: false, expectedFailureAt: soon });
    expect(after.escalatedAt).not.toBeNull();
    // the order stays with its technician: the dispatcher decides
    expect(after.technicianId).toBe(order.technicianId);
  });
});
