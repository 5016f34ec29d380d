/**
 * Gradient-boosted trees for binary labels (weighted log-loss, Newton leaf values) on the quantile
 * bins of `predict/core/rul/gbdt.ts`; the model format is the same (`GbdtModel`), its output the
 * log-odds, so `predictGbdtRow` scores rows. Trains on a subset of the binned rows (`rows`), so
 * cross-validation folds share one binning.
 */
import { createRng } from '../rul/random.ts';
import type { BinnedMatrix, GbdtModel, GbdtTree } from '../rul/gbdt.ts';

export interface LogitBoostParams {
  rounds: number;
  learningRate: number;
  maxDepth: number;
  /** Minimum hessian sum in a leaf. */
  minChildWeight: number;
  lambda: number;
  subsample: number;
  colsample: number;
  seed: number;
}

export const DEFAULT_LOGIT_BOOST: LogitBoostParams = {
  rounds: 150,
  learningRate: 0.08,
  maxDepth: 3,
  minChildWeight: 0.5,
  lambda: 5,
  subsample: 0.8,
  colsample: 0.7,
  seed: 1,
};

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

export function trainLogitBoost(
  X: BinnedMatrix,
  rows: Uint32Array,
  y: Uint8Array,
  weight: Float32Array,
  params: Partial<LogitBoostParams> = {},
): GbdtModel {
  const p = { ...DEFAULT_LOGIT_BOOST, ...params };
  const { cols: F, bins, edges, nBins, maxBins: B } = X;
  const n = rows.length;
  if (n === 0) throw new Error('trainLogitBoost: no rows');
  let sw = 0;
  let sp = 0;
  for (let j = 0; j < n; j++) {
    const i = rows[j] as number;
    sw += weight[i] as number;
    sp += (weight[i] as number) * (y[i] as number);
  }
  const prior = Math.min(1 - 1e-6, Math.max(1e-6, sp / sw));
  const base = Math.log(prior / (1 - prior));
  const pred = new Float64Array(n).fill(base); // by position in `rows`
  const g = new Float64Array(n);
  const h = new Float64Array(n);
  const idx = new Uint32Array(n);
  const rng = createRng(p.seed);
  const trees: GbdtTree[] = [];
  const featUsed = new Int32Array(F);
  const hist = () => new Float64Array(F * B * 2);
  const pool: Float64Array[] = [];
  for (let round = 0; round < p.rounds; round++) {
    for (let j = 0; j < n; j++) {
      const i = rows[j] as number;
      const q = sigmoid(pred[j] as number);
      const w = weight[i] as number;
      g[j] = w * (q - (y[i] as number));
      h[j] = w * Math.max(q * (1 - q), 1e-6);
    }
    let m = 0;
    for (let j = 0; j < n; j++) if (p.subsample >= 1 || rng.next() < p.subsample) idx[m++] = j;
    if (m === 0) idx[m++] = rng.int(n);
    let nf = 0;
    for (let f = 0; f < F; f++) if (p.colsample >= 1 || rng.next() < p.colsample) featUsed[nf++] = f;
    if (nf === 0) featUsed[nf++] = rng.int(F);
    const feats = featUsed.subarray(0, nf);
    const tree: GbdtTree = { feature: [], threshold: [], left: [], right: [], value: [] };
    const splitBin: number[] = [];
    const newNode = () => {
      tree.feature.push(-1);
      tree.threshold.push(0);
      tree.left.push(-1);
      tree.right.push(-1);
      tree.value.push(0);
      splitBin.push(0);
      return tree.feature.length - 1;
    };
    interface Node {
      id: number;
      start: number;
      end: number;
      depth: number;
      G: number;
      H: number;
      /** Gradient/hessian histogram (null for nodes that cannot split). */
      hist: Float64Array | null;
    }
    const fill = (node: Node) => {
      const hs = pool.pop() ?? hist();
      for (let q = 0; q < nf; q++) {
        const o = (feats[q] as number) * B * 2;
        hs.fill(0, o, o + 2 * B);
      }
      for (let k = node.start; k < node.end; k++) {
        const j = idx[k] as number;
        const row = (rows[j] as number) * F;
        const gj = g[j] as number;
        const hj = h[j] as number;
        for (let q = 0; q < nf; q++) {
          const f = feats[q] as number;
          const o = (f * B + (bins[row + f] as number)) << 1;
          hs[o] = (hs[o] as number) + gj;
          hs[o + 1] = (hs[o + 1] as number) + hj;
        }
      }
      node.hist = hs;
    };
    let G0 = 0;
    let H0 = 0;
    for (let k = 0; k < m; k++) {
      G0 += g[idx[k] as number] as number;
      H0 += h[idx[k] as number] as number;
    }
    const rootNode: Node = { id: newNode(), start: 0, end: m, depth: 0, G: G0, H: H0, hist: null };
    if (p.maxDepth > 0) fill(rootNode);
    const queue: Node[] = [rootNode];
    for (let head = 0; head < queue.length; head++) {
      const node = queue[head] as Node;
      const { G, H } = node;
      let best: { f: number; b: number; gl: number; hl: number } | undefined;
      const hs = node.hist;
      if (hs && H >= 2 * p.minChildWeight && node.end - node.start >= 2) {
        const parent = (G * G) / (H + p.lambda);
        let bestGain = 1e-9;
        for (let q = 0; q < nf; q++) {
          const f = feats[q] as number;
          const o = f * B * 2;
          let gl = 0;
          let hl = 0;
          const nb = nBins[f] as number;
          for (let b = 0; b < nb - 1; b++) {
            gl += hs[o + 2 * b] as number;
            hl += hs[o + 2 * b + 1] as number;
            if (hl < p.minChildWeight) continue;
            const hr = H - hl;
            if (hr < p.minChildWeight) break;
            const gr = G - gl;
            const gain = (gl * gl) / (hl + p.lambda) + (gr * gr) / (hr + p.lambda) - parent;
            if (gain > bestGain) {
              bestGain = gain;
              best = { f, b, gl, hl };
            }
          }
        }
      }
      if (!best) {
        tree.value[node.id] = (-G / (H + p.lambda)) * p.learningRate;
        if (hs) pool.push(hs);
        continue;
      }
      const { f, b } = best;
      let lo = node.start;
      let hi = node.end - 1;
      while (lo <= hi) {
        if ((bins[(rows[idx[lo] as number] as number) * F + f] as number) <= b) lo++;
        else {
          const t = idx[lo] as number;
          idx[lo] = idx[hi] as number;
          idx[hi] = t;
          hi--;
        }
      }
      const l = newNode();
      const r = newNode();
      tree.feature[node.id] = f;
      tree.threshold[node.id] = (edges[f] as Float64Array)[b] as number;
      tree.left[node.id] = l;
      tree.right[node.id] = r;
      splitBin[node.id] = b;
      const depth = node.depth + 1;
      const left: Node = { id: l, start: node.start, end: lo, depth, G: best.gl, H: best.hl, hist: null };
      const right: Node = {
        id: r,
        start: lo,
        end: node.end,
        depth,
        G: G - best.gl,
        H: H - best.hl,
        hist: null,
      };
      if (depth < p.maxDepth && hs) {
        // The smaller child's histogram is built; the larger one's is the parent's minus it.
        const small = left.end - left.start <= right.end - right.start ? left : right;
        const big = small === left ? right : left;
        fill(small);
        const sh = small.hist as Float64Array;
        for (let q = 0; q < nf; q++) {
          const o = (feats[q] as number) * B * 2;
          for (let k = o; k < o + 2 * B; k++) hs[k] = (hs[k] as number) - (sh[k] as number);
        }
        big.hist = hs;
      } else if (hs) pool.push(hs);
      queue.push(left, right);
    }
    for (let j = 0; j < n; j++) {
      const o = (rows[j] as number) * F;
      let node = 0;
      let f = tree.feature[0] as number;
      while (f >= 0) {
        node =
          (bins[o + f] as number) <= (splitBin[node] as number)
            ? (tree.left[node] as number)
            : (tree.right[node] as number);
        f = tree.feature[node] as number;
      }
      pred[j] = (pred[j] as number) + (tree.value[node] as number);
    }
    trees.push(tree);
  }
  return { nFeatures: F, base, trees };
}

