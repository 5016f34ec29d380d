// What moving a booking on the schedule board would do, before anything changes: the technician it goes to and
// the earliest time they may leave (the dropped slot), the resulting ETA, travel-and-shipping cost and on-time
// verdict — by the planner's own timing rules (route-timing.ts, as the choice previews: docs/adr/0007) — the
// booking's parts on the board, its conflicts, and the refusal (with its code) a confirm would meet.
import type { ChoicePreview } from './choices.ts';
import type { PlanPolicy } from './policy.ts';
import { collectAndArrive, spendOf, type Place, type StockPlace } from './route-timing.ts';
import {
  bookingConflicts,
  bookingSegments,
  type BoardTechnician,
  type Conflict,
  type Segment,
  type Window,
} from './schedule-board.ts';
import { onTimeVerdict } from './verdict.ts';

export type RefusalCode =
  | 'DISPATCH_NO_QUALIFIED_TECHNICIAN'
  | 'DISPATCH_TECHNICIAN_BUSY'
  | 'DISPATCH_SLOT_CONFLICT'
  | 'VALIDATION_FAILED';

export interface Refusal {
  code: RefusalCode;
  message: string;
}

export interface MoveOrder {
  number: number;
  technician: string | null;
  skill: string;
  repairMinutes: number;
  site: Place;
  dueBy: Date;
  expectedFailureAt: Date;
  pickup: StockPlace | null;
  partsReadyAt: Date | null;
  /** Shipping cost of the part to the current pickup (kept: only the technician or the time changes). */
  shipCost: number;
}

export interface MoveTechnician extends BoardTechnician {
  availableFrom: Date;
  /** Open orders the technician is booked on other than this one, with their windows when known. */
  booked: (Window & { number: number })[];
  /** Numbers of other open orders without a window (booked but not timed). */
  bookedUntimed: number[];
}

export interface MovePreview extends ChoicePreview {
  technician: string;
  /** The earliest the technician leaves for the job. */
  startAt: string;
  segments: Segment[];
  conflicts: Conflict[];
  /** What a confirm would be refused with; null: it would be applied. */
  refusal: Refusal | null;
}

export function previewMove(
  order: MoveOrder,
  tech: MoveTechnician,
  startAt: Date | undefined,
  now: Date,
  policy: PlanPolicy,
): MovePreview {
  const leave = new Date(Math.max(now.getTime(), tech.availableFrom.getTime(), startAt?.getTime() ?? 0));
  const timing = order.pickup
    ? collectAndArrive(
        {
          now,
          policy,
          technician: { lat: tech.lat, lon: tech.lon, availableFrom: leave },
          site: order.site,
          dueBy: order.dueBy,
          pickup: order.pickup,
        },
        order.partsReadyAt ?? now,
        order.shipCost,
      )
    : undefined;
  const segments = timing ? bookingSegments({ ...order, etaAt: timing.arrivalAt }, tech, policy) : [];
  const first = segments[0];
  const last = segments[segments.length - 1];
  const conflicts =
    first && last
      ? bookingConflicts(
          { number: order.number, skill: order.skill, start: first.start, end: last.end },
          tech,
          tech.booked,
        )
      : tech.skills.includes(order.skill)
        ? []
        : [{ code: 'SKILL_MISMATCH' as const, detail: `${tech.code} lacks the skill ${order.skill}` }];
  const verdict = timing ? onTimeVerdict(timing.arrivalAt, order.expectedFailureAt) : null;
  return {
    technician: tech.code,
    startAt: leave.toISOString(),
    etaAt: timing?.arrivalAt.toISOString() ?? null,
    cost: timing ? spendOf(timing.cost, timing.arrivalAt, order.dueBy, policy) : null,
    onTime: verdict?.onTime ?? null,
    lateByMinutes: verdict?.lateByMinutes ?? null,
    segments,
    conflicts,
    refusal: refusalOf(order, tech, startAt, conflicts),
  };
}

/** The first reason a confirm would be refused, in the order the desk checks them. */
export function refusalOf(
  order: Pick<MoveOrder, 'number' | 'technician' | 'skill'>,
  tech: Pick<MoveTechnician, 'code' | 'booked' | 'bookedUntimed'>,
  startAt: Date | undefined,
  conflicts: Conflict[],
): Refusal | null {
  if (tech.code === order.technician && !startAt)
    return {
      code: 'VALIDATION_FAILED',
      message: `${tech.code} is already on #${order.number}: drop it on another time`,
    };
  const skill = conflicts.find((c) => c.code === 'SKILL_MISMATCH');
  if (skill) return { code: 'DISPATCH_NO_QUALIFIED_TECHNICIAN', message: skill.detail };
  const other = [...tech.booked.map((b) => b.number), ...tech.bookedUntimed].find((n) => n !== order.number);
  if (other !== undefined)
    return { code: 'DISPATCH_TECHNICIAN_BUSY', message: `${tech.code} is booked on order #${other}` };
  const slot = conflicts.find((c) => c.code === 'OVERLAP' || c.code === 'OUTSIDE_SHIFT');
  if (slot) return { code: 'DISPATCH_SLOT_CONFLICT', message: slot.detail };
  return null;
}
