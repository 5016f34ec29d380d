/**
 * From a trained alarm model to the platform's ALARM versions (one per failure mode the equipment model knows)
 * and their backtest per failure event on the history after `trainUntil`: each failure caught or not and with
 * what lead, alarm episodes, their precision, false episodes per asset-year, the lead distribution and per-row
 * AUC. Pure.
 */
import type { AlarmParams } from '../models/params.ts';
import { countOutcome, rocAuc, scoreAlarms, type AlarmScore, type TimedAlarm } from './episodes.ts';
import type { FleetHistory } from './history.ts';
import { predictAlarms, type AlarmModel } from './model.ts';

const HOUR = 3_600_000;
const YEAR = 365.25 * 24 * HOUR;

const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '');

/**
 * The equipment model's failure mode (key) of each of the history's modes, matched on key or name ignoring case
 * and punctuation (`Compressor bearing`, `compressor-bearing`); modes with no match are left out.
 */
export function matchModes(
  historyModes: readonly string[],
  failureModes: readonly { key: string; name: string }[],
): Map<string, string> {
  const out = new Map<string, string>();
  for (const h of historyModes) {
    const f = failureModes.find((x) => norm(x.key) === norm(h) || norm(x.name) === norm(h));
    if (f) out.set(h, f.key);
  }
  return out;
}

export interface TrainedOn {
  source: string;
  trainUntil: string;
  trainedAt: string;
  assets: number;
  /** Cross-validated on the training period (all modes together, and this mode). */
  cv: AlarmModel['cv'] & { mode: AlarmModel['rules'][number]['cv'] };
}

/** The ALARM parameters of one failure mode of a trained model. */
export function versionParams(
  model: AlarmModel,
  fleet: FleetHistory,
  mode: string,
  o: { source: string; trainedAt: Date; marginMinutes?: number },
): AlarmParams {
  const rule = model.rules.find((r) => r.mode === mode);
  if (!rule) throw new Error(`the model has no rule for ${mode}`);
  const trainedOn: TrainedOn = {
    source: o.source,
    trainUntil: new Date(model.trainUntil).toISOString(),
    trainedAt: o.trainedAt.toISOString(),
    assets: fleet.assets.length,
    cv: { ...model.cv, mode: rule.cv },
  };
  return {
    metrics: [...fleet.metrics],
    failureMode: mode,
    features: {
      codes: [...fleet.codes],
      components: [...fleet.components],
      modes: [...fleet.modes],
      attributeNames: [...fleet.attributeNames],
      stepMs: fleet.stepMs,
      options: { ...model.featureOptions },
    },
    rule: {
      models: rule.models,
      platt: rule.platt,
      threshold: rule.threshold,
      consecutive: rule.consecutive,
      // k of m: the live evaluator runs it too; k in a row (window = k) is stored as before, without it
      ...(rule.window !== undefined && rule.window !== rule.consecutive ? { window: rule.window } : {}),
    },
    episodeGapHours: 24,
    trainedOn,
    horizonHours: model.horizonMs / HOUR,
    confirmations: 1,
    marginMinutes: o.marginMinutes ?? 0,
  };
}

export interface FailureEvent {
  asset: string;
  failureMode: string;
  at: string;
  caught: boolean;
  /** Hours from the first alarm in [failure − horizon, failure − minimum lead] to the failure. */
  leadHours: number | null;
}

export interface AlarmBacktest {
  from: string;
  assetYears: number;
  score: AlarmScore;
  /** Per failure mode: AUC of the probabilities of every step against "fails within the horizon". */
  rowAuc: Record<string, number | null>;
  failures: FailureEvent[];
}