/** Platt scaling: P = sigmoid(a·score + b), fitted by Newton's method on (score, label). */
export function fitPlatt(scores: ArrayLike<number>, labels: ArrayLike<number>): { a: number; b: number } {
  const n = scores.length;
  let pos = 0;
  for (let i = 0; i < n; i++) pos += labels[i] as number;
  // Platt's smoothed targets guard against perfectly separable folds.
  const tp = (pos + 1) / (pos + 2);
  const tn = 1 / (n - pos + 2);
  let a = 1;
  let b = 0;
  for (let it = 0; it < 50; it++) {
    let g1 = 0;
    let g2 = 0;
    let h11 = 1e-9;
    let h12 = 0;
    let h22 = 1e-9;
    for (let i = 0; i < n; i++) {
      const s = scores[i] as number;
      const t = (labels[i] as number) > 0 ? tp : tn;
      const q = sigmoid(a * s + b);
      const d = q - t;
      const w = Math.max(q * (1 - q), 1e-12);
      g1 += d * s;
      g2 += d;
      h11 += w * s * s;
      h12 += w * s;
      h22 += w;
    }
    const det = h11 * h22 - h12 * h12;
    if (!(Math.abs(det) > 0)) break;
    const da = (h22 * g1 - h12 * g2) / det;
    const db = (h11 * g2 - h12 * g1) / det;
    a -= da;
    b -= db;
    if (Math.abs(da) < 1e-9 && Math.abs(db) < 1e-9) break;
  }
  return { a, b };
}

