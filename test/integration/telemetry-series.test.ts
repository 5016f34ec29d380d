// GET /api/assets/:id/series on the whole platform (demo world, no fleet) with telemetry in the real PostgreSQL
// store: 30 days of a reading a minute come back downsampled by the store (5 min buckets over 24 h, 2 h over 30 d,
// never more than maxPoints), with per-bucket mean/min/max; another tenant's asset is a 404, bad input a 400.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi } from '../helpers/api-client.ts';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.ts';

interface Series {
  assetId: string;
  period: string;
  from: string;
  to: string;
  bucketMs: number;
  maxPoints: number;
  series: {
    metric: string;
    unit: string;
    points: { ts: string; mean: number; min: number; max: number; count: number }[];
  }[];
}

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

describe('telemetry series route', () => {
  let p: TestPlatform;
  const tokens: Record<string, string> = {};
  let assetId = '';
  let metric = '';
  let otherMetric = '';
  let globexAsset = '';

  const call = <T = unknown>(who: string | null, url: string) =>
    callApi<T>(p.url, who ? tokens[who] : null, 'GET', url);

  beforeAll(async () => {
    p = await startTestPlatform({}, { fleet: false });
    for (const [who, email, password] of [
      ['dispatcher', 'dispatcher@preempt.demo', 'dispatcher-demo'],
      ['acme', 'customer@acme.demo', 'customer-demo'],
      ['globex', 'customer@globex.demo', 'customer-demo'],
    ] as const)
      tokens[who] = await p.login(email, password);
    const acme = await p.db.asset.findFirstOrThrow({
      where: { tenant: { slug: 'acme' } },
      include: { equipmentModel: { include: { metrics: true } } },
      orderBy: { id: 'asc' },
    });
    assetId = acme.id;
    metric = acme.equipmentModel.metrics[0]!.name;
    otherMetric = acme.equipmentModel.metrics[1]?.name ?? '';
    globexAsset = (await p.db.asset.findFirstOrThrow({ where: { tenant: { slug: 'globex' } } })).id;
    // 30 days, a reading a minute: the value is the reading's UTC hour of day
    const end = Math.floor(Date.now() / MIN) * MIN;
    const points = [];
    for (let t = end - 30 * DAY; t <= end; t += MIN)
      points.push({ assetId, metric, ts: new Date(t), value: Math.floor(t / HOUR) % 24 });
    await p.store.write(points);
  }, 90_000);
  afterAll(async () => {
    await p?.stop();
  });

  it('downsamples 24 h to 5-minute buckets of mean, min and max', async () => {
    const { status, body } = await call<Series>('acme', `/api/assets/${assetId}/series?period=24h`);
    expect(status).toBe(200);
    expect(body.bucketMs).toBe(5 * MIN);
    expect(Date.parse(body.to) - Date.parse(body.from)).toBe(DAY);
    const s = body.series.find((x) => x.metric === metric)!;
    expect(s.unit).toBeTypeOf('string');
    expect(s.points.length).toBeGreaterThanOrEqual(288);
    expect(s.points.length).toBeLessThanOrEqual(body.maxPoints);
    const full = s.points[10]!;
    expect(full.count).toBe(5);
    expect(Date.parse(full.ts) % (5 * MIN)).toBe(0);
    const hour = Math.floor(Date.parse(full.ts) / HOUR) % 24;
    expect(full).toMatchObject({ mean: hour, min: hour, max: hour });
    // a metric without readings is an empty series, not an error
    if (otherMetric) expect(body.series.find((x) => x.metric === otherMetric)!.points).toEqual([]);
  });

  it('downsamples 30 days to 2-hour buckets, at most maxPoints', async () => {
    const { status, body } = await call<Series>(
      'acme',
      `/api/assets/${assetId}/series?period=30d&metric=${metric}`,
    );
    expect(status).toBe(200);
    expect(body.bucketMs).toBe(2 * HOUR);
    expect(body.series.map((x) => x.metric)).toEqual([metric]);
    const pts = body.series[0]!.points;
    expect(pts.length).toBeGreaterThan(355);
    expect(pts.length).toBeLessThanOrEqual(body.maxPoints);
    // every reading of the window counted once, in the store's buckets
    const inWindow = Math.floor((Date.parse(body.to) - Date.parse(body.from)) / MIN);
    expect(Math.abs(pts.reduce((n, b) => n + b.count, 0) - inWindow)).toBeLessThanOrEqual(1);
    const b = pts[5]!;
    const h = Math.floor(Date.parse(b.ts) / HOUR) % 24;
    expect(b).toMatchObject({ count: 120, min: h, max: h + 1, mean: h + 0.5 });
  });

  it('is tenant-scoped: another tenant’s asset is a 404, staff see every tenant', async () => {
    expect((await call('globex', `/api/assets/${assetId}/series?period=7d`)).status).toBe(404);
    expect((await call('acme', `/api/assets/${globexAsset}/series`)).status).toBe(404);
    expect((await call('acme', `/api/assets/no-such-asset/series`)).status).toBe(404);
    const staff = await call<Series>('dispatcher', `/api/assets/${assetId}/series?period=7d`);
    expect(staff.status).toBe(200);
    expect(staff.body.bucketMs).toBe(30 * MIN);
    expect((await call(null, `/api/assets/${assetId}/series`)).status).toBe(401);
  });

  it('answers bad input with a 4xx', async () => {
    expect((await call('acme', `/api/assets/${assetId}/series?period=1y`)).status).toBe(400);
    const unknown = await call<{ code: string }>('acme', `/api/assets/${assetId}/series?metric=nope`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('NOT_FOUND');
  });
});
