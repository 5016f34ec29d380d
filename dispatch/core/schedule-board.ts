// The schedule board: technicians × time. Each booked open order becomes a booking on its technician's row,
// split into the drive to the pickup, the collection of the part, the drive to the site and the repair on site,
// timed back from the plan's ETA with the plan model's road distances and speed. Shift windows and counter
// opening hours are laid out over the board's range. Conflicts (bookings overlapping on one technician, a
// booking outside the technician's shift, a technician without the order's skill) and late bookings (ETA after
// the expected failure: the on-time verdict) are flagged; orders without a booking say why.
import type { PlanPolicy } from './policy.ts';
import { roadKm } from './planner/geo.ts';
import { DAY_MS, HOUR_MS, MINUTE_MS, parseHhmm } from './planner/time.ts';
import type { Place, StockPlace } from './route-timing.ts';
import { onTimeVerdict } from './verdict.ts';

export interface Window {
  start: Date;
  end: Date;
}

export interface BoardTechnician extends Place {
  code: string;
  name: string;
  skills: string[];
  shiftStartUtc: string;
  shiftEndUtc: string;
}

export interface BoardOrder {
  id: string;
  number: number;
  status: string;
  assetName: string;
  skill: string;
  repairMinutes: number;
  /** Code of the booked technician (null: not booked). */
  technician: string | null;
  site: Place;
  pickup: (StockPlace & { name: string }) | null;
  etaAt: Date | null;
  expectedFailureAt: Date;
  verdictReason: string | null;
  escalated: boolean;
}

export interface BoardCounter {
  code: string;
  name: string;
  openUtc: string | null;
  closeUtc: string | null;
}

export type SegmentKind = 'travel' | 'collect' | 'onsite';

export interface Segment extends Window {
  kind: SegmentKind;
  /** Where: the pickup's code for travel to it and collection, the site for the rest. */
  place: string;
}

export type ConflictCode = 'OVERLAP' | 'OUTSIDE_SHIFT' | 'SKILL_MISMATCH';

export interface Conflict {
  code: ConflictCode;
  detail: string;
}

export interface Booking extends Window {
  orderId: string;
  number: number;
  status: string;
  assetName: string;
  skill: string;
  etaAt: Date;
  expectedFailureAt: Date;
  late: boolean;
  lateByMinutes: number;
  /** Why the plan is late (the verdict's reason), null when on time. */
  reason: string | null;
  segments: Segment[];
  conflicts: Conflict[];
}

export interface TechnicianRow {
  code: string;
  name: string;
  skills: string[];
  shifts: Window[];
  bookings: Booking[];
}

export interface UnbookedOrder {
  orderId: string;
  number: number;
  status: string;
  assetName: string;
  /** Why it has no booking: the planner's reason, or that it waits for the next planning round. */
  reason: string;
}

export interface ScheduleBoard {
  from: Date;
  to: Date;
  technicians: TechnicianRow[];
  counters: { code: string; name: string; openings: Window[] }[];
  unbooked: UnbookedOrder[];
  counts: { bookings: number; conflicts: number; late: number; unbooked: number };
}

export const AWAITING_ROUND = 'waiting for the next planning round';

/**
 * Clock windows ("HH:MM" UTC, an end before the start runs past midnight) on every day that touches
 * [from, to], merged where one ends within a minute of the next (a 00:00–23:59 shift is around the clock).
 */
export function dailyWindows(startUtc: string, endUtc: string, from: Date, to: Date): Window[] {
  const s = parseHhmm(startUtc);
  let e = parseHhmm(endUtc);
  if (e <= s) e += 24 * 60;
  const first = Math.floor(from.getTime() / DAY_MS) * DAY_MS - DAY_MS;
  const out: Window[] = [];
  for (let day = first; day <= to.getTime(); day += DAY_MS) {
    const start = day + s * MINUTE_MS;
    const end = day + e * MINUTE_MS;
    if (end < from.getTime() || start > to.getTime()) continue;
    const last = out[out.length - 1];
    if (last && start - last.end.getTime() <= MINUTE_MS) last.end = new Date(end);
    else out.push({ start: new Date(start), end: new Date(end) });
  }
  return out;
}

/**
 * The parts of a booking, timed back from the ETA: the repair (the failure mode's minutes) starts at the ETA,
 * the drive from the pickup to the site ends at it, the part is collected just before, and the drive from the
 * technician's position to the pickup ends at the collection.
 */