export const plattProbability = (c: { a: number; b: number }, score: number) => sigmoid(c.a * score + c.b);

/** Several models' trees in flat typed arrays, for fast scoring of many rows. */
export interface CompiledEnsemble {
  roots: Int32Array;
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  value: Float64Array;
  /** Sum of the models' base scores. */
  base: number;
  models: number;
}

export function compileEnsemble(models: GbdtModel[]): CompiledEnsemble {
  const trees = models.flatMap((m) => m.trees);
  const size = trees.reduce((s, t) => s + t.feature.length, 0);
  const out: CompiledEnsemble = {
    roots: new Int32Array(trees.length),
    feature: new Int32Array(size),
    threshold: new Float64Array(size),
    left: new Int32Array(size),
    right: new Int32Array(size),
    value: new Float64Array(size),
    base: models.reduce((s, m) => s + m.base, 0),
    models: models.length,
  };
  let o = 0;
  trees.forEach((t, k) => {
    out.roots[k] = o;
    for (let i = 0; i < t.feature.length; i++) {
      out.feature[o + i] = t.feature[i] as number;
      out.threshold[o + i] = t.threshold[i] as number;
      out.left[o + i] = o + (t.left[i] as number);
      out.right[o + i] = o + (t.right[i] as number);
      out.value[o + i] = t.value[i] as number;
    }
    o += t.feature.length;
  });
  return out;
}

/** Mean score (log-odds) of the compiled models for the row at `offset` of `x`. */
export function scoreEnsemble(e: CompiledEnsemble, x: ArrayLike<number>, offset: number): number {
  let s = e.base;
  const { roots, feature, threshold, left, right, value } = e;
  for (let k = 0; k < roots.length; k++) {
    let node = roots[k] as number;
    let f = feature[node] as number;
    while (f >= 0) {
      node =
        (x[offset + f] as number) <= (threshold[node] as number)
          ? (left[node] as number)
          : (right[node] as number);
      f = feature[node] as number;
    }
    s += value[node] as number;
  }
  return s / e.models;
}
