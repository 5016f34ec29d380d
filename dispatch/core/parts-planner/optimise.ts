/**
 * Local search on the sample-average cost: holding + positioning (exact) + the mean service cost over a fixed
 * set of sampled scenarios. Moves: one unit more or less at a location (the hub included), a swap of skus at a
 * location at capacity, and a move of one unit of a sku between two locations. Single-unit changes of a sku are
 * evaluated incrementally (only the scenarios whose flags say they can change are re-simulated, see sim.ts);
 * changes of two different skus add up exactly (skus never interact in service). Best improvement first.
 */
import type { PartsModel } from './model.ts';
import { MINUS, PLUS, SkuSimulator } from './sim.ts';
import type { Scenarios } from './sim.ts';

export interface OptimiseOptions {
  /** Starting levels `[l * nSku + s]` (must respect capacities). */
  start: Int32Array;
  /** `add`: only add units (greedy marginal analysis); `all`: every move. */
  moves: 'add' | 'all';
  /** performance.now() after which the search stops with the best plan so far. */
  deadline?: number;
  /** How many within-sku moves (estimated best first) are simulated exactly when nothing else improves. */
  pairCandidates?: number;
}

export interface OptimiseResult {
  lev: Int32Array;
  /** The sample-average plan cost of `lev`. */
  objective: number;
  iterations: number;
  /** True when no move improves (a local optimum), false when stopped by the deadline. */
  converged: boolean;
  simulations: number;
}

const EPS = 1e-7;

