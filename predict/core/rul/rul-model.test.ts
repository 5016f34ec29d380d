import { describe, expect, it } from 'vitest';
import type { UnitHistory } from './cmapss-parse.ts';
import { rmse } from './metrics.ts';
import { createRng } from './random.ts';
import { applyConservative } from './conservative.ts';
import { DEFAULT_CONSERVATIVE, blendBeyondCap, loadRulModel, trainRulModel } from './rul-model.ts';

/** Synthetic fleet: two operating regimes, exponential degradation on a few sensors plus noise. */
function syntheticFleet(units: number, seed: number): UnitHistory[] {
  const rng = createRng(seed);
  const out: UnitHistory[] = [];
  for (let u = 1; u <= units; u++) {
    // Failure when the wear reaches a threshold: the last ~98 cycles show degradation.
    const onset = 30 + rng.int(120);
    const life = Math.round(onset + 25 * Math.log(1 + 50));
    const settings = new Float64Array(life * 3);
    const sensors = new Float64Array(life * 21);
    for (let t = 0; t < life; t++) {
      const regime = rng.int(2);
      settings.set([regime * 20 + rng.next() * 0.01, regime * 0.5, 100], t * 3);
      const wear = t > onset ? Math.exp((t - onset) / 25) - 1 : 0;
      for (let s = 0; s < 21; s++) {
        const base = 100 * (s + 1) + regime * 37 * (s + 1);
        const deg = s % 3 === 0 ? 0.2 * wear : 0;
        const noise = s === 4 ? 0 : rng.next() - 0.5; // sensor 4 constant
        sensors[t * 21 + s] = base + deg + noise;
      }
    }
    out.push({
      unit: u,
      length: life,
      cycles: Float64Array.from({ length: life }, (_, i) => i + 1),
      settings,
      sensors,
    });
  }
  return out;
}

function truncate(u: UnitHistory, len: number): UnitHistory {
  return {
    unit: u.unit,
    length: len,
    cycles: u.cycles.slice(0, len),
    settings: u.settings.slice(0, len * 3),
    sensors: u.sensors.slice(0, len * 21),
  };
}

// Small trees and few features keep the test fast; the real configuration is benchmarked by bench:rul.
const fastOpts = {
  ensemble: 2,
  gbdt: { rounds: 40, maxDepth: 4, minLeaf: 20, learningRate: 0.2 },
  features: { windows: [10, 40], spans: [10] },
};

