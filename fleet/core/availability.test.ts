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

  it('counts reported down time as down, with MTBF and MTTR from the transitions', () => {
    const r = availabilityReport(
      [
        ev(-5, 'connectivity', 'online'),
        ev(4, 'condition', 'down'),
        ev(6, 'condition', 'up'),
        ev(10, 'condition', 'down'),
        ev(14, 'condition', 'up'),
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

  it('does not count a device offline (connection lost, platform restarted) as a failure: it is not reporting', () => {
    // the case: up for days, offline for 17 s over a platform restart, online again
    const r = availabilityReport(
      [
        ev(-72, 'connectivity', 'online'),
        ev(10, 'connectivity', 'offline'),
        { at: new Date(at(10).getTime() + 17_151), kind: 'connectivity', value: 'online' },
        ev(15, 'connectivity', 'offline'),
        ev(19, 'connectivity', 'online'),
      ],
      window,
    );
    expect(r.segments.map((s) => s.state)).toEqual(['up', 'not_reporting', 'up', 'not_reporting', 'up']);
    expect(r).toMatchObject({ failures: 0, mtbfMs: null, mttrMs: null, downMs: 0, availability: 1 });
    expect(r.notReportingMs).toBe(4 * H + 17_151);
    expect(r.upMs).toBe(20 * H - 17_151);
    // the not-reporting time is not covered
    expect(covered(r).coverage).toBeCloseTo((20 * H - 17_151) / (24 * H), 9);
  });

  it('keeps a failed machine down while its device is offline, until it reports up', () => {
    const r = availabilityReport(
      [
        ev(-1, 'connectivity', 'online'),
        ev(4, 'condition', 'down'),
        ev(5, 'connectivity', 'offline'),
        ev(9, 'connectivity', 'online'),
        ev(10, 'condition', 'up'),
      ],
      window,
    );
    expect(r.segments.map((s) => s.state)).toEqual(['up', 'down', 'up']);
    expect(r).toMatchObject({ failures: 1, downMs: 6 * H, mttrMs: 6 * H, notReportingMs: 0 });
  });

  it('counts a failure reported after a time not reporting, from up', () => {
    const r = availabilityReport(
      [
        ev(-1, 'connectivity', 'online'),
        ev(4, 'connectivity', 'offline'),
        ev(6, 'connectivity', 'online'),
        ev(6, 'condition', 'down'),
        ev(8, 'condition', 'up'),
      ],
      window,
    );
    expect(r.segments.map((s) => s.state)).toEqual(['up', 'not_reporting', 'down', 'up']);
    expect(r).toMatchObject({ failures: 1, downMs: 2 * H, mttrMs: 2 * H, notReportingMs: 2 * H });
    expect(r.availability).toBeCloseTo(20 / 22);
    expect(r.mtbfMs).toBe(20 * H);
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
