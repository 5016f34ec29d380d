import { describe, expect, it } from 'vitest';
import { findNul, urlHasNul } from './nul-bytes.ts';

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
});
