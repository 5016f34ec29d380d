import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../common/contracts/mqtt.ts';
import { equipmentByKey } from './catalog.ts';
import { Fleet } from './fleet.ts';

const assets = Array.from({ length: 30 }, (_, i) => ({
  id: `a-${i}`,
  equipment: ['chiller-ch300', 'pump-px50', 'imaging-ct9'][i % 3]!,
}));
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
    const fleet = new Fleet(assets, {
      seed: 3,
      start,
      degradingShare: 1,
      failWithinHours: [1, 1],
      missingRate: 0,
      duplicateRate: 0,
    });
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

  it("keeps every other asset's failures, codes and readings when one asset is repaired sooner or later", () => {
    // the assets degrading at the start are repaired on day 2 in one run, left to fail in the other
    const repaired = new Set(
      new Fleet(assets, { seed: 5, start, degradationsPerDay: 0.05 }).groundTruth().map((g) => g.assetId),
    );
    expect(repaired.size).toBeGreaterThan(0);
    const run = (repairAt: number | null) => {
      const fleet = new Fleet(assets, { seed: 5, start, degradationsPerDay: 0.05 });
      const readings: string[] = [];
      for (let h = 1; h <= 24 * 20; h++) {
        const t = new Date(start.getTime() + h * 3_600_000);
        if (h === repairAt) for (const id of repaired) fleet.restore(id, t);
        for (const r of fleet.tick(t)) readings.push(`${r.assetId} ${r.ts} ${JSON.stringify(r.metrics)}`);
      }
      return { fleet, readings, codes: fleet.takeCodes().map((c) => `${c.assetId} ${c.ts} ${c.code}`) };
    };
    const late = run(null);
    const early = run(48);
    const others = (xs: string[]) => xs.filter((x) => !repaired.has(x.split(' ')[0]!));
    const truthOf = (f: Fleet) => f.groundTruth().filter((g) => !repaired.has(g.assetId));
    expect(truthOf(early.fleet).length).toBeGreaterThan(3);
    expect(truthOf(early.fleet)).toEqual(truthOf(late.fleet));
    expect(others(early.codes)).toEqual(others(late.codes));
    expect(others(early.readings)).toEqual(others(late.readings));
    // and the repaired ones did live differently
    expect(early.readings.length).toBeGreaterThan(late.readings.length);
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
    expect(() => new Fleet([{ id: 'x', equipment: 'toaster' }], { seed: 1, start })).toThrow(
      /unknown equipment model "toaster"/,
    );
  });

  it('refuses equipment it only replays', () => {
    expect(() => new Fleet([{ id: 'tf', equipment: 'turbofan-cmapss' }], { seed: 1, start })).toThrow(
      /is replayed, not simulated/,
    );
  });

  it('keeps every reading inside the valid ranges, through degradation to failure', () => {
    const fleet = new Fleet(assets, {
      seed: 5,
      start,
      degradingShare: 0.5,
      speed: 60,
      failWithinHours: [1, 4],
      degradationHours: [4, 8],
    });
    const outside: string[] = [];
    for (let i = 1; i < 400; i++) {
      for (const r of fleet.tick(new Date(start.getTime() + i * 1000))) {
        const spec = equipmentByKey.get(assets.find((a) => a.id === r.assetId)!.equipment)!;
        for (const m of spec.metrics) {
          const v = r.metrics[m.name]!;
          if (!(v >= m.minValid && v <= m.maxValid)) outside.push(`${r.assetId} ${m.name}=${v}`);
        }
      }
    }
    expect(outside).toEqual([]);
    expect(fleet.failures).toBeGreaterThan(0);
  });

  it('develops failures over days to weeks by default, sudden ones the exception', () => {
    const many = Array.from({ length: 300 }, (_, i) => ({ id: `a${i}`, equipment: 'pump-px50' }));
    const fleet = new Fleet(many, { seed: 11, start, degradationsPerDay: 0.02 });
    for (let h = 1; h <= 24 * 30; h++) fleet.tick(new Date(start.getTime() + h * 3_600_000));
    const truth = fleet.groundTruth();
    const gradual = truth.filter((g) => g.kind === 'degradation');
    expect(gradual.length).toBeGreaterThan(100);
    expect(truth.length - gradual.length).toBeLessThan(0.05 * truth.length);
    for (const g of gradual) {
      const hours = (Date.parse(g.failAt) - Date.parse(g.onsetAt)) / 3_600_000;
      expect(hours).toBeGreaterThanOrEqual(72 - 1e-6);
      expect(hours).toBeLessThanOrEqual(504 / 0.7 + 1e-6);
    }
    // those degrading at the start fail between 12 h and 5 days later
    const atStart = gradual.filter((g) => Date.parse(g.onsetAt) < start.getTime());
    expect(atStart.length).toBeGreaterThan(20);
    for (const g of atStart) {
      const left = (Date.parse(g.failAt) - start.getTime()) / 3_600_000;
      expect(left).toBeGreaterThanOrEqual(12 - 1e-6);
      expect(left).toBeLessThanOrEqual(120 + 1e-6);
    }
  });

  it('gives each device a fixed clock offset within the accepted window', () => {
    const fleet = new Fleet(assets, {
      seed: 2,
      start,
      clockSkewMs: 30_000,
      missingRate: 0,
      duplicateRate: 0,
    });
    const now = start.getTime() + 5_000;
    const offsets = fleet.tick(new Date(now)).map((r) => r.ts - now);
    expect(new Set(offsets).size).toBeGreaterThan(20);
    for (const o of offsets) expect(Math.abs(o)).toBeLessThanOrEqual(30_000);
    expect(Math.max(...offsets)).toBeLessThan(LIMITS.maxFutureMs);
    const again = fleet.tick(new Date(now + 1000)).map((r) => r.ts - now - 1000);
    expect(again).toEqual(offsets);
    const exact = new Fleet(assets, { seed: 2, start, clockSkewMs: 0, missingRate: 0 });
    expect(exact.tick(new Date(now)).every((r) => r.ts === now)).toBe(true);
  });

  it('skips and repeats readings at the configured rates', () => {
    const fleet = new Fleet(assets, {
      seed: 4,
      start,
      degradingShare: 0,
      missingRate: 0.1,
      duplicateRate: 0.05,
    });
    for (let i = 1; i <= 200; i++) fleet.tick(new Date(start.getTime() + i * 1000));
    const c = fleet.stats();
    expect(c.missing / 6000).toBeGreaterThan(0.07);
    expect(c.missing / 6000).toBeLessThan(0.13);
    expect(c.duplicates / (6000 - c.missing)).toBeGreaterThan(0.03);
    expect(c.duplicates / (6000 - c.missing)).toBeLessThan(0.07);
    expect(c.readings).toBe(6000 - c.missing + c.duplicates);
  });

  it('injects new failures at the failure rate, gradual and sudden, and records them in real time', () => {
    // 30 assets, 2 failures per asset per simulated day, a quarter sudden; speed 1440: a day per minute
    const fleet = new Fleet(assets, {
      seed: 9,
      start,
      speed: 1440,
      degradingShare: 0,
      degradationsPerDay: 1.5,
      suddenPerYear: 0.5 * 365,
      degradationHours: [2, 4],
    });
    for (let i = 1; i <= 60; i++) fleet.tick(new Date(start.getTime() + i * 1000));
    const truth = fleet.groundTruth();
    expect(truth.length).toBeGreaterThan(10);
    expect(truth.some((g) => g.kind === 'sudden')).toBe(true);
    expect(truth.some((g) => g.kind === 'degradation')).toBe(true);
    for (const g of truth) {
      const lead = Date.parse(g.failAt) - Date.parse(g.onsetAt);
      // real time: 5 simulated minutes = 0.2 s; 2-4 simulated hours = 5-10 s
      if (g.kind === 'sudden') expect(lead).toBeCloseTo((5 * 60_000) / 1440, -1);
      else expect(lead).toBeGreaterThanOrEqual(5_000 - 1);
      expect(Date.parse(g.onsetAt)).toBeGreaterThanOrEqual(start.getTime());
      expect(Date.parse(g.onsetAt)).toBeLessThanOrEqual(start.getTime() + 60_000);
    }
    const events = fleet.takeEvents();
    expect(events.filter((e) => e.kind === 'onset')).toHaveLength(truth.length);
    expect(events.filter((e) => e.kind === 'failed')).toHaveLength(fleet.failures);
    expect(fleet.takeEvents()).toEqual([]);
  });

  it('reports an asset going down and coming back', () => {
    const fleet = new Fleet(assets.slice(0, 1), {
      seed: 1,
      start,
      degradingShare: 1,
      failWithinHours: [1, 1],
      suddenPerYear: 0,
    });
    fleet.tick(new Date(start.getTime() + 61 * 60_000));
    expect(fleet.takeEvents().map((e) => e.kind)).toEqual(['onset', 'failed']);
    expect(fleet.isDown('a-0')).toBe(true);
    fleet.restore('a-0', new Date(start.getTime() + 70 * 60_000));
    expect(fleet.takeEvents()).toEqual([
      { kind: 'restored', assetId: 'a-0', at: start.getTime() + 70 * 60_000 },
    ]);
    fleet.restore('a-0');
    expect(fleet.takeEvents()).toEqual([]);
  });

  it('moves the metrics of an asset together with its load cycle', () => {
    const one = [{ id: 'c', equipment: 'chiller-ch300' }];
    const fleet = new Fleet(one, { seed: 3, start, degradingShare: 0, missingRate: 0, duplicateRate: 0 });
    const current: number[] = [];
    const temp: number[] = [];
    for (let i = 0; i < 80; i++) {
      const [r] = fleet.tick(new Date(start.getTime() + i * 60_000));
      current.push(r!.metrics.compressor_current!);
      temp.push(r!.metrics.discharge_temp!);
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const [mc, mt] = [mean(current), mean(temp)];
    const cov = mean(current.map((c, i) => (c - mc) * (temp[i]! - mt)));
    expect(cov).toBeGreaterThan(0);
  });

  it('raises the failure mode’s code before most gradual failures, and stray codes besides', () => {
    const fleet = new Fleet(assets, { seed: 5, start, degradingShare: 1, failWithinHours: [48, 96] });
    const codes = [];
    for (let h = 1; h <= 24 * 5; h++) {
      fleet.tick(new Date(start.getTime() + h * 3_600_000));
      codes.push(...fleet.takeCodes());
    }
    const truth = fleet.groundTruth();
    const announced = truth.filter((t) => t.precursorCode);
    expect(announced.length / truth.length).toBeGreaterThan(0.3);
    expect(announced.length).toBeLessThan(truth.length);
    for (const t of announced) {
      const own = codes.filter(
        (c) => c.assetId === t.assetId && c.code === t.precursorCode && c.severity === 'error',
      );
      expect(own.length).toBeGreaterThan(0);
      expect(Math.max(...own.map((c) => c.ts))).toBeLessThan(Date.parse(t.failAt) + 5_000);
    }
    expect(codes.some((c) => c.severity === 'warning')).toBe(true);
  });
});
