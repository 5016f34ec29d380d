import { describe, expect, it } from 'vitest';
import {
  detectAssetColumns,
  detectKeyedColumns,
  detectTelemetryColumns,
  HistoryFileError,
  listColumns,
  parseDuration,
  parseTimestamp,
} from './csv-columns.ts';

describe('detectTelemetryColumns', () => {
  it('reads the Azure wide layout', () => {
    const c = detectTelemetryColumns(['datetime', 'machineID', 'volt', 'rotate'], 'tel.csv', {});
    expect(c).toMatchObject({ layout: 'wide', time: 0, asset: 1 });
    expect(c.metrics.map((m) => m.name)).toEqual(['volt', 'rotate']);
  });
  it('detects the long layout by its metric and value columns', () => {
    const c = detectTelemetryColumns(['asset_id', 'timestamp', 'metric', 'value'], 'tel.csv', {});
    expect(c).toMatchObject({ layout: 'long', time: 1, asset: 0, metric: 2, value: 3 });
  });
  it('reads a long layout with more columns than metric and value (a unit) as long', () => {
    const c = detectTelemetryColumns(['time', 'machine', 'metric', 'value', 'unit'], 'tel.csv', {});
    expect(c).toMatchObject({ layout: 'long', time: 0, asset: 1, metric: 2, value: 3 });
    const d = detectTelemetryColumns(['quality', 'sensor', 'reading', 'timestamp', 'asset'], 'tel.csv', {});
    expect(d).toMatchObject({ layout: 'long', time: 3, asset: 4, metric: 1, value: 2 });
  });
  it('ignores unnamed columns at the end of a header (a trailing comma), not before a named one', () => {
    const c = detectTelemetryColumns(['datetime', 'machineID', 'volt', 'rotate', '', ' '], 'tel.csv', {});
    expect(c.metrics.map((m) => m.name)).toEqual(['volt', 'rotate']);
    expect(detectKeyedColumns(['datetime', 'machineID', 'failure', ''], 'f.csv', 'failures', {}).key).toBe(2);
    expect(detectKeyedColumns(['datetime', 'machineID', 'x', ''], 'f.csv', 'failures', {}).key).toBe(2);
    expect(detectAssetColumns(['machineID', 'model', ''], 'a.csv', {}).attributes).toEqual([
      { index: 1, name: 'model' },
    ]);
    expect(() => detectTelemetryColumns(['datetime', '', 'machineID', 'volt'], 'tel.csv', {})).toThrow(
      /header has an empty column name/,
    );
    expect(() => detectTelemetryColumns(['datetime', 'machineID', ''], 'tel.csv', {})).toThrow(
      /no metric columns/,
    );
  });
  it('takes column names from flags', () => {
    const c = detectTelemetryColumns(['when', 'who', 'temp'], 'tel.csv', { time: 'when', asset: 'who' });
    expect(c).toMatchObject({ layout: 'wide', time: 0, asset: 1 });
  });
  it('names the file and the column when one is missing', () => {
    expect(() => detectTelemetryColumns(['datetime', 'volt'], 'tel.csv', {})).toThrow(
      /tel\.csv: no asset column/,
    );
    expect(() =>
      detectTelemetryColumns(['datetime', 'machineID', 'volt'], 'tel.csv', { time: 'ts' }),
    ).toThrow(HistoryFileError);
    expect(() => detectTelemetryColumns(['datetime', 'machineID'], 'tel.csv', {})).toThrow(
      /no metric columns/,
    );
    expect(() => detectTelemetryColumns(['datetime', 'datetime', 'x'], 'tel.csv', {})).toThrow(
      /appears twice/,
    );
  });
});

