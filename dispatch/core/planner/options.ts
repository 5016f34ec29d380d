/**
 * Enumerates the feasible options (technician, pickup, source, mode) of every order with
 * their exact cost, and prunes dominated ones.
 *
 * For a (technician, order) pair, stock only matters through the source used, so for
 * every source only the cheapest (pickup, mode) is kept. Sources whose (source, sku)
 * stock can never run out ("free") need no capacity row, so once the cheapest free
 * source is reached, costlier sources for that pair are dominated. Options that cost at
 * least `unplannedCost` are dominated by leaving the order unplanned.
 */
import { roadKm } from './geo.ts';
import type { Location, Mode, PlanInstance } from './instance.ts';
import { counterCollectMs, HOUR_MS, MINUTE_MS, overnightReadyMs, parseHhmm, parseIso } from './time.ts';

export const MODE_CODES: readonly Mode[] = ['stock', 'courier', 'overnight'];

/** One (source, sku) stock pool. */
export interface Capacity {
  source: number;
  sku: string;
  stock: number;
  /** Total quantity demanded by all orders of this sku: the pool can never run out. */
  free: boolean;
}

/** Pruned option columns in structure-of-arrays form. */
export interface OptionSet {
  count: number;
  order: Int32Array;
  tech: Int32Array;
  pickup: Int32Array;
  source: Int32Array;
  mode: Uint8Array;
  /** Index into `capacities`. */
  cap: Int32Array;
  cost: Float64Array;
  capacities: Capacity[];
  /** Total options enumerated before pruning (for diagnostics). */
  enumerated: number;
}

export interface OptionDetail {
  cost: number;
  partsReadyMs: number;
  arrivalMs: number;
}

/** Precomputed instance data shared by option evaluation. */
export interface Context {
  inst: PlanInstance;
  nowMs: number;
  techStartMs: Float64Array;
  dueMs: Float64Array;
  /** Counter opening/closing minutes (NaN for non-counters). */
  openMin: Float64Array;
  closeMin: Float64Array;
  /** dist(tech, location), [t * L + l]. */
  techLoc: Float64Array;
  /** dist(location, order site), [l * O + o]. */
  locOrder: Float64Array;
  /** dist(location, location), [a * L + b]. */
  locLoc: Float64Array;
  overnightReadyMs: number;
  /** Driving cost per road km: costPerKm + costPerHour / speedKmh. */
  kmCost: number;
  /** Cost of an hour late per order: the instance's lateCostPerHour, times the order's weight if any. */
  lateCost: Float64Array;
  /**
   * Per location: the location it physically is (itself, or for a pool of units in transit the location they
   * arrive at: see `withArrivals`) and when its units may leave (now, or the pool's ETA).
   */
  physical: Int32Array;
  readyFromMs: Float64Array;
}

/** A pool of units in transit, made a location of its own by `withArrivals`. */
export interface ArrivalPool {
  /** Index of the location the units arrive at. */
  at: number;
  eta: string;
}

/**
 * The live platform's units in transit (`Location.arrivals`) as locations of their own, appended after the
 * instance's: one per (location, ETA), with the arriving units as its stock, at the same place. The options treat
 * such a pool as its location's stock from its ETA; it is never a pickup. Without arrivals the instance is unchanged.
 */
export function withArrivals(inst: PlanInstance): { inst: PlanInstance; pools: (ArrivalPool | null)[] } {
  const pools: (ArrivalPool | null)[] = inst.locations.map(() => null);
  const extra: Location[] = [];
  inst.locations.forEach((l, li) => {
    const byEta = new Map<string, Record<string, number>>();
    for (const a of l.arrivals ?? []) {
      if (!(a.qty > 0)) continue;
      const stock = byEta.get(a.eta) ?? {};
      stock[a.sku] = (stock[a.sku] ?? 0) + a.qty;
      byEta.set(a.eta, stock);
    }
    for (const [eta, stock] of [...byEta].sort((a, b) => a[0].localeCompare(b[0]))) {
      const { arrivals: _, ...place } = l;
      extra.push({ ...place, id: `${l.id}@${eta}`, stock });
      pools.push({ at: li, eta });
    }
  });
  if (extra.length === 0) return { inst, pools };
  return { inst: { ...inst, locations: [...inst.locations, ...extra] }, pools };
}

/**
 * `lateWeights` (per order index, default 1) lets the live platform weigh lateness by contract tier; the spec's
 * model (and the CLI) has none, so every order's hour late costs `lateCostPerHour`.
 */
