// User administration over HTTP on the whole platform (issue 17): an admin creates, disables, enables, resets
// and re-roles accounts; each change is in the audit log (who, what, when, before/after, never a hash); the
// account's tokens (HTTP and live) stop at once on disable, reset and change of role; non-admins get 403; bad
// input is a 4xx with a code. Also: an unknown page is an HTML 404, an unknown API path a JSON 404.
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi } from '../helpers/api-client.ts';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.ts';

interface AdminUser {
  id: string;
  email: string;
  role: string;
  tenantId: string | null;
  disabled: boolean;
}
interface Audit {
  id: string;
  at: string;
  action: string;
  actor: string;
  targetId: string;
  target: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

describe('user administration and the audit log', () => {
  let p: TestPlatform;
  let admin = '';
  let dispatcher = '';
  let adminId = '';
  let globexId = '';
  const sockets: Socket[] = [];

  const call = <T = unknown>(token: string | null, method: string, url: string, body?: unknown) =>
    callApi<T>(p.url, token, method, url, body);
  const loginStatus = async (email: string, password: string) =>
    (await call(null, 'POST', '/api/auth/login', { email, password })).status;

  const closed = async (token: string) => {
    const s = io(p.url, { auth: { token }, transports: ['websocket'], reconnection: false });
    sockets.push(s);
    await new Promise<void>((resolve, reject) => {
      s.once('connect', () => resolve());
      s.once('connect_error', reject);
    });
    return new Promise<string>((resolve) => s.on('session:ended', (e: { code: string }) => resolve(e.code)));
  };

  beforeAll(async () => {
    p = await startTestPlatform({}, { fleet: false });
    admin = await p.login('admin@preempt.demo', 'admin-demo');
    dispatcher = await p.login('dispatcher@preempt.demo', 'dispatcher-demo');
    adminId = (await p.db.user.findUniqueOrThrow({ where: { email: 'admin@preempt.demo' } })).id;
    globexId = (await p.db.tenant.findUniqueOrThrow({ where: { slug: 'globex' } })).id;
  }, 60_000);
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await p?.stop();
  });

  it('only admins administer accounts; bad input is a 4xx with a code', async () => {
    const body = {
      email: 'new@globex.demo',
      name: 'New',
      role: 'CUSTOMER',
      tenantId: globexId,
      password: 'new-pass-1',
    };
    expect((await call(dispatcher, 'POST', '/api/admin/users', body)).status).toBe(403);
    expect((await call(null, 'POST', '/api/admin/users', body)).status).toBe(401);
    expect((await call(dispatcher, 'GET', '/api/admin/audit')).status).toBe(403);
    expect((await call(dispatcher, 'POST', `/api/admin/users/${adminId}/disable`)).status).toBe(403);

    const bad = [
      [{ ...body, role: 'ROOT' }, 400, 'VALIDATION_FAILED'],
      [{ ...body, password: 'short' }, 400, 'VALIDATION_FAILED'],
      [{ ...body, email: 'not-an-email' }, 400, 'VALIDATION_FAILED'],
      [{ ...body, tenantId: null }, 400, 'ADMIN_INVALID_ACCOUNT'],
      [{ ...body, tenantId: 'no-such-tenant' }, 400, 'ADMIN_INVALID_ACCOUNT'],
      [{ ...body, role: 'ENGINEER' }, 400, 'ADMIN_INVALID_ACCOUNT'],
      [{ ...body, email: 'admin@preempt.demo' }, 409, 'ADMIN_EMAIL_TAKEN'],
      [{ ...body, passwordHash: 'x' }, 400, 'VALIDATION_FAILED'],
    ] as const;
    for (const [b, status, code] of bad)
      expect(await call(admin, 'POST', '/api/admin/users', b), JSON.stringify(b)).toMatchObject({
        status,
        body: { code },
      });
    expect((await call(admin, 'POST', '/api/admin/users/nobody/disable')).status).toBe(404);
    expect((await call(admin, 'POST', '/api/admin/users/nobody/role', { role: 'ADMIN' })).status).toBe(404);
    expect((await call(admin, 'POST', '/api/admin/users/nobody/password', { password: 'x' })).status).toBe(
      400,
    );
    expect((await call(admin, 'GET', '/api/admin/audit?before=abc')).status).toBe(400);
    expect((await call(admin, 'GET', '/api/admin/audit?limit=100000')).status).toBe(400);
    // an admin cannot lock themselves out
    expect(await call(admin, 'POST', `/api/admin/users/${adminId}/disable`)).toMatchObject({
      status: 409,
      body: { code: 'ADMIN_OWN_ACCOUNT' },
    });
    expect((await call(admin, 'POST', `/api/admin/users/${adminId}/role`, { role: 'ENGINEER' })).status).toBe(
      409,
    );
  });

