// The browser's formatting module (dashboard/public/format.js) and the charts' axis labels (chart-axes.js) in
// Node: every unit code of the equipment catalogue is written as people write it, times carry the date when not
// today, numbers and tick labels go through Intl. The de-DE rendering is checked in Chromium
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
