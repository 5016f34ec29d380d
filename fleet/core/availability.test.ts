import { describe, expect, it } from 'vitest';
import { availabilityReport, covered, MIN_COVERAGE, type StateEvent } from './availability.ts';

const H = 3_600_000;
const t0 = new Date('2025-01-01T00:00:00Z').getTime();
const at = (hours: number) => new Date(t0 + hours * H);
const ev = (hours: number, kind: string, value: string): StateEvent => ({ at: at(hours), kind, value });
const window = { from: at(0), to: at(24) };

describe('availabilityReport', () => {
  it('knows nothing without events', () => {
    const r = availabilityReport([], window);
    expect(r.segments).toEqual([{ from: at(0), to: at(24), state: 'unknown' }]);
    expect(r.availability).toBeNull();
    expect(r.mtbfMs).toBeNull();
    expect(r.mttrMs).toBeNull();
  });

  it('counts offline time as down, with MTBF and MTTR from the transitions', () => {
    const r = availabilityReport(
      [
        ev(-5, 'connectivity', 'online'),
        ev(4, 'connectivity', 'offline'),
        ev(6, 'connectivity', 'online'),
        ev(10, 'connectivity', 'offline'),
        ev(14, 'connectivity', 'online'),
      ],
      window,
    );
    expect(r.segments.map((s) => s.state)).toEqual(['up', 'down', 'up', 'down', 'up']);
    expect(r.downMs).toBe(6 * H);
    expect(r.availability).toBeCloseTo(18 / 24);
    expect(r.failures).toBe(2);
    expect(r.mtbfMs).toBe(9 * H);
    expect(r.mttrMs).toBe(3 * H);
  });

  it('treats degraded as available and leaves time before the first event out', () => {
    const r = availabilityReport(
      [
        ev(12, 'connectivity', 'online'),
        ev(18, 'condition', 'DEGRADED'),
        ev(22, 'condition', 'down'),
        ev(30, 'condition', 'up'),
      ],
      window,
    );
    expect(r.segments.map((s) => [s.state, (s.to.getTime() - s.from.getTime()) / H])).toEqual([
      ['unknown', 12],
      ['up', 6],
      ['degraded', 4],
      ['down', 2],
    ]);
    expect(r.availability).toBeCloseTo(10 / 12);
    expect(r.failures).toBe(1);
    expect(r.mttrMs).toBeNull(); // the repair falls after the window
  });

  it('merges events that do not change the state and ignores unknown kinds', () => {
    const r = availabilityReport(
      [
        ev(1, 'connectivity', 'online'),
        ev(2, 'connectivity', 'online'),
        ev(3, 'firmware', 'v2'),
        ev(4, 'condition', 'up'),
      ],
      window,
    );
    expect(r.segments.map((s) => s.state)).toEqual(['unknown', 'up']);
    expect(r.availability).toBe(1);
  });
});

describe('covered', () => {
  const from = new Date('2026-11-03T00:00:00Z');
  const to = new Date('2026-12-03T00:00:00Z');
  const month = to.getTime() - from.getTime();

  it('withholds a figure from two minutes of data in 30 days, and gives it with enough coverage', () => {
    const thin = covered({ from, to, unknownMs: month - 120_000, availability: 1 });
    expect(thin).toMatchObject({ withheld: true, availability: null, minCoverage: MIN_COVERAGE });
    expect(thin.coverage).toBeCloseTo(120_000 / month, 9);
    const full = covered({ from, to, unknownMs: month * 0.1, availability: 0.97 });
    expect(full).toMatchObject({ withheld: false, availability: 0.97 });
    expect(full.coverage).toBeCloseTo(0.9, 9);
  });

  it('takes the stated coverage as the threshold, inclusive', () => {
    expect(covered({ from, to, unknownMs: month * 0.2, availability: 0.5 }).withheld).toBe(false);
    expect(covered({ from, to, unknownMs: month * 0.5, availability: 0.5 }, 0.4).withheld).toBe(false);
    expect(covered({ from, to, unknownMs: month, availability: null }).coverage).toBe(0);
  });
});
