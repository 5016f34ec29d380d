import { describe, expect, it } from 'vitest';
import { afterFailure, retryDelayMs } from './backoff.ts';

const policy = { maxAttempts: 5, baseMs: 1_000, maxDelayMs: 10_000 };

describe('retry back-off', () => {
  it('doubles per failure, capped, between half and all of the schedule (equal jitter)', () => {
    const low = (a: number) => retryDelayMs(a, policy, () => 0);
    const high = (a: number) => retryDelayMs(a, policy, () => 1);
    expect([1, 2, 3, 4, 5, 6].map(high)).toEqual([1_000, 2_000, 4_000, 8_000, 10_000, 10_000]);
    expect([1, 2, 3, 4, 5].map(low)).toEqual([500, 1_000, 2_000, 4_000, 5_000]);
    expect(retryDelayMs(3, policy, () => 0.5)).toBe(3_000);
  });

  it('never overflows for absurd attempt counts', () => {
    expect(retryDelayMs(10_000, policy, () => 1)).toBe(10_000);
  });

  it('reschedules until the last attempt, then gives up', () => {
    const now = new Date('2026-12-03T10:00:00Z');
    expect(afterFailure(1, now, policy, () => 1)).toEqual({
      status: 'PENDING',
      nextAttemptAt: new Date('2026-12-03T10:00:01Z'),
    });
    expect(afterFailure(4, now, policy, () => 1).status).toBe('PENDING');
    expect(afterFailure(5, now, policy, () => 1)).toEqual({ status: 'FAILED' });
  });
});
