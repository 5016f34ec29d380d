/**
 * A lower bound on the expected cost of every plan of an instance (shared/specs/parts-plan.md), to tell how far
 * a target such as 0.55 × the history base-stock cost is reachable at all.
 *
 * Each asset fails at most once. A failure served from stock (by a location in its reach, or shipped by the
 * hub) uses up a unit held from day 0 somewhere — units never enter the network during the horizon, and a
 * replenished location gets the hub's unit — so each such failure has a unit of its own, held at least at
 * holdPerUnit. Hence, scenario by scenario, every failure costs at least
 * min(nearest local serve + holdPerUnit, hub ship (+ penalty out of SLA) + holdPerUnit, emergency + penalty),
 * and the expected cost of any plan is at least Σ pFail × that minimum. Moreover a local serve costs a transfer
 * too (the unit was positioned there at day 0, or the hub replenished it) unless it uses one of the units the
 * fsl and counters hold today, which are at most all of them: so also Σ pFail × min(local + hold + transfer,
 * hub + hold, emergency) − transfer × (units at fsl and counters today). Capacities, the order of failures and
 * the rest of positioning are left out (each only adds cost), so the bound is loose: it is what no plan can
 * beat, not what one can reach.
 */
import type { PartsModel } from './model.ts';

export function planCostLowerBound(m: PartsModel): number {
  const T = m.transferCost;
  // units at fsl and counters today: a local serve that uses one of them needs no transfer
  let todayLocal = 0;
  for (let l = 0; l < m.nLoc; l++)
    if (l !== m.hub) for (let s = 0; s < m.nSku; s++) todayLocal += m.stock[l * m.nSku + s] as number;
  let plain = 0;
  let withTransfer = 0;
  for (let a = 0; a < m.nAsset; a++) {
    const hold = m.holdPerUnit[m.aSku[a] as number] as number;
    const other = Math.min((m.hubCost[a] as number) + hold, m.emergencyCost[a] as number);
    // reach is nearest first: its first location is the cheapest local serve
    const local =
      (m.reachStart[a + 1] as number) > (m.reachStart[a] as number)
        ? (m.reachCost[m.reachStart[a] as number] as number) + hold
        : Infinity;
    plain += (m.aP[a] as number) * Math.min(other, local);
    withTransfer += (m.aP[a] as number) * Math.min(other, local + T);
  }
  return Math.max(plain, withTransfer - T * todayLocal);
}
