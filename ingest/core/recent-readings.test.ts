import { describe, expect, it } from 'vitest';
import { RecentReadings } from './recent-readings.ts';

describe('RecentReadings', () => {
  it('lets each (asset, ts) through once, per asset', () => {
    const seen = new RecentReadings();
    expect(seen.check('a', 1_000)).toBe('new');
    expect(seen.check('a', 2_000)).toBe('new');
    expect(seen.check('a', 1_000)).toBe('repeat');
    expect(seen.check('a', 2_000)).toBe('repeat');
    expect(seen.check('b', 1_000)).toBe('new'); // the same time on another asset is another reading
    expect(seen.counts).toEqual({ new: 3, repeat: 2, late: 0 });
  });

  it('takes readings out of order inside the window and still recognises their repeats', () => {
    const seen = new RecentReadings({ windowMs: 60_000 });
    for (const ts of [10_000, 30_000, 20_000, 25_000, 5_000, 40_000]) expect(seen.check('a', ts)).toBe('new');
    for (const ts of [5_000, 10_000, 20_000, 25_000, 30_000, 40_000])
      expect(seen.check('a', ts)).toBe('repeat');
  });

  it('replays a whole batch after a crash: every repeat dropped, the rest new', () => {
    const seen = new RecentReadings();
    for (let i = 0; i < 1_000; i++) seen.check('a', i * 2_000);
    // the worker had announced up to 999 but checkpointed only up to 899: 900..999 come again, then 1000..1099
    const verdicts = [];
    for (let i = 900; i < 1_100; i++) verdicts.push(seen.check('a', i * 2_000));
    expect(verdicts.filter((v) => v === 'repeat')).toHaveLength(100);
    expect(verdicts.filter((v) => v === 'new')).toHaveLength(100);
  });

  it('forgets readings more than the window behind the newest: those are late, and let through', () => {
    const seen = new RecentReadings({ windowMs: 10_000 });
    seen.check('a', 1_000);
    seen.check('a', 20_000); // 1,000 is now 19 s behind: forgotten
    expect(seen.remembered('a')).toBe(1);
    expect(seen.check('a', 1_000)).toBe('late');
    expect(seen.check('a', 9_000)).toBe('late'); // never seen, but below what is remembered
    expect(seen.check('a', 15_000)).toBe('new'); // inside the window
    expect(seen.check('a', 15_000)).toBe('repeat');
  });

  it('remembers at most maxPerAsset times per asset, whatever the stream', () => {
    const seen = new RecentReadings({ windowMs: Number.POSITIVE_INFINITY, maxPerAsset: 100 });
    for (let i = 0; i < 10_000; i++) seen.check('a', i);
    expect(seen.remembered('a')).toBe(100);
    expect(seen.check('a', 9_999)).toBe('repeat');
    expect(seen.check('a', 9_900)).toBe('repeat');
    expect(seen.check('a', 9_899)).toBe('late');
    // an out-of-order reading inserted at the front pushes the oldest out, not itself
    seen.check('a', 10_500);
    expect(seen.check('a', 10_200)).toBe('new');
    expect(seen.remembered('a')).toBe(100);
    expect(seen.check('a', 10_200)).toBe('repeat');
    expect(seen.check('a', 9_901)).toBe('late');
  });

  it('gives the verdicts of a plain sorted list on a long mixed stream (forgetting without splicing)', () => {
    // the reference: the former implementation, a sorted array spliced as readings are forgotten
    const ref = { ts: [] as number[], forgotten: Number.NEGATIVE_INFINITY };
    const windowMs = 50;
    const max = 20;
    const refCheck = (ts: number) => {
      if (ts <= ref.forgotten) return 'late';
      if (ref.ts.includes(ts)) return 'repeat';
      ref.ts.push(ts);
      ref.ts.sort((a, b) => a - b);
      const newest = ref.ts[ref.ts.length - 1]!;
      if (ts === newest) {
        const cutoff = ts - windowMs;
        const keep = ref.ts.filter((t) => t > cutoff);
        if (keep.length < ref.ts.length) ref.forgotten = Math.max(ref.forgotten, cutoff);
        ref.ts = keep;
      }
      if (ref.ts.length > max) {
        const dropped = ref.ts.splice(0, ref.ts.length - max);
        ref.forgotten = Math.max(ref.forgotten, dropped[dropped.length - 1]!);
      }
      return 'new';
    };
    const seen = new RecentReadings({ windowMs, maxPerAsset: max });
    let x = 12345;
    const rand = () => (x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    let t = 0;
    for (let i = 0; i < 5_000; i++) {
      t += rand() < 0.7 ? 1 + Math.floor(rand() * 3) : 0;
      const ts = rand() < 0.3 ? t - Math.floor(rand() * 40) : t;
      expect(seen.check('a', ts)).toBe(refCheck(ts));
      expect(seen.remembered('a')).toBe(ref.ts.length);
    }
  });
});