describe('trainRulModel (synthetic)', () => {
  const train = syntheticFleet(30, 1);
  const rng = createRng(2);
  const test = syntheticFleet(20, 3).map((u) => {
    const rul = 1 + rng.int(u.length - 20);
    return { unit: truncate(u, u.length - rul), rul };
  });

  it('detects the regimes, drops the constant sensor and predicts RUL', () => {
    const model = trainRulModel(train, { ...fastOpts, seed: 5 });
    expect(model.data.models).toHaveLength(2);
    expect(model.data.regimes.k).toBe(2);
    expect(model.data.normalizer.keep).not.toContain(4);
    const pred = test.map((t) => model.predict(t.unit));
    const truth = test.map((t) => Math.min(125, t.rul));
    const mean = truth.reduce((a, b) => a + b, 0) / truth.length;
    const constant = rmse(
      truth.map(() => mean),
      truth,
    );
    // Well below the error of the best constant guess.
    expect(rmse(pred, truth)).toBeLessThan(0.6 * constant);
    for (const p of pred) expect(p).toBeGreaterThanOrEqual(0);
  });

  it('is deterministic with a seed and survives a JSON round trip', () => {
    const few = train.slice(0, 10);
    const a = trainRulModel(few, { ...fastOpts, seed: 9 });
    const b = trainRulModel(few, { ...fastOpts, seed: 9 });
    const restored = loadRulModel(JSON.stringify(a.toJSON()));
    const pa = test.map((t) => a.predict(t.unit));
    expect(test.map((t) => b.predict(t.unit))).toEqual(pa);
    expect(test.map((t) => restored.predict(t.unit))).toEqual(pa);
  });

  it('predicts within [0, cap] for very short histories and without the health index', () => {
    const model = trainRulModel(train.slice(0, 10), {
      ...fastOpts,
      ensemble: 1,
      healthIndex: false,
      beyondCap: false,
      cap: 90,
      seed: 1,
    });
    expect(model.data.healthIndex).toBeNull();
    expect(model.data.beyondCap).toBeNull();
    // A model saved in the older format (no uncapped ensemble) still loads and predicts the same.
    const { beyondCap: _unused, ...v2 } = model.toJSON();
    const old = loadRulModel(JSON.stringify({ ...v2, format: 'preempt.rul.gbdt/2' }));
    const first = train[0] as UnitHistory;
    expect(old.predict(first)).toBe(model.predict(first));
    const unit = train[0] as UnitHistory;
    for (const len of [1, 2, 5]) {
      const p = model.predict(truncate(unit, len));
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThanOrEqual(90);
    }
  });

  it('extends predictions beyond the cap only for units predicted near it', () => {
    const model = trainRulModel(train, { ...fastOpts, cap: 40, seed: 4 });
    const bc = model.data.beyondCap;
    expect(bc?.models).toHaveLength(2);
    expect(bc?.maxRul).toBe(Math.min(200, Math.max(...train.map((u) => u.length - 1))));
    const unit = train[0] as UnitHistory;
    let above = 0;
    for (const len of [5, 20, unit.length - 30, unit.length - 5]) {
      const h = truncate(unit, len);
      const { capped, uncapped } = model.predictParts(h);
      const p = model.predict(h);
      expect(p).toBe(blendBeyondCap(capped, uncapped as number, bc as NonNullable<typeof bc>));
      expect(p).toBeGreaterThanOrEqual(capped);
      expect(p).toBeLessThanOrEqual(bc?.maxRul as number);
      if (p > 40) above++;
    }
    // Early in life (most of the 160+ cycles still to go) the prediction passes the cap of 40.
    expect(above).toBeGreaterThan(0);

    const limited = trainRulModel(train.slice(0, 10), {
      ...fastOpts,
      ensemble: 1,
      cap: 40,
      beyondCap: { trainMaxRul: 60, shrink: 1 },
    });
    expect(limited.data.beyondCap).toMatchObject({ maxRul: 60, shrink: 1, lo: 10, hi: 20 });
    for (const len of [5, 20]) expect(limited.predict(truncate(unit, len))).toBeLessThanOrEqual(60);
  });

  it('applies the conservative shift last, by default at the default cap, and can turn it off', () => {
    const shift = { knots: [10, 60], shifts: [15, 0] };
    const model = trainRulModel(train.slice(0, 10), { ...fastOpts, ensemble: 1, conservative: shift });
    const off = trainRulModel(train.slice(0, 10), { ...fastOpts, ensemble: 1, conservative: false });
    const unit = train[0] as UnitHistory;
    let lowered = 0;
    for (const len of [5, unit.length - 40, unit.length - 10, unit.length]) {
      const h = truncate(unit, len);
      const { unshifted } = model.predictParts(h);
      expect(off.predict(h)).toBe(unshifted);
      expect(model.predict(h)).toBe(applyConservative(shift, unshifted));
      if (model.predict(h) < unshifted) lowered++;
    }
    expect(lowered).toBeGreaterThan(0);
    expect(model.data.conservative).toEqual(shift);
    expect(off.data.conservative).toBeNull();
    expect(trainRulModel(train.slice(0, 5), { ...fastOpts, ensemble: 1 }).data.conservative).toEqual(
      DEFAULT_CONSERVATIVE,
    );
    expect(
      trainRulModel(train.slice(0, 5), { ...fastOpts, ensemble: 1, cap: 40 }).data.conservative,
    ).toBeNull();
    // A model saved in format /3 (no shift) still loads and predicts without one.
    const { conservative: _c, ...v3 } = model.toJSON();
    expect(loadRulModel({ ...v3, format: 'preempt.rul.gbdt/3' } as never).predict(unit)).toBe(
      model.predictParts(unit).unshifted,
    );
  });

  it('rejects empty or inconsistent input and foreign model data', () => {
    expect(() => trainRulModel([])).toThrow(/no training units/);
    const unit = train[0] as UnitHistory;
    expect(() => trainRulModel([{ ...unit, sensors: unit.sensors.subarray(1) }])).toThrow(/inconsistent/);
    const model = trainRulModel(train.slice(0, 5), { ...fastOpts, ensemble: 1 });
    expect(() => loadRulModel({ ...model.toJSON(), format: 'x' } as never)).toThrow(/unsupported/);
  });
});

describe('blendBeyondCap', () => {
  const p = { lo: 110, hi: 120, shrink: 0.5 };
  it('keeps the capped prediction below lo or when the uncapped one is lower', () => {
    expect(blendBeyondCap(100, 180, p)).toBe(100);
    expect(blendBeyondCap(110, 180, p)).toBe(110);
    expect(blendBeyondCap(124, 90, p)).toBe(124);
  });
  it('moves smoothly towards the uncapped prediction between lo and hi, by at most shrink', () => {
    expect(blendBeyondCap(115, 175, p)).toBeCloseTo(115 + 0.5 * 0.5 * 60, 10);
    expect(blendBeyondCap(120, 180, p)).toBe(150);
    expect(blendBeyondCap(125, 185, p)).toBe(155);
    expect(blendBeyondCap(125, 185, { lo: 120, hi: 120, shrink: 1 })).toBe(185);
    let last = 0;
    for (let c = 105; c <= 125; c += 0.5) {
      const v = blendBeyondCap(c, 200, p);
      expect(v).toBeGreaterThanOrEqual(last);
      last = v;
    }
  });
});
