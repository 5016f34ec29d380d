// Whom a dispatcher can give a job to: every technician, marked qualified (has the skill) and free (no other
// open job), the eligible ones first by when they would reach the site through the order's staging location.
import type { PlanPolicy } from './policy.ts';
import { arrivalWithPartsReady, type Place, type StockPlace } from './route-timing.ts';

export interface CandidateTechnician extends Place {
  code: string;
  name: string;
  skills: string[];
  availableFrom: Date;
  /** Number of the open order the technician is booked on, if any. */
  bookedOn: number | null;
}

export interface ChoiceOrder {
  number: number;
  /** Code of the technician on the job now. */
  technician: string | null;
  skill: string;
  site: Place;
  dueBy: Date;
  pickup: StockPlace | null;
  partsReadyAt: Date | null;
}

export interface TechnicianChoice {
  code: string;
  name: string;
  current: boolean;
  qualified: boolean;
  free: boolean;
  bookedOn: number | null;
  /** Can take the job now (qualified, free, not on it already). */
  eligible: boolean;
  arrivalAt: string | null;
  late: boolean;
}

export function technicianChoices(
  order: ChoiceOrder,
  technicians: CandidateTechnician[],
  now: Date,
  policy: PlanPolicy,
): TechnicianChoice[] {
  const choices = technicians.map((t): TechnicianChoice => {
    const current = t.code === order.technician;
    const qualified = t.skills.includes(order.skill);
    const free = t.bookedOn === null || t.bookedOn === order.number;
    const eligible = qualified && free && !current;
    const arrival =
      (eligible || current) && order.pickup
        ? arrivalWithPartsReady(
            { now, policy, technician: t, site: order.site, dueBy: order.dueBy, pickup: order.pickup },
            order.partsReadyAt ?? now,
          )
        : undefined;
    return {
      code: t.code,
      name: t.name,
      current,
      qualified,
      free,
      bookedOn: t.bookedOn,
      eligible,
      arrivalAt: arrival?.toISOString() ?? null,
      late: arrival !== undefined && arrival > order.dueBy,
    };
  });
  const rank = (c: TechnicianChoice) => (c.eligible ? 0 : c.current ? 1 : 2);
  return choices.sort(
    (a, b) =>
      rank(a) - rank(b) ||
      (a.arrivalAt ?? '').localeCompare(b.arrivalAt ?? '') ||
      a.code.localeCompare(b.code),
  );
}
