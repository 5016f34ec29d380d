// Revocation and live-channel drills, as an outsider: a token stops working at once after logout or when its
// account is deleted or changed; live connections close when their token expires or is revoked; a flooding
// live connection is rate-limited, logged once and closed; and customers see none of the dispatch desk's
// e-mail addresses and notes, over HTTP or live.
import { Writable } from 'node:stream';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveOrder, LiveSessionEnded } from '../../common/contracts/live.ts';
import { createLogger } from '../../common/logger.ts';
import { hashPassword, verifyPassword } from '../../common/password.ts';
import { recordDrill } from '../helpers/drill-record.ts';
import { eventually, startTestPlatform, type TestPlatform } from '../helpers/platform.ts';

const TEST = 'test/integration/sessions.test.ts';

describe('sessions: revocation, live connections, what customers see', () => {
  let p: TestPlatform;
  let logs: string[] = [];
  const sockets: Socket[] = [];
  // logins are rate-limited (10 a minute): later tests reuse these
  let dispatcherToken = '';
  let acmeToken = '';

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk, _enc, done) {
        logs.push(...String(chunk).split('\n').filter(Boolean));
        done();
      },
    });
    p = await startTestPlatform(
      {},
      { fleet: false, log: createLogger({ level: 'info', destination: sink }) },
    );
  }, 120_000);
  afterAll(async () => {
    for (const s of sockets) s.close();
    await p?.stop();
  });

  const call = async <T = { code?: string }>(method: string, url: string, token?: string, body?: unknown) => {
    const res = await fetch(`${p.url}${url}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
  };

  /** A connected live client that records what it receives and why it was closed. */
  async function live(token: string) {
    const s = io(p.url, { auth: { token }, transports: ['websocket'], reconnection: false });
    sockets.push(s);
    const got = { orders: [] as LiveOrder[], ended: [] as LiveSessionEnded[], disconnected: '' };
    s.on('order', (o) => got.orders.push(o));
    s.on('session:ended', (e) => got.ended.push(e));
    s.on('disconnect', (reason) => (got.disconnected = reason));
    await new Promise<void>((resolve, reject) => {
      s.once('connect', () => resolve());
      s.once('connect_error', reject);
    });
    return { s, got };
  }

  it('refuses a token after logout, on HTTP and on the live channel, at once', async () => {
    const token = await p.login('dispatcher@preempt.demo', 'dispatcher-demo');
    const other = await p.login('dispatcher@preempt.demo', 'dispatcher-demo'); // another device
    expect((await call('GET', '/api/auth/me', token)).status).toBe(200);
    const { got } = await live(other);
    const t0 = Date.now();
    expect((await call('POST', '/api/auth/logout', token)).status).toBe(204);
    expect(await call('GET', '/api/auth/me', token)).toMatchObject({
      status: 401,
      body: { code: 'AUTH_TOKEN_REVOKED' },
    });
    expect((await call('GET', '/api/orders', other)).status).toBe(401);
    expect((await call('POST', '/api/auth/logout', token)).status).toBe(401);
    await eventually(async () => got.disconnected === 'io server disconnect', 2_000, 20);
    const closedMs = Date.now() - t0;
    expect(got.ended).toEqual([{ code: 'AUTH_TOKEN_REVOKED', message: expect.any(String) }]);
    // and a new login works
    const fresh = await p.login('dispatcher@preempt.demo', 'dispatcher-demo');
    expect((await call('GET', '/api/auth/me', fresh)).status).toBe(200);
    dispatcherToken = fresh;
    recordDrill({
      drill: 'a token used after logout (HTTP), and a live connection of the same account open at logout',
      behaviour: `401 AUTH_TOKEN_REVOKED on the next request, on every device; the live connection closed ${closedMs} ms after logout`,
      lost: 'nothing disclosed after logout',
      test: TEST,
    });
  });

  it("refuses a deleted or changed account's token within a second, and closes its live connection", async () => {
    const tenant = await p.db.tenant.findUniqueOrThrow({ where: { slug: 'globex' } });
    const user = await p.db.user.create({
      data: {
        email: 'leaver@globex.demo',
        name: 'Leaver',
        role: 'CUSTOMER',
        tenantId: tenant.id,
        passwordHash: await hashPassword('leaver-pass'),
      },
    });
    const token = await p.login('leaver@globex.demo', 'leaver-pass');
    const { got } = await live(token);
    expect((await call('GET', '/api/assets', token)).status).toBe(200);
    await p.db.user.delete({ where: { id: user.id } });
    const t0 = Date.now();
    const after = await call('GET', '/api/assets', token);
    const refusedMs = Date.now() - t0;
    expect(after).toMatchObject({ status: 401, body: { code: 'AUTH_TOKEN_REVOKED' } });
    expect(refusedMs).toBeLessThan(1_000);
    // the periodic sweep (every 5 s) closes its live connection
    await eventually(async () => got.disconnected === 'io server disconnect', 8_000, 50);
    const sweptMs = Date.now() - t0;
    expect(got.ended.map((e) => e.code)).toEqual(['AUTH_TOKEN_REVOKED']);

    // a role changed in the database revokes too
    const engineer = await p.login('engineer@preempt.demo', 'engineer-demo');
    expect((await call('GET', '/api/models', engineer)).status).toBe(200);
    await p.db.user.update({ where: { email: 'engineer@preempt.demo' }, data: { role: 'CUSTOMER' } });
    try {
      expect(await call('GET', '/api/models', engineer)).toMatchObject({
        status: 401,
        body: { code: 'AUTH_TOKEN_REVOKED' },
      });
    } finally {
      await p.db.user.update({ where: { email: 'engineer@preempt.demo' }, data: { role: 'ENGINEER' } });
    }
    recordDrill({
      drill: "a deleted account's token, and a token whose account's role changed, still in use",
      behaviour: `401 AUTH_TOKEN_REVOKED on the next request (${refusedMs} ms after deletion); its live connection closed by the sweep ${sweptMs} ms after`,
      lost: 'nothing disclosed after deletion',
      test: TEST,
    });
  }, 30_000);

  it('revokes every token of an account when its password changes, and hands back a new one', async () => {
    const initech = await p.db.tenant.findUniqueOrThrow({ where: { slug: 'initech' } });
    await p.db.user.create({
      data: {
        email: 'changer@initech.demo',
        name: 'Changer',
        role: 'CUSTOMER',
        tenantId: initech.id,
        passwordHash: await hashPassword('old-pass-1'),
      },
    });
    const token = await p.login('changer@initech.demo', 'old-pass-1');
    const { got } = await live(token);
    const change = (body: unknown) =>
      call<{ token?: string; code?: string }>('POST', '/api/auth/password', token, body);
    expect(await change({ currentPassword: 'wrong', newPassword: 'new-pass-22' })).toMatchObject({
      status: 401,
      body: { code: 'AUTH_INVALID_CREDENTIALS' },
    });
    expect(await change({ currentPassword: 'old-pass-1', newPassword: 'short' })).toMatchObject({
      status: 400,
      body: { code: 'VALIDATION_FAILED' },
    });
    expect((await call('GET', '/api/auth/me', token)).status).toBe(200); // refusals change nothing
    const changed = await change({ currentPassword: 'old-pass-1', newPassword: 'new-pass-22' });
    expect(changed.status).toBe(200);
    expect(await call('GET', '/api/auth/me', token)).toMatchObject({
      status: 401,
      body: { code: 'AUTH_TOKEN_REVOKED' },
    });
    expect((await call('GET', '/api/auth/me', changed.body.token)).status).toBe(200);
    await eventually(async () => got.disconnected === 'io server disconnect', 2_000, 20);
    expect(got.ended.map((e) => e.code)).toEqual(['AUTH_TOKEN_REVOKED']);
    const stored = await p.db.user.findUniqueOrThrow({ where: { email: 'changer@initech.demo' } });
    expect(await verifyPassword('new-pass-22', stored.passwordHash)).toBe(true);
    recordDrill({
      drill: 'a token, and a live connection, still in use after its account changed its password',
      behaviour:
        'POST /api/auth/password (current password required) revokes every token: 401 AUTH_TOKEN_REVOKED on the next request, the live connection closed; the new token works',
      lost: 'nothing disclosed after the change',
      test: TEST,
    });
  });

  it('closes a live connection when its token expires, and refuses the token on HTTP', async () => {
    const login = await p.login('admin@preempt.demo', 'admin-demo');
    const claims = JSON.parse(Buffer.from(login.split('.')[1]!, 'base64url').toString()) as Record<
      string,
      unknown
    >;
    // the same claims as a login gives, with a 2 s lifetime
    const short = p.app.jwt.sign(
      {
        sub: claims.sub as string,
        email: claims.email as string,
        role: 'ADMIN',
        tenantId: null,
        ver: claims.ver as number,
      },
      { expiresIn: '2s' },
    );
    const { got } = await live(short);
    const t0 = Date.now();
    expect((await call('GET', '/api/auth/me', short)).status).toBe(200);
    await eventually(async () => got.disconnected === 'io server disconnect', 5_000, 20);
    const closedMs = Date.now() - t0;
    expect(got.ended.map((e) => e.code)).toEqual(['AUTH_TOKEN_EXPIRED']);
    expect(await call('GET', '/api/auth/me', short)).toMatchObject({
      status: 401,
      body: { code: 'AUTH_TOKEN_EXPIRED' },
    });
    recordDrill({
      drill: 'a live connection whose token (2 s lifetime) expires while connected',
      behaviour: `closed at expiry (${closedMs} ms after connecting) with session:ended AUTH_TOKEN_EXPIRED; HTTP 401 AUTH_TOKEN_EXPIRED`,
      lost: 'nothing sent after expiry',
      test: TEST,
    });
  });

  it('rate-limits a flood of asset:watch on one connection: logged once, then the connection is closed', async () => {
    const token = await p.login('customer@acme.demo', 'customer-demo');
    acmeToken = token;
    const acme = await p.db.tenant.findUniqueOrThrow({ where: { slug: 'acme' } });
    const own = await p.db.asset.findFirstOrThrow({ where: { tenantId: acme.id } });
    const foreign = await p.db.asset.findFirstOrThrow({ where: { NOT: { tenantId: acme.id } } });
    const { s, got } = await live(token);
    const quiet: number[] = [];
    for (let i = 0; i < 5; i++) {
      const h0 = Date.now();
      await fetch(`${p.url}/api/health`).then((r) => r.arrayBuffer());
      quiet.push(Date.now() - h0);
    }
    logs = [];
    const FLOOD = 20_000;
    const t0 = Date.now();
    const healthMs: number[] = [];
    const probe = (async () => {
      while (Date.now() - t0 < 3_000) {
        const h0 = Date.now();
        await fetch(`${p.url}/api/health`).then((r) => r.arrayBuffer());
        healthMs.push(Date.now() - h0);
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    for (let i = 0; i < FLOOD && s.connected; i++) {
      s.emit('asset:watch', i % 2 ? foreign.id : `ghost-${i}`, () => undefined);
      if (i % 100 === 0) await new Promise((r) => setImmediate(r));
    }
    await eventually(async () => got.disconnected === 'io server disconnect', 10_000, 20);
    await probe;
    expect(got.ended.map((e) => e.code)).toEqual(['LIVE_FLOODING']);
    const watchLines = logs.filter((l) => /live (watch refused|events rate limited|events refused)/.test(l));
    expect(watchLines.length).toBeLessThanOrEqual(3);
    expect(Math.max(...healthMs)).toBeLessThan(1_000); // it took 1.9 s before the rate limit
    // a well-behaved connection of the same account still watches its own asset and is refused a foreign one
    const { s: calm } = await live(token);
    expect(await calm.timeout(5_000).emitWithAck('asset:watch', own.id)).toEqual({ ok: true });
    expect(await calm.timeout(5_000).emitWithAck('asset:watch', foreign.id)).toEqual({
      ok: false,
      error: 'not found',
    });
    calm.close();
    recordDrill({
      drill: `a flood of up to ${FLOOD.toLocaleString('en')} refused asset:watch events on one live connection`,
      behaviour: `token bucket per connection (50, 10/s); ${watchLines.length} log lines; connection closed (LIVE_FLOODING); /api/health at most ${Math.max(...healthMs)} ms meanwhile (${Math.max(...quiet)} ms before)`,
      lost: 'nothing; other connections unaffected',
      test: TEST,
    });
  }, 30_000);

  it("gives customers none of the desk's e-mail addresses and notes, over HTTP and live", async () => {
    const acme = await p.db.tenant.findUniqueOrThrow({ where: { slug: 'acme' } });
    const asset = await p.db.asset.findFirstOrThrow({
      where: { tenantId: acme.id },
      include: { contract: true, equipmentModel: { include: { failureModes: true } } },
    });
    const fm = asset.equipmentModel.failureModes[0]!;
    const order = await p.db.serviceOrder.create({
      data: {
        tenantId: acme.id,
        assetId: asset.id,
        failureModeId: fm.id,
        openKey: `${asset.id}:${fm.id}`,
        slaTier: asset.contract.tier,
        expectedFailureAt: new Date(Date.now() + 8 * 3_600_000),
        dueBy: new Date(Date.now() + 7 * 3_600_000),
        acceptedBy: 'dispatcher@preempt.demo',
        events: {
          create: {
            status: 'PREDICTED',
            action: 'accept',
            actor: 'dispatcher@preempt.demo',
            note: 'VIP, difficult',
          },
        },
      },
    });
    const customer = acmeToken;
    const dispatcher = dispatcherToken;
    const secrets = ['dispatcher@preempt.demo', 'VIP, difficult', 'internal: customer slow to pay'];
    const leaks = (v: unknown) => secrets.filter((x) => JSON.stringify(v).includes(x));

    const one = await call<LiveOrder>('GET', `/api/orders/${order.id}`, customer);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ id: order.id, acceptedBy: null, actions: [], nextStatus: null });
    const list = await call<LiveOrder[]>('GET', '/api/orders', customer);
    const history = await call<{ actor: string; note: string | null }[]>(
      'GET',
      `/api/orders/${order.id}/events`,
      customer,
    );
    expect(history.body).toEqual([expect.objectContaining({ actor: 'dispatcher', note: null })]);
    expect([leaks(one.body), leaks(list.body), leaks(history.body)]).toEqual([[], [], []]);
    // staff still see everything
    expect((await call<LiveOrder>('GET', `/api/orders/${order.id}`, dispatcher)).body.acceptedBy).toBe(
      'dispatcher@preempt.demo',
    );

    const c = await live(customer);
    const d = await live(dispatcher);
    const cancel = await call('POST', `/api/orders/${order.id}/cancel`, dispatcher, {
      reason: 'OTHER',
      note: 'internal: customer slow to pay',
    });
    expect(cancel.status).toBe(200);
    await eventually(
      async () => c.got.orders.some((o) => o.id === order.id && o.status === 'CANCELLED'),
      5_000,
      20,
    );
    await eventually(
      async () => d.got.orders.some((o) => o.id === order.id && o.status === 'CANCELLED'),
      5_000,
      20,
    );
    expect(leaks(c.got.orders)).toEqual([]);
    expect(d.got.orders.find((o) => o.id === order.id)?.acceptedBy).toBe('dispatcher@preempt.demo');
    const after = await call('GET', `/api/orders/${order.id}/events`, customer);
    expect(leaks(after.body)).toEqual([]);
    recordDrill({
      drill:
        "a customer reading their own order's view, history and live events after a dispatcher acted on it",
      behaviour:
        'no dispatcher e-mail address, note or desk workflow (actions, next status) in GET /api/orders, /api/orders/{id}, /api/orders/{id}/events or the live order events; staff see all',
      lost: 'nothing disclosed',
      test: TEST,
    });
  });
});
