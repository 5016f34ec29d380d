/**
 * Fast per-sku simulation on a fixed set of sampled scenarios (sample-average approximation). Skus never
 * interact in service (each failure needs its own sku), so a plan's expected service cost is the sum over skus,
 * and a change of one sku's levels needs only that sku re-simulated. While simulating, flags record per
 * scenario which single-unit changes could alter it at all, so a change is re-simulated only on those
 * scenarios (the others keep their cost exactly):
 * - PLUS at a location: a failure looked there (all nearer ones empty) and found it empty; at the hub: the hub
 *   was asked for a unit (a ship or a replenishment) and had none;
 * - MINUS: the location (or hub) gave away its last unit.
 */
import { seededRandom } from '../../../common/random.ts';
import type { PartsModel } from './model.ts';

export const PLUS = 1;
export const MINUS = 2;

/** Sampled failures, grouped by sku, then by scenario, in time order. */
export interface SkuScenarios {
  /** Offsets into asset/time by scenario (length n + 1). */
  start: Int32Array;
  asset: Int32Array;
  time: Float64Array;
}

export interface Scenarios {
  n: number;
  bySku: SkuScenarios[];
  /** Most failures of one sku in one scenario. */
  maxEvents: number;
}

export function sampleScenarios(m: PartsModel, n: number, seed: number): Scenarios {
  const rnd = seededRandom(seed);
  const starts = Array.from({ length: m.nSku }, () => new Int32Array(n + 1));
  const assets: number[][] = Array.from({ length: m.nSku }, () => []);
  const times: number[][] = Array.from({ length: m.nSku }, () => []);
  const buf: { t: number; a: number }[][] = Array.from({ length: m.nSku }, () => []);
  let maxEvents = 0;
  for (let k = 0; k < n; k++) {
    for (const b of buf) b.length = 0;
    for (let a = 0; a < m.nAsset; a++) {
      const u = rnd();
      const t = rnd();
      if (u < (m.aP[a] as number)) {
        const from = m.aFrom[a] as number;
        (buf[m.aSku[a] as number] as { t: number; a: number }[]).push({
          t: from + t * ((m.aTo[a] as number) - from),
          a,
        });
      }
    }
    for (let s = 0; s < m.nSku; s++) {
      const b = (buf[s] as { t: number; a: number }[]).sort((x, y) => x.t - y.t);
      const as = assets[s] as number[];
      const ts = times[s] as number[];
      for (const e of b) {
        as.push(e.a);
        ts.push(e.t);
      }
      maxEvents = Math.max(maxEvents, b.length);
      (starts[s] as Int32Array)[k + 1] = as.length;
    }
  }
  return {
    n,
    maxEvents,
    bySku: starts.map((start, s) => ({
      start,
      asset: Int32Array.from(assets[s] as number[]),
      time: Float64Array.from(times[s] as number[]),
    })),
  };
}

/** The scenarios of `a` followed by those of `b` (a prefix of the result is `a`). */
export function concatScenarios(a: Scenarios, b: Scenarios): Scenarios {
  return {
    n: a.n + b.n,
    maxEvents: Math.max(a.maxEvents, b.maxEvents),
    bySku: a.bySku.map((x, s) => {
      const y = b.bySku[s] as SkuScenarios;
      const off = x.asset.length;
      const start = new Int32Array(a.n + b.n + 1);
      start.set(x.start.subarray(0, a.n + 1));
      for (let k = 1; k <= b.n; k++) start[a.n + k] = off + (y.start[k] as number);
      const asset = new Int32Array(off + y.asset.length);
      asset.set(x.asset.subarray(0, off));
      asset.set(y.asset, off);
      const time = new Float64Array(off + y.time.length);
      time.set(x.time.subarray(0, off));
      time.set(y.time, off);
      return { start, asset, time };
    }),
  };
}

/** Simulates one sku in one scenario at the given levels (by location, hub included). */
export class SkuSimulator {
  private readonly onHand: Int32Array;
  private readonly qT: Float64Array;
  private readonly qL: Int32Array;
  private readonly reachEnd: Int32Array;
  /** The hub's lowest on-hand in the last run (a cut of the hub by k changes the run only if this is < k). */
  hubMin = 0;

  constructor(
    private readonly m: PartsModel,
    private readonly sc: Scenarios,
  ) {
    this.onHand = new Int32Array(m.nLoc);
    this.reachEnd = m.reachStart.subarray(1);
    this.qT = new Float64Array(Math.max(1, sc.maxEvents));
    this.qL = new Int32Array(Math.max(1, sc.maxEvents));
  }

  /**
   * Service cost of sku `s` in scenario `k` with levels `lev` (indexed by location). When `flags` is given,
   * the scenario's flags are OR-ed into `flags[flagBase + l]`; when `est` is given too, first-order estimates
   * of single-unit changes are added up there: `est.plus[l]` the saving of one more unit at l on the first
   * failure that found l empty, `est.minus[l]` the extra cost of one unit less on the failure that took l's
   * last unit (what happens after that failure is not estimated; the optimiser checks by simulation).
   */
  run(
    s: number,
    k: number,
    lev: Int32Array,
    flags?: Uint8Array,
    flagBase = 0,
    est?: SingleEstimates,
  ): number {
    return this.runOn(
      s,
      k,
      lev,
      this.m.reachStart,
      this.reachEnd,
      this.m.reachLoc,
      this.m.reachCost,
      flags,
      flagBase,
      est,
    );
  }

