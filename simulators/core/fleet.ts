// The simulated fleet: each asset's metrics follow its equipment model's physics (level, daily and load cycles,
// sensor noise); some assets degrade towards a failure (randomised onset and rate), a few fail suddenly. A failed
// asset stops reporting until it is restored. Devices miss a reading now and then, send one twice, and their
// clocks are a little off. The fleet knows the ground truth of every failure.
//
// Failure development is true to real wear (bearing wear, tube arcing, compressor wear): days to weeks from the
// onset to the failure (`degradationHours`, 3 to 21 days by default), of which roughly the second half is
// detectable above the daily cycles; sudden failures with minutes of warning are the exception.
//
// Time: wear and the daily and load cycles run on simulated time, `speed` times faster than the clock from
// `start`. Device timestamps and the ground truth are real time (the platform refuses readings from the future),
// so a degradation that takes 72 simulated hours at speed 60 reaches its failure level 72 minutes after its onset.
import { equipmentByKey, type EquipmentSpec, type FailureModeSpec } from './catalog.ts';
import { CODE_DEFAULTS, codeOf, codesForStep, type CodeOptions, type SimCode } from './error-codes.ts';
import type { GroundTruth } from './ground-truth.ts';
import { gaussian, seededRandom, substream } from './random.ts';

export type { GroundTruth } from './ground-truth.ts';
export type { SimCode } from './error-codes.ts';

export interface FleetAsset {
  id: string;
  equipment: string;
}

export interface FleetOptions {
  seed: number;
  start: Date;
  /** Time acceleration: 60 = an hour of wear (and of the daily cycle) per real minute. */
  speed?: number;
  /** Share of assets already degrading at start. */
  degradingShare?: number;
  /** Simulated hours from start until an asset degrading at start fails: [min, max]. Its degradation began
   *  `degradationHours` before that failure (at least 30% of it is still ahead at start). */
  failWithinHours?: [number, number];
  /** New gradual degradations per healthy asset per simulated day (onset at a random time). */
  degradationsPerDay?: number;
  /** Simulated hours from the onset of a new gradual degradation to the failure: [min, max] (its rate). */
  degradationHours?: [number, number];
  /** Sudden failures per asset per simulated year. */
  suddenPerYear?: number;
  /** Simulated minutes of warning before a sudden failure. */
  suddenWarningMinutes?: number;
  /** Probability that a reading is skipped, or sent twice. */
  missingRate?: number;
  duplicateRate?: number;
  /** Each device's clock is off by a fixed amount drawn from [-clockSkewMs, +clockSkewMs]. */
  clockSkewMs?: number;
  /** The equipment's error codes: precursors of failures and stray ones (core/error-codes.ts). */
  codes?: CodeOptions;
}

export const FLEET_DEFAULTS: Required<Omit<FleetOptions, 'seed' | 'start'>> = {
  speed: 1,
  degradingShare: 0.15,
  failWithinHours: [12, 120],
  degradationsPerDay: 2 / 365,
  degradationHours: [72, 504],
  suddenPerYear: 0.1,
  suddenWarningMinutes: 5,
  missingRate: 0.01,
  duplicateRate: 0.005,
  clockSkewMs: 2_000,
  codes: CODE_DEFAULTS,
};

interface Degradation {
  mode: FailureModeSpec;
  /** Simulated time. */
  onset: number;
  failAt: number;
  kind: 'degradation' | 'sudden';
  /** Whether it raises its error code before it happens. */
  precursor: boolean;
}

interface AssetState {
  asset: FleetAsset;
  spec: EquipmentSpec;
  phase: number;
  loadPhase: number;
  clockOffsetMs: number;
  degradation?: Degradation;
  down: boolean;
  /**
   * The asset's own random streams, so what happens to one asset (a repair sooner or later, a failure) never
   * shifts what any other draws: a new failure's onset (one draw every tick, whatever the asset's state), its
   * kind and rate, its error codes, and its readings' noise, gaps and duplicates.
   */
  draws: { onset: () => number; failure: () => number; codes: () => number; readings: () => number };
}

export interface SimReading {
  assetId: string;
  /** Device time: the real time of the reading plus the device's clock offset (epoch milliseconds). */
  ts: number;
  metrics: Record<string, number>;
  duplicate: boolean;
}

/** What happened to an asset since the last `takeEvents()`: a failure began, it stopped, it was restored. */
export interface FleetEvent {
  kind: 'onset' | 'failed' | 'restored';
  assetId: string;
  /** Real time, epoch milliseconds. */
  at: number;
}