/** Backtest of the model on the steps after its `trainUntil` of the same history. */
export function backtestAlarms(
  model: AlarmModel,
  fleet: FleetHistory,
  o: { minLeadMs: number; episodeGapMs: number },
): AlarmBacktest {
  const from = model.trainUntil;
  const failures: TimedAlarm[] = [];
  let steps = 0;
  const failureTimes = new Map<string, number[]>();
  for (const a of fleet.assets) {
    for (let i = 0; i < a.failures.t.length; i++) {
      const at = a.failures.t[i] as number;
      if (at <= from) continue;
      const mode = fleet.modes[a.failures.key[i] as number] as string;
      failures.push({ asset: a.id, failureMode: mode, at });
      const k = `${a.id}\u0000${mode}`;
      failureTimes.set(k, [...(failureTimes.get(k) ?? []), at]);
    }
    for (const t of a.times) if (t > from) steps++;
  }
  const assetYears = (steps * fleet.stepMs) / YEAR;
  const modeIndex = new Map(model.rules.map((r, m) => [r.mode, m]));
  const scores = model.rules.map(() => [] as number[]);
  const labels = model.rules.map(() => [] as number[]);
  const alarms = predictAlarms(model, fleet, (asset, t, probs) => {
    model.rules.forEach((r, m) => {
      const next = (failureTimes.get(`${asset}\u0000${r.mode}`) ?? []).find((f) => f > t);
      (scores[m] as number[]).push(probs[m] as number);
      (labels[m] as number[]).push(next !== undefined && next <= t + model.horizonMs ? 1 : 0);
    });
  });
  const timed: TimedAlarm[] = alarms.map((a) => ({ asset: a.asset, failureMode: a.failureMode, at: a.at }));
  const opts = { horizonMs: model.horizonMs, minLeadMs: o.minLeadMs, episodeGapMs: o.episodeGapMs };
  const score = scoreAlarms(timed, failures, assetYears, opts);
  const byPair = new Map<string, number[]>();
  for (const a of timed) {
    const k = `${a.asset}\u0000${a.failureMode}`;
    const list = byPair.get(k);
    if (list) list.push(a.at);
    else byPair.set(k, [a.at]);
  }
  const events: FailureEvent[] = failures
    .sort((a, b) => a.at - b.at)
    .map((f) => {
      const r = countOutcome(byPair.get(`${f.asset}\u0000${f.failureMode}`) ?? [], [f.at], opts);
      const lead = r.leadsMs[0];
      return {
        asset: f.asset,
        failureMode: f.failureMode,
        at: new Date(f.at).toISOString(),
        caught: r.caught > 0,
        leadHours: lead === undefined ? null : Math.round((lead / HOUR) * 10) / 10,
      };
    });
  const rowAuc: Record<string, number | null> = {};
  for (const [mode, m] of modeIndex) {
    const auc = rocAuc(scores[m] as number[], labels[m] as number[]);
    rowAuc[mode] = Number.isNaN(auc) ? null : Math.round(auc * 1000) / 1000;
  }
  return {
    from: new Date(from).toISOString(),
    assetYears: Math.round(assetYears * 1000) / 1000,
    score,
    rowAuc,
    failures: events,
  };
}

/**
 * The score of one mode in the headline shape of the other kinds' backtests (BacktestSummary). With no failure at
 * all after `trainUntil` (a failures file that ends there, as predict:alarms expects) the episodes cannot be
 * judged: precision is null then, like the rate per asset-year, not 0.
 */
export function backtestSummary(b: AlarmBacktest, mode: string, assets: number) {
  const s = b.score.byMode[mode];
  const num = (x: number | undefined | null) => (x === undefined || x === null || Number.isNaN(x) ? null : x);
  return {
    assets,
    failures: s?.failures ?? 0,
    detected: s?.caught ?? 0,
    recall: num(s?.recall),
    precision: b.score.failures === 0 ? null : num(s?.episodePrecision),
    falseAlarmsPerAssetYear: b.score.rateWithheld === null ? num(s?.falseEpisodesPerAssetYear) : null,
    medianLeadHours: s?.leadHours?.median ?? null,
    alarms: s?.episodes ?? 0,
    rmse: null,
    nasaScore: null,
    rulUnit: null,
    timeUnit: 'hours',
    rateWithheld: b.score.rateWithheld,
  };
}
