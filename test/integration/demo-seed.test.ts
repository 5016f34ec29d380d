// The demo seed on a fresh database: the devices of the demo fleet upload three days of logged readings when they
// first connect, so the seed records them online since then, as real devices connected all that time would be; the
// customer's 24 h availability is a figure on a fresh start, not "withheld", and the 80 % coverage rule still holds
// for the 7 days of which only three are known.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../../common/db.ts';
import { availabilityReport, covered } from '../../fleet/core/availability.ts';
import { seedDemo } from '../../simulators/demo-seed.ts';
import { demoAssets, replayAssets } from '../../simulators/demo-world.ts';
import { freshDatabase, type TestDatabase } from '../helpers/database.ts';

const HOUR = 3_600_000;

describe('demo seed', () => {
  let database: TestDatabase;
  let db: Db;

  beforeAll(async () => {
    database = await freshDatabase();
    db = createDb(database.url);
  }, 60_000);

  afterAll(async () => {
    await db?.$disconnect();
    await database?.drop();
  });

  const availability = async (assetId: string, hours: number, to = new Date()) => {
    const events = await db.assetStateEvent.findMany({ where: { assetId }, orderBy: { at: 'asc' } });
    return covered(availabilityReport(events, { from: new Date(to.getTime() - hours * HOUR), to }));
  };

  it('records the simulated devices online over their backfilled span, so a fresh 24 h availability is a figure', async () => {
    const onlineSince = new Date(Date.now() - 72 * HOUR);
    await seedDemo(db, { assets: 6, secret: 'test-secret', onlineSince });
    for (const a of demoAssets(6)) {
      const events = await db.assetStateEvent.findMany({ where: { assetId: a.id } });
      expect(events).toMatchObject([{ kind: 'connectivity', value: 'online', at: onlineSince }]);
      expect(await availability(a.id, 24)).toMatchObject({ withheld: false, availability: 1, coverage: 1 });
      // 3 of 7 days known: below the 80 % rule, still withheld
      expect(await availability(a.id, 7 * 24)).toMatchObject({ withheld: true, availability: null });
    }
    // the replayed engines are idle until data is replayed on them: nothing known
    const engine = replayAssets()[0]!.id;
    expect(await db.assetStateEvent.count({ where: { assetId: engine } })).toBe(0);
    expect(await availability(engine, 24)).toMatchObject({ withheld: true, coverage: 0 });
  });

  it('records nothing for assets seeded before, nor without a backfill (no fleet)', async () => {
    const before = await db.assetStateEvent.count();
    await seedDemo(db, { assets: 6, secret: 'test-secret', onlineSince: new Date() });
    expect(await db.assetStateEvent.count()).toBe(before);
    await seedDemo(db, { assets: 9, secret: 'test-secret' });
    expect(await db.assetStateEvent.count()).toBe(before);
    for (const a of demoAssets(9).slice(6))
      expect(await db.assetStateEvent.count({ where: { assetId: a.id } })).toBe(0);
  });
});