export interface FleetCounts {
  /** Readings produced (duplicates included), readings sent twice, readings a device skipped. */
  readings: number;
  duplicates: number;
  missing: number;
  /** Failures injected (onsets, ground-truth entries) and failures that happened (assets that went down). */
  injected: number;
  failures: number;
}

const round = (v: number) => Math.round(v * 1000) / 1000;

export class Fleet {
  private readonly states: AssetState[];
  private readonly byId: Map<string, AssetState>;
  private readonly truth: GroundTruth[] = [];
  private readonly o: Required<FleetOptions>;
  private readonly start: number;
  private lastTick: number;
  private events: FleetEvent[] = [];
  private codes: SimCode[] = [];
  private readonly counts = { readings: 0, duplicates: 0, missing: 0 };
  failures = 0;

  constructor(assets: FleetAsset[], opts: FleetOptions) {
    this.o = { ...FLEET_DEFAULTS, ...opts };
    const rand = seededRandom(opts.seed);
    const clockRand = substream(opts.seed, 'clock');
    const loadRand = substream(opts.seed, 'load');
    const start = opts.start.getTime();
    this.start = start;
    this.lastTick = start;
    this.states = assets.map((asset) => {
      const spec = equipmentByKey.get(asset.equipment);
      if (!spec) throw new Error(`unknown equipment model "${asset.equipment}" of asset ${asset.id}`);
      if (spec.source !== 'physics')
        throw new Error(
          `equipment model "${asset.equipment}" of asset ${asset.id} is replayed, not simulated`,
        );
      const s: AssetState = {
        asset,
        spec,
        phase: rand() * 2 * Math.PI,
        loadPhase: loadRand() * 2 * Math.PI,
        clockOffsetMs: Math.round((clockRand() * 2 - 1) * this.o.clockSkewMs),
        down: false,
        draws: {
          onset: substream(opts.seed, `onset:${asset.id}`),
          failure: substream(opts.seed, `failure:${asset.id}`),
          codes: substream(opts.seed, `codes:${asset.id}`),
          readings: substream(opts.seed, `readings:${asset.id}`),
        },
      };
      if (rand() < this.o.degradingShare && spec.failureModes.length > 0) {
        const [lo, hi] = this.o.failWithinHours;
        const toFailure = (lo + rand() * (hi - lo)) * 3_600_000;
        const [dlo, dhi] = this.o.degradationHours;
        // the whole development, of which at least 30% is still ahead
        const total = Math.max((dlo + rand() * (dhi - dlo)) * 3_600_000, toFailure / 0.7);
        const elapsed = 1 - toFailure / total;
        this.degrade(
          s,
          spec.failureModes[Math.floor(rand() * spec.failureModes.length)]!,
          start - elapsed * total,
          start + toFailure,
          'degradation',
        );
      }
      return s;
    });
    this.byId = new Map(this.states.map((s) => [s.asset.id, s]));
  }

  private degrade(
    s: AssetState,
    mode: FailureModeSpec,
    onset: number,
    failAt: number,
    kind: Degradation['kind'],
  ): void {
    const precursor = kind === 'degradation' && s.draws.codes() < this.o.codes.precursorShare;
    s.degradation = { mode, onset, failAt, kind, precursor };
    this.truth.push({
      assetId: s.asset.id,
      equipment: s.spec.key,
      failureMode: mode.key,
      kind,
      onsetAt: new Date(this.realTime(onset)).toISOString(),
      failAt: new Date(this.realTime(failAt)).toISOString(),
      ...(precursor ? { precursorCode: codeOf(mode.key) } : {}),
    });
    this.events.push({ kind: 'onset', assetId: s.asset.id, at: Math.round(this.realTime(onset)) });
  }

  /** A new failure of a healthy asset, starting now: sudden (little warning) or gradual (random rate). */
  private startFailure(s: AssetState, sim: number): void {
    const modes = s.spec.failureModes;
    const mode = modes[Math.floor(s.draws.failure() * modes.length)]!;
    const sudden = this.o.suddenPerYear / 365;
    const share = sudden / (sudden + this.o.degradationsPerDay);
    if (s.draws.failure() < share) {
      this.degrade(s, mode, sim, sim + this.o.suddenWarningMinutes * 60_000, 'sudden');
    } else {
      const [lo, hi] = this.o.degradationHours;
      this.degrade(s, mode, sim, sim + (lo + s.draws.failure() * (hi - lo)) * 3_600_000, 'degradation');
    }
  }