export function optimise(m: PartsModel, sc: Scenarios, opts: OptimiseOptions): OptimiseResult {
  const { nSku, nLoc, hub, transferCost: T } = m;
  const N = sc.n;
  const sim = new SkuSimulator(m, sc);
  const deadline = opts.deadline ?? Infinity;
  const pairK = opts.pairCandidates ?? 12;
  const addOnly = opts.moves === 'add';

  const lev = Array.from({ length: nSku }, (_, s) =>
    Int32Array.from({ length: nLoc }, (_, l) => opts.start[l * nSku + s] ?? 0),
  );
  const stock = Array.from({ length: nSku }, (_, s) =>
    Int32Array.from({ length: nLoc }, (_, l) => m.stock[l * nSku + s] ?? 0),
  );
  const used = new Float64Array(nLoc);
  for (let s = 0; s < nSku; s++)
    for (let l = 0; l < nLoc; l++) used[l] = (used[l] as number) + ((lev[s] as Int32Array)[l] as number);

  // locations that can serve some failure of the sku (others change only holding and positioning), and the hub
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
  const dPlus = Array.from({ length: nSku }, () => new Float64Array(nLoc));
  const dMinus = Array.from({ length: nSku }, () => new Float64Array(nLoc));
  let simulations = 0;

  const fullSim = (s: number): void => {
    const f = flags[s] as Uint8Array;
    const c = costK[s] as Float64Array;
    f.fill(0);
    let sum = 0;
    for (let k = 0; k < N; k++) {
      const v = sim.run(s, k, lev[s] as Int32Array, f, k * nLoc);
      c[k] = v;
      sum += v;
    }
    simulations += N;
    svc[s] = sum / N;
  };

  const tmp = new Int32Array(nLoc);
  /** Mean service-cost change of sku s when levels change by `changes` ([location, ±1] pairs). */
  const serviceDelta = (s: number, changes: [number, number][]): number => {
    tmp.set(lev[s] as Int32Array);
    for (const [l, d] of changes) tmp[l] = (tmp[l] as number) + d;
    const f = flags[s] as Uint8Array;
    const c = costK[s] as Float64Array;
    let sum = 0;
    for (let k = 0; k < N; k++) {
      const base = k * nLoc;
      let dirty = false;
      for (const [l, d] of changes) {
        if (((f[base + l] as number) & (d > 0 ? PLUS : MINUS)) !== 0) {
          dirty = true;
          break;
        }
      }
      if (!dirty) continue;
      sum += sim.run(s, k, tmp) - (c[k] as number);
      simulations++;
    }
    return sum / N;
  };

  const deltas = (s: number): void => {
    const dp = dPlus[s] as Float64Array;
    const dm = dMinus[s] as Float64Array;
    dp.fill(0);
    dm.fill(0);
    for (const l of relList[s] as number[]) {
      dp[l] = serviceDelta(s, [[l, 1]]);
      if (!addOnly && ((lev[s] as Int32Array)[l] as number) > 0) dm[l] = serviceDelta(s, [[l, -1]]);
    }
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

  const apply = (s: number, changes: [number, number][]): void => {
    for (const [l, d] of changes) {
      (lev[s] as Int32Array)[l] = ((lev[s] as Int32Array)[l] as number) + d;
      used[l] = (used[l] as number) + d;
    }
  };

  for (let s = 0; s < nSku; s++) {
    fullSim(s);
    deltas(s);
  }

  let iterations = 0;
  let converged = false;
  while (performance.now() < deadline) {
    iterations++;
    let best = -EPS;
    let bestMoves: { s: number; changes: [number, number][] }[] = [];
    for (let s = 0; s < nSku; s++) {
      const ls = lev[s] as Int32Array;
      for (let l = 0; l < nLoc; l++) {
        if ((used[l] as number) < (m.capacity[l] as number)) {
          const d = ((dPlus[s] as Float64Array)[l] as number) + fixedDelta(s, l, 1);
          if (d < best) {
            best = d;
            bestMoves = [{ s, changes: [[l, 1]] }];
          }
        }
        if (!addOnly && (ls[l] as number) > 0) {
          const d = ((dMinus[s] as Float64Array)[l] as number) + fixedDelta(s, l, -1);
          if (d < best) {
            best = d;
            bestMoves = [{ s, changes: [[l, -1]] }];
          }
        }
      }
    }
    if (!addOnly) {
      // swaps of two skus at a location at capacity: exact, since the skus are independent
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
              bestMoves = [
                { s, changes: [[l, -1]] },
                { s: t, changes: [[l, 1]] },
              ];
            }
          }
        }
      }
    }
    if (bestMoves.length === 0 && !addOnly) {
      // moves of one unit of a sku between two locations: estimated as the sum of the two single changes,
      // then the most promising simulated exactly
      const cands: { s: number; a: number; b: number; est: number }[] = [];
      for (let s = 0; s < nSku; s++) {
        const ls = lev[s] as Int32Array;
        const rel = relList[s] as number[];
        for (const a of rel) {
          if ((ls[a] as number) <= 0) continue;
          const out = ((dMinus[s] as Float64Array)[a] as number) + fixedDelta(s, a, -1);
          for (const b of rel) {
            if (b === a || (used[b] as number) >= (m.capacity[b] as number)) continue;
            const est = out + ((dPlus[s] as Float64Array)[b] as number) + fixedDelta(s, b, 1);
            cands.push({ s, a, b, est });
          }
        }
      }
      cands.sort((x, y) => x.est - y.est);
      for (const c of cands.slice(0, pairK)) {
        if (performance.now() >= deadline) break;
        const fixed = fixedDelta(c.s, c.a, -1) + fixedDelta(c.s, c.b, 1);
        const d =
          fixed +
          serviceDelta(c.s, [
            [c.a, -1],
            [c.b, 1],
          ]);
        if (d < best) {
          best = d;
          bestMoves = [
            {
              s: c.s,
              changes: [
                [c.a, -1],
                [c.b, 1],
              ],
            },
          ];
        }
      }
    }
    if (bestMoves.length === 0) {
      converged = true;
      break;
    }
    for (const mv of bestMoves) apply(mv.s, mv.changes);
    for (const mv of bestMoves) {
      fullSim(mv.s);
      deltas(mv.s);
    }
  }

  const out = new Int32Array(nLoc * nSku);
  for (let s = 0; s < nSku; s++)
    for (let l = 0; l < nLoc; l++) out[l * nSku + s] = (lev[s] as Int32Array)[l] as number;
  return { lev: out, objective: objective(), iterations, converged, simulations };
}
