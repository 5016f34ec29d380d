// Two planners or dispatchers acting at once never overdraw stock or double-book a technician.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../../common/db.ts';
import { isAppError } from '../../common/errors.ts';
import { PrismaNetworkStore } from '../../dispatch/adapters/network-store.ts';
import { DEFAULT_POLICY } from '../../dispatch/core/policy.ts';
import { freshDatabase, type TestDatabase } from '../helpers/database.ts';
import { minimalWorld } from '../helpers/fixtures.ts';

describe('stock reservation under concurrency (real PostgreSQL)', () => {
  let tdb: TestDatabase;
  let db: Db;
  let world: Awaited<ReturnType<typeof minimalWorld>>;
  const now = new Date();

  beforeAll(async () => {
    tdb = await freshDatabase();
    db = createDb(tdb.url, { max: 20 });
    world = await minimalWorld(db);
    const fsl = await db.stockLocation.create({
      data: { code: 'FSL-1', name: 'FSL', kind: 'FSL', lat: 53.5, lon: 10 },
    });
    await db.stockLevel.create({ data: { locationId: fsl.id, partId: world.part.id, onHand: 5 } });
  });
  afterAll(async () => {
    await db?.$disconnect();
    await tdb?.drop();
  });

  const order = () =>
    db.serviceOrder.create({
      data: {
        tenantId: world.tenant.id,
        assetId: world.assets[0]!.id,
        failureModeId: world.failureMode.id,
        slaTier: 'STANDARD',
        expectedFailureAt: now,
        dueBy: now,
      },
    });
  const assignment = (orderId: string, tech: string) => ({
    order: orderId,
    technician: tech,
    pickup: 'FSL-1',
    source: 'FSL-1',
    mode: 'stock' as const,
    partsReadyAt: now.toISOString(),
    arrivalAt: now.toISOString(),
    cost: 10,
  });

  it('lets exactly 5 of 50 concurrent reservations of a part with stock 5 succeed', async () => {
    const store = new PrismaNetworkStore(db);
    const orders = [];
    for (let i = 0; i < 50; i++) {
      orders.push(await order());
      await db.technician.create({
        data: {
          code: `T-${i}`,
          name: `Tech ${i}`,
          skills: ['mech'],
          lat: 53.5,
          lon: 10,
          homeLat: 53.5,
          homeLon: 10,
        },
      });
    }
    const results = await Promise.allSettled(
      orders.map((o, i) =>
        store.commit(assignment(o.id, `T-${i}`), { now, policy: DEFAULT_POLICY, actor: 'test' }),
      ),
    );
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(ok).toHaveLength(5);
    expect(refused.every((r) => isAppError(r.reason) && r.reason.code === 'DISPATCH_STOCK_CONFLICT')).toBe(
      true,
    );
    const level = await db.stockLevel.findFirstOrThrow({ where: { partId: world.part.id } });
    expect(level).toMatchObject({ onHand: 5, reserved: 5 });
    expect(await db.reservation.count()).toBe(5);
    expect(await db.serviceOrder.count({ where: { status: 'PLANNED' } })).toBe(5);
  });

  it('never books one technician for two orders at once', async () => {
    const store = new PrismaNetworkStore(db);
    await db.stockLevel.updateMany({ data: { onHand: 100 } });
    await db.technician.create({
      data: { code: 'T-X', name: 'Busy', skills: ['mech'], lat: 53.5, lon: 10, homeLat: 53.5, homeLon: 10 },
    });
    const orders = await Promise.all(Array.from({ length: 10 }, () => order()));
    const results = await Promise.allSettled(
      orders.map((o) =>
        store.commit(assignment(o.id, 'T-X'), { now, policy: DEFAULT_POLICY, actor: 'test' }),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const tx = await db.technician.findUniqueOrThrow({ where: { code: 'T-X' }, include: { orders: true } });
    expect(tx.orders).toHaveLength(1);
  });

  it('rolls back everything when a commit fails half-way: no reservation without a planned order', async () => {
    const store = new PrismaNetworkStore(db);
    const o = await order();
    await db.technician.create({
      data: { code: 'T-Y', name: 'Free', skills: ['mech'], lat: 53.5, lon: 10, homeLat: 53.5, homeLon: 10 },
    });
    const before = await db.stockLevel.findFirstOrThrow({ where: { partId: world.part.id } });
    // The stock is reserved first, then writing the shipment fails (its ready time is not a date).
    await expect(
      store.commit(
        { ...assignment(o.id, 'T-Y'), mode: 'courier', partsReadyAt: 'not a date' },
        { now, policy: DEFAULT_POLICY, actor: 'test' },
      ),
    ).rejects.toThrow(/Invalid|date/i);
    const after = await db.stockLevel.findFirstOrThrow({ where: { partId: world.part.id } });
    expect(after.reserved).toBe(before.reserved);
    expect(await db.reservation.count({ where: { orderId: o.id } })).toBe(0);
    expect((await db.serviceOrder.findUniqueOrThrow({ where: { id: o.id } })).status).toBe('PREDICTED');
  });
});
