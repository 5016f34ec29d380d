import { describe, expect, it } from 'vitest';
import { TURBOFAN } from './catalog.ts';
import type { CmapssUnit } from './cmapss.ts';
import { Replay } from './replay.ts';

/** A unit of `cycles` cycles whose values are unit*1000 + cycle. */
const unit = (n: number, cycles: number): CmapssUnit => ({
  unit: n,
  cycles: Array.from({ length: cycles }, (_, i) => i + 1),
  values: Array.from({ length: cycles }, (_, i) => Float64Array.from(Array(24).fill(n * 1000 + i + 1))),
});
const start = Date.parse('2026-11-22T10:00:00Z');

describe('Replay', () => {
  it('sends each unit as an asset, a cycle every cycleMs, metrics named by the equipment model', () => {
    const r = new Replay([unit(1, 3), unit(2, 2)], ['tf-1', 'tf-2', 'tf-3'], TURBOFAN, {
      start,
      cycleMs: 1000,
    });
    expect(r.assets()).toEqual(['tf-1', 'tf-2']); // one per unit
    const first = r.due(start);
    expect(first.map((x) => [x.assetId, x.cycle, x.ts])).toEqual([['tf-1', 1, start]]);
    expect(first[0]!.metrics).toEqual(Object.fromEntries(TURBOFAN.metrics.map((m) => [m.name, 1001])));
    expect(Object.keys(first[0]!.metrics).slice(0, 4)).toEqual(['setting1', 'setting2', 'setting3', 's1']);
    // the second lane starts half a cycle later; a late call catches up with every cycle due, at its own time
    const later = r.due(start + 1600);
    expect(later.map((x) => [x.assetId, x.cycle, x.ts - start])).toEqual([
      ['tf-1', 2, 1000],
      ['tf-2', 1, 500],
      ['tf-2', 2, 1500],
    ]);
    expect(r.takeEvents()).toEqual([
      { kind: 'started', assetId: 'tf-1', unit: 1, at: start },
      { kind: 'started', assetId: 'tf-2', unit: 2, at: start + 500 },
      { kind: 'failed', assetId: 'tf-2', unit: 2, at: start + 1500 },
    ]);
    r.due(start + 2000);
    expect(r.done).toBe(true);
    expect(r.due(start + 10_000)).toEqual([]);
    expect(r.stats()).toEqual({ units: 2, started: 2, failed: 2, readings: 5 });
  });

  it('knows the ground truth: the last cycle of each unit is its failure', () => {
    const r = new Replay([unit(7, 4)], ['tf-1'], TURBOFAN, { start, cycleMs: 60_000 });
    expect(r.endsAt()).toBe(start + 3 * 60_000);
    r.due(start);
    expect(r.groundTruth()).toEqual([
      {
        assetId: 'tf-1',
        equipment: 'turbofan-cmapss',
        failureMode: 'hpc-degradation',
        kind: 'replay',
        onsetAt: new Date(start).toISOString(),
        failAt: new Date(start + 3 * 60_000).toISOString(),
        unit: 7,
        failCycle: 4,
      },
    ]);
  });

  it('gives an asset its next unit after the failed one, a gap of cycles later', () => {
    const r = new Replay([unit(1, 2), unit(2, 1), unit(3, 2)], ['tf-1', 'tf-2'], TURBOFAN, {
      start,
      cycleMs: 100,
      gapCycles: 3,
    });
    const all = r.due(start + 10_000);
    const lane1 = all.filter((x) => x.assetId === 'tf-1').map((x) => [x.unit, x.cycle, x.ts - start]);
    expect(lane1).toEqual([
      [1, 1, 0],
      [1, 2, 100],
      [3, 1, 400], // failed at 100, down 3 cycles
      [3, 2, 500],
    ]);
    expect(r.groundTruth().map((g) => [g.assetId, g.unit])).toEqual([
      ['tf-1', 1],
      ['tf-2', 2],
      ['tf-1', 3],
    ]);
    expect(r.endsAt()).toBe(start + 500);
  });

  it('refuses data that does not fit the equipment model', () => {
    const narrow = { ...unit(1, 1), values: [Float64Array.from([1, 2, 3])] };
    expect(() => new Replay([narrow], ['tf-1'], TURBOFAN, { start, cycleMs: 1 })).toThrow(
      'equipment model turbofan-cmapss has 24 metrics; the data has 3 values per cycle',
    );
    expect(() => new Replay([unit(1, 1)], [], TURBOFAN, { start, cycleMs: 1 })).toThrow(/no assets/);
  });
});
