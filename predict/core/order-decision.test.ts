import { describe, expect, it } from 'vitest';
import { forecastAdvances } from './order-decision.ts';

describe('forecastAdvances', () => {
  const now = new Date('2027-01-01T00:00:00Z');
  const h = (n: number) => new Date(now.getTime() + n * 3_600_000);
  it('moves a due-by only earlier, and only by a step that matters', () => {
    expect(forecastAdvances(h(60), h(40), now)).toBe(true);
    expect(forecastAdvances(h(60), h(70), now)).toBe(false);
    // less than a tenth of the 60 h left
    expect(forecastAdvances(h(60), h(55), now)).toBe(false);
    // close to the due-by, 30 minutes is the least step
    expect(forecastAdvances(h(2), h(1.6), now)).toBe(false);
    expect(forecastAdvances(h(2), h(1.4), now)).toBe(true);
  });
});
