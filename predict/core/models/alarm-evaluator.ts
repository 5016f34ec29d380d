// The ALARM kind on the live stream: readings are sampled onto the telemetry step the model was trained on (the
// first value of each metric in each step), the windowed features are kept incrementally
// (core/alarms/live-window.ts), and each step is scored by the failure mode's trees and its alarm rule
// (probability ≥ threshold in at least `consecutive` of the last `window` steps, `consecutive` in a row without
// `window`: core/alarms/known-history.ts's PersistenceRule, as the batch scoring runs it). Alarms less than the
// episode gap (24 h) apart form one episode; while an episode lasts the model sees a failure within its horizon
// of the episode's start.
import { compileEnsemble, plattProbability, scoreEnsemble, type CompiledEnsemble } from '../alarms/boost.ts';
import { PersistenceRule } from '../alarms/known-history.ts';
import { LiveFeatureWindow } from '../alarms/live-window.ts';
import type { GbdtModel } from '../rul/gbdt.ts';
import {
  MemoisedEvaluator,
  roundTo,
  type Assessment,
  type Evaluator,
  type FeatureMove,
} from './evaluator.ts';
import type { AlarmParams } from './params.ts';

const HOUR = 3_600_000;
const steps = (r: AlarmParams['rule']): string =>
  r.window === undefined || r.window === r.consecutive
    ? `for ${r.consecutive} step(s)`
    : `in ${r.consecutive} of the last ${r.window} steps`;
const compiled = new WeakMap<object, CompiledEnsemble>();

/** The trees of a version, compiled once for all its assets. */
function ensembleOf(p: AlarmParams): CompiledEnsemble {
  let e = compiled.get(p.rule);
  if (!e) {
    e = compileEnsemble(p.rule.models as GbdtModel[]);
    compiled.set(p.rule, e);
  }
  return e;
}

interface Episode {
  start: number;
  last: number;
  probability: number;
  row: Float32Array;
}

export class AlarmEvaluator extends MemoisedEvaluator implements Evaluator {
  readonly kind = 'ALARM' as const;
  readonly rulCapable = false;
  readonly metrics: readonly string[];
  private readonly window: LiveFeatureWindow;
  private readonly ensemble: CompiledEnsemble;
  private readonly stepMs: number;
  private readonly gapMs: number;
  /** The step being sampled: its start and the first value of each metric in it. */
  private bucket: { start: number; values: Float64Array; filled: number } | undefined;
  /** The last `window` steps' probabilities against the rule's threshold. */
  private readonly persistence: PersistenceRule;
  private episode: Episode | undefined;
  private lastStep = -Infinity;
  private rev = 0;
  /** The last step's probability (for the evidence and tests). */
  probability = NaN;

  constructor(private readonly p: AlarmParams) {
    super();
    this.metrics = p.metrics;
    this.stepMs = p.features.stepMs;
    this.gapMs = (p.episodeGapHours ?? 24) * HOUR;
    this.window = new LiveFeatureWindow({
      metrics: p.metrics,
      codes: p.features.codes,
      components: p.features.components,
      modes: p.features.modes,
      attributeNames: p.features.attributeNames,
      stepMs: p.features.stepMs,
      featureOptions: p.features.options,
    });
    this.ensemble = ensembleOf(p);
    const r = p.rule;
    this.persistence = new PersistenceRule(r.threshold, r.consecutive, r.window ?? r.consecutive);
  }

  add(at: number, metrics: Readonly<Record<string, number>>): void {
    const start = Math.floor(at / this.stepMs) * this.stepMs;
    if (start <= this.lastStep) return; // a step already scored, or an old reading
    if (this.bucket && start > this.bucket.start) this.close(); // the step ended with metrics missing
    if (!this.bucket) {
      this.bucket = { start, values: new Float64Array(this.metrics.length).fill(NaN), filled: 0 };
    }
    const b = this.bucket;
    this.metrics.forEach((m, j) => {
      const v = metrics[m];
      if (v !== undefined && Number.isNaN(b.values[j] as number)) {
        b.values[j] = v;
        b.filled++;
      }
    });
    // every metric has its value for the step: score it now, not when the next step begins
    if (b.filled === this.metrics.length) this.close();
  }

  addEvent(at: number, code: string): void {
    this.window.addEvent(at, code);
  }

  addMaintenance(at: number, component: string): void {
    this.window.addMaintenance(at, component);
  }

  /** An order of the pair closed: the episode ends; the next alarm opens a new one. */
  restart(): void {
    this.episode = undefined;
    this.persistence.reset();
    this.rev++;
  }

  private close(): void {
    const b = this.bucket!;
    this.bucket = undefined;
    this.lastStep = b.start;
    const row = this.window.pushStep(b.start, b.values);
    if (!row) return;
    const prob = plattProbability(this.p.rule.platt, scoreEnsemble(this.ensemble, row, 0));
    this.probability = prob;
    this.rev++;
    if (!this.persistence.push(prob)) return;
    const e = this.episode;
    if (e && b.start - e.last < this.gapMs) {
      e.last = b.start;
      if (prob > e.probability) {
        e.probability = prob;
        e.row = row;
      }
    } else this.episode = { start: b.start, last: b.start, probability: prob, row };
  }

  protected revision(): number {
    return this.rev;
  }

  protected compute(): Assessment | undefined {
    const e = this.episode;
    if (!e || this.lastStep - e.last >= this.gapMs) return undefined;
    const horizonMs = this.p.horizonHours * HOUR;
    return {
      earliestAt: new Date(e.start),
      expectedFailureAt: new Date(e.start + horizonMs / 2),
      latestAt: new Date(e.start + horizonMs),
      confidence: roundTo(e.probability, 3),
      evidence: {
        kind: 'ALARM',
        summary: `P(${this.p.failureMode} within ${this.p.horizonHours} h) = ${roundTo(e.probability, 2)} ≥ ${roundTo(this.p.rule.threshold ?? 1, 2)} ${steps(this.p.rule)} since ${new Date(e.start).toISOString()}`,
        features: this.moves(e.row),
        episode: { start: new Date(e.start).toISOString(), last: new Date(e.last).toISOString() },
      },
    };
  }

  /** What stood out in the alarm's row: the error codes of the last day and the largest deviations. */
  private moves(row: Float32Array): FeatureMove[] {
    const names = this.window.names;
    const codes: FeatureMove[] = [];
    const devs: FeatureMove[] = [];
    names.forEach((n, i) => {
      const v = row[i] as number;
      const m = /^events\.(.+)\.24h$/.exec(n);
      if (m && m[1] !== 'all' && v > 0) codes.push({ metric: m[1]!, feature: 'eventsPer24h', value: v });
      const z = /^(.+)\.z\.(short|long|trend)\d+$/.exec(n);
      if (z && Number.isFinite(v) && v !== 0)
        devs.push({ metric: z[1]!, feature: `z.${z[2]}`, value: roundTo(v, 2), z: roundTo(v, 2) });
    });
    devs.sort((a, b) => Math.abs(b.value) - Math.abs(a.value));
    return [...codes.sort((a, b) => b.value - a.value), ...devs.slice(0, 3)];
  }
}
