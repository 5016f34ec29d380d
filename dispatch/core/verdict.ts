// The on-time verdict of a planned order (its ETA against the expected failure) and, for a late or unplannable
// order, the reason: which constraint binds — no qualified technician, no stock, no stock within courier reach,
// a closed counter, overnight timing, technician availability, or other orders taking the on-time options —
// found from the best option per dimension of the planning instance, with the planner's own timing rules.
import { buildContext, evaluate, MODE_CODES, shipment, type Context } from './planner/options.ts';
import type { Assignment, Mode, PlanInstance } from './planner/index.ts';
import { counterCollectMs, DAY_MS, HOUR_MS, MINUTE_MS } from './planner/time.ts';

export interface OnTime {
  /** The technician reaches the site no later than the expected failure. */
  onTime: boolean;
  /** Minutes after the expected failure (0 when on time). */
  lateByMinutes: number;
}

export interface Verdict extends OnTime {
  /** Why the order is late (null when on time). */
  reason: string | null;
}

export function onTimeVerdict(etaAt: Date, expectedFailureAt: Date): OnTime {
  const late = etaAt.getTime() - expectedFailureAt.getTime();
  return late <= 0
    ? { onTime: true, lateByMinutes: 0 }
    : { onTime: false, lateByMinutes: Math.ceil(late / MINUTE_MS) };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A UTC clock time relative to `nowMs`: "16:00 UTC", "08:00 UTC tomorrow" or "2026-12-05 08:00 UTC". */
export function clockAt(ms: number, nowMs: number): string {
  const d = new Date(ms);
  const hhmm = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC`;
  const days = Math.floor(ms / DAY_MS) - Math.floor(nowMs / DAY_MS);
  if (days === 0) return hhmm;
  if (days === 1) return `${hhmm} tomorrow`;
  return `${d.toISOString().slice(0, 10)} ${hhmm}`;
}

/** Planning-round data shared by the verdicts of all its orders. */
export interface RoundFacts {
  ctx: Context;
  /** Technician id → order id it got in the plan. */
  assignedTech: Map<string, string>;
  /** Technicians not in the round because they are booked on an open order (`on`: e.g. "#12"). */
  busy: BusyTechnician[];
}

export interface BusyTechnician {
  id: string;
  skills: string[];
  on: string;
}

export function roundFacts(
  inst: PlanInstance,
  assignments: Assignment[],
  busy: BusyTechnician[] = [],
): RoundFacts {
  return {
    ctx: buildContext(inst),
    assignedTech: new Map(assignments.map((a) => [a.technician, a.order])),
    busy,
  };
}

/** "T-01 on #3, T-05 on #7": the busy technicians with the skill ("" when none). */
function bookedList(facts: RoundFacts, skill: string): string {
  return facts.busy
    .filter((t) => t.skills.includes(skill))
    .map((t) => `${t.id} on ${t.on}`)
    .join(', ');
}

interface Best {
  ms: number;
  tech?: number;
  pickup?: number;
  source?: number;
  mode?: Mode;
  readyMs?: number;
}

/**
 * Why order `orderId` of the round cannot be (or was not) served before `expectedFailureAt`: the binding
 * constraint in words. `assignment` is what the plan gave the order (undefined: unplanned).
 */
export function lateReason(
  facts: RoundFacts,
  orderId: string,
  expectedFailureAt: Date,
  assignment?: Assignment,
): string {
  const { ctx } = facts;
  const inst = ctx.inst;
  const o = inst.orders.findIndex((x) => x.id === orderId);
  const ord = inst.orders[o];
  if (!ord) return 'not in the planning round';
  const L = inst.locations.length;
  const O = inst.orders.length;
  const speed = inst.travel.speedKmh;
  const target = expectedFailureAt.getTime();
  const at = (ms: number) => clockAt(ms, ctx.nowMs);
  const loc = (i: number | undefined) => inst.locations[i ?? -1]?.id ?? '?';

  const techs = inst.technicians.flatMap((t, i) => (t.skills.includes(ord.skill) ? [i] : []));
  const list = bookedList(facts, ord.skill);
  const booked = list ? ` (booked: ${list})` : '';
  if (techs.length === 0)
    return `no qualified technician free (skill ${ord.skill}${list ? `; booked: ${list}` : ''})`;
  const sources = inst.locations.flatMap((l, i) => ((l.stock[ord.sku] ?? 0) >= ord.qty ? [i] : []));
  if (sources.length === 0) return `part ${ord.sku} not in stock anywhere (${ord.qty} needed)`;

  const routes: { pickup: number; source: number; mode: Mode; readyMs: number; ship: number }[] = [];
  for (let p = 0; p < L; p++)
    for (const s of sources)
      for (const mode of MODE_CODES) {
        const sh = shipment(ctx, p, s, mode);
        if (sh) routes.push({ pickup: p, source: s, mode, readyMs: sh.readyMs, ship: sh.cost });
      }
  if (routes.length === 0)
    return `part ${ord.sku} only at ${sources.map(loc).join(', ')}, which cannot ship it to a staging location`;

  // Best per dimension: parts at the site (a technician waiting at the pickup), a technician at the site
  // (parts ready at once), and the real best option of the order on its own.
  const collect = (p: number, ms: number) => {
    const open = ctx.openMin[p] ?? Number.NaN;
    return Number.isNaN(open) ? ms : counterCollectMs(ms, open, ctx.closeMin[p] ?? Number.NaN);
  };
  let parts: Best = { ms: Infinity };
  for (const r of routes) {
    const ms =
      collect(r.pickup, r.readyMs) + ((ctx.locOrder[r.pickup * O + o] ?? Infinity) / speed) * HOUR_MS;
    if (ms < parts.ms) parts = { ms, ...r };
  }
  let tech: Best = { ms: Infinity };
  let all: Best = { ms: Infinity };
  const onTimeTechs = new Set<number>();
  for (const t of techs) {
    for (const p of new Set(routes.map((r) => r.pickup))) {
      const d = (ctx.techLoc[t * L + p] ?? Infinity) + (ctx.locOrder[p * O + o] ?? Infinity);
      const ms = (ctx.techStartMs[t] ?? Infinity) + (d / speed) * HOUR_MS;
      if (ms < tech.ms) tech = { ms, tech: t, pickup: p };
    }
    for (const r of routes) {
      const ms = evaluate(ctx, t, o, r.pickup, r.readyMs, r.ship).arrivalMs;
      if (ms <= target) onTimeTechs.add(t);
      if (ms < all.ms) all = { ms, tech: t, ...r };
    }
  }

  const techIds = techs.map((t) => inst.technicians[t]?.id ?? '');
  if (!assignment && techIds.every((id) => facts.assignedTech.has(id)))
    return `every free ${ord.skill} technician (${techIds.join(', ')}) went to other orders this round${booked}`;
  if (!assignment) return `the stock of ${ord.sku} went to other orders this round`;
  if (all.ms <= target) {
    // an on-time option existed: other orders of the round took it
    const taken = [...onTimeTechs]
      .map((t) => inst.technicians[t]?.id ?? '')
      .filter((id) => facts.assignedTech.has(id) && facts.assignedTech.get(id) !== orderId);
    const got = assignment
      ? `; planned with ${assignment.technician}, arriving ${at(Date.parse(assignment.arrivalAt))}`
      : '';
    if (taken.length === onTimeTechs.size)
      return `the ${ord.skill} technicians who could arrive in time (${taken.join(', ')}) went to more urgent orders${got}`;
    return `the stock that could arrive in time went to more urgent orders${got}`;
  }
  const earliest = `earliest arrival ${at(all.ms)}`;
  if (parts.ms > target) {
    // the part cannot reach the site in time, whoever fetches it: describe the route of the best option
    const p = all.pickup ?? -1;
    const pk = inst.locations[p];
    const ready = all.readyMs ?? ctx.nowMs;
    const km = Math.round(ctx.locOrder[p * O + o] ?? 0);
    if (pk?.kind === 'counter' && collect(p, ready) > ready)
      return `part ${ord.sku} collectable at counter ${pk.id} only from ${at(collect(p, ready))} (closed until then); ${earliest}`;
    if (all.mode === 'overnight') {
      const why = routes.some((r) => r.mode === 'courier') ? '' : ' (no stock within courier reach)';
      return `part ${ord.sku} only at ${loc(all.source)}${why}, overnight ready at ${pk?.id ?? '?'} ${at(ready)}; ${earliest}`;
    }
    if (all.mode === 'courier')
      return `part ${ord.sku} nearest at ${loc(all.source)}, by courier ready at ${pk?.id ?? '?'} ${at(ready)}; ${earliest}`;
    return `part ${ord.sku} nearest at ${pk?.id ?? '?'}, ${km} km from the site; ${earliest}`;
  }
  if (tech.ms > target) {
    const t = inst.technicians[tech.tech ?? -1];
    const start = ctx.techStartMs[tech.tech ?? -1] ?? ctx.nowMs;
    if (t && start > ctx.nowMs)
      return `no ${ord.skill} technician free before ${at(start)}${booked}; ${earliest}`;
    return `no free ${ord.skill} technician near enough: the nearest, ${t?.id ?? '?'}, can reach the site at ${at(tech.ms)}${booked}; ${earliest}`;
  }
  return (
    `part and technician cannot meet in time: the ${ord.skill} technicians are far from where ${ord.sku} ` +
    `can be collected (${loc(all.pickup)}, ${all.mode} from ${loc(all.source)}); ${earliest}`
  );
}

/** The verdict of one order of a planning round: on time or late with its reason; unplanned with its reason. */
export function roundVerdict(
  facts: RoundFacts,
  order: { id: string; expectedFailureAt: Date },
  assignment?: Assignment,
): Verdict & { planned: boolean } {
  if (!assignment)
    return {
      planned: false,
      onTime: false,
      lateByMinutes: 0,
      reason: lateReason(facts, order.id, order.expectedFailureAt),
    };
  const v = onTimeVerdict(new Date(assignment.arrivalAt), order.expectedFailureAt);
  return {
    planned: true,
    ...v,
    reason: v.onTime ? null : lateReason(facts, order.id, order.expectedFailureAt, assignment),
  };
}

/** The verdict after a dispatcher's change (reassign, re-stage): the reason names the change when it is late. */
export function changeVerdict(etaAt: Date, expectedFailureAt: Date, change: string, now: Date): Verdict {
  const v = onTimeVerdict(etaAt, expectedFailureAt);
  const at = (d: Date) => clockAt(d.getTime(), now.getTime());
  return {
    ...v,
    reason: v.onTime
      ? null
      : `${change}: arrives ${at(etaAt)}, after the expected failure at ${at(expectedFailureAt)}`,
  };
}

/** The order's stored verdict columns for a verdict; the escalation time is set the first time it is late. */
export function verdictColumns(v: Verdict, escalatedAt: Date | null, now: Date) {
  return {
    onTime: v.onTime,
    lateByMinutes: v.lateByMinutes,
    verdictReason: v.reason,
    ...(!v.onTime && escalatedAt === null ? { escalatedAt: now } : {}),
  };
}
