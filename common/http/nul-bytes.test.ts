import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { installErrorHandler } from './error-handler.ts';
import { installInputGuard } from './input-guard.ts';
import { findLoneSurrogate, findNul, hasLoneSurrogate, urlHasNul } from './nul-bytes.ts';

describe('input guard', () => {
  it('finds a NUL in a URL, raw or %-encoded, but not an encoded percent sign', () => {
    expect(urlHasNul('/api/orders/%00')).toBe(true);
    expect(urlHasNul('/api/orders?status=a%00b')).toBe(true);
    expect(urlHasNul('/api/x\u0000')).toBe(true);
    expect(urlHasNul('/api/orders?q=%2500')).toBe(false);
  });
  it('finds a NUL in any string or key of a JSON value, however deep', () => {
    expect(findNul({ a: [1, 'ok', { b: 'x\u0000' }] })).toBe('/a/2/b');
    expect(findNul({ ['k\u0000']: 1 })).toBe('/k\\u0000');
    expect(findNul('\u0000')).toBe('/');
    expect(findNul({ a: ['fine', null, 3, true] })).toBeUndefined();
    // not JSON: a raw body is not walked byte by byte
    expect(findNul(Buffer.alloc(10))).toBeUndefined();
    expect(findNul(new Map([['k\u0000', 1]]))).toBeUndefined();
    let deep: unknown = 'x\u0000';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(findNul(deep)).toMatch(/^(\/0)+$/);
  });
  it('finds a lone UTF-16 surrogate in any string or key, but not a pair', () => {
    expect(hasLoneSurrogate('a\ud800b')).toBe(true);
    expect(hasLoneSurrogate('\udc00')).toBe(true);
    expect(hasLoneSurrogate('x\ud83d')).toBe(true);
    expect(hasLoneSurrogate('\udca9\ud83d')).toBe(true);
    expect(hasLoneSurrogate('\ud83d\udca9 é \u202e')).toBe(false);
    expect(findLoneSurrogate(JSON.parse('{"a":[1,{"name":"x\\ud800"}]}'))).toBe('/a/1/name');
    expect(findLoneSurrogate(JSON.parse('{"k\\udfff":1}'))).toBe('/k\\udfff');
    expect(findLoneSurrogate({ name: 'Zürich 💩', n: 1 })).toBeUndefined();
  });

  it('answers 400 for a JSON body with a lone surrogate, which reached Prisma and was a 500', async () => {
    const app = Fastify();
    installErrorHandler(app);
    installInputGuard(app);
    app.post('/t', async (req) => ({ got: req.body }));
    const post = (payload: string) =>
      app.inject({ method: 'POST', url: '/t', headers: { 'content-type': 'application/json' }, payload });
    const bad = await post('{"email":"a\\ud800@x.de","password":"x"}');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(bad.json().message).toMatch(/lone UTF-16 surrogate .* at \/email/);
    expect((await post('{"n":"\\ud83d\\udca9"}')).json()).toEqual({ got: { n: '💩' } });
    expect((await post('{"n":"a\\u0000"}')).json()).toMatchObject({ code: 'VALIDATION_NUL_CHARACTER' });
    await app.close();
  });
});
