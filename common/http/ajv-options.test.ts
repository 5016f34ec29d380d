import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { dateTimeInRange, findNonFinite, installRequestValidators } from './ajv-options.ts';

describe('request validator options', () => {
  it('bounds a date-time to 1970 or later (UTC)', () => {
    expect(dateTimeInRange('1970-01-01T00:00:00Z')).toBe(true);
    expect(dateTimeInRange('2026-12-04T19:00:00.000Z')).toBe(true);
    expect(dateTimeInRange('0000-01-01T00:00:00Z')).toBe(false);
    expect(dateTimeInRange('0001-01-15T00:00:00Z')).toBe(false);
    // 1970 in its own zone, 1969 in UTC
    expect(dateTimeInRange('1970-01-01T00:00:00+01:00')).toBe(false);
  });

  it('bounds a date-time to the end of 9999 (UTC)', () => {
    expect(dateTimeInRange('9999-12-31T23:59:59.999Z')).toBe(true);
    expect(dateTimeInRange('9999-12-31T23:59:59+14:00')).toBe(true);
    // 9999 in its own zone, 10000 in UTC
    expect(dateTimeInRange('9999-12-31T23:59:59-12:00')).toBe(false);
  });

  it('answers 400 for a query date-time in year 0, and keeps the RFC 3339 check', async () => {
    const app = Fastify();
    installRequestValidators(app);
    app.get(
      '/t',
      {
        schema: {
          querystring: {
            type: 'object',
            properties: { from: { type: 'string', format: 'date-time' } },
          },
        },
      },
      async (req) => ({ from: new Date((req.query as { from: string }).from).toISOString() }),
    );
    const get = async (from: string) =>
      (await app.inject({ method: 'GET', url: `/t?from=${encodeURIComponent(from)}` })).statusCode;
    expect(await get('2026-12-04T19:00:00Z')).toBe(200);
    expect(await get('1970-01-01T00:00:00Z')).toBe(200);
    expect(await get('0000-01-01T00:00:00Z')).toBe(400);
    expect(await get('1970-01-01T00:00:00+14:00')).toBe(400);
    expect(await get('9999-12-31T23:59:59-12:00')).toBe(400);
    expect(await get('2026-12-04')).toBe(400);
    expect(await get('2026-13-45T00:00:00Z')).toBe(400);
    await app.close();
  });

  it('coerces query strings and params, but takes a JSON body as typed', async () => {
    const app = Fastify();
    installRequestValidators(app);
    app.post(
      '/t/:n',
      {
        schema: {
          params: { type: 'object', properties: { n: { type: 'integer' } } },
          querystring: {
            type: 'object',
            properties: {
              limit: { type: 'integer' },
              status: { type: 'array', items: { type: 'string' } },
            },
          },
          body: {
            type: 'object',
            required: ['password'],
            properties: {
              password: { type: 'string' },
              quantity: { type: 'integer', default: 1 },
              at: { type: 'string', format: 'date-time' },
            },
          },
        },
      },
      async (req) => ({ params: req.params, query: req.query, body: req.body }),
    );
    const post = (url: string, payload: unknown) =>
      app.inject({ method: 'POST', url, payload: payload as object });
    const ok = await post('/t/7?limit=5&status=A', { password: 'x' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({
      params: { n: 7 },
      query: { limit: 5, status: ['A'] },
      body: { password: 'x', quantity: 1 },
    });
    expect((await post('/t/7', { password: ['x'] })).statusCode).toBe(400);
    expect((await post('/t/7', { password: 1234 })).statusCode).toBe(400);
    expect((await post('/t/7', { password: 'x', quantity: '3' })).statusCode).toBe(400);
    expect((await post('/t/7', { password: 'x', at: '0000-01-01T00:00:00Z' })).statusCode).toBe(400);
    expect((await post('/t/x', { password: 'x' })).statusCode).toBe(400);
    await app.close();
  });

  it('answers 400 for a query or path number that coerces to Infinity, which passed maximum before', async () => {
    const app = Fastify();
    installRequestValidators(app);
    app.get(
      '/t/:v',
      {
        schema: {
          params: { type: 'object', properties: { v: { type: 'integer', minimum: 1 } } },
          querystring: {
            type: 'object',
            properties: {
              limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
              at: { type: 'array', items: { type: 'number' } },
            },
          },
        },
      },
      async (req) => ({ params: req.params, query: req.query }),
    );
    const get = (url: string) => app.inject({ method: 'GET', url });
    const ok = await get('/t/2?limit=500&at=1.5');
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ params: { v: 2 }, query: { limit: 500, at: [1.5] } });
    for (const url of [
      '/t/2?limit=1e309',
      '/t/2?limit=-1e309',
      '/t/2?limit=Infinity',
      '/t/1e309',
      '/t/2?at=1&at=1e309',
      '/t/2?limit=501',
    ]) {
      const r = await get(url);
      expect(r.statusCode, url).toBe(400);
    }
    expect((await get('/t/2?limit=1e309')).json().message).toMatch(/limit must be a finite number/);
    await app.close();
  });

  it('finds a number that is not finite, with its path', () => {
    expect(findNonFinite({ limit: 5, s: 'Infinity', a: [1, 2] })).toBeUndefined();
    expect(findNonFinite({ limit: Infinity })).toBe('/limit');
    expect(findNonFinite({ a: [1, Number.NaN] })).toBe('/a/1');
    expect(findNonFinite(-Infinity)).toBe('/');
  });
});
