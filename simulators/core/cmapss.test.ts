import { describe, expect, it } from 'vitest';
import { parseCmapss } from './cmapss.ts';

const row = (unit: number, cycle: number, fill = 1) =>
  [unit, cycle, ...Array<number>(24).fill(fill)].join(' ');

describe('parseCmapss', () => {
  it('groups the rows by unit, cycles in order, the 24 values of each cycle', () => {
    const units = parseCmapss(`${row(1, 1)}  \n${row(1, 2, 2)}\r\n\n${row(2, 1, 3)}\n`);
    expect(units.map((u) => [u.unit, u.cycles])).toEqual([
      [1, [1, 2]],
      [2, [1]],
    ]);
    expect([...units[0]!.values[1]!]).toEqual(Array(24).fill(2));
  });

  it('reads real rows with their decimals', () => {
    const [unit] = parseCmapss(
      '1 1 -0.0007 -0.0004 100.0 518.67 641.82 1589.70 1400.60 14.62 21.61 554.36 2388.06 9046.19 1.30 47.47 521.66 2388.02 8138.62 8.4195 0.03 392 2388 100.00 39.06 23.4190  ',
    );
    expect(unit!.values[0]![0]).toBe(-0.0007);
    expect(unit!.values[0]![6]).toBe(1400.6);
    expect(unit!.values[0]![23]).toBe(23.419);
  });

  it('names the line of a problem', () => {
    expect(() => parseCmapss(`${row(1, 1)}\n1 2 3`, 'f.txt')).toThrow(
      'f.txt line 2: expected 26 numbers (unit, cycle, 3 settings, 21 sensors), got 3',
    );
    expect(() => parseCmapss(row(1, 1).replace(/1$/, 'x'), 'f.txt')).toThrow(
      'f.txt line 1: column 26 is not a number: "x"',
    );
    expect(() => parseCmapss(`${row(1, 2)}\n${row(1, 2)}`, 'f.txt')).toThrow(
      'cycle 2 of unit 1 does not follow cycle 2',
    );
    expect(() => parseCmapss(`${row(1, 1)}\n${row(2, 1)}\n${row(1, 2)}`, 'f.txt')).toThrow(
      'f.txt line 3: the rows of unit 1 are not together',
    );
    expect(() => parseCmapss(row(1.5, 1), 'f.txt')).toThrow(/whole numbers/);
    expect(() => parseCmapss('\n\n', 'f.txt')).toThrow('f.txt: no data rows');
  });
});