  /**
   * `run` without flags on Reach lists cut to the locations that hold the sku (a location at level 0 never has
   * a unit on hand: only a serve brings a replenishment).
   */
  runStocked(s: number, k: number, lev: Int32Array, r: StockedReach): number {
    return this.runOn(s, k, lev, r.start, r.end, r.loc, r.cost);
  }

  private runOn(
    s: number,
    k: number,
    lev: Int32Array,
    reachStart: Int32Array,
    reachEnd: Int32Array,
    reachLoc: Int32Array,
    reachCost: Float64Array,
    flags?: Uint8Array,
    flagBase = 0,
    est?: SingleEstimates,
  ): number {
    const m = this.m;
    const ev = this.sc.bySku[s] as SkuScenarios;
    const onHand = this.onHand;
    const qT = this.qT;
    const qL = this.qL;
    const { transferCost: T, replenishDays: L } = m;
    const hubIdx = m.hub;
    onHand.set(lev);
    let hub = lev[hubIdx] as number;
    let hubMin = hub;
    let qHead = 0;
    let qTail = 0;
    let cost = 0;
    const end = ev.start[k + 1] as number;
    for (let e = ev.start[k] as number; e < end; e++) {
      const t = ev.time[e] as number;
      const a = ev.asset[e] as number;
      while (qHead < qTail && (qT[qHead] as number) <= t) {
        const l = qL[qHead++] as number;
        onHand[l] = (onHand[l] as number) + 1;
      }
      const rStart = reachStart[a] as number;
      const rEnd = reachEnd[a] as number;
      let r = rStart;
      for (; r < rEnd; r++) if ((onHand[reachLoc[r] as number] as number) > 0) break;
      // the outcome: a local serve at reachLoc[r], a hub ship, or an emergency
      const hubHad = hub > 0;
      let out: number;
      if (r < rEnd) {
        const l = reachLoc[r] as number;
        const h = onHand[l] as number;
        out = reachCost[r] as number;
        if (flags !== undefined && h === 1) {
          const f = flags[flagBase + l] as number;
          if (est !== undefined && (f & MINUS) === 0) {
            let alt = hubHad ? (m.hubCost[a] as number) - T : (m.emergencyCost[a] as number);
            for (let r2 = r + 1; r2 < rEnd; r2++) {
              if ((onHand[reachLoc[r2] as number] as number) > 0) {
                alt = reachCost[r2] as number;
                break;
              }
            }
            est.minus[l] = (est.minus[l] as number) + alt - out;
          }
          flags[flagBase + l] = f | MINUS;
        }
        onHand[l] = h - 1;
        if (hubHad) {
          if (flags !== undefined && hub === 1)
            flags[flagBase + hubIdx] = (flags[flagBase + hubIdx] as number) | MINUS;
          hub--;
          cost += T;
          qT[qTail] = t + L;
          qL[qTail++] = l;
        } else if (flags !== undefined)
          flags[flagBase + hubIdx] = (flags[flagBase + hubIdx] as number) | PLUS;
      } else if (hubHad) {
        if (flags !== undefined && hub === 1)
          flags[flagBase + hubIdx] = (flags[flagBase + hubIdx] as number) | MINUS;
        hub--;
        out = m.hubCost[a] as number;
      } else {
        if (flags !== undefined) flags[flagBase + hubIdx] = (flags[flagBase + hubIdx] as number) | PLUS;
        out = m.emergencyCost[a] as number;
      }
      cost += out;
      if (hub < hubMin) hubMin = hub;
      if (flags !== undefined) {
        // the locations passed over empty: one more unit there would have served this failure
        const outCmp = r < rEnd ? out : hubHad ? out - T : out;
        for (let r2 = rStart; r2 < r; r2++) {
          const l = reachLoc[r2] as number;
          const f = flags[flagBase + l] as number;
          if (est !== undefined && (f & PLUS) === 0)
            est.plus[l] = (est.plus[l] as number) + outCmp - (reachCost[r2] as number);
          flags[flagBase + l] = f | PLUS;
        }
      }
    }
    this.hubMin = hubMin;
    return cost;
  }
}

export interface SingleEstimates {
  plus: Float64Array;
  minus: Float64Array;
}

/** Reach lists cut to stocked locations, by asset: `loc[start[a] .. end[a]]`. */
export interface StockedReach {
  start: Int32Array;
  end: Int32Array;
  loc: Int32Array;
  cost: Float64Array;
}

export function newStockedReach(m: PartsModel): StockedReach {
  return {
    start: new Int32Array(m.nAsset),
    end: new Int32Array(m.nAsset),
    loc: new Int32Array(m.reachLoc.length),
    cost: new Float64Array(m.reachLoc.length),
  };
}

/** Fills `out` for `assets` with their Reach lists cut to the locations with `lev[l] > 0`. */
export function stockedReach(m: PartsModel, lev: Int32Array, assets: Int32Array, out: StockedReach): void {
  let n = 0;
  for (const a of assets) {
    out.start[a] = n;
    for (let r = m.reachStart[a] as number; r < (m.reachStart[a + 1] as number); r++) {
      const l = m.reachLoc[r] as number;
      if ((lev[l] as number) > 0) {
        out.loc[n] = l;
        out.cost[n++] = m.reachCost[r] as number;
      }
    }
    out.end[a] = n;
  }
}
