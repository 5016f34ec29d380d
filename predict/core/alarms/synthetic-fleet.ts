/**
 * Synthetic fleet histories shaped like the public Azure Predictive Maintenance data: hourly
 * telemetry of volt, rotate, pressure and vibration per machine (noise, per-model and per-machine
 * offsets), error codes, scheduled and corrective maintenance and failures of four components, machines
 * with a model and an age. A failure is preceded (most of the time) by a drift of its component's metric
 * of varied strength (some barely visible) and often by its error codes; a failure also writes a
 * maintenance record of the replaced component at the same time, as real exports do; scheduled
 * maintenance replaces components (and so cancels a failure in the making); transient excursions and
 * stray error codes that lead to no failure provide false-alarm bait. Every such property is a knob
 * (`SyntheticFleetOptions`); `variedFleetOptions(seed)` draws the knobs at random, so a model is not judged
 * on the one generator it was tuned on. Seeded and deterministic; rows are handed to a sink, so a long
 * history never sits in memory.
 */
import { createRng, type Rng } from '../rul/random.ts';

export interface SyntheticFleetOptions {
  assets: number;
  days: number;
  /** First telemetry time (ms). */
  start: number;
  seed: number;
  /** Failures per component per asset-year (before the age, model and component-age factors). */
  failureRate: number;
  /** Share of failures with no precursor at all (no drift, no code). */
  suddenShare: number;
  /** Share of failures with a short warning: a drift over the last 4–13 h only. */
  shortShare: number;
  /** Share of failures with a barely visible drift (0.3–1 σ at failure). */
  weakShare: number;
  /** Drift at failure of the other failures, σ of the metric's noise: [min, max]. */
  driftSd: [number, number];
  /** Drift onset before the failure, hours: [min, max]. */
  driftHours: [number, number];
  /**
   * Shape of the drift from onset (0) to failure (1): x^shape, [min, max] per failure; 1 is a straight
   * ramp, above 1 the wear accelerates towards the failure.
   */
  driftShape: [number, number];
  /** Noise multiplier on the Azure-like standard deviations. */
  noise: number;
  /** Per-model and per-machine offsets of each metric, σ of the metric's noise. */
  modelOffsetSd: number;
  assetOffsetSd: number;
  /** Share of failures with 1–3 of their component's codes in the hours before. */
  precursorCodeShare: number;
  /**
   * Precursor codes as a noisy rate (the Azure data's shape): when set, a failure with codes gets a
   * Poisson number of them with this mean, spread over `precursorCodeHours` before it with a rate that
   * rises towards the failure; when unset, 1–3 codes within the drift (at most 36 h before).
   */
  precursorCodeMean?: number;
  /** Span before the failure over which the precursor codes fall, hours: [min, max] per failure. */
  precursorCodeHours?: [number, number];
  /**
   * Precursor codes logged at a fixed lead (the Azure data's shape, read off its error and failure files: each of
   * the component's codes once, exactly 24 h before the failure, so at the failure's hour a day earlier). When
   * set it replaces `precursorCodeMean` / `precursorCodeHours`.
   */
  precursorCodeLeadHours?: number;
  /** Share of failures with one of their codes at the failure's own hour (no lead). */
  codeAtFailureShare: number;
  /** Transient excursions (no failure follows) per asset-year, strength σ [min, max], share with a code. */
  excursionRate: number;
  excursionSd: [number, number];
  excursionCodeShare: number;
  /** Stray codes per code per asset-year. */
  strayCodeRate: number;
  /** Scheduled maintenance every so many days (one or two components). */
  maintenanceDays: number;
  /** Corrective maintenance without a failure (a component replaced on inspection) per asset-year. */
  unplannedMaintenanceRate: number;
}

