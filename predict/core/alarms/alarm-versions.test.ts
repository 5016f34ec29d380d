import { describe, expect, it } from 'vitest';
import { matchModes } from './alarm-versions.ts';

describe('matchModes', () => {
  it("matches the history's failure modes to the equipment model's by key or name, ignoring case and punctuation", () => {
    const modes = [
      { key: 'compressor-bearing', name: 'Compressor bearing wear' },
      { key: 'seal', name: 'Seal leak' },
    ];
    const m = matchModes(['Compressor_Bearing', 'seal leak', 'comp4'], modes);
    expect([...m]).toEqual([
      ['Compressor_Bearing', 'compressor-bearing'],
      ['seal leak', 'seal'],
    ]);
  });
});
