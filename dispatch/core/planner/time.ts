/** Time arithmetic on epoch milliseconds with "HH:MM" UTC clock times. */

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** Minutes after midnight of an "HH:MM" clock time. */
export function parseHhmm(hhmm: string): number {
  const m = /^(\d{2}):(\d{2})$/.exec(hhmm);
  if (!m) throw new Error(`invalid clock time ${JSON.stringify(hhmm)}: expected "HH:MM"`);
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (h > 23 || min > 59) throw new Error(`invalid clock time ${JSON.stringify(hhmm)}: out of range`);
  return h * 60 + min;
}

/** Epoch ms of an ISO-8601 instant (throws on unparsable input). */
export function parseIso(iso: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`invalid ISO-8601 instant ${JSON.stringify(iso)}`);
  return ms;
}

export function toIso(ms: number): string {
  return new Date(Math.round(ms)).toISOString();
}

function startOfUtcDay(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

/** The first instant at or after `ms` whose UTC clock reads `clockMin`. */
export function nextClockAtOrAfter(ms: number, clockMin: number): number {
  const t = startOfUtcDay(ms) + clockMin * MINUTE_MS;
  return t >= ms ? t : t + DAY_MS;
}

/** The first instant strictly after `ms` whose UTC clock reads `clockMin`. */
export function nextClockAfter(ms: number, clockMin: number): number {
  const t = startOfUtcDay(ms) + clockMin * MINUTE_MS;
  return t > ms ? t : t + DAY_MS;
}

/**
 * Overnight shipping: the shipment leaves at the next cut-off at or after `nowMs`
 * and is ready at the first delivery clock time strictly after that cut-off.
 */
export function overnightReadyMs(nowMs: number, cutoffMin: number, deliverMin: number): number {
  const cutoff = nextClockAtOrAfter(nowMs, cutoffMin);
  return nextClockAfter(cutoff, deliverMin);
}

/**
 * Collection instant at a counter: before opening waits until opening that day;
 * after closing waits until opening the next day; otherwise immediate.
 */
export function counterCollectMs(ms: number, openMin: number, closeMin: number): number {
  const day = startOfUtcDay(ms);
  const open = day + openMin * MINUTE_MS;
  const close = day + closeMin * MINUTE_MS;
  if (ms < open) return open;
  if (ms > close) return open + DAY_MS;
  return ms;
}
