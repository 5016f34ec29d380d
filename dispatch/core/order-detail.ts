// The order detail as a whole (why it was predicted, the plan, the timeline, the parts' movements, the return)
// and the pure rules behind it: which metric the prediction watched and its failure level, the window of the
// metric's trend to chart and how coarsely to downsample it, the plan's shipment. No I/O.
import type { LiveOrder } from '../../common/contracts/live.ts';
import type { JobReportDetail } from './job-report.ts';

export interface TimelineEntry {
  at: string;
  status: string;
  action: string;
  actor: string;
  note: string | null;
}

export interface PredictionDetail {
  raisedAt: string;
  expectedFailureAt: string;
  earliestAt: string;
  latestAt: string;
  confidence: number;
  outcome: string;
  metric: string | null;
  failureLevel: number | null;
  /** The model and its version that raised it (null for customers). */
  model: { key: string; name: string; kind: string; version: number } | null;
  /** What moved: the features behind the prediction (null for customers). */
  evidence: Record<string, unknown> | null;
}

export interface TrendPoint {
  ts: string;
  value: number;
  min: number;
  max: number;
}

export interface MetricTrend {
  metric: string;
  unit: string | null;
  failureLevel: number | null;
  from: string;
  to: string;
  /** Width of one downsampled window. */
  everySeconds: number;
  points: TrendPoint[];
}

export interface ReservationDetail {
  location: string;
  sku: string;
  qty: number;
  status: string;
  at: string;
}

export interface ShipmentDetail {
  id: string;
  from: string;
  to: string;
  sku: string;
  qty: number;
  mode: string;
  status: string;
  shipAt: string;
  readyAt: string;
  /** The carrier's tracking state (AWAITING_PICKUP, PICKED_UP, IN_TRANSIT, DELIVERED, EXCEPTION). */
  tracking: string;
  /** null for customers. */
  cost: number | null;
}

export interface ReturnDetail {
  id: string;
  number: number;
  sku: string;
  qty: number;
  serial: string;
  reason: string;
  to: string;
  finding: string | null;
  /** null for customers. */
  findingNote: string | null;
  createdAt: string;
  receivedAt: string | null;
  closedAt: string | null;
  /** Why it goes to `to` (an unused part: the location whose parts-plan target it fills). */
  routeReason: string | null;
  /** The carrier's tracking state of the return shipment. */
  tracking: string;
  /** A refurbished or retested unit's way from the repair depot. */
  transfer: ReturnTransfer | null;
}

/** A returned unit's stock transfer from the repair depot (docs/reverse-logistics.md). */
export interface ReturnTransfer {
  id: string;
  code: string;
  from: string;
  to: string;
  status: 'IN_TRANSIT' | 'RECEIVED' | 'WRITTEN_OFF';
  trackingState: string;
  carrier: string | null;
  etaAt: string;
  routeReason: string | null;
}

export interface PlanDetail {
  pickup: string | null;
  source: string | null;
  technician: string | null;
  partsReadyAt: string | null;
  etaAt: string | null;
  onTime: boolean | null;
  lateByMinutes: number | null;
  verdictReason: string | null;
  /** The live shipment of the part to the pickup (the latest not cancelled), if any. */
  shipment: ShipmentDetail | null;
}

export interface OrderDetail {
  order: LiveOrder;
  prediction: PredictionDetail | null;
  trend: MetricTrend | null;
  plan: PlanDetail;
  timeline: TimelineEntry[];
  reservations: ReservationDetail[];
  shipments: ShipmentDetail[];
  returns: ReturnDetail[];
  /** What the technician recorded at completion (null before). */
  report: JobReportDetail | null;
}

const HOUR = 3_600_000;
/** How far back of the prediction the trend starts, and the longest span charted. */
export const TREND_LEAD_MS = 24 * HOUR;
export const TREND_MAX_SPAN_MS = 7 * 24 * HOUR;
/** Points charted at most (the store aggregates into about this many windows). */
export const TREND_POINTS = 120;

const isObject = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);

/** The metric a prediction watched and its failure level: from its evidence, else its model version's params. */
export function watchedMetric(
  evidence: unknown,
  params: unknown,
): { metric: string | null; failureLevel: number | null } {
  const pick = <T>(key: string, ok: (v: unknown) => v is T): T | null => {
    for (const src of [evidence, params]) if (isObject(src) && ok(src[key])) return src[key] as T;
    return null;
  };
  const isName = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
  const isLevel = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
  return { metric: pick('metric', isName), failureLevel: pick('failureLevel', isLevel) };
}

/**
 * The window of the trend to chart: from a day before the prediction was raised (or the first reading after
 * that) to now (or to when the order closed), at most a week, in about TREND_POINTS windows of whole seconds.
 */
export function trendWindow(
  raisedAt: Date,
  closedAt: Date | null,
  now: Date,
  /** The first reading in that window, if known: the window starts there, so a young asset's chart is not empty. */
  firstAt?: Date,
): { from: Date; to: Date; everyMs: number } {
  const to = new Date(Math.min(now.getTime(), closedAt?.getTime() ?? Infinity));
  const start = Math.min(raisedAt.getTime(), to.getTime()) - TREND_LEAD_MS;
  const earliest = Math.max(start, to.getTime() - TREND_MAX_SPAN_MS);
  const from = new Date(Math.min(to.getTime(), Math.max(earliest, firstAt?.getTime() ?? earliest)));
  const span = to.getTime() - from.getTime();
  const everyMs = Math.max(1000, Math.ceil(span / TREND_POINTS / 1000) * 1000);
  return { from, to, everyMs };
}

/** The shipment that brings the part for the plan: the latest one not cancelled. */
export function planShipment(shipments: readonly ShipmentDetail[]): ShipmentDetail | null {
  const live = shipments.filter((s) => s.status !== 'CANCELLED');
  return live.length ? live.reduce((a, b) => (b.shipAt >= a.shipAt ? b : a)) : null;
}

export function planOf(o: LiveOrder, shipments: readonly ShipmentDetail[]): PlanDetail {
  return {
    pickup: o.pickup,
    source: o.source,
    technician: o.technician,
    partsReadyAt: o.partsReadyAt,
    etaAt: o.etaAt,
    onTime: o.onTime,
    lateByMinutes: o.lateByMinutes,
    verdictReason: o.verdictReason,
    shipment: planShipment(shipments),
  };
}
