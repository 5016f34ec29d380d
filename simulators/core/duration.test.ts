import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from './duration.ts';

describe('parseDuration', () => {
  it('reads milliseconds, seconds, minutes, hours and days; a bare number is milliseconds', () => {
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('1s')).toBe(1000);
    expect(parseDuration('1.5s')).toBe(1500);
    expect(parseDuration('2m')).toBe(120_000);
    expect(parseDuration('1h')).toBe(3_600_000);
    expect(parseDuration('1d')).toBe(86_400_000);
    expect(parseDuration('250')).toBe(250);
    expect(parseDuration(' 3s ')).toBe(3000);
  });

  it('refuses what is not a duration', () => {
    for (const bad of ['', 's', '1 s', '-1s', '1x', '1sec', 'fast', '1e3', 'NaN', 'Infinity'])
      expect(parseDuration(bad), bad).toBeUndefined();
  });

  it('formats back to the shortest exact unit', () => {
    expect(formatDuration(250)).toBe('250ms');
    expect(formatDuration(1500)).toBe('1.5s');
    expect(formatDuration(120_000)).toBe('2m');
    expect(formatDuration(86_400_000)).toBe('1d');
    expect(parseDuration(formatDuration(90_500))).toBe(90_500);
  });
});
