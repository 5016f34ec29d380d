/**
 * A lower bound on the expected cost of every plan of an instance (shared/specs/parts-plan.md), to tell how far
 * a target such as 0.55 × the history base-stock cost is reachable at all.
 *
 * Skus never interact but through capacities, which only add cost, so the bound is a sum over skus. Each asset
 * fails at most once. A failure served from stock (by a location in its reach, or shipped by the hub) uses up a
 * unit held from day 0 somewhere — units never enter the network during the horizon, and a replenished location
 * gets the hub's unit — so with Q units of the sku in the plan (holding Q × holdPerUnit), at most Q of the
 * scenario's N failures are served from stock and at least (N − Q)⁺ get an emergency. A failure served from stock
 * costs at least m = min(nearest local serve, hub ship (+ penalty out of SLA)); an emergency costs e = emergency +
 * penalty ≥ min(m, e) + g, g the sku's least such extra over its assets. So any plan's expected cost for the sku
 * is at least Σ pFail × min(m, e) + min over Q of [Q × holdPerUnit + g × E(N − Q)⁺], N's distribution exact
 * (a sum of independent Bernoullis). Moreover a local serve costs a transfer too (the unit was positioned there at
 * day 0, or the hub replenished it) unless it uses one of the units the fsl and counters hold today, S of the
 * sku, at most min(S, N) per scenario: so also the same with m = min(local + transfer, hub) less transfer ×
 * E min(S, N). The larger of the two, summed over skus. Positioning beyond today's local stock and the locations'
 * own stock-outs (a unit at one location cannot serve an asset out of its reach) are left out, so the bound is
 * loose: it is what no plan can beat, not what one can reach.
 */
import type { PartsModel } from './model.ts';

export function planCostLowerBound(m: PartsModel): number {
  const T = m.transferCost;
  let total = 0;
  for (let s = 0; s < m.nSku; s++) {
    // units the fsl and counters hold today: a local serve that uses one of them needs no transfer
    let today = 0;
    for (let l = 0; l < m.nLoc; l++) if (l !== m.hub) today += m.stock[l * m.nSku + s] as number;
    const hold = m.holdPerUnit[s] as number;
    // P(N = k) by convolution over the sku's assets
    let dist = new Float64Array([1]);
    let plain = 0;
    let withTransfer = 0;
    let gPlain = Infinity;
    let gTransfer = Infinity;
    for (let a = 0; a < m.nAsset; a++) {
      if (m.aSku[a] !== s) continue;
      const p = m.aP[a] as number;
      if (p <= 0) continue;
      const next = new Float64Array(dist.length + 1);
      for (let k = 0; k < dist.length; k++) {
        next[k] = (next[k] as number) + (dist[k] as number) * (1 - p);
        next[k + 1] = (next[k + 1] as number) + (dist[k] as number) * p;
      }
      dist = next;
      const e = m.emergencyCost[a] as number;
      const hubShip = m.hubCost[a] as number;
      // reach is nearest first: its first location is the cheapest local serve
      const local =
        (m.reachStart[a + 1] as number) > (m.reachStart[a] as number)
          ? (m.reachCost[m.reachStart[a] as number] as number)
          : Infinity;
      const mPlain = Math.min(local, hubShip, e);
      const mTransfer = Math.min(local + T, hubShip, e);
      plain += p * mPlain;
      withTransfer += p * mTransfer;
      gPlain = Math.min(gPlain, e - mPlain);
      gTransfer = Math.min(gTransfer, e - mTransfer);
    }
    if (dist.length === 1) continue; // the sku never fails: holding nothing costs nothing
    const newsvendor = (g: number): number => {
      // min over Q of Q × hold + g × E(N − Q)⁺ (convex in Q)
      let best = Infinity;
      for (let q = 0; q < dist.length; q++) {
        let short = 0;
        for (let k = q + 1; k < dist.length; k++) short += (k - q) * (dist[k] as number);
        const v = q * hold + g * short;
        if (v < best) best = v;
        else break;
      }
      return best;
    };
    let freeServes = 0; // E min(S, N)
    for (let k = 0; k < dist.length; k++) freeServes += Math.min(today, k) * (dist[k] as number);
    total += Math.max(plain + newsvendor(gPlain), withTransfer - T * freeServes + newsvendor(gTransfer));
  }
  return total;
}