/** The development fleet (the knobs the model was tuned on). */
export const DEFAULT_SYNTHETIC_FLEET: SyntheticFleetOptions = {
  assets: 100,
  days: 90,
  start: Date.UTC(2015, 0, 1, 6),
  seed: 7,
  failureRate: 1.6,
  suddenShare: 0.03,
  shortShare: 0.05,
  weakShare: 0.04,
  driftSd: [1, 3.5],
  driftHours: [18, 48],
  driftShape: [0.7, 2],
  noise: 1,
  modelOffsetSd: 0.3,
  assetOffsetSd: 0.15,
  precursorCodeShare: 0.7,
  codeAtFailureShare: 0.4,
  excursionRate: 2,
  excursionSd: [0.5, 2.2],
  excursionCodeShare: 0.4,
  strayCodeRate: 7,
  maintenanceDays: 15,
  unplannedMaintenanceRate: 1,
};

/**
 * The earlier, harder generator: as many no-failure excursions as failures (6 per asset-year, up to
 * 2.6 σ, half with the failure's own code) and 10 % of failures with little or no warning.
 */
export const HARD_SYNTHETIC_FLEET: Partial<SyntheticFleetOptions> = {
  suddenShare: 0.04,
  shortShare: 0.06,
  weakShare: 0,
  driftSd: [1.2, 4],
  driftHours: [24, 72],
  driftShape: [1, 1],
  modelOffsetSd: 0,
  precursorCodeShare: 0.85,
  codeAtFailureShare: 0,
  excursionRate: 6,
  excursionSd: [0.6, 2.6],
  excursionCodeShare: 0.5,
  unplannedMaintenanceRate: 0,
};

/**
 * The hardest profile, shaped after the public Azure PdM data's structure: the failing component's metric
 * drifts over the last 1–3 days (1–3 σ, straight to accelerating), its error codes come as a noisy rate
 * rising over the last 6–72 h (Poisson, mean 2.5; 15 % of failures without codes), 5 % of failures with only
 * a short warning and 4 % with none; bait as often as failures: 5 transient excursions per asset-year up to
 * 2.4 σ (a third with a matching code), stray codes (8 per code per asset-year ≈ Azure's error rate per
 * machine), corrective maintenance cancelling failures in the making; scheduled maintenance every 15 days,
 * 4 machine models and ages 0–20 raising the hazard, component-age hazard.
 */
export const AZURE_LIKE_SYNTHETIC_FLEET: Partial<SyntheticFleetOptions> = {
  failureRate: 1.9,
  suddenShare: 0.04,
  shortShare: 0.05,
  weakShare: 0.03,
  driftSd: [1, 3],
  driftHours: [24, 72],
  driftShape: [1, 2.5],
  noise: 1,
  modelOffsetSd: 0.4,
  assetOffsetSd: 0.2,
  precursorCodeShare: 0.85,
  precursorCodeMean: 2.5,
  precursorCodeHours: [6, 72],
  codeAtFailureShare: 0.5,
  excursionRate: 5,
  excursionSd: [0.6, 2.4],
  excursionCodeShare: 0.35,
  strayCodeRate: 8,
  maintenanceDays: 15,
  unplannedMaintenanceRate: 1.5,
};

/**
 * Calibrated to the one published fact about the real data (issue 16): the plain literature recipe —
 * boosted trees on 3 h / 24 h rolling means and spreads, error counts per 24 h, time since replacement,
 * machine model and age, label "a failure within 24 h" — reaches event recall 0.92 at 1.8 false episodes
 * per asset-year held out on the Azure PdM data. The structure is `azure`'s (100 machines, 4 metrics, 5
 * codes, 4 components, hourly, failures at 06:00, trained on two months, judged on the third); only the
 * bait and noise knobs below were tuned, on development seeds 1–3 and never on the judging seeds 301–305,
 * until `bench:alarms --profile literature --baseline --options '{"maxFalsePerAssetYear":1.8}'` (our
 * plain per-mode recipe at the literature's operating point) landed near recall 0.9 at ~1.8 false episodes
 * per asset-year (docs/predict.md). A fleet on which the plain recipe matches the published figure, not
 * the real fleet: the real figure is known only when the model runs on the real data.
 */
