// Administration of tenants and sites over HTTP on the whole platform (issue 17): only an ADMIN creates and
// renames tenants and creates, edits and removes sites (a dispatcher and a customer get 403); a site is reached
// only under its own tenant; every change is in the audit log with who, what, when and before/after; bad input
// is a 4xx with a code; a site with assets is kept.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi } from '../helpers/api-client.ts';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.ts';

interface Tenant {
  id: string;
  slug: string;
  name: string;
}
interface Site {
  id: string;
  tenantId: string;
  name: string;
  address: string | null;
  lat: number;
  lon: number;
  assets: number;
}
interface Audit {
  action: string;
  actor: string;
  targetId: string;
  target: string;
  at: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

describe('tenant and site administration', () => {
  let p: TestPlatform;
  let admin = '';
  let dispatcher = '';
  let customer = '';
  let acmeId = '';

  const call = <T = unknown>(token: string | null, method: string, url: string, body?: unknown) =>
    callApi<T>(p.url, token, method, url, body);
  const auditOf = async (targetId: string) =>
    (await call<Audit[]>(admin, 'GET', `/api/admin/audit?targetId=${targetId}`)).body;

  beforeAll(async () => {
    p = await startTestPlatform({}, { fleet: false });
    [admin, dispatcher, customer] = await Promise.all([
      p.login('admin@preempt.demo', 'admin-demo'),
      p.login('dispatcher@preempt.demo', 'dispatcher-demo'),
      p.login('customer@acme.demo', 'customer-demo'),
    ]);
    acmeId = (await p.db.tenant.findUniqueOrThrow({ where: { slug: 'acme' } })).id;
  }, 60_000);
  afterAll(async () => {
    await p?.stop();
  });

  it('only an admin administers tenants and sites', async () => {
    const site = { name: 'X', lat: 50, lon: 8 };
    for (const token of [dispatcher, customer]) {
      expect((await call(token, 'POST', '/api/admin/tenants', { slug: 'nope', name: 'Nope' })).status).toBe(
        403,
      );
      expect((await call(token, 'PATCH', `/api/admin/tenants/${acmeId}`, { name: 'Mine' })).status).toBe(403);
      expect((await call(token, 'GET', `/api/admin/tenants/${acmeId}/sites`)).status).toBe(403);
      expect((await call(token, 'POST', `/api/admin/tenants/${acmeId}/sites`, site)).status).toBe(403);
    }
    expect((await call(null, 'POST', `/api/admin/tenants/${acmeId}/sites`, site)).status).toBe(401);
    expect(await p.db.tenant.count({ where: { slug: 'nope' } })).toBe(0);
    expect((await p.db.tenant.findUniqueOrThrow({ where: { id: acmeId } })).name).not.toBe('Mine');
  });

  it('creates and renames a tenant, with its audit entries', async () => {
    const made = await call<Tenant>(admin, 'POST', '/api/admin/tenants', {
      slug: 'umbrella',
      name: ' Umbrella  Corp ',
    });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ slug: 'umbrella', name: 'Umbrella Corp' });
    const taken = await call<{ code: string }>(admin, 'POST', '/api/admin/tenants', {
      slug: 'umbrella',
      name: 'U2',
    });
    expect([taken.status, taken.body.code]).toEqual([409, 'ADMIN_SLUG_TAKEN']);

    const renamed = await call<Tenant>(admin, 'PATCH', `/api/admin/tenants/${made.body.id}`, {
      name: 'Umbrella plc',
    });
    expect([renamed.status, renamed.body.name, renamed.body.slug]).toEqual([200, 'Umbrella plc', 'umbrella']);

    const log = await auditOf(made.body.id);
    expect(log.map((e) => e.action)).toEqual(['tenant.rename', 'tenant.create']);
    expect(log[0]).toMatchObject({
      actor: 'admin@preempt.demo',
      target: 'Umbrella plc',
      before: { name: 'Umbrella Corp' },
      after: { name: 'Umbrella plc' },
    });
    expect(log[1]).toMatchObject({ before: null, after: { slug: 'umbrella', name: 'Umbrella Corp' } });
    expect(Date.now() - Date.parse(log[0]!.at)).toBeLessThan(60_000);
    const list = await call<{ name: string; sites: number }[]>(admin, 'GET', '/api/admin/tenants');
    expect(list.body.find((t) => t.name === 'Umbrella plc')).toMatchObject({ sites: 0 });
  });

  it('creates, edits and removes a site, each change audited with before and after', async () => {
    const base = `/api/admin/tenants/${acmeId}/sites`;
    const made = await call<Site>(admin, 'POST', base, {
      name: 'Acme East Annex',
      address: ' Hafenstraße 1, 20457 Hamburg ',
      lat: 53.54,
      lon: 9.98,
    });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ tenantId: acmeId, address: 'Hafenstraße 1, 20457 Hamburg', assets: 0 });
    const id = made.body.id;
    const dup = await call<{ code: string }>(admin, 'POST', base, {
      name: 'acme east annex',
      lat: 1,
      lon: 1,
    });
    expect([dup.status, dup.body.code]).toEqual([409, 'ADMIN_SITE_NAME_TAKEN']);

