import { describe, expect, it } from 'vitest';
import { diffParams } from './compare-versions.ts';

describe('comparing two versions', () => {
  it('lists every parameter of either with what changed', () => {
    expect(diffParams({ a: 1, b: [1, 2], c: 'x' }, { a: 1, b: [1, 3], d: true })).toEqual([
      { key: 'a', a: 1, b: 1, changed: false },
      { key: 'b', a: [1, 2], b: [1, 3], changed: true },
      { key: 'c', a: 'x', b: null, changed: true },
      { key: 'd', a: null, b: true, changed: true },
    ]);
  });
});
