import { describe, expect, it } from 'vitest';
import { CmapssLineReader, CmapssParseError, parseCmapss, parseRulTruth } from './cmapss-parse.ts';

function row(unit: number, cycle: number, fill = 1): string {
  return [unit, cycle, ...new Array<number>(24).fill(fill)].join(' ');
}

describe('CmapssLineReader', () => {
  it('hands over each unit when its rows end, holding one unit at a time', () => {
    const r = new CmapssLineReader('f.txt');
    expect(r.line(row(7, 1), 1)).toBeUndefined();
    expect(r.line(row(7, 2, 2), 2)).toBeUndefined();
    expect(r.line('', 3)).toBeUndefined();
    const first = r.line(row(8, 1, 3), 4);
    expect(first).toMatchObject({ unit: 7, length: 2 });
    expect(r.end()).toMatchObject({ unit: 8, length: 1 });
    expect([r.units, r.rows]).toEqual([2, 3]);
    expect(() => new CmapssLineReader('g.txt').line('1 2', 9)).toThrow(/^g\.txt line 9: expected 26 columns/);
  });
});

describe('parseCmapss', () => {
  it('groups rows by unit and tolerates trailing spaces and blank lines', () => {
    const text = `${row(1, 1)}  \n${row(1, 2, 2)}\n\n${row(2, 1, 3)}\n`;
    const units = parseCmapss(text);
    expect(units.map((u) => [u.unit, u.length])).toEqual([
      [1, 2],
      [2, 1],
    ]);
    expect(units[0]?.settings.length).toBe(6);
    expect(units[0]?.sensors.length).toBe(42);
    expect(units[0]?.sensors[21]).toBe(2);
  });

  it('reports the wrong column count with the line number', () => {
    const text = `${row(1, 1)}\n1 2 3\n`;
    expect(() => parseCmapss(text, 'f.txt')).toThrow(CmapssParseError);
    expect(() => parseCmapss(text, 'f.txt')).toThrow(/^f\.txt line 2: expected 26 columns, got 3$/);
  });

  it('rejects non-numeric values, decreasing cycles and non-contiguous units', () => {
    expect(() => parseCmapss(`${row(1, 1)}\n${row(1, 2).replace(/ 1$/, ' x')}`)).toThrow(
      /line 2: column 26 is not a finite number/,
    );
    expect(() => parseCmapss(`${row(1, 2)}\n${row(1, 1)}`)).toThrow(
      /line 2: cycle 1 of unit 1 does not increase/,
    );
    expect(() => parseCmapss(`${row(1, 1)}\n${row(2, 1)}\n${row(1, 2)}`)).toThrow(
      /line 3: rows of unit 1 are not contiguous/,
    );
    expect(() => parseCmapss('\n\n')).toThrow(/no data rows/);
  });
});

describe('parseRulTruth', () => {
  it('reads one value per line', () => {
    expect(parseRulTruth('112 \n98\n\n69\n')).toEqual([112, 98, 69]);
  });
  it('rejects malformed lines', () => {
    expect(() => parseRulTruth('1\n2 3\n')).toThrow(/line 2/);
    expect(() => parseRulTruth('1\n-4\n')).toThrow(/line 2/);
  });
});
