// Availability of one asset over a window, from its state events (AssetStateEvent): a timeline of
// up / degraded / down / not reporting, the share of known time the asset was available, MTBF and MTTR.
// Downtime is the machine's own report only (docs/adr/0028-downtime-is-the-machines-own-report.md): an asset is
// down from a reported condition `down` until it reports up or degraded again, whether or not its device stays
// connected. A device that is offline (connection lost, platform or broker away) while its machine last reported
// up or degraded is "not reporting": neither up nor down, left out of availability, MTBF and MTTR like the
// "unknown" time before the first event. Degraded counts as available; online without any reported condition is up.

export type AssetCondition = 'up' | 'degraded' | 'down';
export type TimelineState = AssetCondition | 'not_reporting' | 'unknown';

export interface StateEvent {
  at: Date;
  /** 'connectivity' (value online | offline) or 'condition' (value up | degraded | down); others are ignored. */
  kind: string;
  value: string;
}

export interface Segment {
  from: Date;
  to: Date;
  state: TimelineState;
}

export interface AvailabilityReport {
  from: Date;
  to: Date;
  segments: Segment[];
  upMs: number;
  degradedMs: number;
  downMs: number;
  /** Offline while the machine last reported up or degraded: not known to be either. */
  notReportingMs: number;
  unknownMs: number;
  /** (up + degraded) / known time, 0..1; null when nothing is known about the window. */
  availability: number | null;
  /** Transitions from available to down inside the window (not-reporting time between them passed over). */
  failures: number;
  /** Operating (up + degraded) time per failure; null without a failure. */
  mtbfMs: number | null;
  /** Mean length of the down periods that ended inside the window; null without one. */
  mttrMs: number | null;
}

interface Known {
  online?: boolean;
  condition?: AssetCondition;
}

const CONDITIONS: readonly string[] = ['up', 'degraded', 'down'];

function apply(k: Known, e: StateEvent): Known {
  const value = e.value.toLowerCase();
  if (e.kind === 'connectivity' && (value === 'online' || value === 'offline'))
    return { ...k, online: value === 'online' };
  if (e.kind === 'condition' && CONDITIONS.includes(value))
    return { ...k, condition: value as AssetCondition };
  return k;
}

function stateOf(k: Known): TimelineState {
  if (k.online === undefined && k.condition === undefined) return 'unknown';
  // a failed machine stays down until it reports otherwise, connected or not
  if (k.condition === 'down') return 'down';
  if (k.online === false) return 'not_reporting';
  return k.condition === 'degraded' ? 'degraded' : 'up';
}

const available = (s: TimelineState) => s === 'up' || s === 'degraded';

/**
 * events: sorted by time; they must include the last event of each kind before `from` (the state the window
 * starts in). Events after `to` are ignored.
 */
export function availabilityReport(
  events: readonly StateEvent[],
  window: { from: Date; to: Date },
): AvailabilityReport {
  const start = window.from.getTime();
  const end = window.to.getTime();
  let known: Known = {};
  let i = 0;
  while (i < events.length && events[i]!.at.getTime() <= start) known = apply(known, events[i++]!);

  // the timeline: one segment per change of state, clipped to the window
  const raw: { from: number; to: number; state: TimelineState }[] = [];
  let cursor = start;
  let state = stateOf(known);
  for (; i < events.length; i++) {
    const at = events[i]!.at.getTime();
    if (at > end) break;
    known = apply(known, events[i]!);
    const next = stateOf(known);
    if (next === state) continue;
    if (at > cursor) raw.push({ from: cursor, to: at, state });
    cursor = Math.max(cursor, at);
    state = next;
  }
  if (end > cursor) raw.push({ from: cursor, to: end, state });

  const merged: typeof raw = [];
  for (const s of raw) {
    const last = merged[merged.length - 1];
    if (last && last.state === s.state && last.to === s.from) last.to = s.to;
    else merged.push({ ...s });
  }

  const total = { up: 0, degraded: 0, down: 0, not_reporting: 0, unknown: 0 };
  let failures = 0;
  let repairs = 0;
  let repairMs = 0;
  // the last reported state before a segment, passing over time the device was not reporting
  const reportedBefore = (k: number): TimelineState | undefined => {
    while (k > 0 && merged[k - 1]!.state === 'not_reporting') k--;
    return merged[k - 1]?.state;
  };
  merged.forEach((s, k) => {
    total[s.state] += s.to - s.from;
    const prev = reportedBefore(k);
    const next = merged[k + 1];
    if (s.state === 'down' && prev && available(prev)) failures++;
    if (s.state === 'down' && next && available(next.state)) {
      repairs++;
      repairMs += s.to - s.from;
    }
  });
  const operating = total.up + total.degraded;
  const knownMs = operating + total.down;
  return {
    from: window.from,
    to: window.to,
    segments: merged.map((s) => ({ from: new Date(s.from), to: new Date(s.to), state: s.state })),
    upMs: total.up,
    degradedMs: total.degraded,
    downMs: total.down,
    notReportingMs: total.not_reporting,
    unknownMs: total.unknown,
    availability: knownMs > 0 ? operating / knownMs : null,
    failures,
    mtbfMs: failures > 0 ? operating / failures : null,
    mttrMs: repairs > 0 ? repairMs / repairs : null,
  };
}

/** Below this share of the window covered by data, an availability figure is withheld (issue 17). */
export const MIN_COVERAGE = 0.8;

export interface Coverage {
  /** Share of the window with data (known state), 0..1. */
  coverage: number;
  /** The share below which the figure is withheld. */
  minCoverage: number;
  /** Too little data: `availability` is null, not a figure from a few minutes. */
  withheld: boolean;
  availability: number | null;
}

/**
 * The covered share of the window (time with a known up / degraded / down state: not the unknown start nor the time
 * not reporting), and the availability only when enough of the window is covered.
 */
export function covered(
  r: Pick<AvailabilityReport, 'from' | 'to' | 'unknownMs' | 'availability'> & { notReportingMs?: number },
  minCoverage = MIN_COVERAGE,
): Coverage {
  const windowMs = r.to.getTime() - r.from.getTime();
  const uncovered = r.unknownMs + (r.notReportingMs ?? 0);
  const coverage = windowMs > 0 ? Math.max(0, Math.min(1, (windowMs - uncovered) / windowMs)) : 0;
  const withheld = coverage < minCoverage;
  return { coverage, minCoverage, withheld, availability: withheld ? null : r.availability };
}
