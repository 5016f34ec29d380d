// A planner process killed (SIGKILL) in the middle of its dispatch transaction leaves no half-reserved stock:
// the transaction is stopped right after it reserved the stock and before it records the reservation.
import { spawn } from 'node:child_process';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../../common/db.ts';
import { freshDatabase, type TestDatabase } from '../helpers/database.ts';
import {
  dispatchWorld,
  doubleBookings,
  level,
  predictedOrder,
  stockViolations,
  type DispatchWorld,
} from '../helpers/dispatch-world.ts';
import { eventually } from '../helpers/platform.ts';
import { recordDrill } from '../helpers/drill-record.ts';

describe('a planner killed mid-transaction', () => {
  let database: TestDatabase;
  let db: Db;
  let w: DispatchWorld;

  beforeAll(async () => {
    database = await freshDatabase();
    db = createDb(database.url);
    w = await dispatchWorld(db);
  }, 60_000);
  afterAll(async () => {
    await db?.$disconnect();
    await database?.drop();
  });

  it('leaves stock, reservations, technician and order as they were', async () => {
    const { order } = await predictedOrder(db, w);
    const before = await level(db, w, w.locations.fsl1.id);

    // hold the reservation table so the child's transaction stops right after its stock UPDATE
    const blocker = new pg.Client({ connectionString: database.url });
    blocker.on('error', () => undefined); // the test's database is dropped with FORCE at the end
    await blocker.connect();
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE "Reservation" IN EXCLUSIVE MODE');

    const now = Date.now();
    const assignment = {
      order: order.id,
      technician: 'T-A',
      source: 'FSL-1',
      pickup: 'FSL-1',
      mode: 'stock',
      partsReadyAt: new Date(now).toISOString(),
      arrivalAt: new Date(now + 3_600_000).toISOString(),
      cost: 10,
    };
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'test/helpers/commit-in-child.ts', database.url, JSON.stringify(assignment)],
      { stdio: 'ignore' },
    );
    const exited = new Promise((r) => child.once('exit', r));

    // the child's backend: inside its transaction, waiting for the lock, with the stock already reserved in it
    // (polled outside the blocker's transaction: within one, pg_stat_activity is a frozen snapshot)
    await eventually(
      async () => {
        const r = await db.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock' AND query ILIKE '%INSERT INTO%Reservation%'`;
        return Number(r[0]!.n) === 1;
      },
      30_000,
      50,
    );
    child.kill('SIGKILL');
    await exited;
    await blocker.query('ROLLBACK');
    await blocker.end();

    // PostgreSQL rolls the orphaned transaction back once it finds its client gone
    await eventually(async () => {
      const r = await db.$queryRaw<
        { n: bigint }[]
      >`SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'`;
      return Number(r[0]!.n) === 0;
    }, 30_000);
    expect(await level(db, w, w.locations.fsl1.id)).toEqual(before);
    expect(await db.reservation.count()).toBe(0);
    expect((await db.serviceOrder.findUniqueOrThrow({ where: { id: order.id } })).status).toBe('PREDICTED');
    expect(await stockViolations(db)).toEqual([]);
    expect(await doubleBookings(db)).toEqual([]);
    recordDrill({
      drill: 'planner process killed (SIGKILL) inside its dispatch transaction, after reserving stock',
      behaviour: 'PostgreSQL rolled the transaction back; the order stayed PREDICTED for the next round',
      lost: 'nothing; no half-reserved stock, no reservation, technician not booked',
      test: 'test/integration/dispatch-crash.test.ts',
    });
  }, 60_000);
});
