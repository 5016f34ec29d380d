/**
 * Local search on the sample-average cost: holding + positioning (exact) + the mean service cost over a fixed
 * set of sampled scenarios. Moves: one unit more or less at a location (the hub included), a swap of skus at a
 * location at capacity, and a move of one unit of a sku between two locations. Best improvement first.
 *
 * A single-unit change of a sku is simulated only on the scenarios whose flags say it can change them (see
 * sim.ts); changes of two different skus add up exactly (skus never interact in service). Exact changes are
 * kept until their sku changes. In lazy mode the candidates are ranked by first-order estimates from the last
 * simulation, and only the most promising is simulated exactly, until none is promising; then every remaining
 * estimate is replaced by the exact value, so the search stops at a true local optimum of the sample cost.
 * The non-lazy mode simulates every candidate after every move (the plain greedy of the baseline).
 */
import type { PartsModel } from './model.ts';
import { MINUS, newStockedReach, PLUS, SkuSimulator, stockedReach } from './sim.ts';
import type { Scenarios, SingleEstimates } from './sim.ts';

export interface OptimiseOptions {
  /** Starting levels `[l * nSku + s]` (must respect capacities). */
  start: Int32Array;
  /** `add`: only add units (greedy marginal analysis); `all`: every move. */
  moves: 'add' | 'all';
  /** Rank candidates by estimates and simulate only the promising ones (default true). */
  lazy?: boolean;
  /** performance.now() after which the search stops with the best plan so far. */
  deadline?: number;
  /** Let a gain at the hub grow by steps of 2, 4, 8, ... units (default: all moves only). */
  hubSteps?: boolean;
  /** How many within-sku moves (estimated best first) are simulated exactly when nothing else improves. */
  pairCandidates?: number;
}

export interface OptimiseResult {
  lev: Int32Array;
  /** The sample-average plan cost of `lev`. */
  objective: number;
  /** Moves applied. */
  moves: number;
  /** True when no move improves (a local optimum), false when stopped by the deadline. */
  converged: boolean;
  /** Scenario simulations of one sku run. */
  simulations: number;
  /** Single changes simulated exactly, and how many of those in the sweeps when no estimate promised a gain. */
  exact: number;
  swept: number;
}

const EPS = 1e-7;

