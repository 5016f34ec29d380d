// GET /api/meta: signed-in callers only, the server's constants, a 304 on a matching ETag (on the wire: its body
// is what the browser gets, and Node sends none with a 304).
import Fastify from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authPlugin } from '../../common/http/auth.ts';
import { installErrorHandler } from '../../common/http/error-handler.ts';
import type { Accounts } from '../../common/http/session.ts';
import { platformMeta } from '../core/platform-meta.ts';
import { metaRoute } from './meta-route.ts';

const accounts: Accounts = {
  state: async () => ({ tokenVersion: 0, role: 'CUSTOMER', tenantId: 't1' }),
  states: async () => new Map(),
  revoke: async () => {},
};

describe('GET /api/meta', () => {
  const app = Fastify().withTypeProvider<TypeBoxTypeProvider>();
  let auth = '';
  let url = '';
  beforeAll(async () => {
    installErrorHandler(app);
    await app.register(authPlugin, { secret: 'x'.repeat(32), ttlMinutes: 5, accounts });
    await app.register(metaRoute);
    url = await app.listen({ port: 0, host: '127.0.0.1' });
    const token = app.jwt.sign({ sub: 'u1', email: 'c@x', role: 'CUSTOMER', tenantId: 't1', ver: 0 });
    auth = `Bearer ${token}`;
  });
  afterAll(() => app.close());

  it('refuses an anonymous caller', async () => {
    const res = await app.inject({ url: '/api/meta' });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('AUTH_TOKEN_MISSING');
  });

  it("serves the server's constants with an ETag, and 304 when the browser has them", async () => {
    const res = await app.inject({ url: '/api/meta', headers: { authorization: auth } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(platformMeta());
    const etag = res.headers.etag as string;
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await fetch(`${url}/api/meta`, {
      headers: { authorization: auth, 'if-none-match': `W/${etag}` },
    });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    const stale = await app.inject({
      url: '/api/meta',
      headers: { authorization: auth, 'if-none-match': '"old"' },
    });
    expect(stale.statusCode).toBe(200);
  });
});
