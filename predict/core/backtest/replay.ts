// Replays one asset's history through a model version exactly as the live service runs it: every reading goes
// to the kind's evaluator, the same hysteresis decides when an order (here: an alarm) would open and when its
// risk would be flagged as cleared (here: the alarm is withdrawn). A known failure ends the alarm open at that
// moment (a detection) and, the machine being repaired, restarts the evaluator. Remaining-useful-life pairs
// (true, predicted) are sampled along the way for RUL-capable kinds.
import { decide, initialDecision } from '../order-decision.ts';
import { createEvaluator, DEFAULT_CLEAR_AFTER, orderRules } from '../models/create-evaluator.ts';
import type { ModelKind } from '../models/params.ts';
import type { History } from './history.ts';

const HOUR = 3_600_000;

export interface ReplayOptions {
  /** Length of one RUL unit in ms: an hour for telemetry, a cycle for C-MAPSS (mapped to an hour). */
  rulUnitMs: number;
  /** RUL is scored where the true RUL is at most `rulCap` units; predictions are capped there too. */
  rulCap: number;
  /** One RUL pair per this many units at most. */
  rulEvery: number;
}

export interface Alarm {
  assetId: string;
  openedAt: number;
  expectedFailureAt: number;
  earliestAt: number;
  latestAt: number;
  confidence: number;
  /** detected: a failure came while it was open; withdrawn: its risk cleared; false: the band passed without a
   * failure; pending: still open at the end with its band ahead. */
  outcome: 'detected' | 'withdrawn' | 'false' | 'pending';
  closedAt?: number;
  evidence: string;
}

export interface FailureOutcome {
  assetId: string;
  at: number;
  kind: string;
  detected: boolean;
  /** Hours between the alarm and the failure. */
  leadHours?: number;
  /** Whether the lead covered what the asset needs (parts and response). */
  inTime?: boolean;
  /** Expected failure time of the alarm against the real one, hours (positive: predicted late). */
  timingErrorHours?: number;
}

export interface RulPair {
  assetId: string;
  at: number;
  /** The failure it counts down to. */
  failureAt: number;
  trueRul: number;
  predictedRul: number;
  /** Whether the model gave an estimate (otherwise the cap was assumed). */
  estimated: boolean;
}

export interface AssetReplay {
  assetId: string;
  /** Scored for RUL only (a history cut short before its failure: alarms and recall say nothing). */
  rulOnly: boolean;
  readings: number;
  observedHours: number;
  alarms: Alarm[];
  failures: FailureOutcome[];
  rul: RulPair[];
}

/** Observed time: the spans between readings, a gap longer than `maxGapMs` (a machine down, a device off) left out. */
export function observedMs(times: readonly number[]): number {
  if (times.length < 2) return 0;
  const gaps = times.slice(1).map((t, i) => t - times[i]!);
  const sorted = [...gaps].sort((a, b) => a - b);
  const maxGap = Math.max(15 * 60_000, 3 * sorted[Math.floor(sorted.length / 2)]!);
  return gaps.reduce((s, g) => s + (g <= maxGap ? g : 0), 0);
}

export function replayHistory(kind: ModelKind, params: unknown, h: History, o: ReplayOptions): AssetReplay {
  const rules = orderRules(params);
  const decideOpts = {
    confirmations: rules.confirmations,
    clearAfter: rules.clearAfter ?? DEFAULT_CLEAR_AFTER,
  };
  const horizonMs = h.horizonHours * HOUR;
  const requiredMs = (h.requiredLeadHours ?? h.horizonHours) * HOUR;
  const first = h.readings[0]?.at ?? Number.POSITIVE_INFINITY;
  const last = h.readings.at(-1)?.at ?? Number.NEGATIVE_INFINITY;
  const endAt = h.endAt ?? last;
  // failures before the first reading were not observed; after the end they did not happen (yet)
  const failures = h.failures.filter((f) => f.at >= first && f.at <= endAt);

  let ev = createEvaluator(kind, params);
  let state = initialDecision();
  let open: Alarm | undefined;
  const alarms: Alarm[] = [];
  const outcomes: FailureOutcome[] = [];
  const rul: RulPair[] = [];
  let next = 0;
  let lastPair = Number.NEGATIVE_INFINITY;

  const fail = (f: (typeof failures)[number]) => {
    const out: FailureOutcome = { assetId: h.assetId, at: f.at, kind: f.kind, detected: !!open };
    if (open) {
      open.outcome = 'detected';
      open.closedAt = f.at;
      out.leadHours = (f.at - open.openedAt) / HOUR;
      out.inTime = f.at - open.openedAt >= requiredMs;
      out.timingErrorHours = (open.expectedFailureAt - f.at) / HOUR;
    }
    outcomes.push(out);
    open = undefined;
    ev = createEvaluator(kind, params); // repaired: a healthy machine again
    state = initialDecision();
  };

  const lastIndex = h.readings.length - 1;
  h.readings.forEach((r, i) => {
    while (next < failures.length && failures[next]!.at < r.at) fail(failures[next++]!);
    ev.add(r.at, r.metrics);
    const est = ev.assess();
    const inHorizon = est !== undefined && est.expectedFailureAt.getTime() - r.at <= horizonMs;
    const d = decide(state, inHorizon, open !== undefined, decideOpts);
    state = d.state;
    if (d.action === 'open' && est) {
      open = {
        assetId: h.assetId,
        openedAt: r.at,
        expectedFailureAt: est.expectedFailureAt.getTime(),
        earliestAt: est.earliestAt.getTime(),
        latestAt: est.latestAt.getTime(),
        confidence: est.confidence,
        outcome: 'pending',
        evidence: est.evidence.summary,
      };
      alarms.push(open);
    } else if (d.action === 'flag_cleared' && open) {
      open.outcome = 'withdrawn';
      open.closedAt = r.at;
      open = undefined;
      state = initialDecision();
    }
    const f = failures[next];
    if (ev.rulCapable && f && (!h.rulAtEndOnly || i === lastIndex)) {
      const trueRul = (f.at - r.at) / o.rulUnitMs;
      // a test unit's one pair counts whatever its true RUL (as in the C-MAPSS benchmark)
      const due = h.rulAtEndOnly || (trueRul <= o.rulCap && (r.at - lastPair) / o.rulUnitMs >= o.rulEvery);
      if (due) {
        lastPair = r.at;
        const predicted = est
          ? Math.min(o.rulCap, Math.max(0, (est.expectedFailureAt.getTime() - r.at) / o.rulUnitMs))
          : o.rulCap;
        rul.push({
          assetId: h.assetId,
          at: r.at,
          failureAt: f.at,
          trueRul,
          predictedRul: predicted,
          estimated: !!est,
        });
      }
    }
  });
  while (next < failures.length) fail(failures[next++]!);
  if (open) {
    const a: Alarm = open;
    if (a.latestAt < endAt) {
      a.outcome = 'false';
      a.closedAt = a.latestAt;
    }
  }
  return {
    assetId: h.assetId,
    rulOnly: h.rulAtEndOnly === true,
    readings: h.readings.length,
    observedHours: observedMs(h.readings.map((r) => r.at)) / HOUR,
    alarms,
    failures: outcomes,
    rul,
  };
}
