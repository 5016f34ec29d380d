// The browser's formatting module (dashboard/public/format.js) and the charts' axis labels (chart-axes.js) in
// Node: every unit code of the equipment catalogue is written as people write it, times carry the date when not
// today, numbers, tick labels and durations ("1 hr, 27 mins", "vor 3 Std.") go through Intl (durations in en-GB
// and de-DE here). The de-DE rendering is checked in Chromium
// (test/e2e/customer-periods.e2e.test.ts).
import { describe, expect, it } from 'vitest';
import { CATALOG } from '../../simulators/core/catalog.ts';

interface Format {
  unit(code: string | null | undefined): string;
  quantity(v: number | null, code: string, digits?: number): string;
  time(iso: string | Date, now?: Date): string;
  clock(iso: string | Date): string;
  number(v: unknown, digits?: number): string;
  fixed(v: unknown, digits?: number): string;
  percent(v: unknown): string;
  dateTime(iso: unknown): string;
  inUnit(v: unknown, unit: string, digits?: number, locale?: string): string;
  duration(ms: number, locale?: string): string;
  calendarDay(ymd: string, locale?: string): string;
  relative(iso: string, now?: number, locale?: string): string;
  countdown(iso: string | null, now?: number, locale?: string): string;
  ago(iso: string | null, now?: number, locale?: string): string;
}
interface Axes {
  timeTicks(u: unknown, splits: number[], axis: number, space: number, incr: number): string[];
}

const load = async <T>(file: string) =>
  (await import(new URL(`../../dashboard/public/${file}`, import.meta.url).href)) as T;
const f = await load<Format>('format.js');
const axes = await load<Axes>('chart-axes.js');

describe('format.js', () => {
  it('writes every unit code of the catalogue as people write it', () => {
    const codes = new Set(CATALOG.flatMap((e) => e.metrics.map((m) => m.unit)));
    expect(codes.size).toBeGreaterThan(5);
    for (const code of codes) {
      const shown = f.unit(code);
      expect(shown, code).not.toMatch(/^deg|m3|^pct$|^1$/);
    }
    expect(f.unit('degC')).toBe('°C');
    expect(f.unit('m3/h')).toBe('m³/h');
    expect(f.unit('pct')).toBe('%');
    expect(f.unit('bar')).toBe('bar');
    expect(f.unit('ratio')).toBe('');
    expect(f.unit(undefined)).toBe('');
  });

  it('puts a value and its unit together, and leaves a dimensionless one bare', () => {
    expect(f.quantity(21.5, 'degC', 1)).toBe(`${f.number(21.5, 1)}\u00a0°C`);
    expect(f.quantity(0.25, 'ratio')).toBe(f.number(0.25));
    expect(f.quantity(null, 'degC')).toBe('—');
  });

  it('gives a time of today without a date, and another day’s with it', () => {
    const now = new Date(2026, 5, 15, 12, 0);
    const today = f.time(new Date(2026, 5, 15, 9, 5), now);
    const tomorrow = f.time(new Date(2026, 5, 16, 9, 5), now);
    const nextYear = f.time(new Date(2027, 0, 2, 9, 5), now);
    expect(today).toBe(f.clock(new Date(2026, 5, 15, 9, 5)));
    expect(tomorrow).not.toBe(today);
    expect(tomorrow).toContain(today);
    expect(tomorrow).toContain('16');
    expect(nextYear).toContain('2027');
    expect(f.time(null as unknown as string)).toBe('—');
    expect(f.time('not a date')).toBe('—');
  });

  it('formats numbers through Intl', () => {
    expect(f.number(1234.567, 1)).toBe(
      new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 }).format(1234.567),
    );
    expect(f.fixed(2, 2)).toBe(new Intl.NumberFormat(undefined, { minimumFractionDigits: 2 }).format(2));
    expect(f.percent(0.973)).toBe(new Intl.NumberFormat(undefined, { style: 'percent' }).format(0.97));
    expect(f.number(undefined)).toBe('—');
    expect(f.percent(null)).toBe('—');
  });
});

