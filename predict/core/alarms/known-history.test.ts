import { describe, expect, it } from 'vitest';
import { hoursSinceKnown, kthOfLast, PersistenceRule } from './known-history.ts';

const H = 3_600_000;
const records = { t: Float64Array.from([10 * H, 20 * H, 30 * H]), key: Int32Array.from([0, 1, 0]) };

describe('hoursSinceKnown', () => {
  const at = (t: number, knownUntil: number, withAny = false) => {
    const out = new Float32Array(3);
    hoursSinceKnown(records, 2, t, knownUntil, 500, withAny, out, 0);
    return Array.from(out.subarray(0, withAny ? 3 : 2));
  };

  it('counts from the last record at or before the step when everything is known', () => {
    expect(at(35 * H, Infinity, true)).toEqual([5, 15, 5]);
  });

  it('runs on from the last record before the cut: later ones are not seen', () => {
    expect(at(35 * H, 25 * H, true)).toEqual([25, 15, 15]);
    expect(at(35 * H, 15 * H)).toEqual([25, 500]);
  });

  it('gives the cap when there is no record, and clips at it', () => {
    expect(at(5 * H, Infinity, true)).toEqual([500, 500, 500]);
    const out = new Float32Array(2);
    hoursSinceKnown(records, 2, 1000 * H, Infinity, 500, false, out, 0);
    expect(Array.from(out)).toEqual([500, 500]);
  });
});

describe('persistence (k of the last m steps)', () => {
  const p = [0.1, 0.9, 0.2, 0.8, 0.85, 0.1, 0.1, 0.1];

  it('kthOfLast is the k-th largest of the window', () => {
    expect(Array.from(kthOfLast(p, 2, 3))).toEqual([-Infinity, 0.1, 0.2, 0.8, 0.8, 0.8, 0.1, 0.1]);
    expect(Array.from(kthOfLast(p, 1, 1))).toEqual(p);
  });

  it('the streaming rule fires exactly where kthOfLast ≥ the threshold', () => {
    const rule = new PersistenceRule(0.5, 2, 3);
    const fired = p.map((x) => rule.push(x));
    expect(fired).toEqual(Array.from(kthOfLast(p, 2, 3), (v) => v >= 0.5));
    expect(fired).toEqual([false, false, false, true, true, true, false, false]);
    expect(new PersistenceRule(null, 1, 1).push(1)).toBe(false);
  });
});