  it('creates, disables, enables, resets and re-roles an account; tokens stop at once; all audited', async () => {
    const created = await call<AdminUser>(admin, 'POST', '/api/admin/users', {
      email: 'Temp@Globex.demo',
      name: 'Temp',
      role: 'CUSTOMER',
      tenantId: globexId,
      password: 'temp-pass-1',
    });
    expect(created).toMatchObject({ status: 201, body: { email: 'temp@globex.demo', disabled: false } });
    const id = created.body.id;

    // disable: HTTP and live refused at once, login refused
    let token = await p.login('temp@globex.demo', 'temp-pass-1');
    let ended = closed(token);
    expect((await call(token, 'GET', '/api/assets')).status).toBe(200);
    expect(await call<AdminUser>(admin, 'POST', `/api/admin/users/${id}/disable`)).toMatchObject({
      status: 200,
      body: { disabled: true },
    });
    expect(await call(token, 'GET', '/api/assets')).toMatchObject({
      status: 401,
      body: { code: 'AUTH_TOKEN_REVOKED' },
    });
    expect(await ended).toBe('AUTH_TOKEN_REVOKED');
    expect(await loginStatus('temp@globex.demo', 'temp-pass-1')).toBe(401);
    const list = await call<AdminUser[]>(admin, 'GET', '/api/admin/users');
    expect(list.body.find((u) => u.id === id)).toMatchObject({ disabled: true });

    // enable, then reset the password: the old token and the old password stop
    expect((await call(admin, 'POST', `/api/admin/users/${id}/enable`)).status).toBe(200);
    token = await p.login('temp@globex.demo', 'temp-pass-1');
    expect(
      (await call(admin, 'POST', `/api/admin/users/${id}/password`, { password: 'temp-pass-2' })).status,
    ).toBe(200);
    expect((await call(token, 'GET', '/api/assets')).status).toBe(401);
    expect(await loginStatus('temp@globex.demo', 'temp-pass-1')).toBe(401);
    token = await p.login('temp@globex.demo', 'temp-pass-2');

    // change of role: the customer's token stops, live too
    ended = closed(token);
    const promoted = await call<AdminUser>(admin, 'POST', `/api/admin/users/${id}/role`, {
      role: 'ENGINEER',
    });
    expect(promoted).toMatchObject({ status: 200, body: { role: 'ENGINEER', tenantId: null } });
    expect((await call(token, 'GET', '/api/assets')).status).toBe(401);
    expect(await ended).toBe('AUTH_TOKEN_REVOKED');

    // the audit log: every change, newest first, who and what, before/after, never a hash
    const audit = await call<Audit[]>(admin, 'GET', `/api/admin/audit?targetId=${id}`);
    expect(audit.status).toBe(200);
    expect(audit.body.map((a) => a.action)).toEqual([
      'user.role',
      'user.password',
      'user.enable',
      'user.disable',
      'user.create',
    ]);
    for (const a of audit.body)
      expect(a).toMatchObject({ actor: 'admin@preempt.demo', target: 'temp@globex.demo' });
    expect(audit.body[0]).toMatchObject({
      before: { role: 'CUSTOMER', tenantId: globexId },
      after: { role: 'ENGINEER', tenantId: null },
    });
    expect(audit.body[1]).toMatchObject({ before: null, after: { passwordReset: true } });
    expect(audit.body[3]).toMatchObject({ before: { disabled: false }, after: { disabled: true } });
    expect(audit.body[4]!.after).toMatchObject({ email: 'temp@globex.demo', role: 'CUSTOMER' });
    const text = JSON.stringify(audit.body);
    expect(text).not.toMatch(/scrypt|passwordHash|temp-pass/);
    // paging back
    const older = await call<Audit[]>(admin, 'GET', `/api/admin/audit?limit=2&before=${audit.body[2]!.id}`);
    expect(older.body.map((a) => a.action)).toEqual(['user.disable', 'user.create']);
  });

  it('an unknown page is an HTML 404; an unknown API path stays JSON', async () => {
    const page = await call<string>(null, 'GET', '/no/such/page');
    expect(page.status).toBe(404);
    expect(page.type).toContain('text/html');
    expect(page.body).toContain('Page not found');
    expect(page.body).toContain('href="/"');
    const script = await call<string>(null, 'GET', '/<script>x</script>');
    expect(script.body).not.toContain('<script>x');
    const api = await call(null, 'GET', '/api/no-such-route');
    expect(api).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
    expect(api.type).toContain('json');
    expect((await call(null, 'GET', '/')).type).toContain('text/html');
  });
});
