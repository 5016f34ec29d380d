// The whole-loop score (bench:loop): for every true failure of the simulator's ground truth, whether the platform
// had the technician on site with the part before it happened. Pure: the benchmark hands in what it observed on
// its virtual clock (when each order was raised, first planned, on site, closed) and the fleet's ground truth.
import type { GroundTruth } from './ground-truth.ts';

const HOUR = 3_600_000;
const YEAR_HOURS = 365 * 24;

export interface ObservedOrder {
  id: string;
  assetId: string;
  failureMode: string;
  /** Virtual time, epoch ms: raised by predict. */
  createdAt: number;
  /** The expected failure and the ETA of the order's first plan (null: never planned). */
  expectedFailureAt: number;
  firstEtaAt: number | null;
  /** The technician reached the site (null: never). */
  onSiteAt: number | null;
  /** Completed or cancelled (null: still open at the end). */
  closedAt: number | null;
  closedAs: 'COMPLETED' | 'CANCELLED' | null;
}

export interface LoopInput {
  truth: readonly GroundTruth[];
  orders: readonly ObservedOrder[];
  /** Virtual start and end of the run, epoch ms. */
  start: number;
  end: number;
  assets: number;
}

export type FailureOutcome = 'preempted' | 'late' | 'missed';

export interface ScoredFailure {
  assetId: string;
  failureMode: string;
  kind: GroundTruth['kind'];
  failAt: number;
  outcome: FailureOutcome;
  orderId: string | null;
  /** Hours from the order's raising to the failure, and from the technician's arrival to the failure. */
  predictionLeadHours: number | null;
  onSiteLeadHours: number | null;
  /** The serving order's expected failure, first planned ETA and arrival, ISO (for reading a late one). */
  order?: { expectedFailureAt: string; firstEtaAt: string | null; onSiteAt: string | null };
}

export interface Distribution {
  count: number;
  median: number | null;
  p10: number | null;
}

export interface LoopScore {
  failures: number;
  preempted: number;
  lateOrders: number;
  missed: number;
  preemptedShare: number | null;
  byKind: Record<string, { failures: number; preempted: number }>;
  orders: number;
  falseOrders: number;
  falseOrdersPerAssetYear: number;
  repeatOrders: number;
  /** Orders whose first plan put the technician on site before the expected failure, of those planned. */
  firstPlanOnTimeShare: number | null;
  leadHours: { predictionToFailure: Distribution; onSiteToFailure: Distribution };
  detail: ScoredFailure[];
}

const r3 = (x: number) => Math.round(x * 1000) / 1000;
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function quantile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return r3(sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo));
}

export function distribution(values: readonly number[]): Distribution {
  const s = [...values].sort((a, b) => a - b);
  return { count: s.length, median: quantile(s, 0.5), p10: quantile(s, 0.1) };
}

/** An order serves a failure when it was raised for that asset after the failure began developing, before it happened. */
const serves = (o: ObservedOrder, f: GroundTruth) =>
  o.assetId === f.assetId && o.createdAt >= Date.parse(f.onsetAt) && o.createdAt < Date.parse(f.failAt);

export function scoreLoop(input: LoopInput): LoopScore {
  const { truth, orders } = input;
  const happened = truth.filter((f) => Date.parse(f.failAt) <= input.end);
  const detail: ScoredFailure[] = happened.map((f) => {
    const failAt = Date.parse(f.failAt);
    const mine = orders.filter((o) => serves(o, f)).sort((a, b) => a.createdAt - b.createdAt);
    const onTime = mine.find((o) => o.onSiteAt !== null && o.onSiteAt <= failAt);
    const first = mine[0];
    return {
      assetId: f.assetId,
      failureMode: f.failureMode,
      kind: f.kind,
      failAt,
      outcome: onTime ? 'preempted' : first ? 'late' : 'missed',
      orderId: (onTime ?? first)?.id ?? null,
      predictionLeadHours: first ? r3((failAt - first.createdAt) / HOUR) : null,
      onSiteLeadHours: onTime ? r3((failAt - onTime.onSiteAt!) / HOUR) : null,
      ...(first
        ? {
            order: {
              expectedFailureAt: iso(first.expectedFailureAt)!,
              firstEtaAt: iso(first.firstEtaAt),
              onSiteAt: iso((onTime ?? first).onSiteAt),
            },
          }
        : {}),
    };
  });
  const count = (o: FailureOutcome) => detail.filter((d) => d.outcome === o).length;
  const byKind: LoopScore['byKind'] = {};
  for (const d of detail) {
    const k = (byKind[d.kind] ??= { failures: 0, preempted: 0 });
    k.failures++;
    if (d.outcome === 'preempted') k.preempted++;
  }

  // false: raised while no failure of the asset was developing (nor coming in the ground truth at all)
  const falseOrders = orders.filter((o) => !truth.some((f) => serves(o, f))).length;
  // repeat: raised again for the same asset and failure mode within 24 h of a completed or cancelled one
  const repeatOrders = orders.filter((o) =>
    orders.some(
      (p) =>
        p !== o &&
        p.assetId === o.assetId &&
        p.failureMode === o.failureMode &&
        p.closedAt !== null &&
        p.closedAt <= o.createdAt &&
        o.createdAt - p.closedAt < 24 * HOUR,
    ),
  ).length;
  const planned = orders.filter((o) => o.firstEtaAt !== null);
  const assetYears = (input.assets * (input.end - input.start)) / HOUR / YEAR_HOURS;
  const preempted = count('preempted');
  return {
    failures: detail.length,
    preempted,
    lateOrders: count('late'),
    missed: count('missed'),
    preemptedShare: detail.length ? r3(preempted / detail.length) : null,
    byKind,
    orders: orders.length,
    falseOrders,
    falseOrdersPerAssetYear: assetYears > 0 ? r3(falseOrders / assetYears) : 0,
    repeatOrders,
    firstPlanOnTimeShare: planned.length
      ? r3(planned.filter((o) => o.firstEtaAt! <= o.expectedFailureAt).length / planned.length)
      : null,
    leadHours: {
      predictionToFailure: distribution(
        detail.flatMap((d) => (d.predictionLeadHours === null ? [] : [d.predictionLeadHours])),
      ),
      onSiteToFailure: distribution(
        detail.flatMap((d) => (d.onSiteLeadHours === null ? [] : [d.onSiteLeadHours])),
      ),
    },
    detail,
  };
}
