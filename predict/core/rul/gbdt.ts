/**
 * Compact histogram-based gradient-boosted regression trees (squared loss).
 * Features are quantile-binned once (≤ 64 bins by default, row-major so a row's bins share cache
 * lines); trees grow depth-wise with the histogram-subtraction trick; rows and columns are
 * subsampled per tree with a seeded PRNG, so training is deterministic for a seed.
 */
import { createRng } from './random.ts';

export interface GbdtParams {
  rounds: number;
  learningRate: number;
  maxDepth: number;
  /** Minimum rows in a leaf. */
  minLeaf: number;
  /** L2 regularisation on leaf values. */
  lambda: number;
  /** Fraction of rows sampled per tree. */
  subsample: number;
  /** Fraction of features sampled per tree. */
  colsample: number;
  maxBins: number;
  seed: number;
}

export const DEFAULT_GBDT: GbdtParams = {
  rounds: 800,
  learningRate: 0.05,
  maxDepth: 3,
  minLeaf: 20,
  lambda: 1,
  subsample: 0.7,
  colsample: 0.6,
  maxBins: 64,
  seed: 1,
};

/** Flat tree: node i is a leaf when feature[i] < 0; otherwise x[feature] <= threshold goes left. */
export interface GbdtTree {
  feature: number[];
  threshold: number[];
  left: number[];
  right: number[];
  value: number[];
}

export interface GbdtModel {
  nFeatures: number;
  base: number;
  trees: GbdtTree[];
}

/** Dense row-major matrix. */
export interface Matrix {
  data: Float32Array;
  rows: number;
  cols: number;
}

/** A matrix mapped to bin indices, reusable across models trained on the same rows. */
export interface BinnedMatrix {
  rows: number;
  cols: number;
  /** Row-major bin indices: bins[i * cols + f]. */
  bins: Uint8Array;
  /** Upper edges per feature: value <= edges[f][b] means bin <= b. */
  edges: Float64Array[];
  nBins: Int32Array;
  maxBins: number;
}

