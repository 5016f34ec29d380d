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

/** Simulates one sku in one scenario at the given levels (by location, hub included). */
export class SkuSimulator {
  private readonly onHand: Int32Array;
  private readonly qT: Float64Array;
  private readonly qL: Int32Array;

  constructor(
    private readonly m: PartsModel,
    private readonly sc: Scenarios,
  ) {
    this.onHand = new Int32Array(m.nLoc);
    this.qT = new Float64Array(Math.max(1, sc.maxEvents));
    this.qL = new Int32Array(Math.max(1, sc.maxEvents));
  }

  /**
   * Service cost of sku `s` in scenario `k` with levels `lev` (indexed by location). When `flags` is given,
   * the scenario's flags are OR-ed into `flags[flagBase + l]`.
   */
  run(s: number, k: number, lev: Int32Array, flags?: Uint8Array, flagBase = 0): number {
    const m = this.m;
    const ev = this.sc.bySku[s] as SkuScenarios;
    const onHand = this.onHand;
    const qT = this.qT;
    const qL = this.qL;
    const { reachStart, reachLoc, reachCost, transferCost: T, replenishDays: L } = m;
    const hubIdx = m.hub;
    onHand.set(lev);
    let hub = lev[hubIdx] as number;
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
      let served = false;
      const rEnd = reachStart[a + 1] as number;
      for (let r = reachStart[a] as number; r < rEnd; r++) {
        const l = reachLoc[r] as number;
        const h = onHand[l] as number;
        if (h > 0) {
          if (flags !== undefined && h === 1) flags[flagBase + l] = (flags[flagBase + l] as number) | MINUS;
          onHand[l] = h - 1;
          cost += reachCost[r] as number;
          if (hub > 0) {
            if (flags !== undefined && hub === 1)
              flags[flagBase + hubIdx] = (flags[flagBase + hubIdx] as number) | MINUS;
            hub--;
            cost += T;
            qT[qTail] = t + L;
            qL[qTail++] = l;
          } else if (flags !== undefined)
            flags[flagBase + hubIdx] = (flags[flagBase + hubIdx] as number) | PLUS;
          served = true;
          break;
        } else if (flags !== undefined) flags[flagBase + l] = (flags[flagBase + l] as number) | PLUS;
      }
      if (served) continue;
      if (hub > 0) {
        if (flags !== undefined && hub === 1)
          flags[flagBase + hubIdx] = (flags[flagBase + hubIdx] as number) | MINUS;
        hub--;
        cost += m.hubCost[a] as number;
      } else {
        if (flags !== undefined) flags[flagBase + hubIdx] = (flags[flagBase + hubIdx] as number) | PLUS;
        cost += m.emergencyCost[a] as number;
      }
    }
    return cost;
  }
}