  /** Simulated time: `speed` times faster than the clock from `start`. */
  private simTime(now: number): number {
    return this.start + (now - this.start) * this.o.speed;
  }

  private realTime(sim: number): number {
    return this.start + (sim - this.start) / this.o.speed;
  }

  /** Readings of every running asset at `now`. */
  tick(now: Date): SimReading[] {
    const t = now.getTime();
    const sim = this.simTime(t);
    const dtDays = (sim - this.simTime(this.lastTick)) / 86_400_000;
    const dtHours = dtDays * 24;
    this.lastTick = t;
    const hazard = (this.o.suddenPerYear / 365 + this.o.degradationsPerDay) * dtDays;
    const out: SimReading[] = [];
    for (const s of this.states) {
      const onset = s.draws.onset(); // drawn every tick, so the asset's stream never depends on its history
      if (s.down) continue;
      if (!s.degradation && onset < hazard && s.spec.failureModes.length > 0) this.startFailure(s, sim);
      const d = s.degradation;
      if (d && sim >= d.failAt) {
        s.down = true;
        this.failures++;
        this.events.push({ kind: 'failed', assetId: s.asset.id, at: t });
        continue;
      }
      for (const c of codesForStep(this.o.codes, s.draws.codes, {
        dtHours,
        modes: s.spec.failureModes.map((m) => m.key),
        ...(d
          ? {
              failure: {
                mode: d.mode.key,
                precursor: d.precursor,
                progress: (sim - d.onset) / (d.failAt - d.onset),
              },
            }
          : {}),
      }))
        this.codes.push({ assetId: s.asset.id, ts: t + s.clockOffsetMs, ...c });
      if (s.draws.readings() < this.o.missingRate) {
        this.counts.missing++;
        continue;
      }
      const metrics = this.metricsAt(s, sim, s.draws.readings);
      const ts = t + s.clockOffsetMs;
      out.push({ assetId: s.asset.id, ts, metrics, duplicate: false });
      this.counts.readings++;
      if (s.draws.readings() < this.o.duplicateRate) {
        out.push({ assetId: s.asset.id, ts, metrics, duplicate: true });
        this.counts.readings++;
        this.counts.duplicates++;
      }
    }
    return out;
  }

  private metricsAt(s: AssetState, sim: number, rand: () => number): Record<string, number> {
    const d = s.degradation;
    const hourOfDay = (sim / 3_600_000) % 24;
    const daily = Math.sin((2 * Math.PI * hourOfDay) / 24 + s.phase);
    const period = (s.spec.loadCycleMinutes ?? 60) * 60_000;
    const load = Math.sin((2 * Math.PI * sim) / period + s.loadPhase);
    const metrics: Record<string, number> = {};
    for (const m of s.spec.metrics) {
      let v = m.base + m.daily * daily + (m.load ?? 0) * load + m.noise * gaussian(rand);
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
    const s = this.byId.get(assetId);
    if (!s) return [];
    const rand = substream(this.o.seed, `history:${assetId}`);
    const out: SimReading[] = [];
    for (let t = this.start - minutes * 60_000; t < this.start; t += stepMs) {
      const metrics = this.metricsAt(s, this.simTime(t), rand);
      out.push({ assetId, ts: t + s.clockOffsetMs, metrics, duplicate: false });
    }
    return out;
  }

  isDown(assetId: string): boolean {
    return this.byId.get(assetId)?.down ?? false;
  }

  /** A completed service order restores the asset to health. */
  restore(assetId: string, now = new Date()): void {
    const s = this.byId.get(assetId);
    if (!s) return;
    const wasDown = s.down;
    s.down = false;
    delete s.degradation;
    if (wasDown) this.events.push({ kind: 'restored', assetId, at: now.getTime() });
  }

  /** Error codes raised since the last call, oldest first. */
  takeCodes(): SimCode[] {
    const out = this.codes;
    this.codes = [];
    return out;
  }

  /** Events since the last call, oldest first. */
  takeEvents(): FleetEvent[] {
    const out = this.events;
    this.events = [];
    return out;
  }

  stats(): FleetCounts {
    return { ...this.counts, injected: this.truth.length, failures: this.failures };
  }

  groundTruth(): GroundTruth[] {
    return [...this.truth];
  }
}
