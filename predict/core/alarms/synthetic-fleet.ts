/**
 * Synthetic fleet histories shaped like the public Azure Predictive Maintenance data: hourly
 * telemetry of volt, rotate, pressure and vibration per machine, error codes, scheduled maintenance
 * and failures of four components. A failure is preceded (most of the time) by a drift of its
 * component's metric and a burst of its error codes over the last hours to days; scheduled
 * maintenance replaces components (and so cancels a failure in the making); transient excursions
 * and stray error codes that lead to no failure provide false-alarm bait. Seeded and deterministic;
 * rows are handed to a sink, so a long history never sits in memory.
 */
import { createRng, type Rng } from '../rul/random.ts';

export interface SyntheticFleetOptions {
  assets: number;
  days: number;
  /** First telemetry time (ms). */
  start: number;
  seed: number;
  /** Failures per component per asset-year (before the age and model factors). */
  failureRate: number;
  /** Share of failures with no precursor at all. */
  suddenShare: number;
  /** Transient excursions (no failure follows) per asset-year. */
  excursionRate: number;
}

export const DEFAULT_SYNTHETIC_FLEET: SyntheticFleetOptions = {
  assets: 100,
  days: 90,
  start: Date.UTC(2015, 0, 1, 6),
  seed: 7,
  failureRate: 1.6,
  suddenShare: 0.04,
  excursionRate: 6,
};

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
  for (let a = 1; a <= o.assets; a++) {
    const id = String(a);
    const modelNo = 1 + rng.int(4);
    const age = rng.int(21);
    sink.asset(id, `model${modelNo}`, age);
    const offset = SD.map((sd) => gauss(rng) * sd * 0.15);
    // Component states: last replacement, a pending failure.
    const installed = COMPONENTS.map(() => o.start - rng.int(120) * DAY);
    const pending: ({ at: number; drift: Drift | null; codes: number[] } | null)[] = COMPONENTS.map(
      () => null,
    );
    const excursions: Drift[] = [];
    const eventQueue: { t: number; code: string }[] = [];
    const maintDay = rng.int(15);
    const hazardFactor = (1 + age / 20) * [0.8, 1, 1.1, 1.3][modelNo - 1]!;
    for (let h = 0; h < hours; h++) {
      const t = o.start + h * HOUR;
      if (h % 24 === 0) {
        const day = h / 24;
        // Scheduled maintenance every 15 days: one or two components.
        if (day % 15 === maintDay) {
          const n = 1 + (rng.next() < 0.3 ? 1 : 0);
          for (let k = 0; k < n; k++) {
            const c = rng.int(4);
            sink.maintenance(t, id, COMPONENTS[c] as string);
            installed[c] = t;
            pending[c] = null;
          }
        }
        for (let c = 0; c < 4; c++) {
          const p = pending[c];
          if (p && p.at === t) {
            sink.failure(t, id, COMPONENTS[c] as string);
            sink.maintenance(t, id, COMPONENTS[c] as string);
            installed[c] = t;
            pending[c] = null;
          }
        }
        // New failures in the making, three days ahead.
        for (let c = 0; c < 4; c++) {
          if (pending[c]) continue;
          const ageDays = (t - (installed[c] as number)) / DAY;
          const hazard = ((o.failureRate * hazardFactor) / 365) * (0.4 + ageDays / 60);
          if (rng.next() >= hazard) continue;
          const at = t + 3 * DAY;
          const sig = SIGNATURE[c]!;
          const r = rng.next();
          let drift: Drift | null = null;
          const codes: number[] = [];
          if (r >= o.suddenShare) {
            const lead = r < o.suddenShare + 0.06 ? 4 + rng.int(10) : 24 + rng.int(48);
            const ampSd = 1.2 + rng.next() * 2.8;
            drift = {
              onset: at - lead * HOUR,
              end: at,
              metric: sig.metric,
              amp: sig.dir * ampSd * (SD[sig.metric] as number),
              excursion: false,
            };
            const nCodes = rng.next() < 0.15 ? 0 : 1 + rng.int(3);
            for (let k = 0; k < nCodes; k++)
              codes.push(at - (3 + rng.int(Math.max(1, Math.min(lead, 30) - 3))) * HOUR);
            for (const ct of codes)
              eventQueue.push({ t: ct, code: sig.codes[rng.int(sig.codes.length)] as string });
          }
          pending[c] = { at, drift, codes };
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
            amp: sig.dir * (0.6 + rng.next() * 2) * (SD[sig.metric] as number),
            excursion: true,
          });
          if (rng.next() < 0.5)
            eventQueue.push({
              t: onset + rng.int(len) * HOUR,
              code: sig.codes[rng.int(sig.codes.length)] as string,
            });
        }
        for (const code of CODES)
          if (rng.next() < 7 / 365) eventQueue.push({ t: t + rng.int(24) * HOUR, code });
      }
      // Telemetry.
      const values = BASE.map((b, j) => b + (offset[j] as number) + gauss(rng) * (SD[j] as number));
      const apply = (d: Drift) => {
        if (t < d.onset || t >= d.end) return;
        const x = (t - d.onset) / (d.end - d.onset);
        const shape = d.excursion ? Math.sin(Math.PI * x) : x;
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
        }
      }
      for (let k = excursions.length - 1; k >= 0; k--) if (excursions[k]!.end <= t) excursions.splice(k, 1);
    }
  }
}

/** `YYYY-MM-DD HH:MM:SS` (UTC), the Azure data's format. */
export function formatSqlTime(t: number): string {
  return new Date(t).toISOString().slice(0, 19).replace('T', ' ');
}
