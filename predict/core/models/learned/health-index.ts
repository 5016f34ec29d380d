// A health index learned from run-to-failure histories: sensors standardised per operating regime, weighted by
// ridge regression onto the wear target 1 − min(RUL, cap)/cap (0 while healthy, 1 at failure). Its level at
// failure and its healthy spread are learned too; the LEARNED model kind trends it to that level.
import { RunningStats } from '../../features/metric-features.ts';
import { fitRegimes, regimeOf, type Regime } from './regimes.ts';
import { RidgeAccumulator } from './ridge.ts';

export interface HealthIndexModel {
  settings: string[];
  sensors: string[];
  regimes: (Regime & { mean: number[]; std: number[] })[];
  weights: number[];
  bias: number;
}

/** One life that ended in failure at its last reading: readings in time order, one per cycle. */
export interface RunToFailure {
  readings: Readonly<Record<string, number>>[];
}

export interface HealthIndexTraining {
  model: HealthIndexModel;
  /** Mean index over the last cycles before failure, and over healthy cycles (RUL ≥ cap) with its deviation. */
  failureLevel: number;
  healthyMean: number;
  healthyStd: number;
  /** Fit of the index to the wear target on the training data. */
  r2: number;
  /** Deviation of the RUL read from the (unsmoothed) index against the true RUL, cycles within the cap. */
  rulStdCycles: number;
  units: number;
  rows: number;
  droppedSensors: string[];
}

const MIN_STD = 1e-6;

/** The index of one reading, or undefined when a setting or sensor is missing. */
export function healthIndex(m: HealthIndexModel, r: Readonly<Record<string, number>>): number | undefined {
  const setting: number[] = [];
  for (const s of m.settings) {
    const v = r[s];
    if (v === undefined) return undefined;
    setting.push(v);
  }
  const g = m.regimes[regimeOf(m.regimes, setting)]!;
  let hi = m.bias;
  for (let j = 0; j < m.sensors.length; j++) {
    const v = r[m.sensors[j]!];
    if (v === undefined) return undefined;
    hi += (m.weights[j]! * (v - g.mean[j]!)) / Math.max(g.std[j]!, MIN_STD);
  }
  return hi;
}

/** Each sensor's share of the index (weight × standardised value) for one reading. */
export function contributions(
  m: HealthIndexModel,
  r: Readonly<Record<string, number>>,
): { sensor: string; z: number; contribution: number }[] {
  const setting = m.settings.map((s) => r[s] ?? NaN);
  const g = m.regimes[regimeOf(m.regimes, setting)]!;
  return m.sensors.map((s, j) => {
    const z = ((r[s] ?? g.mean[j]!) - g.mean[j]!) / Math.max(g.std[j]!, MIN_STD);
    return { sensor: s, z, contribution: m.weights[j]! * z };
  });
}

export function trainHealthIndex(
  units: readonly RunToFailure[],
  o: { settings: string[]; sensors: string[]; cap: number; lambda?: number; tailCycles?: number },
): HealthIndexTraining {
  const usable = units.filter((u) => u.readings.length > 1);
  if (usable.length === 0) throw new Error('no run-to-failure histories to learn from');
  const rowsOf = (r: Readonly<Record<string, number>>, names: string[]) => names.map((n) => r[n] ?? NaN);
  const all = usable.flatMap((u) => u.readings);
  const regimes = fitRegimes(all.map((r) => rowsOf(r, o.settings)));
  const assign = (r: Readonly<Record<string, number>>) => regimeOf(regimes, rowsOf(r, o.settings));

  // per-regime mean and deviation of every sensor; a sensor constant in some regime tells nothing
  const stats = regimes.map(() => o.sensors.map(() => new RunningStats()));
  for (const r of all) {
    const g = stats[assign(r)]!;
    o.sensors.forEach((s, j) => {
      const v = r[s];
      if (v !== undefined && Number.isFinite(v)) g[j]!.add(v);
    });
  }
  const keep = o.sensors
    .map((s, j) => ({ s, j }))
    .filter(({ j }) =>
      stats.every((g) => g[j]!.n < 2 || g[j]!.std > MIN_STD * Math.max(1, Math.abs(g[j]!.mean)) * 10),
    );
  const model: HealthIndexModel = {
    settings: [...o.settings],
    sensors: keep.map((k) => k.s),
    regimes: regimes.map((r, i) => ({
      setting: r.setting,
      mean: keep.map(({ j }) => stats[i]![j]!.mean),
      std: keep.map(({ j }) => Math.max(stats[i]![j]!.std, MIN_STD)),
    })),
    weights: keep.map(() => 0),
    bias: 0,
  };

  const target = (rul: number) => 1 - Math.min(rul, o.cap) / o.cap;
  const zOf = (r: Readonly<Record<string, number>>) => {
    const g = model.regimes[assign(r)]!;
    return model.sensors.map((s, j) => ((r[s] ?? g.mean[j]!) - g.mean[j]!) / g.std[j]!);
  };
  const acc = new RidgeAccumulator(model.sensors.length);
  let rows = 0;
  for (const u of usable) {
    const n = u.readings.length;
    u.readings.forEach((r, i) => {
      acc.add(zOf(r), target(n - 1 - i));
      rows++;
    });
  }
  const fit = acc.solve(o.lambda ?? 1);
  model.weights = fit.weights;
  model.bias = fit.bias;

  const healthy = new RunningStats();
  const tail = new RunningStats();
  const residual = new RunningStats();
  const targets = new RunningStats();
  let sse = 0;
  for (const u of usable) {
    const n = u.readings.length;
    u.readings.forEach((r, i) => {
      const hi = healthIndex(model, r)!;
      const rul = n - 1 - i;
      const y = target(rul);
      sse += (hi - y) ** 2;
      targets.add(y);
      residual.add(hi - y);
      if (rul >= o.cap) healthy.add(hi);
      if (rul < (o.tailCycles ?? 5)) tail.add(hi);
    });
  }
  const sst = targets.std ** 2 * (targets.n - 1);
  const healthyMean = healthy.n ? healthy.mean : 0;
  const span = tail.mean - healthyMean || 1;
  const rulError = new RunningStats();
  for (const u of usable) {
    const n = u.readings.length;
    u.readings.forEach((r, i) => {
      const rul = n - 1 - i;
      if (rul > o.cap) return;
      const read = o.cap * Math.min(1, Math.max(0, (tail.mean - healthIndex(model, r)!) / span));
      rulError.add(read - rul);
    });
  }
  return {
    rulStdCycles: rulError.std,
    model,
    failureLevel: tail.mean,
    healthyMean,
    healthyStd: healthy.n > 1 ? healthy.std : residual.std,
    r2: sst > 0 ? 1 - sse / sst : 0,
    units: usable.length,
    rows,
    droppedSensors: o.sensors.filter((s) => !model.sensors.includes(s)),
  };
}
