import { describe, expect, it } from 'vitest';
import { HistoryFileError } from './alarms/csv-columns.ts';
import { BadRows, rowConverter, validationVerdict } from './fleet-import.ts';

describe('fleet history import rows', () => {
  it('turns a wide telemetry row into points, empty cells missing, bad cells a reason', () => {
    const c = rowConverter('telemetry', ['datetime', 'machineID', 'volt', 'rotate'], 't.csv', {});
    expect(c.describe).toBe('wide telemetry (volt, rotate)');
    expect(c.convert(['2015-01-01 06:00:00', '1', '176.2', ''])).toEqual({
      kind: 'points',
      points: [{ asset: '1', metric: 'volt', ts: Date.UTC(2015, 0, 1, 6), value: 176.2 }],
    });
    expect(c.convert(['2015-01-01 06:00:00', '1', 'abc', '3'])).toEqual({
      bad: 'column "volt" "abc" is not a number',
    });
    expect(c.convert(['yesterday', '1', '1', '3'])).toMatchObject({
      bad: expect.stringMatching(/not a time/),
    });
    expect(c.convert(['2015-01-01T06:00:00+02:00', '', '1', '3'])).toEqual({ bad: 'asset is empty' });
    // from 1970 to the end of 9999 UTC: what the store reads back as a date
    expect(c.convert(['0001-01-01 00:00:00', '1', '1', '3'])).toEqual({
      bad: 'column "datetime" "0001-01-01 00:00:00" is before 1970',
    });
    expect(c.convert(['1969-12-31T23:59:59Z', '1', '1', '3'])).toMatchObject({
      bad: expect.stringMatching(/1970/),
    });
    expect(c.convert(['9999-12-31T23:59:59-12:00', '1', '1', '3'])).toEqual({
      bad: 'column "datetime" "9999-12-31T23:59:59-12:00" is after 9999 (UTC)',
    });
    expect(c.convert(['1970-01-01T00:00:00Z', '1', '1', '3'])).toMatchObject({
      points: [{ ts: 0 }, { ts: 0 }],
    });
    expect(c.convert(['9999-12-31T23:59:59Z', '1', '1', '3'])).toMatchObject({
      points: [{ ts: Date.UTC(9999, 11, 31, 23, 59, 59) }, { metric: 'rotate' }],
    });
  });

  it('reads long telemetry, keyed files by flags or detection, and asset attributes', () => {
    const long = rowConverter('telemetry', ['ts', 'asset', 'metric', 'value'], 'l.csv', {});
    expect(long.convert(['2026-01-01T00:00:00Z', 'a', 'temp', '4'])).toMatchObject({
      points: [{ metric: 'temp', value: 4 }],
    });
    const ev = rowConverter('events', ['when', 'unit', 'errorID'], 'e.csv', { time: 'when', asset: 'unit' });
    expect(ev.convert(['2026-01-01 00:00:00', 'u1', 'error4'])).toEqual({
      kind: 'record',
      record: { asset: 'u1', ts: Date.UTC(2026, 0, 1), key: 'error4' },
    });
    const m = rowConverter('maintenance', ['datetime', 'asset', 'what'], 'm.csv', {});
    expect(m.describe).toBe('maintenance (column "what")');
    const a = rowConverter('assets', ['asset', 'model', 'age'], 'a.csv', {});
    expect(a.convert(['x', 'model3', '18'])).toEqual({
      kind: 'asset',
      asset: 'x',
      attributes: { model: 'model3', age: 18 },
    });
    expect(() => rowConverter('failures', ['datetime', 'asset', 'a', 'b'], 'f.csv', {})).toThrow(
      HistoryFileError,
    );
  });

  it('makes a row with a NUL character a bad row, and refuses a header with one', () => {
    // PostgreSQL refuses a NUL in text and jsonb: one such cell failed the whole import with the database's error
    const e = rowConverter('events', ['datetime', 'asset', 'code'], 'e.csv', {});
    expect(e.convert(['2026-01-01 00:00:00', 'a\u0000b', 'E1'])).toEqual({
      bad: 'column "asset" holds a NUL character (\\u0000)',
    });
    const a = rowConverter('assets', ['asset', 'model'], 'a.csv', {});
    expect(a.convert(['a', 'x\u0000y'])).toEqual({ bad: 'column "model" holds a NUL character (\\u0000)' });
    expect(e.convert(['2026-01-01 00:00:00', 'a', 'E1'])).toMatchObject({ kind: 'record' });
    expect(() => rowConverter('telemetry', ['datetime', 'asset', 'te\u0000mp'], 't.csv', {})).toThrow(
      /header holds a NUL character/,
    );
  });

  it('keeps an asset attribute named __proto__ as an attribute', () => {
    const a = rowConverter('assets', ['asset', '__proto__', 'model'], 'a.csv', {});
    const r = a.convert(['a', '7', 'm3']);
    expect(r).toMatchObject({ kind: 'asset' });
    const attributes = (r as { attributes: Record<string, unknown> }).attributes;
    expect(Object.keys(attributes)).toEqual(['__proto__', 'model']);
    expect(JSON.parse(JSON.stringify(attributes))).toEqual(JSON.parse('{"__proto__":7,"model":"m3"}'));
  });

  it('keeps the first bad rows with their lines, and fails a file past 1% bad rows', () => {
    const bad = new BadRows(2);
    for (const line of [3, 7, 9]) bad.add(line, 'x');
    expect(bad.count).toBe(3);
    expect(bad.sample).toEqual([
      { line: 3, reason: 'x' },
      { line: 7, reason: 'x' },
    ]);
    expect(validationVerdict(990, 10)).toEqual({ ok: true });
    expect(validationVerdict(980, 20).ok).toBe(false);
    expect(validationVerdict(0, 0).ok).toBe(false);
  });
});
