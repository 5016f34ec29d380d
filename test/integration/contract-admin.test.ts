// Service contracts administered per tenant over HTTP on the whole platform: only an ADMIN lists, creates, edits
// and deletes them (a dispatcher, an engineer, a customer and a technician get 403); a contract is reached only
// under its own tenant; bad input is a 400 with a code, never a 5xx; a contract an asset uses is kept
// (409 ADMIN_CONTRACT_IN_USE); each change is in the audit log; and a tenant created from nothing (tenant, site,
// contract) gets its first asset registered.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi } from '../helpers/api-client.ts';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.ts';

interface Contract {
  id: string;
  tenantId: string;
  name: string;
  tier: string;
  responseHours: number;
  startsAt: string | null;
  endsAt: string | null;
  coversParts: boolean;
  coversLabour: boolean;
  coversTravel: boolean;
  coversShipping: boolean;
  excludedSkus: string[];
  assets: number;
}
interface Audit {
  action: string;
  actor: string;
  target: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}
interface Refusal {
  code: string;
  message: string;
}

describe('service contract administration', () => {
  let p: TestPlatform;
  let admin = '';
  const others: [string, string][] = [];
  let acmeId = '';
  let globexId = '';
  let sku = '';

  const call = <T = unknown>(token: string | null, method: string, url: string, body?: unknown) =>
    callApi<T>(p.url, token, method, url, body);
  const base = (tenantId: string) => `/api/admin/tenants/${tenantId}/contracts`;

  beforeAll(async () => {
    p = await startTestPlatform({}, { fleet: false });
    admin = await p.login('admin@preempt.demo', 'admin-demo');
    for (const [who, email, password] of [
      ['dispatcher', 'dispatcher@preempt.demo', 'dispatcher-demo'],
      ['engineer', 'engineer@preempt.demo', 'engineer-demo'],
      ['customer', 'customer@acme.demo', 'customer-demo'],
      ['technician', 't-01@preempt.demo', 'technician-demo'],
    ] as const)
      others.push([who, await p.login(email, password)]);
    acmeId = (await p.db.tenant.findUniqueOrThrow({ where: { slug: 'acme' } })).id;
    globexId = (await p.db.tenant.findUniqueOrThrow({ where: { slug: 'globex' } })).id;
    sku = (await p.db.part.findFirstOrThrow({ orderBy: { sku: 'asc' } })).sku;
  }, 60_000);
  afterAll(async () => {
    await p?.stop();
  });

  it('lets only an admin list, create, edit and delete contracts', async () => {
    const own = await p.db.serviceContract.findFirstOrThrow({ where: { tenantId: acmeId } });
    const body = { name: 'Nope', tier: 'STANDARD', responseHours: 8 };
    for (const [who, token] of others) {
      const answers = [
        await call(token, 'GET', base(acmeId)),
        await call(token, 'POST', base(acmeId), body),
        await call(token, 'PATCH', `${base(acmeId)}/${own.id}`, { responseHours: 1 }),
        await call(token, 'DELETE', `${base(acmeId)}/${own.id}`),
      ];
      expect([who, ...answers.map((a) => a.status)]).toEqual([who, 403, 403, 403, 403]);
    }
    expect((await call(null, 'GET', base(acmeId))).status).toBe(401);
    expect(await p.db.serviceContract.count({ where: { name: 'Nope' } })).toBe(0);
    expect(await p.db.serviceContract.findUniqueOrThrow({ where: { id: own.id } })).toEqual(own);
  });

  it('creates, edits and deletes a contract, each change audited with before and after', async () => {
    const made = await call<Contract>(admin, 'POST', base(acmeId), {
      name: '  Gold   24/7 ',
      tier: 'CRITICAL',
      responseHours: 4,
      excludedSkus: [sku, sku],
    });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({
      tenantId: acmeId,
      name: 'Gold 24/7',
      tier: 'CRITICAL',
      responseHours: 4,
      startsAt: null,
      endsAt: null,
      coversParts: true,
      coversLabour: true,
      coversTravel: true,
      coversShipping: true,
      excludedSkus: [sku],
      assets: 0,
    });
    const id = made.body.id;
    const dup = await call<Refusal>(admin, 'POST', base(acmeId), {
      name: 'gold 24/7',
      tier: 'STANDARD',
      responseHours: 24,
    });
    expect([dup.status, dup.body.code]).toEqual([409, 'ADMIN_CONTRACT_NAME_TAKEN']);

    const edited = await call<Contract>(admin, 'PATCH', `${base(acmeId)}/${id}`, {
      responseHours: 8,
      coversTravel: false,
      startsAt: '2026-01-01T00:00:00Z',
      endsAt: '2027-01-01T00:00:00Z',
      excludedSkus: [],
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({
      name: 'Gold 24/7',
      responseHours: 8,
      coversTravel: false,
      startsAt: '2026-01-01T00:00:00.000Z',
      endsAt: '2027-01-01T00:00:00.000Z',
      excludedSkus: [],
    });
    // a case-only rename of itself is no clash
    const recased = await call<Contract>(admin, 'PATCH', `${base(acmeId)}/${id}`, { name: 'GOLD 24/7' });
    expect([recased.status, recased.body.name]).toEqual([200, 'GOLD 24/7']);
    const list = (await call<Contract[]>(admin, 'GET', base(acmeId))).body;
    expect(list.find((c) => c.id === id)).toMatchObject({ responseHours: 8, assets: 0 });
    expect(list.every((c) => c.tenantId === acmeId)).toBe(true);

    expect((await call(admin, 'DELETE', `${base(acmeId)}/${id}`)).status).toBe(204);
    expect(await p.db.serviceContract.count({ where: { id } })).toBe(0);

    const log = (await call<Audit[]>(admin, 'GET', `/api/admin/audit?targetId=${id}`)).body;
    expect(log.map((e) => e.action)).toEqual([
      'contract.delete',
      'contract.update',
      'contract.update',
      'contract.create',
    ]);
    expect(log[2]).toMatchObject({
      actor: 'admin@preempt.demo',
      target: 'Gold 24/7 (Acme Hospitals)',
      before: { responseHours: 4, coversTravel: true, startsAt: null, excludedSkus: [sku] },
      after: {
        responseHours: 8,
        coversTravel: false,
        startsAt: '2026-01-01T00:00:00.000Z',
        excludedSkus: [],
      },
    });
    expect(Object.keys(log[2]!.after!).sort()).toEqual(
      ['coversTravel', 'endsAt', 'excludedSkus', 'responseHours', 'startsAt'].sort(),
    );
    expect(log[3]).toMatchObject({ before: null, after: { tenantId: acmeId, tier: 'CRITICAL' } });
    expect(log[0]).toMatchObject({ before: { name: 'GOLD 24/7', tenantId: acmeId }, after: null });
  });

  it("keeps tenants apart: another tenant's contract is not found under this one", async () => {
    const theirs = await p.db.serviceContract.findFirstOrThrow({ where: { tenantId: globexId } });
    const wrong = `${base(acmeId)}/${theirs.id}`;
    expect((await call<Refusal>(admin, 'PATCH', wrong, { name: 'Taken over' })).status).toBe(404);
    expect((await call<Refusal>(admin, 'DELETE', wrong)).status).toBe(404);
    expect(await p.db.serviceContract.findUniqueOrThrow({ where: { id: theirs.id } })).toEqual(theirs);
    const acme = (await call<Contract[]>(admin, 'GET', base(acmeId))).body;
    expect(acme.some((c) => c.id === theirs.id)).toBe(false);
    expect((await call(admin, 'GET', base('no-such-tenant'))).status).toBe(404);
    const none = await call<Refusal>(admin, 'POST', base('no-such-tenant'), {
      name: 'X',
      tier: 'STANDARD',
      responseHours: 24,
    });
    expect([none.status, none.body.code]).toEqual([404, 'NOT_FOUND']);
  });

  it('refuses bad input with a 400 and a code, never a 5xx', async () => {
    const own = await p.db.serviceContract.findFirstOrThrow({ where: { tenantId: acmeId } });
    const ok = { name: 'Bad', tier: 'STANDARD', responseHours: 24 };
    const bad: unknown[] = [
      { ...ok, responseHours: 0 },
      { ...ok, responseHours: -4 },
      { ...ok, responseHours: 721 },
      { ...ok, responseHours: 1e308 },
      { ...ok, responseHours: 2 ** 31 },
      { ...ok, responseHours: 4.5 },
      { ...ok, responseHours: 'NaN' },
      { ...ok, responseHours: 'Infinity' },
      { ...ok, responseHours: '24' },
      { ...ok, responseHours: null },
      { ...ok, tier: 'GOLD' },
      { ...ok, tier: 'critical' },
      { ...ok, name: '   ' },
      { ...ok, name: 'N'.repeat(10_240) },
      { ...ok, startsAt: 'yesterday' },
      { ...ok, startsAt: '0000-01-01T00:00:00Z' },
      { ...ok, endsAt: '+275760-09-13T00:00:00Z' },
      { ...ok, startsAt: '2026-06-01T00:00:00Z', endsAt: '2026-06-01T00:00:00Z' },
      { ...ok, startsAt: '2026-06-01T00:00:00Z', endsAt: '2026-01-01T00:00:00Z' },
      { ...ok, excludedSkus: ['NO-SUCH-PART'] },
      { ...ok, excludedSkus: [' BRG-1 '] },
      { ...ok, excludedSkus: ['S'.repeat(10_240)] },
      { ...ok, excludedSkus: Array.from({ length: 201 }, (_, i) => `X-${i}`) },
      { ...ok, excludedSkus: 'BRG-1' },
      { ...ok, coversParts: 'yes' },
      { ...ok, penalty: 5 },
      { name: 'Bad', tier: 'STANDARD' },
      [],
      'x',
    ];
    for (const body of bad) {
      const r = await call<Refusal>(admin, 'POST', base(acmeId), body);
      expect([JSON.stringify(body).slice(0, 80), r.status, r.body.code]).toEqual([
        JSON.stringify(body).slice(0, 80),
        400,
        'VALIDATION_FAILED',
      ]);
    }
    expect(await p.db.serviceContract.count({ where: { name: 'Bad' } })).toBe(0);

    const patchBad: unknown[] = [
      {},
      { responseHours: 0 },
      { tier: 'PLATINUM' },
      { name: 'X'.repeat(10_240) },
      { tenantId: globexId },
      // after the change the contract would end before it starts
      { startsAt: '2030-01-01T00:00:00Z', endsAt: '2029-01-01T00:00:00Z' },
    ];
    for (const body of patchBad) {
      const r = await call<Refusal>(admin, 'PATCH', `${base(acmeId)}/${own.id}`, body);
      expect([JSON.stringify(body).slice(0, 80), r.status, r.body.code]).toEqual([
        JSON.stringify(body).slice(0, 80),
        400,
        'VALIDATION_FAILED',
      ]);
    }
    const edited = await call<Contract>(admin, 'PATCH', `${base(acmeId)}/${own.id}`, {
      endsAt: '2020-01-01T00:00:00Z',
    });
    if (own.startsAt && own.startsAt.getTime() >= Date.UTC(2020, 0, 1)) expect(edited.status).toBe(400);
    else expect(edited.status).toBe(200);
    await p.db.serviceContract.update({ where: { id: own.id }, data: { endsAt: own.endsAt } });
    const long = await call<Refusal>(admin, 'GET', base('t'.repeat(10_240)));
    // longer than a path parameter may be: no route (404), as for any such address
    expect([long.status, long.body.code]).toEqual([404, 'NOT_FOUND']);
    expect(await p.db.serviceContract.findUniqueOrThrow({ where: { id: own.id } })).toEqual(own);
  });

  it('lets a contract written before the rules be renamed, and judges only what changes', async () => {
    const legacy = await p.db.serviceContract.create({
      data: { tenantId: acmeId, name: 'Legacy', tier: 'STANDARD', responseHours: 1000 },
    });
    const url = `${base(acmeId)}/${legacy.id}`;
    const renamed = await call<Contract>(admin, 'PATCH', url, { name: 'Legacy (old terms)' });
    expect([renamed.status, renamed.body.responseHours]).toEqual([200, 1000]);
    const kept = await call<Refusal>(admin, 'PATCH', url, { responseHours: 1001 });
    expect([kept.status, kept.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect((await call(admin, 'DELETE', url)).status).toBe(204);
  });

  it('keeps a contract an asset uses, decommissioned or not', async () => {
    const used = await p.db.serviceContract.findFirstOrThrow({
      where: { tenantId: acmeId, assets: { some: {} } },
      include: { _count: { select: { assets: true } } },
    });
    const kept = await call<Refusal>(admin, 'DELETE', `${base(acmeId)}/${used.id}`);
    expect([kept.status, kept.body.code]).toEqual([409, 'ADMIN_CONTRACT_IN_USE']);
    expect(kept.body.message).toContain(`${used._count.assets} asset`);
    expect(await p.db.serviceContract.count({ where: { id: used.id } })).toBe(1);
    const listed = (await call<Contract[]>(admin, 'GET', base(acmeId))).body.find((c) => c.id === used.id);
    expect(listed?.assets).toBe(used._count.assets);
  });

  it('takes a new tenant from nothing to its first registered asset', async () => {
    const tenant = await call<{ id: string }>(admin, 'POST', '/api/admin/tenants', {
      slug: 'umbrella',
      name: 'Umbrella',
    });
    expect(tenant.status).toBe(201);
    const tid = tenant.body.id;
    const site = await call<{ id: string }>(admin, 'POST', `/api/admin/tenants/${tid}/sites`, {
      name: 'Raccoon City',
      lat: 51,
      lon: 9,
    });
    expect(site.status).toBe(201);
    const catalogOf = async () =>
      (
        await call<{ tenants: { id: string; contracts: Record<string, unknown>[] }[] }>(
          admin,
          'GET',
          '/api/admin/asset-catalog',
        )
      ).body.tenants.find((t) => t.id === tid)!;
    expect((await catalogOf()).contracts).toEqual([]);

    const contract = await call<Contract>(admin, 'POST', base(tid), {
      name: 'Standard',
      tier: 'STANDARD',
      responseHours: 24,
    });
    expect(contract.status).toBe(201);
    expect((await catalogOf()).contracts).toEqual([
      { id: contract.body.id, name: 'Standard', tier: 'STANDARD', endsAt: null },
    ]);
    const model = await p.db.equipmentModel.findFirstOrThrow();
    const asset = await call<{ assetId: string }>(admin, 'POST', '/api/assets', {
      tenantId: tid,
      siteId: site.body.id,
      contractId: contract.body.id,
      equipmentModel: model.key,
      serial: 'UMB-0001',
      name: 'Umbrella pump 1',
    });
    expect(asset.status).toBe(201);
    const listed = (await call<Contract[]>(admin, 'GET', base(tid))).body;
    expect(listed).toMatchObject([{ id: contract.body.id, assets: 1 }]);
    const kept = await call<Refusal>(admin, 'DELETE', `${base(tid)}/${contract.body.id}`);
    expect([kept.status, kept.body.code]).toEqual([409, 'ADMIN_CONTRACT_IN_USE']);
    // another tenant's contract is refused for an umbrella asset
    const theirs = await p.db.serviceContract.findFirstOrThrow({ where: { tenantId: globexId } });
    const cross = await call<Refusal>(admin, 'POST', '/api/assets', {
      tenantId: tid,
      siteId: site.body.id,
      contractId: theirs.id,
      equipmentModel: model.key,
      serial: 'UMB-0002',
      name: 'Umbrella pump 2',
    });
    expect([cross.status, cross.body.code]).toEqual([400, 'VALIDATION_FAILED']);
  });

  it('describes the routes in the OpenAPI document, with their answers', async () => {
    type Op = { tags?: string[]; responses?: Record<string, unknown>; requestBody?: unknown };
    const spec = (await call<{ paths: Record<string, Record<string, Op>> }>(null, 'GET', '/docs/json')).body;
    const list = spec.paths['/api/admin/tenants/{tenantId}/contracts']!;
    const one = spec.paths['/api/admin/tenants/{tenantId}/contracts/{contractId}']!;
    for (const [op, codes] of [
      [list.get, ['200', '403', '404']],
      [list.post, ['201', '400', '403', '404', '409']],
      [one.patch, ['200', '400', '403', '404', '409']],
      [one.delete, ['204', '403', '404', '409']],
    ] as const) {
      expect(op?.tags).toEqual(['admin']);
      for (const code of codes) expect(Object.keys(op?.responses ?? {})).toContain(code);
    }
    expect(list.post?.requestBody).toBeTruthy();
  });

  it('answers a registration under a contract deleted meanwhile with a 400, never a 500', async () => {
    const made = await call<Contract>(admin, 'POST', base(acmeId), {
      name: 'Going away',
      tier: 'STANDARD',
      responseHours: 24,
    });
    expect(made.status).toBe(201);
    const site = await p.db.site.findFirstOrThrow({ where: { tenantId: acmeId } });
    const model = await p.db.equipmentModel.findFirstOrThrow();
    // the contract is deleted (locked, found without assets, deleted: as DELETE …/contracts/{id} does) while the
    // registration, which found it, is about to write its asset
    const { pending } = await p.db.$transaction(
      async (tx) => {
        await tx.$queryRaw`SELECT id FROM "ServiceContract" WHERE id = ${made.body.id} FOR UPDATE`;
        const pending = call<Refusal>(admin, 'POST', '/api/assets', {
          tenantId: acmeId,
          siteId: site.id,
          contractId: made.body.id,
          equipmentModel: model.key,
          serial: 'RACE-C-0001',
          name: 'Raced',
        });
        for (let waiting = 0; waiting === 0;) {
          await new Promise((r) => setTimeout(r, 20));
          const [row] = await p.db.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock'`;
          waiting = Number(row!.n);
        }
        await tx.$executeRaw`DELETE FROM "ServiceContract" WHERE id = ${made.body.id}`;
        return { pending };
      },
      { timeout: 30_000 },
    );
    const registered = await pending;
    expect([registered.status, registered.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(await p.db.asset.count({ where: { serial: 'RACE-C-0001' } })).toBe(0);
  });
});