describe('the columns an error message names', () => {
  it('lists at most 20, each cut to 64 characters and escaped', () => {
    expect(listColumns(['a', 'b"c'])).toBe('"a", "b\\"c"');
    const header = Array.from({ length: 30 }, (_, i) => `c${i}\u0001\u0085${'x'.repeat(200)}`);
    const shown = listColumns(header);
    expect(shown).toMatch(/^"c0\\u0001\\u0085x+…", "c1/);
    expect(shown).toMatch(/"c19\\u0001\\u0085x+…" and 10 more$/);
    expect([...shown].some((c) => c.charCodeAt(0) < 0x20 || (c >= '\u007f' && c <= '\u009f'))).toBe(false);
    expect(shown.length).toBeLessThan(20 * 80);
    // one 10 MB "column" (a file without line breaks) makes a short message
    const msg = (() => {
      try {
        detectTelemetryColumns(['y'.repeat(10_000_000)], 'tel.csv', {});
      } catch (err) {
        return (err as Error).message;
      }
      return '';
    })();
    expect(msg).toMatch(/^tel\.csv: no time column found \(columns: "y{64}…"\); name it with --time-col$/);
  });
});

describe('detectKeyedColumns', () => {
  it('takes the one remaining column as the code / mode / component', () => {
    expect(detectKeyedColumns(['datetime', 'machineID', 'errorID'], 'e.csv', 'events', {}).key).toBe(2);
    expect(detectKeyedColumns(['datetime', 'machineID', 'failure'], 'f.csv', 'failures', {}).key).toBe(2);
    expect(detectKeyedColumns(['time', 'machine', 'what'], 'm.csv', 'maintenance', {}).key).toBe(2);
  });
  it('needs a flag when several columns could be the key', () => {
    expect(() => detectKeyedColumns(['time', 'asset', 'a', 'b'], 'f.csv', 'failures', {})).toThrow(
      /f\.csv: no failure mode column.*--mode-col/,
    );
    expect(detectKeyedColumns(['time', 'asset', 'a', 'b'], 'f.csv', 'failures', { mode: 'b' }).key).toBe(3);
  });
  it('reads the asset table', () => {
    const c = detectAssetColumns(['machineID', 'model', 'age'], 'm.csv', {});
    expect(c.asset).toBe(0);
    expect(c.attributes.map((a) => a.name)).toEqual(['model', 'age']);
  });
});

describe('parseTimestamp', () => {
  it('reads ISO 8601 and SQL-style times, UTC unless a zone is given', () => {
    const t = Date.UTC(2015, 0, 1, 6);
    expect(parseTimestamp('2015-01-01 06:00:00')).toBe(t);
    expect(parseTimestamp('2015-01-01T06:00:00Z')).toBe(t);
    expect(parseTimestamp('2015-01-01T06:00:00')).toBe(t);
    expect(parseTimestamp('2015-01-01T08:00:00+02:00')).toBe(t);
    expect(parseTimestamp('2015-01-01T06:00:00.500Z')).toBe(t + 500);
    expect(parseTimestamp('1/1/2015 6:00:00 AM')).toBe(t);
    expect(parseTimestamp('2015-01-01')).toBe(Date.UTC(2015, 0, 1));
  });
  it('reads an offset of hours only (PostgreSQL) and a UTC or GMT suffix (BigQuery)', () => {
    const t = Date.UTC(2015, 0, 1, 6);
    expect(parseTimestamp('2015-01-01 06:00:00+00')).toBe(t);
    expect(parseTimestamp('2015-01-01 01:00:00-05')).toBe(t);
    expect(parseTimestamp('2015-01-01T08:00:00+0200')).toBe(t);
    expect(parseTimestamp('2015-01-01 06:00:00 UTC')).toBe(t);
    expect(parseTimestamp('2015-01-01T06:00:00.000 gmt')).toBe(t);
    expect(parseTimestamp('2015-01-01 06:00:00+0')).toBeNaN();
    expect(parseTimestamp('2015-01-01 06:00:00 CET')).toBeNaN();
  });
  it('reads a year 0-99 as written, not as 1900-1999', () => {
    expect(parseTimestamp('0001-01-01 00:00:00')).toBe(Date.parse('0001-01-01T00:00:00Z'));
    expect(parseTimestamp('0099-06-01T12:00:00Z')).toBe(Date.parse('0099-06-01T12:00:00Z'));
    expect(parseTimestamp('0000-02-29')).toBe(Date.parse('0000-02-29T00:00:00Z'));
    expect(parseTimestamp('6/1/0050 1:00:00 PM')).toBe(Date.parse('0050-06-01T13:00:00Z'));
    expect(new Date(parseTimestamp('0001-01-01')).getUTCFullYear()).toBe(1);
  });
  it('refuses what is not a time', () => {
    for (const s of ['', 'yesterday', '2015-02-30 00:00:00', '2015-13-01', '2015-01-01 25:00:00'])
      expect(parseTimestamp(s)).toBeNaN();
  });
  it('reads durations', () => {
    expect(parseDuration('24h')).toBe(86_400_000);
    expect(parseDuration('90m')).toBe(5_400_000);
    expect(parseDuration('2d')).toBe(172_800_000);
    expect(parseDuration('soon')).toBeNaN();
  });
});
