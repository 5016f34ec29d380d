// The PostgreSQL telemetry store gives up on a statement that cannot finish (STORE_TIMEOUT_MS): a write blocked by
// a lock fails after the timeout instead of hanging, and the store works again once the lock is gone.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresTelemetryStore } from '../../common/telemetry/postgres-store.ts';
import { freshDatabase, type TestDatabase } from '../helpers/database.ts';

describe('PostgreSQL telemetry store timeouts', () => {
  let database: TestDatabase;
  let store: PostgresTelemetryStore;
  let locker: pg.Client;

  beforeAll(async () => {
    database = await freshDatabase();
    store = new PostgresTelemetryStore(database.url, { timeoutMs: 300 });
    locker = new pg.Client({ connectionString: database.url });
    await locker.connect();
  }, 60_000);

  afterAll(async () => {
    await locker?.end();
    await store?.close();
    await database?.drop();
  });

  const point = (i: number) => ({
    assetId: 'a-1',
    metric: 'temp',
    ts: new Date(1_700_000_000_000 + i),
    value: i,
  });

  it('fails a write blocked by a lock after the timeout, and writes once the lock is released', async () => {
    await store.write([point(0)]);
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE "TelemetryPoint" IN ACCESS EXCLUSIVE MODE');
    const t0 = Date.now();
    await expect(store.write([point(1)])).rejects.toThrow(/statement timeout|timeout/i);
    const took = Date.now() - t0;
    expect(took).toBeGreaterThanOrEqual(250);
    expect(took).toBeLessThan(5_000);
    await locker.query('ROLLBACK');
    await store.write([point(1)]);
    const rows = await store.range({ assetId: 'a-1', metric: 'temp', from: new Date(0), to: new Date(2e12) });
    expect(rows.map((r) => r.value)).toEqual([0, 1]);
  });
});