export function optimise(m: PartsModel, sc: Scenarios, opts: OptimiseOptions): OptimiseResult {
  const { nSku, nLoc, hub, transferCost: T } = m;
  const N = sc.n;
  const sim = new SkuSimulator(m, sc);
  const deadline = opts.deadline ?? Infinity;
  const pairK = opts.pairCandidates ?? 12;
  const addOnly = opts.moves === 'add';
  const lazy = opts.lazy ?? true;
  const hubSteps = opts.hubSteps ?? !addOnly;

  const lev = Array.from({ length: nSku }, (_, s) =>
    Int32Array.from({ length: nLoc }, (_, l) => opts.start[l * nSku + s] ?? 0),
  );
  const stock = Array.from({ length: nSku }, (_, s) =>
    Int32Array.from({ length: nLoc }, (_, l) => m.stock[l * nSku + s] ?? 0),
  );
  const used = new Float64Array(nLoc);
  for (let s = 0; s < nSku; s++)
    for (let l = 0; l < nLoc; l++) used[l] = (used[l] as number) + ((lev[s] as Int32Array)[l] as number);

  // locations that can serve some failure of the sku (elsewhere a change moves only holding and positioning)
  const relevant = Array.from({ length: nSku }, () => new Uint8Array(nLoc));
  for (let a = 0; a < m.nAsset; a++) {
    const rel = relevant[m.aSku[a] as number] as Uint8Array;
    for (let r = m.reachStart[a] as number; r < (m.reachStart[a + 1] as number); r++)
      rel[m.reachLoc[r] as number] = 1;
  }
  for (const rel of relevant) rel[hub] = 1;
  const relList = relevant.map((rel) => [...rel.keys()].filter((l) => rel[l] === 1));

  const costK = Array.from({ length: nSku }, () => new Float64Array(N));
  const flags = Array.from({ length: nSku }, () => new Uint8Array(N * nLoc));
  const svc = new Float64Array(nSku);
  // service-cost change of one unit more / less, exact when valid, else a first-order estimate
  const dPlus = Array.from({ length: nSku }, () => new Float64Array(nLoc));
  const dMinus = Array.from({ length: nSku }, () => new Float64Array(nLoc));
  const okPlus = Array.from({ length: nSku }, () => new Uint8Array(nLoc));
  const okMinus = Array.from({ length: nSku }, () => new Uint8Array(nLoc));
  // hub changes are always simulated exactly; a gain by one unit is followed by steps of 2, 4, 8, ... units
  const hubMinK: Int32Array[] = Array.from({ length: nSku }, () => new Int32Array(N));
  const est: SingleEstimates = { plus: new Float64Array(nLoc), minus: new Float64Array(nLoc) };
  let simulations = 0;
  let exact = 0;
  let swept = 0;

  const fullSim = (s: number): void => {
    const f = flags[s] as Uint8Array;
    const c = costK[s] as Float64Array;
    f.fill(0);
    est.plus.fill(0);
    est.minus.fill(0);
    let sum = 0;
    for (let k = 0; k < N; k++) {
      const v = sim.run(s, k, lev[s] as Int32Array, f, k * nLoc, est);
      (hubMinK[s] as Int32Array)[k] = sim.hubMin;
      c[k] = v;
      sum += v;
    }
    simulations += N;
    svc[s] = sum / N;
    const dp = dPlus[s] as Float64Array;
    const dm = dMinus[s] as Float64Array;
    const op = okPlus[s] as Uint8Array;
    const om = okMinus[s] as Uint8Array;
    const rel = relevant[s] as Uint8Array;
    for (let l = 0; l < nLoc; l++) {
      // exact zero where the sku is never served; the hub's changes are always simulated
      const exactZero = rel[l] === 0;
      op[l] = exactZero ? 1 : 0;
      om[l] = exactZero ? 1 : 0;
      dp[l] = exactZero ? 0 : -(est.plus[l] as number) / N;
      dm[l] = exactZero ? 0 : (est.minus[l] as number) / N;
    }
    dp[hub] = serviceDelta(s, [[hub, 1]]);
    dm[hub] = !addOnly && ((lev[s] as Int32Array)[hub] as number) > 0 ? serviceDelta(s, [[hub, -1]]) : 0;
    op[hub] = 1;
    om[hub] = 1;
  };

  const tmp = new Int32Array(nLoc);
  const cut = newStockedReach(m);
  const skuAssets = Array.from({ length: nSku }, (_, s) =>
    Int32Array.from([...m.aSku.keys()].filter((a) => m.aSku[a] === s)),
  );
  /** Mean service-cost change of sku s when levels change by `changes` ([location, ±1] pairs). */
  const serviceDelta = (s: number, changes: [number, number][]): number => {
    tmp.set(lev[s] as Int32Array);
    for (const [l, d] of changes) tmp[l] = (tmp[l] as number) + d;
    stockedReach(m, tmp, skuAssets[s] as Int32Array, cut);
    const f = flags[s] as Uint8Array;
    const c = costK[s] as Float64Array;
    const hm = hubMinK[s] as Int32Array;
    let sum = 0;
    for (let k = 0; k < N; k++) {
      const base = k * nLoc;
      let dirty = false;
      for (const [l, d] of changes) {
        if (d < -1 ? (hm[k] as number) < -d : ((f[base + l] as number) & (d > 0 ? PLUS : MINUS)) !== 0) {
          dirty = true;
          break;
        }
      }
      if (!dirty) continue;
      sum += sim.runStocked(s, k, tmp, cut) - (c[k] as number);
      simulations++;
    }
    return sum / N;
  };

  const exactPlus = (s: number, l: number): void => {
    exact++;
    (dPlus[s] as Float64Array)[l] = serviceDelta(s, [[l, 1]]);
    (okPlus[s] as Uint8Array)[l] = 1;
  };
  const exactMinus = (s: number, l: number): void => {
    exact++;
    (dMinus[s] as Float64Array)[l] = serviceDelta(s, [[l, -1]]);
    (okMinus[s] as Uint8Array)[l] = 1;
  };
  /** Makes every single change of sku s exact; returns how many were not. */
  const exactAll = (s: number): number => {
    let n = 0;
    for (const l of relList[s] as number[]) {
      if (l === hub) continue;
      if (performance.now() >= deadline) break; // the main loop stops at its next turn
      // at a full location too: swaps of skus there need it
      if ((okPlus[s] as Uint8Array)[l] === 0) {
        exactPlus(s, l);
        n++;
      }
      if (!addOnly && (okMinus[s] as Uint8Array)[l] === 0 && ((lev[s] as Int32Array)[l] as number) > 0) {
        exactMinus(s, l);
        n++;
      }
    }
    return n;
  };

  /** Holding + positioning change of one unit more (d = 1) or less (d = -1) of sku s at l. */
  const fixedDelta = (s: number, l: number, d: number): number => {
    let v = d * (m.holdPerUnit[s] as number);
    if (l !== hub) {
      const q = (lev[s] as Int32Array)[l] as number;
      const st = (stock[s] as Int32Array)[l] as number;
      v += (Math.abs(q + d - st) - Math.abs(q - st)) * T;
    }
    return v;
  };

  const objective = (): number => {
    let v = 0;
    for (let s = 0; s < nSku; s++) {
      v += svc[s] as number;
      for (let l = 0; l < nLoc; l++) {
        const q = (lev[s] as Int32Array)[l] as number;
        v += q * (m.holdPerUnit[s] as number);
        if (l !== hub) v += Math.abs(q - ((stock[s] as Int32Array)[l] as number)) * T;
      }
    }
    return v;
  };

  for (let s = 0; s < nSku; s++) {
    fullSim(s);
    if (!lazy) exactAll(s);
  }

  type Single = { s: number; l: number; d: number };
  let moves = 0;
  let converged = false;
  while (performance.now() < deadline) {
    let best = -EPS;
    let choice: Single[] = [];
    for (let s = 0; s < nSku; s++) {
      const ls = lev[s] as Int32Array;
      for (let l = 0; l < nLoc; l++) {
        if ((used[l] as number) < (m.capacity[l] as number)) {
          const d = ((dPlus[s] as Float64Array)[l] as number) + fixedDelta(s, l, 1);
          if (d < best) {
            best = d;
            choice = [{ s, l, d: 1 }];
          }
        }
        if (!addOnly && (ls[l] as number) > 0) {
          const d = ((dMinus[s] as Float64Array)[l] as number) + fixedDelta(s, l, -1);
          if (d < best) {
            best = d;
            choice = [{ s, l, d: -1 }];
          }
        }
      }
    }
    if (!addOnly) {
      // swaps of two skus at a location at capacity
      for (let l = 0; l < nLoc; l++) {
        if ((used[l] as number) < (m.capacity[l] as number)) continue;
        for (let s = 0; s < nSku; s++) {
          if (((lev[s] as Int32Array)[l] as number) <= 0) continue;
          const out = ((dMinus[s] as Float64Array)[l] as number) + fixedDelta(s, l, -1);
          for (let t = 0; t < nSku; t++) {
            if (t === s) continue;
            const d = out + ((dPlus[t] as Float64Array)[l] as number) + fixedDelta(t, l, 1);
            if (d < best) {
              best = d;
              choice = [
                { s, l, d: -1 },
                { s: t, l, d: 1 },
              ];
            }
          }
        }
      }
    }
    if (choice.length > 0) {
      // simulate the parts still estimated, then rank again; apply only exact improvements
      let estimated = false;
      for (const c of choice) {
        if (c.d > 0 && (okPlus[c.s] as Uint8Array)[c.l] === 0) {
          exactPlus(c.s, c.l);
          estimated = true;
        }
        if (c.d < 0 && (okMinus[c.s] as Uint8Array)[c.l] === 0) {
          exactMinus(c.s, c.l);
          estimated = true;
        }
      }
      if (estimated) continue;
      const only = choice[0] as Single;
      if (choice.length === 1 && only.l === hub && hubSteps) {
        // line search on the hub: 2, 4, 8, ... units while the gain grows
        const hold = m.holdPerUnit[only.s] as number;
        const level = (lev[only.s] as Int32Array)[hub] as number;
        let stepBest = best;
        const sign = only.d;
        // (up, not past the hub's capacity when the instance gives it one)
        const most = sign > 0 ? Math.min(4_096, (m.capacity[hub] as number) - (used[hub] as number)) : level;
        for (let k = 2; k <= most; k *= 2) {
          const d = sign * k;
          const v = serviceDelta(only.s, [[hub, d]]) + d * hold;
          if (v >= stepBest) break;
          stepBest = v;
          only.d = d;
        }
      }
      for (const c of choice) apply(c.s, [[c.l, c.d]]);
      for (const c of choice) fullSim(c.s);
      if (!lazy) for (const c of choice) exactAll(c.s);
      moves++;
      continue;
    }
    // nothing promising: make every estimate exact, and look again
    let madeExact = 0;
    for (let s = 0; s < nSku; s++) madeExact += exactAll(s);
    swept += madeExact;
    if (madeExact > 0) continue;
    if (addOnly) {
      converged = true;
      break;
    }
    // moves of one unit of a sku between two locations: ranked by the sum of the two single changes,
    // the most promising simulated exactly
    const cands: { s: number; a: number; b: number; est: number }[] = [];
    for (let s = 0; s < nSku; s++) {
      const ls = lev[s] as Int32Array;
      const rel = relList[s] as number[];
      for (const a of rel) {
        if ((ls[a] as number) <= 0) continue;
        const out = ((dMinus[s] as Float64Array)[a] as number) + fixedDelta(s, a, -1);
        for (const b of rel) {
          if (b === a || (used[b] as number) >= (m.capacity[b] as number)) continue;
          cands.push({ s, a, b, est: out + ((dPlus[s] as Float64Array)[b] as number) + fixedDelta(s, b, 1) });
        }
      }
    }
    cands.sort((x, y) => x.est - y.est);
    let pair: { s: number; changes: [number, number][] } | undefined;
    for (const c of cands.slice(0, pairK)) {
      if (performance.now() >= deadline) break;
      const changes: [number, number][] = [
        [c.a, -1],
        [c.b, 1],
      ];
      const d = fixedDelta(c.s, c.a, -1) + fixedDelta(c.s, c.b, 1) + serviceDelta(c.s, changes);
      if (d < best) {
        best = d;
        pair = { s: c.s, changes };
      }
    }
    if (pair === undefined) {
      converged = performance.now() < deadline;
      break;
    }
    apply(pair.s, pair.changes);
    fullSim(pair.s);
    if (!lazy) exactAll(pair.s);
    moves++;
  }

  function apply(s: number, changes: [number, number][]): void {
    for (const [l, d] of changes) {
      (lev[s] as Int32Array)[l] = ((lev[s] as Int32Array)[l] as number) + d;
      used[l] = (used[l] as number) + d;
    }
  }

  const out = new Int32Array(nLoc * nSku);
  for (let s = 0; s < nSku; s++)
    for (let l = 0; l < nLoc; l++) out[l * nSku + s] = (lev[s] as Int32Array)[l] as number;
  return { lev: out, objective: objective(), moves, converged, simulations, exact, swept };
}
