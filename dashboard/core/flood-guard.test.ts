import { describe, expect, it } from 'vitest';
import { admit, freshFloodState, refusal, type FloodPolicy } from './flood-guard.ts';
import { take } from './token-bucket.ts';

describe('flood guard', () => {
  const p: FloodPolicy = { bucket: { capacity: 3, perSecond: 1 }, windowMs: 10_000, disconnectAfter: 5 };
  it('allows a burst, refills over time, logs the first refusal of a window only and closes a flooder', () => {
    let s = freshFloodState(p, 0);
    const run = (t: number) => {
      const d = admit(p, s, t);
      s = d.state;
      return d;
    };
    expect([run(0), run(0), run(0)].map((d) => d.allow)).toEqual([true, true, true]);
    const limited = [run(0), run(0), run(0), run(0)];
    expect(limited.map((d) => [d.allow, d.logLimited, d.disconnect])).toEqual([
      [false, true, false],
      [false, false, false],
      [false, false, false],
      [false, false, false],
    ]);
    expect(run(1_000).allow).toBe(true); // one token refilled
    expect(run(1_000).disconnect).toBe(true); // the fifth refusal of the window
    // a new window reports the last one's counts once
    expect(run(20_000)).toMatchObject({ allow: true, summary: { limited: 5, refused: 0 } });
    const r1 = refusal(p, s, 20_001);
    const r2 = refusal(p, r1.state, 20_002);
    expect([r1.log, r2.log]).toEqual([true, false]);
  });
  it('never holds more than its capacity', () => {
    expect(take({ capacity: 2, perSecond: 100 }, { tokens: 0, at: 0 }, 60_000).bucket.tokens).toBe(1);
  });
});
