/**
 * Independent plan checker: validates every rule of the spec against the instance and
 * recomputes each option's timing and cost from scratch (it does not use options.ts).
 */
import { roadKm } from './geo.ts';
import type { Location, Plan, PlanInstance } from './instance.ts';
import {
  counterCollectMs,
  HOUR_MS,
  MINUTE_MS,
  nextClockAfter,
  nextClockAtOrAfter,
  parseHhmm,
  parseIso,
} from './time.ts';

export interface ScoredAssignment {
  order: string;
  cost: number;
  partsReadyMs: number;
  arrivalMs: number;
}

export interface ScoreResult {
  valid: boolean;
  errors: string[];
  /** Recomputed plan cost (meaningful when valid). */
  totalCost: number;
  assignments: ScoredAssignment[];
}

export interface ScoreOptions {
  /** Allowed difference between reported and recomputed costs (default 0.011). */
  costTolerance?: number;
  /** Allowed difference between reported and recomputed instants in ms (default 1000). */
  timeToleranceMs?: number;
}

export function scorePlan(inst: PlanInstance, plan: Plan, opts: ScoreOptions = {}): ScoreResult {
  const costTol = opts.costTolerance ?? 0.011;
  const timeTol = opts.timeToleranceMs ?? 1000;
  const errors: string[] = [];
  const rf = inst.travel.roadFactor;
  const now = parseIso(inst.now);
  const locs = new Map(inst.locations.map((l) => [l.id, l]));
  const techs = new Map(inst.technicians.map((t) => [t.id, t]));
  const orders = new Map(inst.orders.map((o) => [o.id, o]));
  const seenOrders = new Set<string>();
  const usedTechs = new Set<string>();
  const taken = new Map<string, number>();
  const scored: ScoredAssignment[] = [];
  let total = 0;

  for (const a of plan.assignments) {
    const where = `assignment of ${a.order}`;
    const o = orders.get(a.order);
    const t = techs.get(a.technician);
    const p = locs.get(a.pickup);
    const s = locs.get(a.source);
    if (!o) errors.push(`${where}: unknown order`);
    if (!t) errors.push(`${where}: unknown technician ${a.technician}`);
    if (!p) errors.push(`${where}: unknown pickup ${a.pickup}`);
    if (!s) errors.push(`${where}: unknown source ${a.source}`);
    if (!o || !t || !p || !s) continue;
    if (seenOrders.has(o.id)) errors.push(`${where}: order assigned more than once`);
    seenOrders.add(o.id);
    if (usedTechs.has(t.id)) errors.push(`${where}: technician ${t.id} serves more than one order`);
    usedTechs.add(t.id);
    if (!t.skills.includes(o.skill)) errors.push(`${where}: technician ${t.id} lacks skill ${o.skill}`);
    const key = `${s.id} ${o.sku}`;
    taken.set(key, (taken.get(key) ?? 0) + o.qty);

    let ready: number;
    let ship: number;
    const dShip = roadKm(s, p, rf);
    if (a.mode === 'stock') {
      if (s.id !== p.id) errors.push(`${where}: mode stock needs source = pickup`);
      ready = now;
      ship = 0;
    } else if (a.mode === 'courier') {
      const c = inst.shipping.courier;
      if (s.kind !== 'hub' && s.kind !== 'fsl') errors.push(`${where}: courier source must be a hub or fsl`);
      if (s.id === p.id) errors.push(`${where}: courier needs source != pickup`);
      if (dShip > c.maxKm)
        errors.push(`${where}: courier distance ${dShip.toFixed(1)} km exceeds maxKm ${c.maxKm}`);
      ready = now + c.handlingMinutes * MINUTE_MS + (dShip / c.speedKmh) * HOUR_MS;
      ship = c.baseCost + c.costPerKm * dShip;
    } else if (a.mode === 'overnight') {
      const on = inst.shipping.overnight;
      if (s.kind !== 'hub') errors.push(`${where}: overnight source must be a hub`);
      if (s.id === p.id) errors.push(`${where}: overnight needs source != pickup`);
      const cutoff = nextClockAtOrAfter(now, parseHhmm(on.cutoffUtc));
      ready = nextClockAfter(cutoff, parseHhmm(on.deliverUtc));
      ship = on.cost;
    } else {
      errors.push(`${where}: unknown mode ${String(a.mode)}`);
      continue;
    }
    const speed = inst.travel.speedKmh;
    const d1 = roadKm(t, p, rf);
    const d2 = roadKm(p, o, rf);
    const start = Math.max(now, parseIso(t.availableFrom));
    let collect = Math.max(start + (d1 / speed) * HOUR_MS, ready);
    if (p.kind === 'counter') {
      collect = counterCollectMs(collect, parseHhmm(p.openUtc ?? '00:00'), parseHhmm(p.closeUtc ?? '23:59'));
    }
    const arrival = collect + (d2 / speed) * HOUR_MS;
    const lateH = Math.max(0, arrival - parseIso(o.dueBy)) / HOUR_MS;
    const cost =
      (d1 + d2) * inst.travel.costPerKm +
      ((d1 + d2) / speed) * inst.travel.costPerHour +
      ship +
      lateH * inst.lateCostPerHour;
    if (Math.abs(cost - a.cost) > costTol) {
      errors.push(`${where}: reported cost ${a.cost} but recomputed ${cost.toFixed(4)}`);
    }
    const reportedReady = Date.parse(a.partsReadyAt);
    const reportedArrival = Date.parse(a.arrivalAt);
    if (!(Math.abs(reportedReady - ready) <= timeTol))
      errors.push(`${where}: partsReadyAt ${a.partsReadyAt} is wrong`);
    if (!(Math.abs(reportedArrival - arrival) <= timeTol))
      errors.push(`${where}: arrivalAt ${a.arrivalAt} is wrong`);
    scored.push({ order: o.id, cost, partsReadyMs: ready, arrivalMs: arrival });
    total += cost;
  }

  for (const [key, qty] of taken) {
    const [sid, sku] = key.split(' ') as [string, string];
    const stock = (locs.get(sid) as Location).stock[sku] ?? 0;
    if (qty > stock) errors.push(`stock of ${sku} at ${sid} exceeded: ${qty} taken, ${stock} held`);
  }

  const unplanned = new Set<string>();
  for (const id of plan.unplanned) {
    if (!orders.has(id)) errors.push(`unplanned: unknown order ${id}`);
    else if (seenOrders.has(id)) errors.push(`unplanned: order ${id} is also assigned`);
    else if (unplanned.has(id)) errors.push(`unplanned: order ${id} listed twice`);
    unplanned.add(id);
  }
  for (const id of orders.keys()) {
    if (!seenOrders.has(id) && !unplanned.has(id))
      errors.push(`order ${id} is neither assigned nor unplanned`);
  }
  total += inst.unplannedCost * inst.orders.filter((o) => !seenOrders.has(o.id)).length;
  if (Math.abs(total - plan.totalCost) > Math.max(0.011, costTol)) {
    errors.push(`reported totalCost ${plan.totalCost} but recomputed ${total.toFixed(4)}`);
  }
  return { valid: errors.length === 0, errors, totalCost: total, assignments: scored };
}
