// The simulated fleet: each asset's metrics follow its equipment model's physics (level, daily cycle, noise);
// some assets degrade towards a failure (randomised onset and rate), a few fail suddenly. A failed asset
// stops reporting until it is restored. The fleet knows the ground truth of every failure.
import { equipmentByKey, type EquipmentSpec, type FailureModeSpec } from './catalog.ts';
import { gaussian, seededRandom } from './random.ts';

export interface FleetAsset {
  id: string;
  equipment: string;
}

export interface FleetOptions {
  seed: number;
  start: Date;
  /** Time acceleration of degradation: 60 = an hour of wear per real minute. */
  speed?: number;
  /** Share of assets already degrading at start. */
  degradingShare?: number;
  /** Hours (in simulated time) from start until a degrading asset fails: [min, max]. */
  failWithinHours?: [number, number];
  /** Sudden failures per asset per simulated year. */
  suddenPerYear?: number;
  /** Probability that a reading is skipped, or sent twice. */
  missingRate?: number;
  duplicateRate?: number;
}

export interface GroundTruth {
  assetId: string;
  failureMode: string;
  kind: 'degradation' | 'sudden';
  onsetAt: string;
  failAt: string;
}

interface Degradation {
  mode: FailureModeSpec;
  onset: number;
  failAt: number;
  kind: 'degradation' | 'sudden';
}

interface AssetState {
  asset: FleetAsset;
  spec: EquipmentSpec;
  phase: number;
  degradation?: Degradation;
  down: boolean;
}

export interface SimReading {
  assetId: string;
  ts: number;
  metrics: Record<string, number>;
  duplicate: boolean;
}

const round = (v: number) => Math.round(v * 1000) / 1000;

export class Fleet {
  private readonly rand: () => number;
  private readonly states: AssetState[];
  private readonly truth: GroundTruth[] = [];
  private readonly o: Required<FleetOptions>;
  private lastTick: number;
  failures = 0;

  constructor(assets: FleetAsset[], opts: FleetOptions) {
    this.o = { speed: 1, degradingShare: 0.15, failWithinHours: [1, 4], suddenPerYear: 0.5, missingRate: 0.01, duplicateRate: 0.005, ...opts };
    this.rand = seededRandom(opts.seed);
    const start = opts.start.getTime();
    this.lastTick = start;
    this.states = assets.map((asset) => {
      const spec = equipmentByKey.get(asset.equipment);
      if (!spec) throw new Error(`unknown equipment model "${asset.equipment}" of asset ${asset.id}`);
      const s: AssetState = { asset, spec, phase: this.rand() * 2 * Math.PI, down: false };
      if (this.rand() < this.o.degradingShare && spec.failureModes.length > 0) {
        const [lo, hi] = this.o.failWithinHours;
        const toFailure = (lo + this.rand() * (hi - lo)) * 3_600_000;
        const elapsed = 0.25 + this.rand() * 0.35; // part of the wear already behind it
        const total = toFailure / (1 - elapsed);
        this.degrade(s, spec.failureModes[Math.floor(this.rand() * spec.failureModes.length)]!, start - elapsed * total, start + toFailure, 'degradation');
      }
      return s;
    });
  }

  private degrade(s: AssetState, mode: FailureModeSpec, onset: number, failAt: number, kind: Degradation['kind']): void {
    s.degradation = { mode, onset, failAt, kind };
    this.truth.push({ assetId: s.asset.id, failureMode: mode.key, kind, onsetAt: new Date(onset).toISOString(), failAt: new Date(failAt).toISOString() });
  }

  /** Simulated time: degradation runs `speed` times faster than the wall clock. */
  private simTime(now: number): number {
    return this.o.start.getTime() + (now - this.o.start.getTime()) * this.o.speed;
  }

  /** Readings of every running asset at `now` (device timestamps are wall-clock). */
  tick(now: Date): SimReading[] {
    const t = now.getTime();
    const sim = this.simTime(t);
    const dtYears = (this.simTime(t) - this.simTime(this.lastTick)) / (365 * 86_400_000);
    this.lastTick = t;
    const out: SimReading[] = [];
    const hourOfDay = (sim / 3_600_000) % 24;
    for (const s of this.states) {
      if (s.down) continue;
      if (!s.degradation && this.rand() < this.o.suddenPerYear * dtYears && s.spec.failureModes.length > 0) {
        this.degrade(s, s.spec.failureModes[0]!, sim, sim + 5 * 60_000, 'sudden');
      }
      const d = s.degradation;
      if (d && sim >= d.failAt) {
        s.down = true;
        this.failures++;
        continue;
      }
      if (this.rand() < this.o.missingRate) continue;
      const metrics = this.metricsAt(s, sim, hourOfDay);
      out.push({ assetId: s.asset.id, ts: t, metrics, duplicate: false });
      if (this.rand() < this.o.duplicateRate) out.push({ assetId: s.asset.id, ts: t, metrics, duplicate: true });
    }
    return out;
  }

  private metricsAt(s: AssetState, sim: number, hourOfDay: number): Record<string, number> {
    const d = s.degradation;
    const metrics: Record<string, number> = {};
    for (const m of s.spec.metrics) {
      let v = m.base + m.daily * Math.sin((2 * Math.PI * hourOfDay) / 24 + s.phase) + m.noise * gaussian(this.rand);
      if (d && d.mode.metric === m.name && sim > d.onset) {
        const u = Math.min(1, (sim - d.onset) / (d.failAt - d.onset));
        const k = 3;
        const frac = d.mode.shape === 'linear' ? u : (Math.exp(k * u) - 1) / (Math.exp(k) - 1);
        v += (d.mode.failureLevel - m.base) * frac;
      }
      metrics[m.name] = round(Math.min(m.maxValid, Math.max(m.minValid, v)));
    }
    return metrics;
  }

  /** What one asset's device logged before `start`, every `stepMs` (a device uploads its buffer on connect). */
  history(assetId: string, minutes: number, stepMs = 60_000): SimReading[] {
    const s = this.states.find((x) => x.asset.id === assetId);
    if (!s) return [];
    const start = this.o.start.getTime();
    const out: SimReading[] = [];
    for (let t = start - minutes * 60_000; t < start; t += stepMs) {
      out.push({ assetId, ts: t, metrics: this.metricsAt(s, t, (t / 3_600_000) % 24), duplicate: false });
    }
    return out;
  }

  isDown(assetId: string): boolean {
    return this.states.find((s) => s.asset.id === assetId)?.down ?? false;
  }

  /** A completed service order restores the asset to health. */
  restore(assetId: string): void {
    const s = this.states.find((x) => x.asset.id === assetId);
    if (!s) return;
    s.down = false;
    delete s.degradation;
  }

  groundTruth(): GroundTruth[] {
    return [...this.truth];
  }
}
