// The LEARNED kind: a health index learned from run-to-failure histories (learned/health-index.ts), smoothed
// by an EWMA and a line over the last `windowPoints`. `level` (default) reads the remaining useful life off where
// the line ends between the learned healthy and failure levels (the index is a regression of the wear target); `trend` extrapolates the index's
// trend to the failure level like the TREND kind. Either way an RUL estimate with a band.
import { median } from 'simple-statistics';
import { TrendState } from '../trend-model.ts';
import {
  featureMoves,
  MemoisedEvaluator,
  roundTo,
  type Assessment,
  type Evaluator,
  type FeatureMove,
} from './evaluator.ts';
import { contributions, healthIndex, type HealthIndexModel } from './learned/health-index.ts';
import type { LearnedParams } from './params.ts';

export const HEALTH_INDEX = 'healthIndex';
const HOUR = 3_600_000;

export class LearnedEvaluator extends MemoisedEvaluator implements Evaluator {
  readonly kind = 'LEARNED' as const;
  readonly rulCapable = true;
  readonly metrics: readonly string[];
  private readonly model: HealthIndexModel;
  private readonly trend: TrendState;
  private lastReading: Readonly<Record<string, number>> | undefined;

  constructor(private readonly p: LearnedParams) {
    super();
    this.metrics = [...p.settings, ...p.sensors];
    this.model = {
      settings: p.settings,
      sensors: p.sensors,
      regimes: p.regimes,
      weights: p.weights,
      bias: p.bias,
    };
    this.trend = new TrendState({
      metric: HEALTH_INDEX,
      failureLevel: p.failureLevel,
      direction: 'up',
      shape: 'linear',
      alertLevel: p.alertLevel,
      resolutionMs: p.resolutionMs,
      windowPoints: p.windowPoints,
      minPoints: p.minPoints,
      ewmaAlpha: p.ewmaAlpha,
      minR2: p.minR2,
      horizonHours: p.horizonHours,
      confirmations: p.confirmations,
      marginMinutes: p.marginMinutes,
      baselinePoints: p.baselinePoints,
    });
  }

  add(at: number, metrics: Readonly<Record<string, number>>): void {
    const hi = healthIndex(this.model, metrics);
    if (hi !== undefined && Number.isFinite(hi) && this.trend.add(new Date(at), hi))
      this.lastReading = metrics;
  }

  /** The sensors that moved the index most at the latest kept reading. */
  private topSensors(): FeatureMove[] {
    if (!this.lastReading) return [];
    return contributions(this.model, this.lastReading)
      .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution))
      .slice(0, 3)
      .map((c) => ({
        metric: c.sensor,
        feature: 'healthIndexContribution',
        value: roundTo(c.contribution),
        z: roundTo(c.z, 2),
      }));
  }

  /** Time of one cycle: fixed, or the typical interval between the kept readings. */
  private cycleMs(): number | undefined {
    if (this.p.cycleMs) return this.p.cycleMs;
    const { t } = this.trend.features.window();
    if (t.length < 2) return undefined;
    return median(t.slice(1).map((x, i) => x - t[i]!));
  }

  private byLevel(): Assessment | undefined {
    const p = this.p;
    const f = this.trend.features;
    const snap = f.snapshot();
    const cycle = this.cycleMs();
    if (!snap || snap.points < p.minPoints || !cycle) return undefined;
    const span = p.failureLevel - p.healthyLevel || 1;
    // the window's line at its newest point lags less than the EWMA
    const level = snap.lineEnd;
    const wear = Math.min(1, Math.max(0, (level - p.healthyLevel) / span));
    const rul = p.capCycles * (1 - wear);
    const band = 1.64 * p.rulStdCycles;
    const at = (cycles: number) => new Date(snap.at + Math.max(0, cycles) * cycle);
    return {
      expectedFailureAt: at(rul),
      earliestAt: at(rul - band),
      latestAt: at(rul + band),
      confidence: roundTo(Math.max(0.05, Math.min(0.95, 1 - band / (rul + band + 1))), 3),
      evidence: {
        kind: 'LEARNED',
        summary: `health index ${roundTo(level, 3)}: ${Math.round(wear * 100)}% of the way from healthy (${roundTo(
          p.healthyLevel,
          3,
        )}) to failure (${roundTo(p.failureLevel, 3)}), about ${Math.round(rul)} cycles left`,
        features: [
          {
            metric: HEALTH_INDEX,
            feature: 'level',
            value: roundTo(level),
            reference: roundTo(p.failureLevel),
            change: roundTo(level - p.failureLevel),
          },
          ...this.topSensors(),
          ...featureMoves(snap),
        ],
        estimator: 'level',
        healthIndex: roundTo(level),
        rulCycles: roundTo(rul, 1),
        cycleHours: roundTo(cycle / HOUR, 4),
      },
    };
  }

  private byTrend(): Assessment | undefined {
    const est = this.trend.estimate();
    if (!est) return undefined;
    const snap = this.trend.features.snapshot()!;
    const e = est.evidence;
    return {
      ...est,
      evidence: {
        kind: 'LEARNED',
        summary: `health index ${roundTo(e.smoothed, 3)} rising ${roundTo(e.slopePerHour, 4)}/h to ${roundTo(
          this.p.failureLevel,
          3,
        )} (R² ${roundTo(e.r2, 2)})`,
        features: [
          {
            metric: HEALTH_INDEX,
            feature: 'level',
            value: roundTo(e.smoothed),
            reference: roundTo(this.p.failureLevel),
            change: roundTo(e.smoothed - this.p.failureLevel),
          },
          ...this.topSensors(),
          ...featureMoves(snap),
        ],
        estimator: 'trend',
        ...e,
      },
    };
  }

  protected revision(): number {
    return this.trend.features.revision;
  }

  protected compute(): Assessment | undefined {
    return this.p.estimator === 'trend' ? this.byTrend() : this.byLevel();
  }
}
