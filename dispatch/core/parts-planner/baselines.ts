/**
 * The two policies the planner is measured against (and today's stock):
 * - history base-stock, the classic policy without predictions: each fsl holds its lead-time demand (the
 *   assets whose nearest fsl it is, at the fleet-average rate of their part, over replenishDays) at the 95%
 *   Poisson quantile; the hub holds the part's horizon demand at the same quantile; counters hold nothing;
 * - prediction-aware greedy marginal analysis on the simulated cost: from nothing anywhere, add the unit that
 *   lowers the sample-average cost most (400 scenarios), until no unit does.
 */
import { roadKm } from '../planner/geo.ts';
import type { PartsModel } from './model.ts';
import { optimise } from './optimise.ts';
import { sampleScenarios } from './sim.ts';

/**
 * Smallest k with P(Poisson(mean) <= k) >= q. Above a mean of 700 exp(-mean) underflows to 0 (from about 745),
 * which made the sum never reach q and the quantile 100,000 (a hub of 100,000 units of a part 3,000 assets
 * certain to fail need); there the terms are summed in logs.
 */
export function poissonQuantile(mean: number, q: number): number {
  let k = 0;
  if (mean > 700) {
    let logP = -mean;
    let c = 0;
    const cap = mean + 100 * Math.sqrt(mean);
    for (; k < cap; k++) {
      if (k > 0) logP += Math.log(mean / k);
      c += Math.exp(logP);
      if (c >= q) break;
    }
    return k;
  }
  let p = Math.exp(-mean);
  let c = p;
  while (c < q && k < 100_000) {
    k++;
    p *= mean / k;
    c += p;
  }
  return k;
}

/** Today's stock, each location cut to its capacity (the largest holdings cut first). */
export function keepToday(m: PartsModel): Int32Array {
  const lev = Int32Array.from(m.stock);
  for (let l = 0; l < m.nLoc; l++) {
    let total = 0;
    for (let s = 0; s < m.nSku; s++) total += lev[l * m.nSku + s] as number;
    while (total > (m.capacity[l] as number)) {
      let big = 0;
      for (let s = 1; s < m.nSku; s++)
        if ((lev[l * m.nSku + s] as number) > (lev[l * m.nSku + big] as number)) big = s;
      lev[l * m.nSku + big] = (lev[l * m.nSku + big] as number) - 1;
      total--;
    }
  }
  return lev;
}

export function historyBaseStock(m: PartsModel, quantile = 0.95): Int32Array {
  const inst = m.instance;
  const lev = new Int32Array(m.nLoc * m.nSku);
  const count = new Float64Array(m.nSku);
  const sumP = new Float64Array(m.nSku);
  for (let a = 0; a < m.nAsset; a++) {
    const s = m.aSku[a] as number;
    count[s] = (count[s] as number) + 1;
    sumP[s] = (sumP[s] as number) + (m.aP[a] as number);
  }
  const fsls = inst.locations.map((l, i) => ({ l, i })).filter(({ l }) => l.kind === 'fsl');
  const nearest = new Float64Array(m.nLoc * m.nSku); // assets per (nearest fsl, sku)
  if (fsls.length > 0) {
    inst.assets.forEach((a, ai) => {
      let best = -1;
      let bestD = Infinity;
      for (const { l, i } of fsls) {
        const d = roadKm(l, a, inst.travel.roadFactor);
        if (d < bestD) {
          bestD = d;
          best = i;
        }
      }
      const cell = best * m.nSku + (m.aSku[ai] as number);
      nearest[cell] = (nearest[cell] as number) + 1;
    });
  }
  for (let s = 0; s < m.nSku; s++) {
    const n = count[s] as number;
    const ratePerDay = n === 0 ? 0 : (sumP[s] as number) / n / inst.horizonDays;
    for (const { i } of fsls) {
      const capLeft = (m.capacity[i] as number) - sumRow(lev, i, m.nSku);
      const want = poissonQuantile(
        (nearest[i * m.nSku + s] as number) * ratePerDay * inst.replenishDays,
        quantile,
      );
      lev[i * m.nSku + s] = Math.max(0, Math.min(want, capLeft));
    }
    // the hub within its capacity too, when the instance gives it one
    lev[m.hub * m.nSku + s] = Math.max(
      0,
      Math.min(
        poissonQuantile(sumP[s] as number, quantile),
        (m.capacity[m.hub] as number) - sumRow(lev, m.hub, m.nSku),
      ),
    );
  }
  return lev;
}

function sumRow(lev: Int32Array, l: number, nSku: number): number {
  let t = 0;
  for (let s = 0; s < nSku; s++) t += lev[l * nSku + s] as number;
  return t;
}

export function predictionGreedy(
  m: PartsModel,
  opts: { scenarios?: number; seed?: number } = {},
): Int32Array {
  const sc = sampleScenarios(m, opts.scenarios ?? 400, opts.seed ?? 4_242);
  return optimise(m, sc, { start: new Int32Array(m.nLoc * m.nSku), moves: 'add', lazy: false }).lev;
}
