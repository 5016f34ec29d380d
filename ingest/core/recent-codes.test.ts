import { describe, expect, it } from 'vitest';
import { RecentCodes } from './recent-codes.ts';

const T = 1_796_000_000_000;

describe('RecentCodes', () => {
  it('drops a repeat of (asset, code, ts); another code, time or asset is new', () => {
    const r = new RecentCodes();
    expect(r.check('a', 'E1', T)).toBe('new');
    expect(r.check('a', 'E1', T)).toBe('repeat');
    expect(r.check('a', 'E2', T)).toBe('new');
    expect(r.check('a', 'E1', T + 1)).toBe('new');
    expect(r.check('b', 'E1', T)).toBe('new');
    // out of order inside the window
    expect(r.check('a', 'E1', T - 5_000)).toBe('new');
    expect(r.check('a', 'E1', T - 5_000)).toBe('repeat');
    expect(r.counts).toEqual({ new: 5, repeat: 2, late: 0 });
  });

  it('keeps memory bounded per asset whatever codes a device sends', () => {
    const r = new RecentCodes({ maxPerAsset: 1_024 });
    // one device, 50 messages of 500 codes never seen before (a code is any string the contract allows)
    for (let m = 0; m < 50; m++)
      for (let i = 0; i < 500; i++) expect(r.check('a', `X${m}-${i}`, T + m * 1_000)).toBe('new');
    expect(r.assetCount).toBe(1);
    expect(r.remembered('a')).toBe(1_024);
    // the last message's codes are still recognised
    expect(r.check('a', 'X49-0', T + 49_000)).toBe('repeat');
  });

  it('forgets codes past the window behind the newest; a replay that old is let through (late)', () => {
    const r = new RecentCodes({ windowMs: 60_000 });
    expect(r.check('a', 'E1', T)).toBe('new');
    expect(r.check('a', 'E2', T + 120_000)).toBe('new');
    expect(r.remembered('a')).toBe(1);
    expect(r.check('a', 'E1', T)).toBe('late');
    expect(r.check('a', 'E2', T + 120_000)).toBe('repeat');
  });
});
