import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { dateTimeInRange, httpAjvOptions } from './ajv-options.ts';

describe('request validator options', () => {
  it('bounds a date-time to 1970 or later (UTC)', () => {
    expect(dateTimeInRange('1970-01-01T00:00:00Z')).toBe(true);
    expect(dateTimeInRange('2026-12-04T19:00:00.000Z')).toBe(true);
    expect(dateTimeInRange('0000-01-01T00:00:00Z')).toBe(false);
    expect(dateTimeInRange('0001-01-15T00:00:00Z')).toBe(false);
    // 1970 in its own zone, 1969 in UTC
    expect(dateTimeInRange('1970-01-01T00:00:00+01:00')).toBe(false);
  });

  it('answers 400 for a query date-time in year 0, and keeps the RFC 3339 check', async () => {
    const app = Fastify({ ajv: httpAjvOptions });
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
    expect(await get('2026-12-04')).toBe(400);
    expect(await get('2026-13-45T00:00:00Z')).toBe(400);
    await app.close();
  });
});
