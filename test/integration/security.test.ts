// Security drill against the running platform: every API route and the live channel refuse requests without
// a valid token; a customer gets nothing of another tenant through any route that takes an id; login is rate
// limited; and no password, token or device secret appears in the logs.
import { Writable } from 'node:stream';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../common/logger.ts';
import { DEMO_ACCOUNTS, demoDevicePassword } from '../../simulators/demo-world.ts';
import { recordDrill } from '../helpers/drill-record.ts';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.ts';

interface OpenApi {
  paths: Record<string, Record<string, { security?: unknown[] }>>;
}

const PUBLIC = new Set(['POST /api/auth/login', 'GET /api/health']);

describe('security drill', () => {
  let p: TestPlatform;
  let logs = '';
  const tokens: string[] = [];
  let routes: { method: string; path: string }[];

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk, _enc, done) {
        logs += String(chunk);
        done();
      },
    });
    // debug level: the most a production operator could turn on
    p = await startTestPlatform({}, { log: createLogger({ level: 'debug', destination: sink }) });
    const spec = (await (await fetch(`${p.url}/docs/json`)).json()) as OpenApi;
    routes = Object.entries(spec.paths).flatMap(([route, methods]) =>
      Object.keys(methods).map((m) => ({ method: m.toUpperCase(), path: route })),
    );
  }, 120_000);
  afterAll(async () => p?.stop());

  const call = (method: string, route: string, token?: string, id = '00000000-0000-4000-8000-000000000000') =>
    fetch(`${p.url}${route.replace(/\{[^}]+\}/g, id)}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(method === 'GET' || method === 'DELETE' ? {} : { 'content-type': 'application/json' }),
      },
      body: method === 'GET' || method === 'DELETE' ? undefined : '{}',
    });

  it('refuses every API route without a token, or with a forged one', async () => {
    const guarded = routes.filter((r) => !PUBLIC.has(`${r.method} ${r.path}`));
    expect(guarded.length).toBeGreaterThan(8);
    const forged =
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ4Iiwicm9sZSI6IkFETUlOIiwidGVuYW50SWQiOm51bGx9.c2lnbmF0dXJl';
    for (const r of guarded) {
      expect([r, (await call(r.method, r.path)).status]).toEqual([r, 401]);
      expect([r, (await call(r.method, r.path, forged)).status]).toEqual([r, 401]);
    }
    recordDrill({
      drill: `requests without a token or with a forged one, to all ${guarded.length} protected routes`,
      behaviour: '401 on every one',
      lost: 'nothing disclosed',
      test: 'test/integration/security.test.ts',
    });
  });

  it('refuses the live channel without a valid token', async () => {
    for (const auth of [{}, { token: 'not-a-token' }]) {
      const s = io(p.url, { auth, transports: ['websocket'], reconnection: false });
      const outcome = await new Promise<string>((resolve) => {
        s.once('connect', () => resolve('connected'));
        s.once('connect_error', (err) => resolve(err.message));
      });
      s.close();
      expect(outcome).not.toBe('connected');
    }
    recordDrill({
      drill: 'socket.io connection without a token or with a bad one',
      behaviour: 'connection refused',
      lost: 'nothing disclosed',
      test: 'test/integration/security.test.ts',
    });
  });

  it('gives a customer nothing of another tenant through any route that takes an id', async () => {
    const customer = await p.login('customer@acme.demo', 'customer-demo');
    tokens.push(customer);
    const acme = await p.db.tenant.findUniqueOrThrow({ where: { slug: 'acme' } });
    const foreignAsset = await p.db.asset.findFirstOrThrow({ where: { NOT: { tenantId: acme.id } } });
    const foreignOrder = await p.db.serviceOrder.findFirst({ where: { NOT: { tenantId: acme.id } } });
    const withId = routes.filter((r) => r.method === 'GET' && /\{[^}]+\}/.test(r.path));
    expect(withId.length).toBeGreaterThan(0);
    for (const r of withId) {
      const id = /order/i.test(r.path) ? (foreignOrder?.id ?? foreignAsset.id) : foreignAsset.id;
      const res = await call(
        'GET',
        `${r.path}${r.path.includes('telemetry') ? '?metric=x' : ''}`,
        customer,
        id,
      );
      expect([r.path, [403, 404].includes(res.status)]).toEqual([r.path, true]);
    }
    // and lists hold only their own tenant
    for (const list of ['/api/orders', '/api/assets']) {
      const rows = (await (await call('GET', list, customer)).json()) as { tenantId: string }[];
      expect(rows.every((row) => row.tenantId === acme.id)).toBe(true);
    }
    recordDrill({
      drill: `a customer asking for another tenant's data through all ${withId.length} routes that take an id`,
      behaviour:
        '403/404 on every one; lists hold only their own tenant (live rooms: dashboard browser test)',
      lost: 'nothing disclosed',
      test: 'test/integration/security.test.ts',
    });
  });

  it('rate-limits login', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await fetch(`${p.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'admin@preempt.demo', password: `guess-${i}` }),
      });
      statuses.push(res.status);
    }
    expect(statuses).toContain(429);
    expect(statuses.filter((s) => s === 200)).toEqual([]);
    // a forged X-Forwarded-For buys no new budget: no proxy is trusted unless TRUST_PROXY names it
    const spoofed = await fetch(`${p.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.77' },
      body: JSON.stringify({ email: 'admin@preempt.demo', password: 'guess-spoofed' }),
    });
    expect(spoofed.status).toBe(429);
    recordDrill({
      drill: '12 password guesses in a row',
      behaviour: `refused; rate limited from guess ${statuses.indexOf(429) + 1} (429)`,
      lost: 'nothing',
      test: 'test/integration/security.test.ts',
    });
  });

  it('writes no password, token or device secret to the logs', async () => {
    await new Promise((r) => setTimeout(r, 500)); // let the fleet connect and log
    const authSecret = readFileSync(path.join(p.dataDir, 'auth-secret'), 'utf8').trim();
    // (an external broker in this run has no generated platform password)
    const mqttFile = path.join(p.dataDir, 'mqtt-password');
    const mqttPassword = existsSync(mqttFile) ? readFileSync(mqttFile, 'utf8').trim() : authSecret;
    const devices = await p.db.device.findMany({ take: 5 });
    const deviceSecrets = devices.map((d) => demoDevicePassword(authSecret, d.username));
    expect(logs.length).toBeGreaterThan(0);
    for (const s of [
      ...DEMO_ACCOUNTS.map((a) => a.password),
      ...tokens,
      authSecret,
      mqttPassword,
      ...deviceSecrets,
    ]) {
      expect(logs.includes(s), `a secret appears in the logs: ${s.slice(0, 4)}…`).toBe(false);
    }
    recordDrill({
      drill: 'secrets in logs (debug level): passwords, tokens, device secrets, signing key, broker password',
      behaviour: `none of them in ${Math.round(logs.length / 1024)} kB of logs (pino redaction)`,
      lost: 'nothing disclosed',
      test: 'test/integration/security.test.ts',
    });
  });
});
