// Whom a dispatcher can give a job to: every technician, marked qualified (has the skill) and free (no other
// open job), the eligible ones first by when they would reach the site through the order's staging location —
// and where to stage the part. Each choice previews its consequence with the planner's timing rules: the
// resulting ETA, cost and on-time verdict against the order's expected failure.
import type { PlanPolicy } from './policy.ts';
import { bestRoute, collectAndArrive, spendOf, type Place, type StockPlace } from './route-timing.ts';
import { onTimeVerdict } from './verdict.ts';

/** The consequence of one choice. */
export interface ChoicePreview {
  /** When the technician would reach the site. */
  etaAt: string | null;
  /** Travel and shipping cost of the resulting plan (no lateness penalty). */
  cost: number | null;
  /** The ETA is no later than the expected failure (null: no ETA). */
  onTime: boolean | null;
  /** Minutes after the expected failure (0 when on time). */
  lateByMinutes: number | null;
}

const NO_PREVIEW: ChoicePreview = { etaAt: null, cost: null, onTime: null, lateByMinutes: null };

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
  /** What the preview's on-time verdicts are judged against. */
  expectedFailureAt?: Date;
  /** Shipping cost of the part to the current pickup (kept when only the technician changes). */
  shipCost?: number;
}

export interface TechnicianChoice extends ChoicePreview {
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
    const timing =
      (eligible || current) && order.pickup
        ? collectAndArrive(
            { now, policy, technician: t, site: order.site, dueBy: order.dueBy, pickup: order.pickup },
            order.partsReadyAt ?? now,
            order.shipCost ?? 0,
          )
        : undefined;
    const arrival = timing?.arrivalAt;
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
      ...(timing ? preview(timing, order, policy) : NO_PREVIEW),
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

function preview(
  t: { arrivalAt: Date; cost: number },
  order: Pick<ChoiceOrder, 'dueBy' | 'expectedFailureAt'>,
  policy: PlanPolicy,
): ChoicePreview {
  const v = onTimeVerdict(t.arrivalAt, order.expectedFailureAt ?? order.dueBy);
  return {
    etaAt: t.arrivalAt.toISOString(),
    cost: spendOf(t.cost, t.arrivalAt, order.dueBy, policy),
    ...v,
  };
}

export interface StagingPlace extends StockPlace {
  /** On hand less reserved of the order's part. */
  available: number;
  /**
   * When the order's quantity of free units in transit to this location (stock transfers on their way, not
   * reserved by other orders, not failed) has arrived: `arrivalReadyAt` of core/transfer-reservations.ts.
   */
  arriving?: Date | null;
}

export interface StagingChoice extends ChoicePreview {
  /** Where the technician collects the part. */
  pickup: string;
  /** Where the part comes from (the pickup itself: its own stock, or units in transit to it). */
  source: string;
  /** `in-transit`: units on their way to the pickup by stock transfer, reserved against the transfer; ready at its ETA. */
  mode: 'stock' | 'courier' | 'overnight' | 'in-transit';
  partsReadyAt: string;
  /** The order is staged this way now. */
  current: boolean;
}

/**
 * Every way to stage the order's part for its current technician: each staging location (not a repair depot)
 * from its own stock or shipped from a hub or field stocking location with the quantity available, by the
 * fastest-cheapest mode the plan model allows (core/route-timing.ts) — fastest first. A staging location without
 * the units on its shelf but with enough on their way to it (`arriving`) is offered `in-transit`, ready at their
 * ETA — unless they arrive after the need (the expected failure, else the due time): then they are no help.
 */
export function stagingChoices(
  order: ChoiceOrder & { qty: number; sourceCode: string | null },
  technician: (Place & { availableFrom: Date }) | null,
  places: StagingPlace[],
  now: Date,
  policy: PlanPolicy,
): StagingChoice[] {
  if (!technician) return [];
  const out: StagingChoice[] = [];
  const sources = places.filter((l) => l.available >= order.qty || l.id === order.sourceCode);
  for (const pickup of places) {
    if (pickup.kind === 'REPAIR_DEPOT') continue;
    for (const source of sources) {
      const route = bestRoute({
        now,
        policy,
        technician,
        site: order.site,
        dueBy: order.dueBy,
        pickup,
        source,
      });
      if (!route) continue;
      out.push({
        pickup: pickup.id,
        source: source.id,
        mode: route.mode,
        partsReadyAt: route.partsReadyAt.toISOString(),
        current: pickup.id === order.pickup?.id && source.id === order.sourceCode,
        ...preview({ arrivalAt: route.arrivalAt, cost: route.cost }, order, policy),
      });
    }
    const arriving = inTransitChoice(order, technician, pickup, now, policy);
    if (arriving) out.push(arriving);
  }
  return out.sort(
    (a, b) =>
      (a.etaAt ?? '').localeCompare(b.etaAt ?? '') ||
      (a.cost ?? 0) - (b.cost ?? 0) ||
      a.pickup.localeCompare(b.pickup) ||
      a.source.localeCompare(b.source),
  );
}

/** Staging at `pickup` from units in transit to it, when its shelf lacks them and they arrive by the need. */
function inTransitChoice(
  order: ChoiceOrder & { qty: number },
  technician: Place & { availableFrom: Date },
  pickup: StagingPlace,
  now: Date,
  policy: PlanPolicy,
): StagingChoice | undefined {
  if (!pickup.arriving || pickup.available >= order.qty) return undefined;
  const need = order.expectedFailureAt ?? order.dueBy;
  if (pickup.arriving.getTime() > need.getTime()) return undefined;
  const ready = new Date(Math.max(pickup.arriving.getTime(), now.getTime()));
  const timing = collectAndArrive(
    { now, policy, technician, site: order.site, dueBy: order.dueBy, pickup },
    ready,
    0,
  );
  if (!timing) return undefined;
  return {
    pickup: pickup.id,
    source: pickup.id,
    mode: 'in-transit',
    partsReadyAt: ready.toISOString(),
    current: false,
    ...preview(timing, order, policy),
  };
}
