import { describe, expect, it } from 'vitest';
import { createRng } from '../rul/random.ts';
import { assetFeatures, defaultFeatureOptions, type FeatureOptions } from './features.ts';
import type { FleetHistory } from './history.ts';
import { LiveFeatureWindow, type AlarmFeatureSpec } from './live-window.ts';

const H = 3_600_000;

/** A random asset: two drifting metrics, codes, maintenance and failures at any time (also between steps). */
function randomFleet(seed: number, steps: number): FleetHistory {
  const rng = createRng(seed);
  const values: number[] = [];
  let x = 50;
  let y = 3;
  for (let i = 0; i < steps; i++) {
    x += (rng.next() - 0.45) * 2;
    y = 3 + Math.sin(i / 7) + rng.next();
    values.push(x, y);
  }
  const keyed = (count: number, width: number) => {
    const t = Array.from({ length: count }, () => Math.floor(rng.next() * steps * H));
    t.sort((a, b) => a - b);
    return {
      t: Float64Array.from(t),
      key: Int32Array.from(t, () => Math.floor(rng.next() * width)),
    };
  };
  return {
    metrics: ['temp', 'vib'],
    codes: ['E1', 'E2', 'W'],
    modes: ['bearing', 'seal'],
    components: ['comp1', 'comp2'],
    attributeNames: ['age'],
    stepMs: H,
    assets: [
      {
        id: 'a1',
        times: Float64Array.from({ length: steps }, (_, i) => 1_700_000_000_000 + i * H),
        values: Float32Array.from(values),
        events: keyed(40, 3),
        failures: keyed(3, 2),
        maintenance: keyed(4, 2),
        attributes: Float32Array.from([7.5]),
      },
    ],
  };
}

function specOf(f: FleetHistory, o: FeatureOptions): AlarmFeatureSpec {
  const { assets: _a, ...rest } = f;
  return { ...rest, featureOptions: o };
}

/** Feeds the asset step by step, every record as soon as its time has come (some between steps). */
function live(f: FleetHistory, o: FeatureOptions): Float32Array[] {
  const a = f.assets[0]!;
  const w = new LiveFeatureWindow(specOf(f, o), a.attributes);
  const shift = 1_700_000_000_000;
  const rows: Float32Array[] = [];
  const feed = (tk: { t: Float64Array; key: Int32Array }, add: (t: number, k: number) => void) => {
    for (let i = 0; i < tk.t.length; i++) add((tk.t[i] as number) + shift, tk.key[i] as number);
  };
  // records arrive early, out of step order: only those at or before a step may count for it
  feed(a.events, (t, k) => w.addEvent(t, f.codes[k]!));
  feed(a.maintenance, (t, k) => w.addMaintenance(t, f.components[k]!));
  feed(a.failures, (t, k) => w.addFailure(t, f.modes[k]!));
  for (let i = 0; i < a.times.length; i++) {
    const row = w.pushStep(a.times[i] as number, a.values.subarray(i * 2, i * 2 + 2));
    rows.push(row!);
  }
  return rows;
}

describe('LiveFeatureWindow', () => {
  const cases: [string, FeatureOptions][] = [
    [
      'small windows',
      { shortSteps: 3, longSteps: 8, trendSteps: 20, eventWindowMs: 5 * H, sinceCapHours: 60 },
    ],
    ['the defaults of an hourly fleet', { ...defaultFeatureOptions(H, 500), maintenanceFeatures: false }],
    ['with the hour of the day', { ...defaultFeatureOptions(H, 500), timeOfDay: true }],
    [
      "with the hour of the day and each code's last hour",
      { ...defaultFeatureOptions(H, 500), timeOfDay: true, eventHourOfDay: true },
    ],
    ["with each code's last hour only", { ...defaultFeatureOptions(H, 500), eventHourOfDay: true }],
  ];
  for (const [name, o] of cases)
    it(`computes the batch's feature row at every step (${name})`, () => {
      const f = randomFleet(3, 260);
      // the batch sees the records shifted to the assets' times
      const a = f.assets[0]!;
      const shift = 1_700_000_000_000;
      const shifted: FleetHistory = {
        ...f,
        assets: [
          {
            ...a,
            events: { ...a.events, t: a.events.t.map((t) => t + shift) },
            failures: { ...a.failures, t: a.failures.t.map((t) => t + shift) },
            maintenance: { ...a.maintenance, t: a.maintenance.t.map((t) => t + shift) },
          },
        ],
      };
      const batch = assetFeatures(shifted.assets[0]!, shifted, o);
      const rows = live(f, o);
      const F = rows[0]!.length;
      expect(F * rows.length).toBe(batch.length);
      let worst = 0;
      for (let i = 0; i < rows.length; i++)
        for (let c = 0; c < F; c++) {
          const b = batch[i * F + c] as number;
          const l = rows[i]![c] as number;
          if (Number.isNaN(b)) expect(l).toBeNaN();
          else worst = Math.max(worst, Math.abs(b - l) / Math.max(1, Math.abs(b)));
        }
      expect(worst).toBeLessThan(1e-4);
      expect(new LiveFeatureWindow(specOf(f, o)).incremental).toBe(true);
    });

  it('ignores unknown codes, steps out of order, and waits for every metric', () => {
    const f = randomFleet(1, 5);
    const w = new LiveFeatureWindow(specOf(f, defaultFeatureOptions(H)));
    expect(w.incremental).toBe(true);
    w.addEvent(0, 'NOT-A-CODE');
    expect(w.pushStep(H, [1, NaN])).toBeUndefined();
    expect(w.pushStep(2 * H, [1, 2])).toBeDefined();
    expect(w.pushStep(2 * H, [1, 2])).toBeUndefined();
    expect(w.steps).toBe(1);
    const row = w.pushStep(3 * H, [NaN, 3])!;
    expect(row[w.names.indexOf('temp.mean.short3')]).toBe(1); // carried forward
    expect(row[w.names.indexOf('events.all.24h')]).toBe(0);
  });
});
