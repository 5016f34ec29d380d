/**
 * The instance compiled to flat arrays for fast simulation: distances, each asset's Reach (fsl and counter
 * locations within its SLA at travel speed, nearest first) with the local serve cost, and the hub and
 * emergency costs. Plans are held as levels `lev[l * nSku + s]`.
 */
import { roadKm } from '../planner/geo.ts';
import type { PartsInstance, PartsPlan } from './instance.ts';

export interface PartsModel {
  instance: PartsInstance;
  nSku: number;
  nLoc: number;
  nAsset: number;
  /** Index of the hub location. */
  hub: number;
  skuIndex: Map<string, number>;
  locIndex: Map<string, number>;
  unitCost: Float64Array;
  /** Holding cost of one unit over the horizon, by sku. */
  holdPerUnit: Float64Array;
  /** Capacity by location (Infinity = unlimited). */
  capacity: Float64Array;
  /** Today's stock, `[l * nSku + s]`. */
  stock: Int32Array;
  aSku: Int32Array;
  aP: Float64Array;
  aFrom: Float64Array;
  aTo: Float64Array;
  reachStart: Int32Array;
  reachLoc: Int32Array;
  /** localShipCost + costPerKm × dist, aligned with reachLoc. */
  reachCost: Float64Array;
  /** hubShipCost (+ missPenalty when the hub's response exceeds the SLA), by asset. */
  hubCost: Float64Array;
  hubInSla: Uint8Array;
  /** emergencyCost + missPenalty, by asset. */
  emergencyCost: Float64Array;
  transferCost: number;
  replenishDays: number;
}

export function compileModel(inst: PartsInstance): PartsModel {
  const nSku = inst.skus.length;
  const nLoc = inst.locations.length;
  const nAsset = inst.assets.length;
  const skuIndex = new Map(inst.skus.map((s, i) => [s.id, i]));
  const locIndex = new Map(inst.locations.map((l, i) => [l.id, i]));
  const hub = inst.locations.findIndex((l) => l.kind === 'hub');
  const unitCost = Float64Array.from(inst.skus, (s) => s.unitCost);
  const holdPerUnit = Float64Array.from(
    inst.skus,
    (s) => (s.unitCost * inst.holdingRatePerYear * inst.horizonDays) / 365,
  );
  const capacity = Float64Array.from(inst.locations, (l) => (l.capacity === null ? Infinity : l.capacity));
  const stock = new Int32Array(nLoc * nSku);
  inst.locations.forEach((l, li) => {
    for (const [sku, q] of Object.entries(l.stock)) stock[li * nSku + (skuIndex.get(sku) ?? 0)] = q;
  });
  const aSku = new Int32Array(nAsset);
  const aP = new Float64Array(nAsset);
  const aFrom = new Float64Array(nAsset);
  const aTo = new Float64Array(nAsset);
  const hubCost = new Float64Array(nAsset);
  const hubInSla = new Uint8Array(nAsset);
  const emergencyCost = new Float64Array(nAsset);
  const reachStart = new Int32Array(nAsset + 1);
  const loc: number[] = [];
  const cost: number[] = [];
  const local = inst.locations.map((l, i) => ({ l, i })).filter(({ l }) => l.kind !== 'hub');
  inst.assets.forEach((a, ai) => {
    aSku[ai] = skuIndex.get(a.sku) ?? 0;
    aP[ai] = a.pFail;
    aFrom[ai] = a.window[0];
    aTo[ai] = a.window[1];
    const inSla = inst.hubResponseHours <= a.slaHours;
    hubInSla[ai] = inSla ? 1 : 0;
    hubCost[ai] = inst.hubShipCost + (inSla ? 0 : a.missPenalty);
    emergencyCost[ai] = inst.emergencyCost + a.missPenalty;
    const reach = local
      .map(({ l, i }) => ({ i, d: roadKm(l, a, inst.travel.roadFactor) }))
      .filter((x) => x.d / inst.travel.speedKmh <= a.slaHours)
      .sort((x, y) => x.d - y.d || x.i - y.i);
    reachStart[ai] = loc.length;
    for (const r of reach) {
      loc.push(r.i);
      cost.push(inst.localShipCost + inst.costPerKm * r.d);
    }
  });
  reachStart[nAsset] = loc.length;
  return {
    instance: inst,
    nSku,
    nLoc,
    nAsset,
    hub,
    skuIndex,
    locIndex,
    unitCost,
    holdPerUnit,
    capacity,
    stock,
    aSku,
    aP,
    aFrom,
    aTo,
    reachStart,
    reachLoc: Int32Array.from(loc),
    reachCost: Float64Array.from(cost),
    hubCost,
    hubInSla,
    emergencyCost,
    transferCost: inst.transferCost,
    replenishDays: inst.replenishDays,
  };
}

/** Plan JSON → levels (unknown ids are ignored; validate the plan first). */
export function planToLevels(m: PartsModel, plan: PartsPlan): Int32Array {
  const lev = new Int32Array(m.nLoc * m.nSku);
  for (const [locId, bySku] of Object.entries(plan.stock)) {
    const l = m.locIndex.get(locId);
    if (l === undefined) continue;
    for (const [sku, q] of Object.entries(bySku)) {
      const s = m.skuIndex.get(sku);
      if (s !== undefined) lev[l * m.nSku + s] = q;
    }
  }
  return lev;
}

/** Levels → plan JSON: every location listed (in instance order), zero quantities left out. */
export function levelsToPlan(m: PartsModel, lev: Int32Array): PartsPlan {
  // entries, not assignments: an id such as "__proto__" must stay a key of the plan
  const stock = Object.fromEntries(
    m.instance.locations.map((l, li) => [
      l.id,
      Object.fromEntries(
        m.instance.skus
          .map((s, si): [string, number] => [s.id, lev[li * m.nSku + si] ?? 0])
          .filter(([, q]) => q > 0),
      ),
    ]),
  );
  return { stock };
}

/** Holding + positioning cost of levels (the deterministic part of the plan cost). */
export function fixedCost(m: PartsModel, lev: Int32Array): { holding: number; positioning: number } {
  let holding = 0;
  let positioning = 0;
  for (let l = 0; l < m.nLoc; l++) {
    for (let s = 0; s < m.nSku; s++) {
      const q = lev[l * m.nSku + s] ?? 0;
      holding += q * (m.holdPerUnit[s] ?? 0);
      if (l !== m.hub) positioning += Math.abs(q - (m.stock[l * m.nSku + s] ?? 0)) * m.transferCost;
    }
  }
  return { holding, positioning };
}
