import { describe, expect, it } from 'vitest';
import { Fleet } from './fleet.ts';

const assets = Array.from({ length: 30 }, (_, i) => ({ id: `a-${i}`, equipment: ['chiller-ch300', 'pump-px50', 'imaging-ct9'][i % 3]! }));
const start = new Date('2026-05-01T00:00:00Z');

describe('Fleet', () => {
  it('is deterministic for a seed', () => {
    const a = new Fleet(assets, { seed: 7, start });
    const b = new Fleet(assets, { seed: 7, start });
    expect(a.tick(new Date(start.getTime() + 1000))).toEqual(b.tick(new Date(start.getTime() + 1000)));
    expect(a.groundTruth()).toEqual(b.groundTruth());
    expect(new Fleet(assets, { seed: 8, start }).groundTruth()).not.toEqual(a.groundTruth());
  });

  it('drives degrading assets to their failure level, then stops them reporting until restored', () => {
    const fleet = new Fleet(assets, { seed: 3, start, degradingShare: 1, failWithinHours: [1, 1], missingRate: 0, duplicateRate: 0 });
    const truth = fleet.groundTruth();
    expect(truth).toHaveLength(30);
    const first = fleet.tick(new Date(start.getTime() + 1000));
    expect(first).toHaveLength(30);
    const nearEnd = fleet.tick(new Date(start.getTime() + 59 * 60_000));
    const pump = nearEnd.find((r) => r.assetId === 'a-1')!;
    expect(pump.metrics.vibration_rms).toBeGreaterThan(8);
    expect(fleet.tick(new Date(start.getTime() + 61 * 60_000))).toHaveLength(0);
    expect(fleet.failures).toBe(30);
    fleet.restore('a-1');
    expect(fleet.tick(new Date(start.getTime() + 62 * 60_000)).map((r) => r.assetId)).toEqual(['a-1']);
  });

  it('keeps healthy readings within the valid ranges of the catalog', () => {
    const fleet = new Fleet(assets, { seed: 1, start, degradingShare: 0 });
    for (let i = 1; i < 50; i++) {
      for (const r of fleet.tick(new Date(start.getTime() + i * 60_000))) {
        for (const v of Object.values(r.metrics)) expect(Number.isFinite(v)).toBe(true);
      }
    }
  });

  it('refuses an unknown equipment model', () => {
    expect(() => new Fleet([{ id: 'x', equipment: 'toaster' }], { seed: 1, start })).toThrow(/unknown equipment model "toaster"/);
  });
});
