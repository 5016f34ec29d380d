// When predict moves an open order's expected failure earlier (order.forecast-advanced), what becomes of its plan:
// kept when its technician still reaches the site by the new due-by (what the planner plans against: the expected
// failure less the margin, or the band's early edge); otherwise the way that arrives first, when it is on time
// (before the expected failure) and sooner than the plan — another free, qualified technician through the same
// staging, or the part staged elsewhere for the same technician; failing that, a plan still before the expected
// failure is kept, and one after it is escalated with how late it is. A technician already on the road is not
// turned round nor sent to another pickup without a person deciding: the plan stays, escalated if it is now late;
// one on site, or a closed order, stays as it is. Pure.
import type { StagingChoice, TechnicianChoice } from './choices.ts';
import { isRestageable, type OrderStatus } from './lifecycle.ts';

export type ForecastReplan =
  | { kind: 'keep' }
  | { kind: 'reassign'; technician: string; etaAt: string }
  | { kind: 'restage'; pickup: string; source: string; inTransit: boolean; etaAt: string }
  | { kind: 'escalate'; lateByMinutes: number | null };

export function pickForecastReplan(o: {
  /** The order's status (OrderStatus). */
  status: string;
  /** The plan's on-site time now (null: not timed). */
  etaAt: Date | null;
  dueBy: Date;
  expectedFailureAt: Date;
  technicians: readonly TechnicianChoice[];
  stagings: readonly StagingChoice[];
}): ForecastReplan {
  const settled = replanWithoutChoices(o);
  if (settled) return settled;
  const options: (ForecastReplan & { etaAt: string })[] = [
    ...o.technicians
      .filter((t) => t.eligible && t.onTime === true && t.etaAt)
      .map((t) => ({ kind: 'reassign' as const, technician: t.code, etaAt: t.etaAt as string })),
    ...o.stagings
      .filter((s) => !s.current && s.onTime === true && s.etaAt)
      .map((s) => ({
        kind: 'restage' as const,
        pickup: s.pickup,
        source: s.source,
        inTransit: s.mode === 'in-transit',
        etaAt: s.etaAt as string,
      })),
  ];
  const best = options
    .filter((x) => !o.etaAt || Date.parse(x.etaAt) < o.etaAt.getTime())
    .sort((a, b) => a.etaAt.localeCompare(b.etaAt))[0];
  return best ?? keepOrEscalate(o);
}

/**
 * The decision when it does not depend on the technicians and stagings to choose from (so they need not be
 * loaded): a plan still on time, a technician on the road, an order past staging. Null: the choices decide.
 */
export function replanWithoutChoices(o: {
  status: string;
  etaAt: Date | null;
  dueBy: Date;
  expectedFailureAt: Date;
}): Extract<ForecastReplan, { kind: 'keep' | 'escalate' }> | null {
  if (o.etaAt && o.etaAt <= o.dueBy) return { kind: 'keep' };
  if (o.status === 'TECHNICIAN_EN_ROUTE') return keepOrEscalate(o);
  if (!isRestageable(o.status as OrderStatus)) return { kind: 'keep' };
  return null;
}

/** Without a sooner choice (or when it cannot be taken): a plan still before the failure stays, one after it is late. */
export function keepOrEscalate(o: {
  etaAt: Date | null;
  expectedFailureAt: Date;
}): Extract<ForecastReplan, { kind: 'keep' | 'escalate' }> {
  if (o.etaAt && o.etaAt <= o.expectedFailureAt) return { kind: 'keep' };
  const late = o.etaAt ? Math.ceil((o.etaAt.getTime() - o.expectedFailureAt.getTime()) / 60_000) : null;
  return { kind: 'escalate', lateByMinutes: late };
}