export function bookingSegments(
  o: { site: Place; pickup: StockPlace | null; repairMinutes: number; etaAt: Date },
  technician: Place,
  policy: PlanPolicy,
): Segment[] {
  const { speedKmh, roadFactor } = policy.travel;
  const eta = o.etaAt.getTime();
  const onsite: Segment = {
    kind: 'onsite',
    place: 'site',
    start: o.etaAt,
    end: new Date(eta + o.repairMinutes * MINUTE_MS),
  };
  if (!o.pickup) return [onsite];
  const toSite = (roadKm(o.pickup, o.site, roadFactor) / speedKmh) * HOUR_MS;
  const collectAt = eta - toSite;
  const toPickup = (roadKm(technician, o.pickup, roadFactor) / speedKmh) * HOUR_MS;
  const at = (ms: number) => new Date(Math.round(ms));
  return [
    { kind: 'travel', place: o.pickup.id, start: at(collectAt - toPickup), end: at(collectAt) },
    { kind: 'collect', place: o.pickup.id, start: at(collectAt), end: at(collectAt) },
    { kind: 'travel', place: 'site', start: at(collectAt), end: o.etaAt },
    onsite,
  ];
}

const overlaps = (a: Window, b: Window) => a.start < b.end && b.start < a.end;

/** Whether the window lies inside one of the shifts. */
export function withinShift(w: Window, shifts: Window[]): boolean {
  return shifts.some((s) => s.start <= w.start && w.end <= s.end);
}

/** The conflicts of one booking on a technician's row (the other bookings of that row given). */
export function bookingConflicts(
  b: Window & { number: number; skill: string },
  technician: Pick<BoardTechnician, 'code' | 'skills' | 'shiftStartUtc' | 'shiftEndUtc'>,
  others: (Window & { number: number })[],
): Conflict[] {
  const out: Conflict[] = [];
  if (!technician.skills.includes(b.skill))
    out.push({ code: 'SKILL_MISMATCH', detail: `${technician.code} lacks the skill ${b.skill}` });
  const shifts = dailyWindows(technician.shiftStartUtc, technician.shiftEndUtc, b.start, b.end);
  if (!withinShift(b, shifts))
    out.push({
      code: 'OUTSIDE_SHIFT',
      detail: `outside ${technician.code}'s shift ${technician.shiftStartUtc}–${technician.shiftEndUtc} UTC`,
    });
  for (const o of others)
    if (o.number !== b.number && overlaps(b, o))
      out.push({ code: 'OVERLAP', detail: `overlaps order #${o.number} of ${technician.code}` });
  return out;
}

export interface BoardInput {
  from: Date;
  to: Date;
  policy: PlanPolicy;
  technicians: BoardTechnician[];
  /** Open orders (booked or not). */
  orders: BoardOrder[];
  counters: BoardCounter[];
}

export function scheduleBoard(input: BoardInput): ScheduleBoard {
  const { from, to, policy } = input;
  const range: Window = { start: from, end: to };
  const techByCode = new Map(input.technicians.map((t) => [t.code, t]));
  const raw = new Map<string, Omit<Booking, 'conflicts'>[]>();
  const unbooked: UnbookedOrder[] = [];
  for (const o of input.orders) {
    const tech = o.technician ? techByCode.get(o.technician) : undefined;
    if (!tech || !o.etaAt) {
      unbooked.push({
        orderId: o.id,
        number: o.number,
        status: o.status,
        assetName: o.assetName,
        reason: o.verdictReason ?? (o.technician ? 'booked without an ETA' : AWAITING_ROUND),
      });
      continue;
    }
    const segments = bookingSegments({ ...o, etaAt: o.etaAt }, tech, policy);
    const start = segments[0]?.start ?? o.etaAt;
    const end = segments[segments.length - 1]?.end ?? o.etaAt;
    const v = onTimeVerdict(o.etaAt, o.expectedFailureAt);
    const list = raw.get(tech.code) ?? [];
    list.push({
      orderId: o.id,
      number: o.number,
      status: o.status,
      assetName: o.assetName,
      skill: o.skill,
      etaAt: o.etaAt,
      expectedFailureAt: o.expectedFailureAt,
      late: !v.onTime,
      lateByMinutes: v.lateByMinutes,
      reason: v.onTime ? null : (o.verdictReason ?? 'the ETA is after the expected failure'),
      start,
      end,
      segments,
    });
    raw.set(tech.code, list);
  }
  const technicians = input.technicians.map((t): TechnicianRow => {
    const all = (raw.get(t.code) ?? []).sort((a, b) => a.start.getTime() - b.start.getTime());
    return {
      code: t.code,
      name: t.name,
      skills: t.skills,
      shifts: dailyWindows(t.shiftStartUtc, t.shiftEndUtc, from, to),
      bookings: all
        .filter((b) => overlaps(b, range))
        .map((b) => ({ ...b, conflicts: bookingConflicts(b, t, all) })),
    };
  });
  const bookings = technicians.flatMap((t) => t.bookings);
  return {
    from,
    to,
    technicians,
    counters: input.counters
      .filter((c) => c.openUtc && c.closeUtc)
      .map((c) => ({
        code: c.code,
        name: c.name,
        openings: dailyWindows(c.openUtc as string, c.closeUtc as string, from, to),
      })),
    unbooked: unbooked.sort((a, b) => a.number - b.number),
    counts: {
      bookings: bookings.length,
      conflicts: bookings.filter((b) => b.conflicts.length > 0).length,
      late: bookings.filter((b) => b.late).length,
      unbooked: unbooked.length,
    },
  };
}
