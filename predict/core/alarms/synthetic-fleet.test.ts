import { describe, expect, it } from 'vitest';
import { createRng } from '../rul/random.ts';
import {
  AZURE_LIKE_SYNTHETIC_FLEET,
  generateSyntheticFleet,
  LITERATURE_CALIBRATED_FLEET,
  precursorCodeOffsets,
  variedFleetOptions,
  type SyntheticFleetOptions,
} from './synthetic-fleet.ts';

const H = 3_600_000;

function collect(o: Partial<SyntheticFleetOptions>) {
  const out = {
    assets: [] as { id: string; model: string; age: number }[],
    telemetry: new Map<string, { t: number; v: number[] }[]>(),
    events: [] as { t: number; a: string; c: string }[],
    failures: [] as { t: number; a: string; c: string }[],
    maintenance: [] as { t: number; a: string; c: string }[],
  };
  generateSyntheticFleet(o, {
    asset: (id, model, age) => void out.assets.push({ id, model, age }),
    telemetry: (t, a, v) => {
      const l = out.telemetry.get(a) ?? [];
      l.push({ t, v });
      out.telemetry.set(a, l);
    },
    event: (t, a, c) => void out.events.push({ t, a, c }),
    failure: (t, a, c) => void out.failures.push({ t, a, c }),
    maintenance: (t, a, c) => void out.maintenance.push({ t, a, c }),
  });
  return out;
}

describe('synthetic fleet', () => {
  const f = collect({ assets: 8, days: 60, seed: 3, failureRate: 3 });

  it('is hourly, per machine, with a model and an age', () => {
    expect(f.assets).toHaveLength(8);
    for (const a of f.assets) {
      expect(a.model).toMatch(/^model[1-4]$/);
      expect(a.age).toBeGreaterThanOrEqual(0);
      const tel = f.telemetry.get(a.id)!;
      expect(tel).toHaveLength(60 * 24);
      expect(tel[1]!.t - tel[0]!.t).toBe(H);
      expect(tel[0]!.v).toHaveLength(4);
    }
  });

  it('writes a maintenance record of the replaced component with every failure', () => {
    expect(f.failures.length).toBeGreaterThan(3);
    for (const x of f.failures)
      expect(f.maintenance.some((m) => m.t === x.t && m.a === x.a && m.c === x.c)).toBe(true);
    // scheduled maintenance too, not only the corrective records
    expect(f.maintenance.length).toBeGreaterThan(f.failures.length);
  });

  it('drifts the failing component’s metric before a failure, and not with suddenShare 1', () => {
    const drift = (g: ReturnType<typeof collect>) => {
      const idx: Record<string, number> = { comp1: 0, comp2: 1, comp3: 2, comp4: 3 };
      const dir = [1, -1, 1, 1];
      const d: number[] = [];
      for (const x of g.failures) {
        const tel = g.telemetry.get(x.a)!;
        const i = tel.findIndex((r) => r.t === x.t);
        if (i < 200) continue;
        const m = idx[x.c]!;
        const mean = (a: number, b: number) =>
          tel.slice(a, b).reduce((s, r) => s + (r.v[m] as number), 0) / (b - a);
        d.push((dir[m]! * (mean(i - 6, i) - mean(i - 200, i - 100))) / [15, 50, 10, 5][m]!);
      }
      return d.reduce((s, x) => s + x, 0) / d.length;
    };
    const sudden = collect({ assets: 8, days: 60, seed: 3, failureRate: 3, suddenShare: 1 });
    expect(drift(f)).toBeGreaterThan(0.8); // σ of the metric's noise
    expect(Math.abs(drift(sudden))).toBeLessThan(0.4);
  });

  it('draws varied knobs per seed, deterministically', () => {
    expect(variedFleetOptions(101)).toEqual(variedFleetOptions(101));
    expect(variedFleetOptions(101)).not.toEqual(variedFleetOptions(102));
    expect(collect({ assets: 2, days: 5, seed: 9 })).toEqual(collect({ assets: 2, days: 5, seed: 9 }));
  });

  it('azure profile: precursor codes as a noisy rate, denser towards the failure, hours to days ahead', () => {
    const rng = createRng(5);
    const offsets: number[] = [];
    for (let i = 0; i < 2000; i++) offsets.push(...precursorCodeOffsets(rng, 2.5, 72));
    expect(offsets.length / 2000).toBeGreaterThan(2.3);
    expect(offsets.length / 2000).toBeLessThan(2.8);
    expect(Math.min(...offsets)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...offsets)).toBeLessThanOrEqual(72);
    const near = offsets.filter((x) => x <= 24).length;
    const far = offsets.filter((x) => x > 48).length;
    expect(near).toBeGreaterThan(3 * far);
    // and in a fleet: most failures have a code of their component in the 3 days before
    const g = collect({ ...AZURE_LIKE_SYNTHETIC_FLEET, assets: 10, days: 60, seed: 4 });
    const codes: Record<string, string[]> = {
      comp1: ['error1'],
      comp2: ['error2', 'error3'],
      comp3: ['error4'],
      comp4: ['error5'],
    };
    const withCode = g.failures.filter((x) =>
      g.events.some((e) => e.a === x.a && codes[x.c]!.includes(e.c) && e.t < x.t && e.t >= x.t - 72 * H),
    );
    expect(g.failures.length).toBeGreaterThan(10);
    expect(withCode.length / g.failures.length).toBeGreaterThan(0.6);
  });

  it('literature profile: the azure structure with rarer bait and clearer precursors', () => {
    const lit = { ...AZURE_LIKE_SYNTHETIC_FLEET, ...LITERATURE_CALIBRATED_FLEET };
    // Same structure: failure rate, maintenance schedule, offsets, noise.
    for (const k of ['failureRate', 'maintenanceDays', 'modelOffsetSd', 'assetOffsetSd', 'noise'] as const)
      expect(lit[k]).toEqual(AZURE_LIKE_SYNTHETIC_FLEET[k]);
    expect(lit.excursionRate).toBeLessThan(AZURE_LIKE_SYNTHETIC_FLEET.excursionRate!);
    expect(lit.strayCodeRate).toBeLessThan(AZURE_LIKE_SYNTHETIC_FLEET.strayCodeRate!);
    expect(lit.unplannedMaintenanceRate).toBeLessThan(AZURE_LIKE_SYNTHETIC_FLEET.unplannedMaintenanceRate!);
    const g = collect({ ...lit, assets: 20, days: 60, seed: 4 });
    const stray = g.events.filter(
      (e) => !g.failures.some((x) => x.a === e.a && e.t <= x.t && e.t >= x.t - 30 * H),
    ).length;
    const assetYears = (20 * 60) / 365;
    expect(g.failures.length / assetYears).toBeGreaterThan(5);
    expect(stray / assetYears).toBeLessThan(15);
  });
});