export function buildContext(
  inst: PlanInstance,
  lateWeights?: ArrayLike<number>,
  pools: readonly (ArrivalPool | null)[] = [],
): Context {
  const L = inst.locations.length;
  const O = inst.orders.length;
  const T = inst.technicians.length;
  const rf = inst.travel.roadFactor;
  const nowMs = parseIso(inst.now);
  const techStartMs = new Float64Array(T);
  const techLoc = new Float64Array(T * L);
  inst.technicians.forEach((t, ti) => {
    techStartMs[ti] = Math.max(nowMs, parseIso(t.availableFrom));
    inst.locations.forEach((l, li) => (techLoc[ti * L + li] = roadKm(t, l, rf)));
  });
  const dueMs = new Float64Array(O);
  const locOrder = new Float64Array(L * O);
  inst.orders.forEach((o, oi) => {
    dueMs[oi] = parseIso(o.dueBy);
    inst.locations.forEach((l, li) => (locOrder[li * O + oi] = roadKm(l, o, rf)));
  });
  const locLoc = new Float64Array(L * L);
  const openMin = new Float64Array(L).fill(Number.NaN);
  const closeMin = new Float64Array(L).fill(Number.NaN);
  inst.locations.forEach((a, ai) => {
    if (a.kind === 'counter' && a.openUtc !== undefined && a.closeUtc !== undefined) {
      openMin[ai] = parseHhmm(a.openUtc);
      closeMin[ai] = parseHhmm(a.closeUtc);
    }
    inst.locations.forEach((b, bi) => (locLoc[ai * L + bi] = roadKm(a, b, rf)));
  });
  const on = inst.shipping.overnight;
  return {
    inst,
    nowMs,
    techStartMs,
    dueMs,
    openMin,
    closeMin,
    techLoc,
    locOrder,
    locLoc,
    overnightReadyMs: overnightReadyMs(nowMs, parseHhmm(on.cutoffUtc), parseHhmm(on.deliverUtc)),
    kmCost: inst.travel.costPerKm + inst.travel.costPerHour / inst.travel.speedKmh,
    lateCost: Float64Array.from(inst.orders, (_, o) => inst.lateCostPerHour * (lateWeights?.[o] ?? 1)),
    physical: Int32Array.from(inst.locations, (_, i) => pools[i]?.at ?? i),
    readyFromMs: Float64Array.from(inst.locations, (_, i) => {
      const p = pools[i];
      return p ? Math.max(nowMs, parseIso(p.eta)) : nowMs;
    }),
  };
}

/** Parts ready time and shipping cost of moving parts from `source` to `pickup`, or null if not allowed. */
export function shipment(
  ctx: Context,
  pickup: number,
  source: number,
  mode: Mode,
): { readyMs: number; cost: number } | null {
  const locs = ctx.inst.locations;
  const src = locs[source];
  if (src === undefined || locs[pickup] === undefined) return null;
  // units in transit are collected (or shipped on) where they arrive, from their ETA
  if (ctx.physical[pickup] !== pickup) return null;
  const at = ctx.physical[source] ?? source;
  const fromMs = ctx.readyFromMs[source] ?? ctx.nowMs;
  if (mode === 'stock') return at === pickup ? { readyMs: fromMs, cost: 0 } : null;
  if (at === pickup) return null;
  if (mode === 'courier') {
    if (src.kind !== 'hub' && src.kind !== 'fsl') return null;
    const c = ctx.inst.shipping.courier;
    const d = ctx.locLoc[source * locs.length + pickup] ?? Number.NaN;
    if (!(d <= c.maxKm)) return null;
    return {
      readyMs: fromMs + c.handlingMinutes * MINUTE_MS + (d / c.speedKmh) * HOUR_MS,
      cost: c.baseCost + c.costPerKm * d,
    };
  }
  if (src.kind !== 'hub') return null;
  const on = ctx.inst.shipping.overnight;
  return {
    readyMs:
      fromMs === ctx.nowMs
        ? ctx.overnightReadyMs
        : overnightReadyMs(fromMs, parseHhmm(on.cutoffUtc), parseHhmm(on.deliverUtc)),
    cost: on.cost,
  };
}

/** Exact timing and cost of technician `t` serving order `o` via `pickup` with parts ready at `readyMs`. */
export function evaluate(
  ctx: Context,
  t: number,
  o: number,
  pickup: number,
  readyMs: number,
  shipCost: number,
): OptionDetail {
  const L = ctx.inst.locations.length;
  const O = ctx.inst.orders.length;
  const speed = ctx.inst.travel.speedKmh;
  const d1 = ctx.techLoc[t * L + pickup] ?? Number.NaN;
  const d2 = ctx.locOrder[pickup * O + o] ?? Number.NaN;
  let collect = Math.max((ctx.techStartMs[t] ?? Number.NaN) + (d1 / speed) * HOUR_MS, readyMs);
  const open = ctx.openMin[pickup] ?? Number.NaN;
  if (!Number.isNaN(open)) collect = counterCollectMs(collect, open, ctx.closeMin[pickup] ?? Number.NaN);
  const arrivalMs = collect + (d2 / speed) * HOUR_MS;
  const lateH = Math.max(0, arrivalMs - (ctx.dueMs[o] ?? Number.NaN)) / HOUR_MS;
  const cost = (d1 + d2) * ctx.kmCost + shipCost + lateH * (ctx.lateCost[o] ?? ctx.inst.lateCostPerHour);
  return { cost, partsReadyMs: readyMs, arrivalMs };
}

