import { describe, expect, it } from 'vitest';
import { deadLetterHealth } from './dead-letter-health.ts';

describe('deadLetterHealth', () => {
  it('is up below the limit and degraded with the count at or above it', () => {
    expect(deadLetterHealth(59, 60).status).toBe('up');
    const d = deadLetterHealth(60, 60);
    expect(d.status).toBe('degraded');
    expect(d.detail).toMatchObject({ lastMinute: 60, perMinuteLimit: 60 });
    expect(String(d.detail?.reason)).toContain('60 messages refused in the last minute');
  });

  it('never degrades with the limit at 0', () => {
    expect(deadLetterHealth(1_000_000, 0).status).toBe('up');
  });
});
