import { describe, expect, it } from 'vitest';
import {
  BUCKET_LADDER_MS,
  MAX_POINTS,
  PERIOD_KEYS,
  PERIODS,
  bucketFor,
  seriesWindow,
} from './telemetry-period.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;

describe('bucketFor', () => {
  it('picks the bucket of each period', () => {
    expect(bucketFor(PERIODS['24h'])).toBe(5 * MIN);
    expect(bucketFor(PERIODS['7d'])).toBe(30 * MIN);
    expect(bucketFor(PERIODS['30d'])).toBe(2 * HOUR);
    expect(bucketFor(HOUR)).toBe(15_000);
  });

  it('keeps every period at or under MAX_POINTS, counting the partial bucket at the start', () => {
    for (const p of PERIOD_KEYS) {
      const step = bucketFor(PERIODS[p]);
      expect(Math.ceil(PERIODS[p] / step) + 1).toBeLessThanOrEqual(MAX_POINTS);
      // and it is the finest such step: the one below would exceed the bound
      const i = BUCKET_LADDER_MS.indexOf(step);
      if (i > 0) expect(Math.ceil(PERIODS[p] / BUCKET_LADDER_MS[i - 1]!) + 1).toBeGreaterThan(MAX_POINTS);
    }
  });

  it('bounds any span, including past the end of the ladder', () => {
    for (const span of [1, 999, 10 * MIN, 3 * HOUR, 90 * 24 * HOUR, 5 * 365 * 24 * HOUR]) {
      for (const max of [2, 50, 500]) {
        const step = bucketFor(span, max);
        expect(Math.ceil(span / step) + 1, `${span} / ${max}`).toBeLessThanOrEqual(max);
      }
    }
  });

  it('refuses a span or bound that cannot be drawn', () => {
    expect(() => bucketFor(0)).toThrow(RangeError);
    expect(() => bucketFor(Number.NaN)).toThrow(RangeError);
    expect(() => bucketFor(HOUR, 1)).toThrow(RangeError);
  });
});

describe('seriesWindow', () => {
  it('ends at the given instant and spans the period', () => {
    const to = new Date('2026-03-01T12:34:56Z');
    const w = seriesWindow('7d', to);
    expect(w.to).toBe(to);
    expect(to.getTime() - w.from.getTime()).toBe(7 * 24 * HOUR);
    expect(w.bucketMs).toBe(30 * MIN);
  });
});
