import { describe, expect, it } from 'vitest';
import {
  counterCollectMs,
  nextClockAfter,
  nextClockAtOrAfter,
  overnightReadyMs,
  parseHhmm,
  parseIso,
  toIso,
} from './time.ts';

const at = (iso: string): number => parseIso(iso);
const OPEN = parseHhmm('07:00');
const CLOSE = parseHhmm('21:00');

describe('time', () => {
  it('parses HH:MM and rejects garbage', () => {
    expect(parseHhmm('00:00')).toBe(0);
    expect(parseHhmm('07:30')).toBe(450);
    expect(parseHhmm('23:59')).toBe(1439);
    expect(() => parseHhmm('7:00')).toThrow(/HH:MM/);
    expect(() => parseHhmm('24:00')).toThrow(/out of range/);
    expect(() => parseIso('yesterday')).toThrow(/ISO-8601/);
  });

  it('counter: before opening waits until opening the same day', () => {
    expect(toIso(counterCollectMs(at('2026-03-02T05:10:00Z'), OPEN, CLOSE))).toBe('2026-03-02T07:00:00.000Z');
    expect(toIso(counterCollectMs(at('2026-03-02T00:00:00Z'), OPEN, CLOSE))).toBe('2026-03-02T07:00:00.000Z');
  });

  it('counter: after closing waits until opening the next day', () => {
    expect(toIso(counterCollectMs(at('2026-03-02T21:00:01Z'), OPEN, CLOSE))).toBe('2026-03-03T07:00:00.000Z');
    expect(toIso(counterCollectMs(at('2026-03-02T23:59:00Z'), OPEN, CLOSE))).toBe('2026-03-03T07:00:00.000Z');
  });

  it('counter: open hours (including exactly at open and close) collect immediately', () => {
    for (const t of ['2026-03-02T07:00:00Z', '2026-03-02T12:34:56Z', '2026-03-02T21:00:00Z']) {
      expect(counterCollectMs(at(t), OPEN, CLOSE)).toBe(at(t));
    }
  });

  it('clock helpers: at-or-after vs strictly-after', () => {
    const t = at('2026-03-02T01:00:00Z');
    expect(nextClockAtOrAfter(t, 60)).toBe(t);
    expect(toIso(nextClockAfter(t, 60))).toBe('2026-03-03T01:00:00.000Z');
  });

  it('overnight: cut-off later today ships tonight, delivered next morning', () => {
    // now 14:30, cut-off 01:00 → 01:00 next day (today's 01:00 already passed) → deliver 08:00 that day.
    expect(toIso(overnightReadyMs(at('2026-03-02T14:30:00Z'), parseHhmm('01:00'), parseHhmm('08:00')))).toBe(
      '2026-03-03T08:00:00.000Z',
    );
    // now 00:30, cut-off 01:00 still ahead today → deliver 08:00 today.
    expect(toIso(overnightReadyMs(at('2026-03-02T00:30:00Z'), parseHhmm('01:00'), parseHhmm('08:00')))).toBe(
      '2026-03-02T08:00:00.000Z',
    );
  });

  it('overnight: cut-off already passed today goes tomorrow; delivery strictly after the cut-off', () => {
    // cut-off 18:00 passed at 19:00 → tomorrow 18:00 → first 08:00 after that is the day after.
    expect(toIso(overnightReadyMs(at('2026-03-02T19:00:00Z'), parseHhmm('18:00'), parseHhmm('08:00')))).toBe(
      '2026-03-04T08:00:00.000Z',
    );
    // cut-off exactly now counts ("at or after").
    expect(toIso(overnightReadyMs(at('2026-03-02T18:00:00Z'), parseHhmm('18:00'), parseHhmm('08:00')))).toBe(
      '2026-03-03T08:00:00.000Z',
    );
    // deliver clock equal to the cut-off clock is a full day later (strictly after).
    expect(toIso(overnightReadyMs(at('2026-03-02T10:00:00Z'), parseHhmm('18:00'), parseHhmm('18:00')))).toBe(
      '2026-03-03T18:00:00.000Z',
    );
  });
});
