// Carrier tracking events: signature and freshness of a webhook, and what an event does to a shipment's tracking
// state (docs/reverse-logistics.md). Pure: the secret, the clock and the raw body are passed in.
import { createHmac, timingSafeEqual } from 'node:crypto';

export type TrackingState = 'AWAITING_PICKUP' | 'PICKED_UP' | 'IN_TRANSIT' | 'DELIVERED' | 'EXCEPTION';
export type TrackingEventKind = Exclude<TrackingState, 'AWAITING_PICKUP'>;

/** Events older or newer than this against our clock are refused (replayed captures, wrong clocks). */
export const MAX_SKEW_SECONDS = 300;

/** The signature a carrier sends: hex HMAC-SHA256 of `<timestamp>.<raw body>` under its secret. */
export function sign(secret: string, timestamp: string, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

export type SignatureCheck = { ok: true } | { ok: false; why: string };

export function checkSignature(a: {
  secret: string | undefined;
  timestamp: string | undefined;
  signature: string | undefined;
  body: string;
  nowMs: number;
}): SignatureCheck {
  if (!a.secret) return { ok: false, why: 'unknown carrier' };
  if (!a.timestamp || !/^\d{1,12}$/.test(a.timestamp)) return { ok: false, why: 'missing timestamp' };
  if (Math.abs(a.nowMs / 1000 - Number(a.timestamp)) > MAX_SKEW_SECONDS)
    return { ok: false, why: 'stale timestamp' };
  const given = (a.signature ?? '').replace(/^sha256=/, '');
  if (!/^[0-9a-f]{64}$/.test(given)) return { ok: false, why: 'missing signature' };
  const want = Buffer.from(sign(a.secret, a.timestamp, a.body), 'hex');
  return timingSafeEqual(want, Buffer.from(given, 'hex'))
    ? { ok: true }
    : { ok: false, why: 'bad signature' };
}

const RANK: Record<TrackingState, number> = {
  AWAITING_PICKUP: 0,
  PICKED_UP: 1,
  IN_TRANSIT: 2,
  EXCEPTION: 3,
  DELIVERED: 4,
};

export interface ShipmentProblemFacts {
  kind: 'LATE' | 'FAILED' | 'OVERDUE';
  minutesLate: number | null;
  reason: string;
}

export interface TrackingOutcome {
  /** The shipment's tracking state after the event. */
  state: TrackingState;
  changed: boolean;
  /** Set when the event shows the parts will not be ready in time: dispatch re-plans the order. */
  problem: ShipmentProblemFacts | null;
}

/**
 * Applies one event. States only move forward (a late-arriving older event changes nothing); a delivery ends the
 * tracking; an exception (lost, damaged, refused) fails it until the carrier reports progress again.
 */
/** How far ahead of the platform's clock an event's `at` may be (a carrier's clock a little fast), ms. */
export const MAX_EVENT_AHEAD_MS = 10 * 60_000;

/**
 * Why an event's time cannot be taken, if it cannot: after now (by more than MAX_EVENT_AHEAD_MS) nothing has
 * happened yet. A delivery dated in 9999 made the order's shipment LATE by 4,193,428,020 minutes, escalated it
 * and wrote that delivery time on a stock transfer.
 */
export function eventTimeRefusal(at: Date, now: Date): string | undefined {
  if (at.getTime() - now.getTime() <= MAX_EVENT_AHEAD_MS) return undefined;
  return (
    `at ${at.toISOString()} is more than ${MAX_EVENT_AHEAD_MS / 60_000} minutes after the platform's clock ` +
    `(${now.toISOString()}): an event is sent once it has happened`
  );
}

export function applyTrackingEvent(
  current: TrackingState,
  e: { kind: TrackingEventKind; at: Date; detail?: string },
  readyAt: Date,
): TrackingOutcome {
  if (current === 'DELIVERED') return { state: current, changed: false, problem: null };
  const forward = e.kind === 'EXCEPTION' || RANK[e.kind] > RANK[current];
  if (!forward || e.kind === current) return { state: current, changed: false, problem: null };
  if (e.kind === 'EXCEPTION')
    return {
      state: 'EXCEPTION',
      changed: true,
      problem: { kind: 'FAILED', minutesLate: null, reason: `carrier exception: ${e.detail ?? 'no detail'}` },
    };
  const late = Math.round((e.at.getTime() - readyAt.getTime()) / 60_000);
  return {
    state: e.kind,
    changed: true,
    problem:
      e.kind === 'DELIVERED' && late > 0
        ? { kind: 'LATE', minutesLate: late, reason: `delivered ${late} min after the parts were due` }
        : null,
  };
}

/** The unit has left its source shelf: picked up, on its way, or lost or damaged with the carrier. */
export const leftSource = (s: TrackingState): boolean =>
  s === 'PICKED_UP' || s === 'IN_TRANSIT' || s === 'EXCEPTION';

/**
 * A shipment not delivered by the time its part is needed (its readyAt), not reported before: OVERDUE. A shipment
 * already delivered, failed (its exception was reported) or reported once is not.
 */
export function overdueProblem(
  s: { trackingState: TrackingState; readyAt: Date; problemAt: Date | null },
  now: Date,
): ShipmentProblemFacts | null {
  if (s.problemAt || s.trackingState === 'DELIVERED' || s.trackingState === 'EXCEPTION') return null;
  const late = Math.floor((now.getTime() - s.readyAt.getTime()) / 60_000);
  if (late <= 0) return null;
  const where = s.trackingState === 'AWAITING_PICKUP' ? 'not picked up' : 'not delivered';
  return { kind: 'OVERDUE', minutesLate: late, reason: `${where} ${late} min after the parts were due` };
}

/**
 * Whether dispatch moves the order to another source or pickup on its own: the part is lost, damaged or overdue.
 * A late delivery has brought the part: the order keeps its plan (flagged, with the new ETA to check).
 */
export const replansItself = (p: ShipmentProblemFacts): boolean => p.kind !== 'LATE';

/**
 * The staging to move to: the fastest choice (choices come fastest first) that is not the current one and does not
 * draw on the source of the failed shipment.
 */
export function pickReplan<T extends { pickup: string; source: string; current: boolean }>(
  choices: readonly T[],
  failedSource: string | null,
): T | undefined {
  return choices.find((c) => !c.current && c.source !== failedSource);
}

/**
 * One event on a stock transfer or a return shipment (no order waits for it): the tracking state moves as for an
 * order's shipment; a delivery books the units in at the destination (once: not when they were booked in by hand;
 * a consignment written off that turns up after all is booked in too); an exception is reported once, to the
 * planners, and **writes the units off** (lost or damaged: out of transit and of every stock; the exception is the
 * end of the carrier's tracking, only a delivery follows it). A late delivery is no problem here.
 */
export function applyConsignmentEvent(
  c: { trackingState: TrackingState; bookedIn: boolean; problemAt: Date | null; writtenOff?: boolean },
  e: { kind: TrackingEventKind; at: Date; detail?: string },
): {
  state: TrackingState;
  changed: boolean;
  bookIn: boolean;
  writeOff: boolean;
  problem: ShipmentProblemFacts | null;
} {
  const out = applyTrackingEvent(c.trackingState, e, e.at);
  return {
    state: out.state,
    changed: out.changed,
    bookIn: out.changed && out.state === 'DELIVERED' && !c.bookedIn,
    writeOff: out.changed && out.state === 'EXCEPTION' && !c.bookedIn && c.writtenOff !== true,
    problem: out.problem?.kind === 'FAILED' && c.problemAt === null && !c.bookedIn ? out.problem : null,
  };
}

/** A carrier's reference to what it carries: our document code (TRF-000123, RMA-000042) or a record id. */
export function parseCarrierReference(
  ref: string,
): { kind: 'transfer' | 'return'; number: number } | { kind: 'id'; id: string } {
  const m = /^(TRF|RMA)-(\d{1,9})$/.exec(ref.trim().toUpperCase());
  if (!m) return { kind: 'id', id: ref };
  return { kind: m[1] === 'TRF' ? 'transfer' : 'return', number: Number(m[2]) };
}