export const LITERATURE_CALIBRATED_FLEET: Partial<SyntheticFleetOptions> = {
  ...AZURE_LIKE_SYNTHETIC_FLEET,
  // Precursors (recall side): stronger, shorter drifts, closer to straight; codes before 90 % of failures.
  suddenShare: 0.015,
  shortShare: 0.02,
  weakShare: 0.015,
  driftSd: [3, 5],
  driftHours: [12, 30],
  driftShape: [0.7, 1.3],
  precursorCodeShare: 0.9,
  precursorCodeMean: 3,
  precursorCodeHours: [4, 24],
  // Bait (false-episode side): rarer and weaker excursions, fewer stray codes and corrective replacements.
  excursionRate: 0.3,
  excursionSd: [0.5, 1.5],
  excursionCodeShare: 0.2,
  strayCodeRate: 1.5,
  unplannedMaintenanceRate: 0.5,
};

/**
 * The `literature` fleet's telemetry with the event structure of the Azure data's own error, failure and
 * maintenance files (public; telemetry not available here), as measured from them: every failure's codes
 * (each of its component's codes once) exactly 24 h before it, none at the failure's hour, stray codes 5.5 per
 * code per asset-year at any hour, no corrective maintenance (every replacement is on the 15-day grid or at a
 * failure). Not calibrated to the published figure: it tests what a fixed logging hour does to the model.
 */
export const DAILY_LOGGED_FLEET: Partial<SyntheticFleetOptions> = {
  ...LITERATURE_CALIBRATED_FLEET,
  precursorCodeShare: 0.97,
  precursorCodeLeadHours: 24,
  codeAtFailureShare: 0,
  strayCodeRate: 5.5,
  unplannedMaintenanceRate: 0,
};

/** Knobs drawn at random (seeded) around the development fleet's: held-out fleets of another generator. */
export function variedFleetOptions(seed: number): Partial<SyntheticFleetOptions> {
  const rng = createRng(seed * 7919 + 13);
  const u = (lo: number, hi: number) => Math.round((lo + rng.next() * (hi - lo)) * 1000) / 1000;
  return {
    seed,
    failureRate: u(1.1, 2.3),
    suddenShare: u(0, 0.04),
    shortShare: u(0.02, 0.08),
    weakShare: u(0, 0.06),
    driftSd: [u(0.8, 1.5), u(3, 5)],
    driftHours: [u(12, 30), u(36, 96)],
    driftShape: [u(0.5, 1), u(1.5, 3)],
    noise: u(0.8, 1.3),
    modelOffsetSd: u(0, 0.6),
    assetOffsetSd: u(0, 0.3),
    precursorCodeShare: u(0.4, 0.9),
    codeAtFailureShare: u(0, 0.8),
    excursionRate: u(0.5, 4),
    excursionSd: [0.5, u(1.5, 2.6)],
    excursionCodeShare: u(0.2, 0.6),
    strayCodeRate: u(3, 12),
    maintenanceDays: Math.round(u(10, 30)),
    unplannedMaintenanceRate: u(0, 3),
  };
}

export const SYNTHETIC_METRICS = ['volt', 'rotate', 'pressure', 'vibration'] as const;
const BASE = [170, 446, 100, 40];
const SD = [15, 50, 10, 5];
const COMPONENTS = ['comp1', 'comp2', 'comp3', 'comp4'];
/** Per component: the metric that drifts (index, direction) and its error codes. */
const SIGNATURE: { metric: number; dir: number; codes: string[] }[] = [
  { metric: 0, dir: 1, codes: ['error1'] },
  { metric: 1, dir: -1, codes: ['error2', 'error3'] },
  { metric: 2, dir: 1, codes: ['error4'] },
  { metric: 3, dir: 1, codes: ['error5'] },
];
const CODES = ['error1', 'error2', 'error3', 'error4', 'error5'];

export interface SyntheticFleetSink {
  asset(id: string, model: string, age: number): void;
  telemetry(t: number, asset: string, values: number[]): void;
  event(t: number, asset: string, code: string): void;
  failure(t: number, asset: string, component: string): void;
  maintenance(t: number, asset: string, component: string): void;
}