describe('format.js durations, through Intl in the locale', () => {
  const MIN = 60_000;
  const H = 60 * MIN;
  const DAY = 24 * H;
  const now = Date.parse('2026-06-15T12:00:00Z');
  const at = (ms: number) => new Date(now + ms).toISOString();

  it('writes a calendar day in the locale, the day itself whatever the zone', () => {
    // the technician's day was written 2026-12-05 whatever the browser's language
    expect(f.calendarDay('2026-12-05', 'en-GB')).toBe('Sat, 5 Dec 2026');
    expect(f.calendarDay('2026-12-05', 'de-DE')).toBe('Sa., 5. Dez. 2026');
    expect(f.calendarDay('2026-01-01', 'en-US')).toBe('Thu, Jan 1, 2026');
    expect(f.calendarDay('not a day')).toBe('not a day');
  });

  it('writes a duration in its two largest units, in en-GB and de-DE', () => {
    const cases: [number, string, string][] = [
      [87 * MIN, '1 hr, 27 mins', '1 Std., 27 Min.'],
      [2 * DAY + 3 * H + 5 * MIN, '2 days, 3 hrs', '2 Tg., 3 Std.'],
      [4 * MIN + 5_000, '4 mins, 5 secs', '4 Min., 5 Sek.'],
      [12 * H, '12 hrs', '12 Std.'],
      [30 * DAY, '30 days', '30 Tg.'],
      [2 * H + 30_000, '2 hrs', '2 Std.'], // seconds only under an hour
      [0, '0 mins', '0 Min.'],
      [-90 * MIN, '1 hr, 30 mins', '1 Std., 30 Min.'], // a duration has no sign
    ];
    for (const [ms, en, de] of cases) {
      expect(f.duration(ms, 'en-GB'), `${ms}`).toBe(en);
      expect(f.duration(ms, 'de-DE'), `${ms}`).toBe(de);
    }
  });

  it('writes an amount of a unit of time, with the locale’s decimals', () => {
    expect(f.inUnit(7, 'day', 1, 'en-GB')).toBe('7 days');
    expect(f.inUnit(7, 'day', 1, 'de-DE')).toBe('7 Tg.');
    expect(f.inUnit(9.5, 'hour', 1, 'en-GB')).toBe('9.5 hrs');
    expect(f.inUnit(9.5, 'hour', 1, 'de-DE')).toBe('9,5 Std.');
    expect(f.inUnit(1.25, 'second', 1, 'de-DE')).toBe('1,3 Sek.');
    expect(f.inUnit(null, 'hour')).toBe('—');
  });

  it('says "in …" and "… ago" with Intl.RelativeTimeFormat, in a unit close enough', () => {
    const cases: [number, string, string][] = [
      [27 * MIN, 'in 27 min', 'in 27 Min.'],
      [90 * MIN, 'in 90 min', 'in 90 Min.'], // minutes under 2 hours
      [5 * H + 40 * MIN, 'in 5 hr', 'in 5 Std.'],
      [-3 * H, '3 hr ago', 'vor 3 Std.'],
      [-45_000, '45 sec ago', 'vor 45 Sek.'],
      [3 * DAY + H, 'in 3 days', 'in 3 Tagen'],
      [-2 * DAY, '2 days ago', 'vor 2 Tagen'],
    ];
    for (const [ms, en, de] of cases) {
      expect(f.countdown(at(ms), now, 'en-GB'), `${ms}`).toBe(en);
      expect(f.countdown(at(ms), now, 'de-DE'), `${ms}`).toBe(de);
    }
    expect(f.ago(at(-5 * MIN), now, 'en-GB')).toBe('5 min ago');
    expect(f.ago(at(-5 * MIN), now, 'de-DE')).toBe('vor 5 Min.');
    expect(f.ago(at(-2_000), now, 'en-GB')).toBe('now');
    expect(f.ago(at(-2_000), now, 'de-DE')).toBe('jetzt');
    expect(f.ago(null, now)).toBe('never');
    expect(f.countdown(null, now)).toBe('—');
    // no locale: the runtime's, as in the browser
    expect(f.duration(87 * MIN)).toBe(f.duration(87 * MIN, new Intl.NumberFormat().resolvedOptions().locale));
  });
});

describe('chart-axes.js', () => {
  it('labels hours with the date at the first tick and where the day changes, days with the date alone', () => {
    const t = new Date(2026, 5, 15, 22, 0).getTime() / 1000;
    const hours = axes.timeTicks(null, [t, t + 3600, t + 7200], 0, 0, 3600);
    expect(hours[0]).toContain('\n');
    expect(hours[1]).not.toContain('\n');
    expect(hours[2]).toContain('\n'); // midnight: a new day
    const days = axes.timeTicks(null, [t, t + 86_400], 0, 0, 86_400);
    expect(days.every((d) => !d.includes('\n'))).toBe(true);
  });
});