    const edited = await call<Site>(admin, 'PATCH', `${base}/${id}`, { address: '', lat: 53.55, lon: 10 });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ name: 'Acme East Annex', address: null, lat: 53.55, lon: 10 });
    expect((await call<Site[]>(admin, 'GET', base)).body.map((s) => s.name)).toContain('Acme East Annex');

    expect((await call(admin, 'DELETE', `${base}/${id}`)).status).toBe(204);
    expect(await p.db.site.count({ where: { id } })).toBe(0);

    const log = await auditOf(id);
    expect(log.map((e) => e.action)).toEqual(['site.delete', 'site.update', 'site.create']);
    expect(log[1]).toMatchObject({
      target: 'Acme East Annex (Acme Hospitals)',
      before: { address: 'Hafenstraße 1, 20457 Hamburg', lat: 53.54, lon: 9.98 },
      after: { address: null, lat: 53.55, lon: 10 },
    });
    expect(log[0]).toMatchObject({ before: { name: 'Acme East Annex', tenantId: acmeId }, after: null });
  });

  it("keeps tenants apart: another tenant's site is not found under this one", async () => {
    const globex = await p.db.tenant.findUniqueOrThrow({
      where: { slug: 'globex' },
      include: { sites: true },
    });
    const theirs = globex.sites[0]!;
    const wrong = `/api/admin/tenants/${acmeId}/sites/${theirs.id}`;
    expect((await call(admin, 'PATCH', wrong, { name: 'Taken over' })).status).toBe(404);
    expect((await call(admin, 'DELETE', wrong)).status).toBe(404);
    expect((await p.db.site.findUniqueOrThrow({ where: { id: theirs.id } })).name).toBe(theirs.name);
    const acmeSites = (await call<Site[]>(admin, 'GET', `/api/admin/tenants/${acmeId}/sites`)).body;
    expect(acmeSites.every((s) => s.tenantId === acmeId)).toBe(true);
    expect(acmeSites.some((s) => s.id === theirs.id)).toBe(false);
    expect((await call(admin, 'GET', '/api/admin/tenants/no-such-tenant/sites')).status).toBe(404);
  });

  it('refuses bad input with a 4xx and a code, and keeps a site with assets', async () => {
    const base = `/api/admin/tenants/${acmeId}/sites`;
    const bad: [string, string, unknown, number, string][] = [
      ['POST', '/api/admin/tenants', { slug: 'Bad Slug', name: 'B' }, 400, 'VALIDATION_FAILED'],
      ['POST', '/api/admin/tenants', { slug: 'okay', name: '   ' }, 400, 'VALIDATION_FAILED'],
      ['PATCH', `/api/admin/tenants/${acmeId}`, { slug: 'renamed' }, 400, 'VALIDATION_FAILED'],
      ['POST', base, { name: 'Far', lat: 91, lon: 8 }, 400, 'VALIDATION_FAILED'],
      ['POST', base, { name: 'Far', lat: 50 }, 400, 'VALIDATION_FAILED'],
      ['PATCH', `${base}/x`, {}, 400, 'VALIDATION_FAILED'],
      ['PATCH', `${base}/x`, { name: 'Y' }, 404, 'NOT_FOUND'],
    ];
    for (const [method, url, body, status, code] of bad) {
      const r = await call<{ code: string }>(admin, method, url, body);
      expect([method, url, r.status, r.body.code]).toEqual([method, url, status, code]);
    }
    const used = await p.db.site.findFirstOrThrow({ where: { tenantId: acmeId, assets: { some: {} } } });
    const half = await call<{ code: string }>(admin, 'PATCH', `${base}/${used.id}`, { lat: 50 });
    expect([half.status, half.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    const kept = await call<{ code: string; message: string }>(admin, 'DELETE', `${base}/${used.id}`);
    expect([kept.status, kept.body.code]).toEqual([409, 'ADMIN_SITE_IN_USE']);
    expect(await p.db.site.count({ where: { id: used.id } })).toBe(1);
  });

  it('answers a registration on a site removed meanwhile with a 400, never a 500', async () => {
    const site = await call<Site>(admin, 'POST', `/api/admin/tenants/${acmeId}/sites`, {
      name: 'Going away',
      lat: 50,
      lon: 8,
    });
    expect(site.status).toBe(201);
    const contract = await p.db.serviceContract.findFirstOrThrow({ where: { tenantId: acmeId } });
    const model = await p.db.equipmentModel.findFirstOrThrow();
    // the site is removed (as DELETE …/sites/{id} does: locked, found without assets, deleted) while the
    // registration, which found the site, is about to write the asset on it
    const { pending } = await p.db.$transaction(
      async (tx) => {
        await tx.$queryRaw`SELECT id FROM "Site" WHERE id = ${site.body.id} FOR UPDATE`;
        const pending = call<{ code: string }>(admin, 'POST', '/api/assets', {
          tenantId: acmeId,
          siteId: site.body.id,
          contractId: contract.id,
          equipmentModel: model.key,
          serial: 'RACE-0001',
          name: 'Raced',
        });
        // until the registration waits for the site's row
        for (let waiting = 0; waiting === 0;) {
          await new Promise((r) => setTimeout(r, 20));
          const [row] = await p.db.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock'`;
          waiting = Number(row!.n);
        }
        await tx.$executeRaw`DELETE FROM "Site" WHERE id = ${site.body.id}`;
        return { pending }; // not awaited here: the removal commits first
      },
      { timeout: 30_000 },
    );
    const registered = await pending;
    // was 500: the asset's foreign key violated (P2003) by the site's removal between its check and the insert
    expect([registered.status, registered.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(await p.db.asset.count({ where: { serial: 'RACE-0001' } })).toBe(0);
    expect(await p.db.site.count({ where: { id: site.body.id } })).toBe(0);
  });
});
