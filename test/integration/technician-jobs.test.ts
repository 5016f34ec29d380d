// The technician's API on the real platform (PostgreSQL, demo world, no fleet): he sees only his own jobs and
// steps them en route → on site → complete in order; the desk can no longer do it for him; completion needs the
// removed part's serial and reconciles the parts fitted; photos are checked for size and type.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveOrder } from '../../common/contracts/live.ts';
import type { Job } from '../../dispatch/adapters/technician-jobs.ts';
import {
  DEMO_TECHNICIAN_PASSWORD,
  DEMO_TECHNICIANS,
  demoTechnicianEmail,
} from '../../simulators/demo-world.ts';
import { demoPredictedOrder } from '../helpers/demo-order.ts';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.ts';

const MAX = 20_000;
const png = (size: number) => {
  const b = new Uint8Array(size).fill(7);
  b.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return b;
};

describe('the technician and his jobs', () => {
  let p: TestPlatform;
  const tokens: Record<string, string> = {};
  const call = async <T = unknown>(who: string | null, method: string, url: string, body?: unknown) => {
    const headers: Record<string, string> = who ? { authorization: `Bearer ${tokens[who]}` } : {};
    let payload: BodyInit | undefined;
    if (body instanceof FormData) payload = body;
    else if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    const res = await fetch(`${p.url}${url}`, { method, headers, body: payload });
    const type = res.headers.get('content-type') ?? '';
    return {
      status: res.status,
      type,
      body: (type.includes('json') ? await res.json() : await res.text()) as T,
    };
  };
  const photos = (...files: [Uint8Array<ArrayBuffer>, string][]) => {
    const f = new FormData();
    files.forEach(([bytes, type], i) => f.append('photo', new Blob([bytes], { type }), `p${i}.png`));
    return f;
  };

  beforeAll(async () => {
    p = await startTestPlatform({ PHOTO_MAX_BYTES: String(MAX) }, { fleet: false });
    for (const [who, email, password] of [
      ['dispatcher', 'dispatcher@preempt.demo', 'dispatcher-demo'],
      ['admin', 'admin@preempt.demo', 'admin-demo'],
      ['acme', 'customer@acme.demo', 'customer-demo'],
      ['globex', 'customer@globex.demo', 'customer-demo'],
    ] as const)
      tokens[who] = await p.login(email, password);
  }, 60_000);
  afterAll(async () => {
    await p?.stop();
  });

  it('shows him only his jobs, in order, and takes his steps one at a time', async () => {
    const { orderId } = await demoPredictedOrder(p.db, { tenant: 'acme' });
    expect((await call('dispatcher', 'POST', '/api/dispatch/plan')).status).toBe(200);
    let o = (await call<LiveOrder>('dispatcher', 'POST', `/api/orders/${orderId}/accept`)).body;
    while (o.nextStatus !== 'TECHNICIAN_EN_ROUTE')
      o = (
        await call<LiveOrder>('dispatcher', 'POST', `/api/orders/${orderId}/status`, { status: o.nextStatus })
      ).body;
    const code = o.technician!.split(' ')[0]!;
    const other = DEMO_TECHNICIANS.find((t) => t.code !== code)!.code;
    tokens.tech = await p.login(demoTechnicianEmail(code), DEMO_TECHNICIAN_PASSWORD);
    tokens.other = await p.login(demoTechnicianEmail(other), DEMO_TECHNICIAN_PASSWORD);
    const date = o.etaAt!.slice(0, 10);

    // his day: the job with where to collect the part, the counter's hours, the staged parts and the way there
    const mine = await call<{ jobs: Job[]; technician: { code: string } }>(
      'tech',
      'GET',
      `/api/me/jobs?date=${date}`,
    );
    expect(mine.status).toBe(200);
    expect(mine.body.technician.code).toBe(code);
    const job = mine.body.jobs.find((j) => j.orderId === orderId)!;
    expect(job).toMatchObject({
      status: 'PARTS_STAGED',
      nextStep: 'en-route',
      waitingFor: null,
      etaAt: o.etaAt,
    });
    expect(job.pickup!.hours).toMatch(/UTC|around the clock/);
    expect(job.parts).toEqual([
      expect.objectContaining({ sku: o.part.sku, qty: o.part.qty, status: 'HELD' }),
    ]);
    expect(job.navigation.site.osm).toMatch(/^https:\/\/www\.openstreetmap\.org\/directions\?/);
    expect(job.navigation.site.geo).toMatch(/^geo:-?\d/);

    // nobody else sees it or steps it: another technician, a customer, the desk through his routes
    const theirs = await call<{ jobs: Job[] }>('other', 'GET', `/api/me/jobs?date=${date}`);
    expect(theirs.body.jobs.map((j) => j.orderId)).not.toContain(orderId);
    // a day of year 0 or one ending in year 10000 is a 400 naming the range (500 from the database before)
    for (const d of ['0000-01-01', '9999-12-31']) {
      const far = await call<{ code: string; message: string }>('tech', 'GET', `/api/me/jobs?date=${d}`);
      expect([d, far.status, far.body.code]).toEqual([d, 400, 'VALIDATION_FAILED']);
      expect(far.body.message).toMatch(/from 1970-01-01 to 9999-12-30/);
    }
    expect((await call('other', 'GET', `/api/me/jobs/${orderId}`)).status).toBe(404);
    expect((await call('other', 'POST', `/api/me/jobs/${orderId}/en-route`, {})).status).toBe(404);
    expect((await call('acme', 'GET', '/api/me/jobs')).status).toBe(403);
    expect((await call('acme', 'POST', `/api/me/jobs/${orderId}/en-route`, {})).status).toBe(403);
    expect((await call('dispatcher', 'GET', '/api/me/jobs')).status).toBe(403);
    expect((await call('globex', 'GET', `/api/orders/${orderId}`)).status).toBe(404);
    expect((await call(null, 'GET', '/api/me/jobs')).status).toBe(401);
    // a technician is no staff: no tenant's orders or assets, no desk, no administration, no models
    expect((await call('tech', 'GET', `/api/orders/${orderId}`)).status).toBe(404);
    expect((await call<unknown[]>('tech', 'GET', '/api/orders')).body).toEqual([]);
    expect((await call<unknown[]>('tech', 'GET', '/api/assets')).body).toEqual([]);
    for (const url of ['/api/network', '/api/admin/users', '/api/models', '/api/returns'])
      expect((await call('tech', 'GET', url)).status, url).toBe(403);
    expect((await call('tech', 'POST', `/api/orders/${orderId}/accept`)).status).toBe(403);
    // the desk cannot click his steps for him
    const desk = await call('dispatcher', 'POST', `/api/orders/${orderId}/status`, {
      status: 'TECHNICIAN_EN_ROUTE',
    });
    expect(desk).toMatchObject({ status: 403, body: { code: 'DISPATCH_FIELD_STEP_TECHNICIAN_ONLY' } });

    // one step at a time
    expect((await call('tech', 'POST', `/api/me/jobs/${orderId}/on-site`, {})).status).toBe(409);
    expect(
      (await call('tech', 'POST', `/api/me/jobs/${orderId}/photos`, photos([png(100), 'image/png']))).status,
    ).toBe(409);
    // no body at all (the note is optional): the step, not a 400 "body must be object"
    const enRoute = await call<Job>('tech', 'POST', `/api/me/jobs/${orderId}/en-route`);
    expect(enRoute.body).toMatchObject({ status: 'TECHNICIAN_EN_ROUTE', nextStep: 'on-site' });
    const complete = { removedSerial: 'SN-OLD-42', fitted: [{ sku: o.part.sku, qty: o.part.qty }] };
    expect((await call('tech', 'POST', `/api/me/jobs/${orderId}/complete`, complete)).status).toBe(409);
    const onSite = await call<Job>('tech', 'POST', `/api/me/jobs/${orderId}/on-site`, {
      note: 'gate code 1234',
    });
    expect(onSite.body).toMatchObject({ status: 'ON_SITE', nextStep: 'complete' });

    // photos: too large 413, not an image 415, a good one kept and readable by him and the desk only
    const big = await call(
      'tech',
      'POST',
      `/api/me/jobs/${orderId}/photos`,
      photos([png(MAX + 1), 'image/png']),
    );
    expect(big).toMatchObject({ status: 413, body: { code: 'TECHNICIAN_PHOTO_TOO_LARGE' } });
    const fake = await call(
      'tech',
      'POST',
      `/api/me/jobs/${orderId}/photos`,
      photos([png(50).fill(65), 'image/png']),
    );
    expect(fake).toMatchObject({ status: 415, body: { code: 'TECHNICIAN_PHOTO_TYPE' } });
    const notMultipart = await call('tech', 'POST', `/api/me/jobs/${orderId}/photos`, { photo: 'x' });
    expect(notMultipart.status).toBeGreaterThanOrEqual(400);
    expect(notMultipart.status).toBeLessThan(500);
    // multipart that is not well-formed (cut short, no boundary, no parts): 400, nothing stored (was 500)
    const head = 'Content-Disposition: form-data; name="photo"; filename="p.png"\r\nContent-Type: image/png';
    for (const [type, raw] of [
      ['multipart/form-data; boundary=XYZ', `--XYZ\r\n${head}\r\n\r\n\x89PNG`],
      ['multipart/form-data', `--XYZ\r\n${head}\r\n\r\n\x89PNG\r\n--XYZ--\r\n`],
      ['multipart/form-data; boundary=XYZ', 'not multipart at all'],
    ]) {
      const res = await fetch(`${p.url}/api/me/jobs/${orderId}/photos`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens.tech}`, 'content-type': type! },
        body: raw,
      });
      expect([type, res.status, await res.json()]).toEqual([
        type,
        400,
        expect.objectContaining({ code: 'VALIDATION_FAILED' }),
      ]);
    }
    const kept = await call<Job>(
      'tech',
      'POST',
      `/api/me/jobs/${orderId}/photos`,
      photos([png(1000), 'image/png']),
    );
    expect(kept.status).toBe(201);
    expect(kept.body.photos).toEqual([expect.objectContaining({ contentType: 'image/png', size: 1000 })]);
    const photoUrl = `/api/orders/${orderId}/photos/${kept.body.photos[0]!.id}`;
    expect(await call('tech', 'GET', photoUrl)).toMatchObject({ status: 200, type: 'image/png' });
    expect((await call('dispatcher', 'GET', photoUrl)).status).toBe(200);
    expect((await call('other', 'GET', photoUrl)).status).toBe(404);
    expect((await call('acme', 'GET', photoUrl)).status).toBe(403);

    // completion needs the removed part's serial
    const { removedSerial: _s, ...noSerial } = complete;
    expect((await call('tech', 'POST', `/api/me/jobs/${orderId}/complete`, noSerial)).status).toBe(400);
    const blank = await call('tech', 'POST', `/api/me/jobs/${orderId}/complete`, {
      ...complete,
      removedSerial: '  ',
    });
    expect(blank).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
    const unknownPart = { ...complete, fitted: [{ sku: 'NO-SUCH-SKU', qty: 1 }] };
    expect((await call('tech', 'POST', `/api/me/jobs/${orderId}/complete`, unknownPart)).status).toBe(400);

    // the staged part fitted, and one he had in the van: recorded and flagged; the removed part goes back
    const extra = await p.db.part.findFirstOrThrow({ where: { sku: { not: o.part.sku } } });
    const done = await call<Job>('tech', 'POST', `/api/me/jobs/${orderId}/complete`, {
      ...complete,
      fitted: [...complete.fitted, { sku: extra.sku, qty: 1 }],
      note: 'bearing and seal replaced',
    });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: 'COMPLETED', nextStep: null });
    expect(done.body.report).toMatchObject({
      removedSerial: 'SN-OLD-42',
      flagged: true,
      note: 'bearing and seal replaced',
    });
    expect(done.body.report!.fitted).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ sku: o.part.sku, qty: o.part.qty, staged: o.part.qty }),
        expect.objectContaining({ sku: extra.sku, qty: 1, staged: 0 }),
      ]),
    );
    const returns = await p.db.returnAuthorization.findMany({ where: { orderId } });
    expect(returns).toEqual([expect.objectContaining({ reason: 'DEFECTIVE', serial: 'SN-OLD-42' })]);
    expect((await call('tech', 'POST', `/api/me/jobs/${orderId}/complete`, complete)).status).toBe(409);
    const events = await call<{ action: string; actor: string; note: string | null }[]>(
      'dispatcher',
      'GET',
      `/api/orders/${orderId}/events`,
    );
    expect(events.body.at(-1)).toMatchObject({
      actor: demoTechnicianEmail(code),
      note: expect.stringContaining('FLAGGED'),
    });
    expect(events.body.map((e) => e.action)).toContain('photo');
  }, 60_000);

  it('lets an administrator create a technician account, linked to one technician', async () => {
    await p.db.technician.create({
      data: { code: 'T-99', name: 'New Tech', skills: ['hvac'], lat: 50, lon: 8, homeLat: 50, homeLon: 8 },
    });
    const base = { email: 't99@example.com', name: 'New Tech', role: 'TECHNICIAN', password: 'tech-pass-99' };
    expect((await call('admin', 'POST', '/api/admin/users', base)).status).toBe(400);
    expect((await call('admin', 'POST', '/api/admin/users', { ...base, technician: 'T-01' })).status).toBe(
      400,
    );
    const made = await call<{ technician: string }>('admin', 'POST', '/api/admin/users', {
      ...base,
      technician: 'T-99',
    });
    expect(made).toMatchObject({ status: 201, body: { technician: 'T-99', role: 'TECHNICIAN' } });
    tokens.t99 = await p.login(base.email, base.password);
    const day = await call<{ jobs: Job[]; technician: { code: string } }>('t99', 'GET', '/api/me/jobs');
    expect(day).toMatchObject({ status: 200, body: { jobs: [], technician: { code: 'T-99' } } });
    const spec = await call<{ paths: Record<string, unknown> }>(null, 'GET', '/docs/json');
    for (const path of ['/api/me/jobs', '/api/me/jobs/{orderId}/complete', '/api/me/jobs/{orderId}/photos'])
      expect(Object.keys(spec.body.paths)).toContain(path);
  });
});