function stockOf(l: Location, sku: string): number {
  return l.stock[sku] ?? 0;
}

interface Route {
  pickup: number;
  source: number;
  /** Position of the source in the order's source list. */
  slot: number;
  mode: number;
  readyMs: number;
  ship: number;
}

/** Enumerates and prunes all options of an instance. */
export function buildOptions(ctx: Context): OptionSet {
  const inst = ctx.inst;
  const locs = inst.locations;
  const L = locs.length;
  const O = inst.orders.length;
  const U = inst.unplannedCost;

  // (source, sku) pools and whether they can run out.
  const demand = new Map<string, number>();
  for (const o of inst.orders) demand.set(o.sku, (demand.get(o.sku) ?? 0) + o.qty);
  const capacities: Capacity[] = [];
  const capIndex = new Map<string, number>();
  const capOf = (source: number, sku: string): number => {
    const key = `${source}\u0000${sku}`;
    let idx = capIndex.get(key);
    if (idx === undefined) {
      const stock = stockOf(locs[source] as Location, sku);
      idx = capacities.length;
      capacities.push({ source, sku, stock, free: stock >= (demand.get(sku) ?? 0) });
      capIndex.set(key, idx);
    }
    return idx;
  };

  const techsBySkill = new Map<string, number[]>();
  inst.technicians.forEach((t, ti) => {
    for (const s of new Set(t.skills)) {
      const list = techsBySkill.get(s) ?? [];
      list.push(ti);
      techsBySkill.set(s, list);
    }
  });

  // Shipments between locations do not depend on the order: precompute per (pickup, source, mode).
  const ship = (['stock', 'courier', 'overnight'] as const).map((mode) => {
    const table: ({ readyMs: number; cost: number } | null)[] = new Array<{
      readyMs: number;
      cost: number;
    } | null>(L * L);
    for (let p = 0; p < L; p++) for (let s = 0; s < L; s++) table[p * L + s] = shipment(ctx, p, s, mode);
    return table;
  });

  const outOrder: number[] = [];
  const outTech: number[] = [];
  const outPickup: number[] = [];
  const outSource: number[] = [];
  const outMode: number[] = [];
  const outCap: number[] = [];
  const outCost: number[] = [];
  let enumerated = 0;

  for (let o = 0; o < O; o++) {
    const ord = inst.orders[o];
    if (ord === undefined) continue;
    const techs = techsBySkill.get(ord.skill);
    if (techs === undefined) continue;
    const sources: number[] = [];
    for (let s = 0; s < L; s++) if (stockOf(locs[s] as Location, ord.sku) >= ord.qty) sources.push(s);
    if (sources.length === 0) continue;
    const caps = sources.map((s) => capOf(s, ord.sku));
    const routes: Route[] = [];
    for (let p = 0; p < L; p++) {
      sources.forEach((s, slot) => {
        for (let m = 0; m < 3; m++) {
          const sh = ship[m]?.[p * L + s];
          if (sh) routes.push({ pickup: p, source: s, slot, mode: m, readyMs: sh.readyMs, ship: sh.cost });
        }
      });
    }
    if (routes.length === 0) continue;
    const best = new Float64Array(sources.length);
    const bestRoute = new Int32Array(sources.length);
    const orderIdx = sources.map((_, i) => i);
    for (const t of techs) {
      best.fill(Number.POSITIVE_INFINITY);
      bestRoute.fill(-1);
      for (let r = 0; r < routes.length; r++) {
        const rt = routes[r] as Route;
        const c = evaluate(ctx, t, o, rt.pickup, rt.readyMs, rt.ship).cost;
        enumerated++;
        if (c < (best[rt.slot] as number)) {
          best[rt.slot] = c;
          bestRoute[rt.slot] = r;
        }
      }
      // Cheapest first (ties: source order); stop after the first free pool.
      orderIdx.sort((a, b) => (best[a] as number) - (best[b] as number) || a - b);
      for (const slot of orderIdx) {
        const c = best[slot] as number;
        if (!(c < U)) break;
        const rt = routes[bestRoute[slot] as number] as Route;
        const cap = caps[slot] as number;
        outOrder.push(o);
        outTech.push(t);
        outPickup.push(rt.pickup);
        outSource.push(rt.source);
        outMode.push(rt.mode);
        outCap.push(cap);
        outCost.push(c);
        if ((capacities[cap] as Capacity).free) break;
      }
    }
  }
  return {
    count: outCost.length,
    order: Int32Array.from(outOrder),
    tech: Int32Array.from(outTech),
    pickup: Int32Array.from(outPickup),
    source: Int32Array.from(outSource),
    mode: Uint8Array.from(outMode),
    cap: Int32Array.from(outCap),
    cost: Float64Array.from(outCost),
    capacities,
    enumerated,
  };
}