interface Drift {
  onset: number;
  end: number;
  metric: number;
  /** Signed amplitude at `end`, in metric units. */
  amp: number;
  /** Recovers after its peak (excursion) or ends with the failure. */
  excursion: boolean;
  /** Exponent of the drift's shape (failures). */
  shape: number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function gauss(rng: Rng): number {
  const u = Math.max(1e-12, rng.next());
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}

export function generateSyntheticFleet(
  options: Partial<SyntheticFleetOptions>,
  sink: SyntheticFleetSink,
): void {
  const o = { ...DEFAULT_SYNTHETIC_FLEET, ...options };
  const rng = createRng(o.seed);
  const hours = o.days * 24;
  const sd = SD.map((s) => s * o.noise);
  const modelOffset = [0, 1, 2, 3].map(() => SD.map((s) => gauss(rng) * s * o.modelOffsetSd));
  const uni = ([lo, hi]: [number, number]) => lo + rng.next() * (hi - lo);
  for (let a = 1; a <= o.assets; a++) {
    const id = String(a);
    const modelNo = 1 + rng.int(4);
    const age = rng.int(21);
    sink.asset(id, `model${modelNo}`, age);
    const offset = SD.map(
      (s, j) => (modelOffset[modelNo - 1]![j] as number) + gauss(rng) * s * o.assetOffsetSd,
    );
    // Component states: last replacement, a pending failure.
    const installed = COMPONENTS.map(() => o.start - rng.int(120) * DAY);
    const pending: ({ at: number; drift: Drift | null } | null)[] = COMPONENTS.map(() => null);
    const excursions: Drift[] = [];
    const eventQueue: { t: number; code: string }[] = [];
    const maintDay = rng.int(o.maintenanceDays);
    const hazardFactor = (1 + age / 20) * [0.8, 1, 1.1, 1.3][modelNo - 1]!;
    const replace = (t: number, c: number) => {
      sink.maintenance(t, id, COMPONENTS[c] as string);
      installed[c] = t;
      pending[c] = null;
    };
    for (let h = 0; h < hours; h++) {
      const t = o.start + h * HOUR;
      if (h % 24 === 0) {
        const day = h / 24;
        if (day % o.maintenanceDays === maintDay) {
          const n = 1 + (rng.next() < 0.3 ? 1 : 0);
          for (let k = 0; k < n; k++) replace(t, rng.int(4));
        }
        if (rng.next() < o.unplannedMaintenanceRate / 365) replace(t, rng.int(4));
        for (let c = 0; c < 4; c++) {
          const p = pending[c];
          if (p && p.at === t) {
            sink.failure(t, id, COMPONENTS[c] as string);
            replace(t, c);
          }
        }
        // New failures in the making, days ahead (the drift may start before the onset of the hazard).
        for (let c = 0; c < 4; c++) {
          if (pending[c]) continue;
          const ageDays = (t - (installed[c] as number)) / DAY;
          const hazard = ((o.failureRate * hazardFactor) / 365) * (0.4 + ageDays / 60);
          if (rng.next() >= hazard) continue;
          const at = t + 5 * DAY;
          const sig = SIGNATURE[c]!;
          const r = rng.next();
          let drift: Drift | null = null;
          if (r >= o.suddenShare) {
            const short = r < o.suddenShare + o.shortShare;
            const weak = !short && r < o.suddenShare + o.shortShare + o.weakShare;
            const lead = short ? 4 + rng.int(10) : Math.round(uni(o.driftHours));
            const ampSd = weak ? 0.3 + rng.next() * 0.7 : uni(o.driftSd);
            drift = {
              onset: at - lead * HOUR,
              end: at,
              metric: sig.metric,
              amp: sig.dir * ampSd * (sd[sig.metric] as number),
              excursion: false,
              shape: uni(o.driftShape),
            };
            const withCodes = rng.next() < o.precursorCodeShare;
            if (withCodes && o.precursorCodeLeadHours !== undefined) {
              for (const code of sig.codes)
                eventQueue.push({ t: at - o.precursorCodeLeadHours * HOUR, code });
            } else if (withCodes && o.precursorCodeMean !== undefined) {
              const span = Math.round(uni(o.precursorCodeHours ?? [6, 72]));
              for (const x of precursorCodeOffsets(rng, o.precursorCodeMean, span))
                eventQueue.push({ t: at - x * HOUR, code: sig.codes[rng.int(sig.codes.length)] as string });
            } else if (withCodes) {
              const nCodes = 1 + rng.int(3);
              for (let k = 0; k < nCodes; k++)
                eventQueue.push({
                  t: at - (2 + rng.int(Math.max(1, Math.min(lead, 36) - 2))) * HOUR,
                  code: sig.codes[rng.int(sig.codes.length)] as string,
                });
            }
          }
          if (rng.next() < o.codeAtFailureShare)
            eventQueue.push({ t: at, code: sig.codes[rng.int(sig.codes.length)] as string });
          pending[c] = { at, drift };
        }
        // Excursions and stray codes.
        if (rng.next() < o.excursionRate / 365) {
          const sig = SIGNATURE[rng.int(4)]!;
          const len = 12 + rng.int(48);
          const onset = t + rng.int(24) * HOUR;
          excursions.push({
            onset,
            end: onset + len * HOUR,
            metric: sig.metric,
            amp: sig.dir * uni(o.excursionSd) * (sd[sig.metric] as number),
            excursion: true,
            shape: 1,
          });
          if (rng.next() < o.excursionCodeShare)
            eventQueue.push({
              t: onset + rng.int(len) * HOUR,
              code: sig.codes[rng.int(sig.codes.length)] as string,
            });
        }
        for (const code of CODES)
          if (rng.next() < o.strayCodeRate / 365) eventQueue.push({ t: t + rng.int(24) * HOUR, code });
      }
      // Telemetry.
      const values = BASE.map((b, j) => b + (offset[j] as number) + gauss(rng) * (sd[j] as number));
      const apply = (d: Drift) => {
        if (t < d.onset || t >= d.end) return;
        const x = (t - d.onset) / (d.end - d.onset);
        const shape = d.excursion ? Math.sin(Math.PI * x) : x ** d.shape;
        values[d.metric] = (values[d.metric] as number) + d.amp * shape;
      };
      for (const p of pending) if (p?.drift) apply(p.drift);
      for (const d of excursions) apply(d);
      sink.telemetry(
        t,
        id,
        values.map((v) => Math.round(v * 1000) / 1000),
      );
      // Events of this hour (codes of a cancelled failure still fire: the fault was real).
      for (let k = eventQueue.length - 1; k >= 0; k--) {
        const e = eventQueue[k]!;
        if (e.t === t) {
          sink.event(t, id, e.code);
          eventQueue.splice(k, 1);
        } else if (e.t < t) eventQueue.splice(k, 1);
      }
      for (let k = excursions.length - 1; k >= 0; k--) if (excursions[k]!.end <= t) excursions.splice(k, 1);
    }
  }
}

/**
 * Hours before a failure of its precursor codes: a Poisson count with mean `mean` (at least one), each
 * within `span` hours before and at least 1 h before, denser towards the failure (density rising linearly).
 */
export function precursorCodeOffsets(rng: Rng, mean: number, span: number): number[] {
  // Knuth's Poisson draw (small means).
  const limit = Math.exp(-mean);
  let k = 0;
  for (let p = rng.next(); p > limit; p *= rng.next()) k++;
  const out: number[] = [];
  for (let j = 0; j < Math.max(1, k); j++) {
    // x ∈ (0, 1]: 1 at the failure; density 2x.
    const x = Math.sqrt(rng.next());
    out.push(Math.max(1, Math.round((1 - x) * span)));
  }
  return out;
}

/** `YYYY-MM-DD HH:MM:SS` (UTC), the Azure data's format. */
export function formatSqlTime(t: number): string {
  return new Date(t).toISOString().slice(0, 19).replace('T', ' ');
}
