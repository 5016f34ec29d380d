/**
 * Scoring alarms against failures. Alarms of one asset and failure mode less than `episodeGapMs`
 * apart form one episode; an episode is true when a failure of that mode follows within the horizon
 * after it starts (in (start, start + horizon]). A failure is caught when an alarm of its asset and
 * mode falls in [failure − horizon, failure − minLead]; its lead is failure − the first such alarm.
 */

import { MIN_ASSET_YEARS_FOR_RATE, rateWithheld } from '../backtest/score.ts';

export interface ScoreOptions {
  horizonMs: number;
  minLeadMs: number;
  episodeGapMs: number;
}

export interface Outcome {
  failures: number;
  caught: number;
  episodes: number;
  falseEpisodes: number;
  /** Lead (ms) of every caught failure. */
  leadsMs: number[];
}

/** Outcome of one asset and mode: alarm times and failure times, both ascending. */
export function countOutcome(
  alarms: ArrayLike<number>,
  failures: ArrayLike<number>,
  o: ScoreOptions,
): Outcome {
  const out: Outcome = { failures: failures.length, caught: 0, episodes: 0, falseEpisodes: 0, leadsMs: [] };
  let f = 0;
  for (let i = 0; i < alarms.length;) {
    const start = alarms[i] as number;
    let end = start;
    i++;
    while (i < alarms.length && (alarms[i] as number) - end < o.episodeGapMs) end = alarms[i++] as number;
    out.episodes++;
    while (f < failures.length && (failures[f] as number) <= start) f++;
    const ok = f < failures.length && (failures[f] as number) <= start + o.horizonMs;
    if (!ok) out.falseEpisodes++;
  }
  let a = 0;
  for (let k = 0; k < failures.length; k++) {
    const ft = failures[k] as number;
    while (a < alarms.length && (alarms[a] as number) < ft - o.horizonMs) a++;
    if (a < alarms.length && (alarms[a] as number) <= ft - o.minLeadMs) {
      out.caught++;
      out.leadsMs.push(ft - (alarms[a] as number));
    }
  }
  return out;
}

export interface TimedAlarm {
  asset: string;
  failureMode: string;
  /** ms */
  at: number;
}

export interface ModeScore {
  failures: number;
  caught: number;
  /** Caught / failures (caught = alarmed with at least the minimum lead). */
  recall: number;
  episodes: number;
  falseEpisodes: number;
  /** Null when the period is too short to extrapolate (core/backtest/score.ts: MIN_ASSET_YEARS_FOR_RATE). */
  falseEpisodesPerAssetYear: number | null;
  /** True episodes / episodes. */
  episodePrecision: number;
  leadHours: { p10: number; median: number; p90: number } | null;
}

export interface AlarmScore extends ModeScore {
  /** Why the false episodes per asset-year are not reported (too little asset-time, no failure), else null. */
  rateWithheld: string | null;
  byMode: Record<string, ModeScore>;
}

const quantile = (sorted: number[], q: number) =>
  sorted.length === 0 ? NaN : (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number);

function summarise(o: Outcome, assetYears: number): ModeScore {
  const leads = o.leadsMs.map((x) => x / 3_600_000).sort((a, b) => a - b);
  const r = (x: number) => Math.round(x * 1000) / 1000;
  return {
    failures: o.failures,
    caught: o.caught,
    recall: o.failures === 0 ? NaN : r(o.caught / o.failures),
    episodes: o.episodes,
    falseEpisodes: o.falseEpisodes,
    falseEpisodesPerAssetYear:
      assetYears >= MIN_ASSET_YEARS_FOR_RATE ? r(o.falseEpisodes / assetYears) : null,
    episodePrecision: o.episodes === 0 ? NaN : r((o.episodes - o.falseEpisodes) / o.episodes),
    leadHours:
      leads.length === 0
        ? null
        : { p10: r(quantile(leads, 0.1)), median: r(quantile(leads, 0.5)), p90: r(quantile(leads, 0.9)) },
  };
}

/** Score alarms against the failures of the same period; `assetYears` = assets × period length in years. */
export function scoreAlarms(
  alarms: TimedAlarm[],
  failures: TimedAlarm[],
  assetYears: number,
  o: ScoreOptions,
): AlarmScore {
  const group = (xs: TimedAlarm[]) => {
    const m = new Map<string, number[]>();
    for (const x of xs) {
      const k = `${x.failureMode}\u0000${x.asset}`;
      const list = m.get(k);
      if (list) list.push(x.at);
      else m.set(k, [x.at]);
    }
    for (const l of m.values()) l.sort((a, b) => a - b);
    return m;
  };
  const ga = group(alarms);
  const gf = group(failures);
  const modes = [...new Set([...alarms, ...failures].map((x) => x.failureMode))].sort();
  const total: Outcome = { failures: 0, caught: 0, episodes: 0, falseEpisodes: 0, leadsMs: [] };
  const byMode: Record<string, ModeScore> = {};
  for (const mode of modes) {
    const acc: Outcome = { failures: 0, caught: 0, episodes: 0, falseEpisodes: 0, leadsMs: [] };
    const keys = new Set([...ga.keys(), ...gf.keys()].filter((k) => k.startsWith(`${mode}\u0000`)));
    for (const k of keys) {
      const r = countOutcome(ga.get(k) ?? [], gf.get(k) ?? [], o);
      acc.failures += r.failures;
      acc.caught += r.caught;
      acc.episodes += r.episodes;
      acc.falseEpisodes += r.falseEpisodes;
      acc.leadsMs.push(...r.leadsMs);
    }
    byMode[mode] = summarise(acc, assetYears);
    total.failures += acc.failures;
    total.caught += acc.caught;
    total.episodes += acc.episodes;
    total.falseEpisodes += acc.falseEpisodes;
    total.leadsMs.push(...acc.leadsMs);
  }
  const withheld = rateWithheld(assetYears, total.failures);
  const summary = summarise(total, assetYears);
  if (withheld !== null) summary.falseEpisodesPerAssetYear = null;
  return { ...summary, rateWithheld: withheld, byMode };
}

/** Area under the ROC curve of scores against 0/1 labels (ties averaged). */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => (scores[a] as number) - (scores[b] as number),
  );
  let pos = 0;
  let rankSum = 0;
  for (let i = 0; i < n;) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1] as number] === scores[order[i] as number]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if ((labels[order[k] as number] as number) > 0) {
        pos++;
        rankSum += rank;
      }
    }
    i = j + 1;
  }
  const neg = n - pos;
  if (pos === 0 || neg === 0) return NaN;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}