/** Quantile bins per feature (from at most ~50k sampled rows); at most `maxBins` (≤ 256) bins. */
export function binMatrix(X: Matrix, maxBins: number = DEFAULT_GBDT.maxBins): BinnedMatrix {
  const { rows: n, cols: F, data } = X;
  const B = Math.min(256, Math.max(2, Math.floor(maxBins)));
  const bins = new Uint8Array(n * F);
  const edges: Float64Array[] = [];
  const nBins = new Int32Array(F);
  const sampleStep = Math.max(1, Math.ceil(n / 50000));
  const col = new Float64Array(Math.ceil(n / sampleStep));
  for (let f = 0; f < F; f++) {
    let m = 0;
    for (let i = 0; i < n; i += sampleStep) col[m++] = data[i * F + f] as number;
    const sorted = col.subarray(0, m).sort();
    const e: number[] = [];
    let distinct = 0;
    for (let i = 0; i < m && distinct <= B; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct++;
    if (distinct <= B) {
      for (let i = 1; i < m; i++) {
        const a = sorted[i - 1] as number;
        const b = sorted[i] as number;
        if (b !== a) e.push((a + b) / 2);
      }
    } else {
      for (let b = 1; b < B; b++) {
        const v = sorted[Math.min(m - 1, Math.floor((b * m) / B))] as number;
        if (e.length === 0 || v > (e[e.length - 1] as number)) e.push(v);
      }
      // An edge equal to the maximum would leave an empty last bin.
      while (e.length > 0 && (e[e.length - 1] as number) >= (sorted[m - 1] as number)) e.pop();
    }
    const ef = Float64Array.from(e);
    edges.push(ef);
    nBins[f] = ef.length + 1;
    for (let i = 0; i < n; i++) bins[i * F + f] = binOf(ef, data[i * F + f] as number);
  }
  return { rows: n, cols: F, bins, edges, nBins, maxBins: B };
}

function binOf(edges: Float64Array, v: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (v <= (edges[mid] as number)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

interface PendingNode {
  id: number;
  start: number;
  end: number;
  depth: number;
  sumG: number;
  /** Row count (the hessian sum of squared loss). */
  sumH: number;
  /** Interleaved histogram (gradient sum, row count) per feature and bin: F × B × 2. */
  hist: Float64Array;
}

interface Split {
  f: number;
  b: number;
  gl: number;
  hl: number;
}

/**
 * Fit boosted trees to `y` (squared loss). `X` may be a raw matrix or one binned with
 * `binMatrix` (to share the binning across models trained on the same rows).
 */
export function trainGbdt(
  X: Matrix | BinnedMatrix,
  y: ArrayLike<number>,
  params: Partial<GbdtParams> = {},
): GbdtModel {
  const p: GbdtParams = { ...DEFAULT_GBDT, ...params };
  const binned = 'bins' in X ? X : binMatrix(X, p.maxBins);
  const { rows: n, cols: F, bins, edges, nBins, maxBins: B } = binned;
  if (y.length !== n) throw new Error('trainGbdt: label count does not match rows');
  if (n === 0) throw new Error('trainGbdt: no rows');
  const rng = createRng(p.seed);
  let base = 0;
  for (let i = 0; i < n; i++) base += y[i] as number;
  base /= n;
  const pred = new Float64Array(n).fill(base);
  const grad = new Float64Array(n);
  const trees: GbdtTree[] = [];
  const idx = new Uint32Array(n);
  const featUsed = new Int32Array(F);
  const nodeSplitBin: number[] = [];
  const pool: Float64Array[] = [];
  const alloc = () => pool.pop() ?? new Float64Array(F * B * 2);
  const release = (a: Float64Array) => pool.push(a);

  for (let round = 0; round < p.rounds; round++) {
    for (let i = 0; i < n; i++) grad[i] = (pred[i] as number) - (y[i] as number);
    let m = 0;
    if (p.subsample >= 1) {
      for (let i = 0; i < n; i++) idx[m++] = i;
    } else {
      for (let i = 0; i < n; i++) if (rng.next() < p.subsample) idx[m++] = i;
    }
    if (m === 0) idx[m++] = rng.int(n);
    let nf = 0;
    for (let f = 0; f < F; f++) if (p.colsample >= 1 || rng.next() < p.colsample) featUsed[nf++] = f;
    if (nf === 0) featUsed[nf++] = rng.int(F);
    const feats = featUsed.subarray(0, nf);

    const tree: GbdtTree = { feature: [], threshold: [], left: [], right: [], value: [] };
    nodeSplitBin.length = 0;
    const newNode = () => {
      tree.feature.push(-1);
      tree.threshold.push(0);
      tree.left.push(-1);
      tree.right.push(-1);
      tree.value.push(0);
      nodeSplitBin.push(0);
      return tree.feature.length - 1;
    };
    const root = newNode();
    let rootG = 0;
    for (let j = 0; j < m; j++) rootG += grad[idx[j] as number] as number;
    const rootHist = alloc();
    buildHist(bins, F, B, idx, 0, m, feats, grad, rootHist);
    const queue: PendingNode[] = [
      { id: root, start: 0, end: m, depth: 0, sumG: rootG, sumH: m, hist: rootHist },
    ];
    for (let head = 0; head < queue.length; head++) {
      const node = queue[head] as PendingNode;
      let split: Split | undefined;
      if (node.depth < p.maxDepth && node.sumH >= 2 * p.minLeaf) {
        split = bestSplit(node, feats, nBins, B, p.minLeaf, p.lambda);
      }
      if (split === undefined) {
        tree.value[node.id] = (-node.sumG / (node.sumH + p.lambda)) * p.learningRate;
        release(node.hist);
        continue;
      }
      const { f, b } = split;
      // Partition idx[start:end] so rows with bin <= b come first.
      let lo = node.start;
      let hi = node.end - 1;
      while (lo <= hi) {
        if ((bins[(idx[lo] as number) * F + f] as number) <= b) lo++;
        else {
          const t = idx[lo] as number;
          idx[lo] = idx[hi] as number;
          idx[hi] = t;
          hi--;
        }
      }
      const mid = lo;
      const leftId = newNode();
      const rightId = newNode();
      tree.feature[node.id] = f;
      tree.threshold[node.id] = (edges[f] as Float64Array)[b] as number;
      tree.left[node.id] = leftId;
      tree.right[node.id] = rightId;
      nodeSplitBin[node.id] = b;
      const depth = node.depth + 1;
      const left: PendingNode = {
        id: leftId,
        start: node.start,
        end: mid,
        depth,
        sumG: split.gl,
        sumH: split.hl,
        hist: node.hist,
      };
      const right: PendingNode = {
        id: rightId,
        start: mid,
        end: node.end,
        depth,
        sumG: node.sumG - split.gl,
        sumH: node.sumH - split.hl,
        hist: node.hist,
      };
      if (depth < p.maxDepth) {
        // Build the smaller child's histogram; the parent's minus it is the larger child's.
        const small = mid - node.start <= node.end - mid ? left : right;
        const big = small === left ? right : left;
        small.hist = alloc();
        buildHist(bins, F, B, idx, small.start, small.end, feats, grad, small.hist);
        const ph = node.hist;
        const sh = small.hist;
        for (let q = 0; q < nf; q++) {
          const o = (feats[q] as number) * B * 2;
          for (let k = o; k < o + 2 * B; k++) ph[k] = (ph[k] as number) - (sh[k] as number);
        }
        big.hist = ph;
        queue.push(left, right);
      } else {
        // Children are leaves: their sums are all that is needed.
        release(node.hist);
        for (const child of [left, right]) {
          tree.value[child.id] = (-child.sumG / (child.sumH + p.lambda)) * p.learningRate;
        }
      }
    }
    // Update predictions of all rows via binned traversal.
    const { feature, left, right, value } = tree;
    for (let i = 0; i < n; i++) {
      let node = 0;
      let f = feature[0] as number;
      const o = i * F;
      while (f >= 0) {
        node =
          (bins[o + f] as number) <= (nodeSplitBin[node] as number)
            ? (left[node] as number)
            : (right[node] as number);
        f = feature[node] as number;
      }
      pred[i] = (pred[i] as number) + (value[node] as number);
    }
    trees.push(tree);
  }
  return { nFeatures: F, base, trees };
}

function buildHist(
  bins: Uint8Array,
  F: number,
  B: number,
  idx: Uint32Array,
  start: number,
  end: number,
  feats: Int32Array,
  grad: Float64Array,
  hist: Float64Array,
): void {
  const nf = feats.length;
  const base = new Int32Array(nf);
  for (let q = 0; q < nf; q++) {
    const o = (feats[q] as number) * B;
    base[q] = o;
    hist.fill(0, 2 * o, 2 * (o + B));
  }
  for (let j = start; j < end; j++) {
    const i = idx[j] as number;
    const g = grad[i] as number;
    const row = i * F;
    for (let q = 0; q < nf; q++) {
      const k = ((base[q] as number) + (bins[row + (feats[q] as number)] as number)) << 1;
      hist[k] = (hist[k] as number) + g;
      hist[k + 1] = (hist[k + 1] as number) + 1;
    }
  }
}

function bestSplit(
  node: PendingNode,
  feats: Int32Array,
  nBins: Int32Array,
  B: number,
  minLeaf: number,
  lambda: number,
): Split | undefined {
  const total = node.sumH;
  const G = node.sumG;
  const hist = node.hist;
  const parentScore = (G * G) / (total + lambda);
  let best: Split | undefined;
  let bestGain = 1e-9;
  for (let q = 0; q < feats.length; q++) {
    const f = feats[q] as number;
    const o = f * B * 2;
    const nb = nBins[f] as number;
    let gl = 0;
    let hl = 0;
    for (let b = 0; b < nb - 1; b++) {
      gl += hist[o + 2 * b] as number;
      hl += hist[o + 2 * b + 1] as number;
      if (hl < minLeaf) continue;
      const hr = total - hl;
      if (hr < minLeaf) break;
      const gr = G - gl;
      const gain = (gl * gl) / (hl + lambda) + (gr * gr) / (hr + lambda) - parentScore;
      if (gain > bestGain) {
        bestGain = gain;
        best = { f, b, gl, hl };
      }
    }
  }
  return best;
}

/** Predict one row (`x` indexed by feature, starting at `offset`). */
export function predictGbdtRow(model: GbdtModel, x: ArrayLike<number>, offset = 0): number {
  let s = model.base;
  for (const t of model.trees) {
    let node = 0;
    let f = t.feature[0] as number;
    while (f >= 0) {
      node =
        (x[offset + f] as number) <= (t.threshold[node] as number)
          ? (t.left[node] as number)
          : (t.right[node] as number);
      f = t.feature[node] as number;
    }
    s += t.value[node] as number;
  }
  return s;
}

export function predictGbdt(model: GbdtModel, X: Matrix): Float64Array {
  if (X.cols !== model.nFeatures)
    throw new Error(`predictGbdt: expected ${model.nFeatures} features, got ${X.cols}`);
  const out = new Float64Array(X.rows);
  for (let i = 0; i < X.rows; i++) out[i] = predictGbdtRow(model, X.data, i * X.cols);
  return out;
}
