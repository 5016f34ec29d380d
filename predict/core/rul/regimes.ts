/**
 * Operating-regime detection: k-means on the standardised operational settings, with the
 * number of regimes chosen automatically as the k after which within-cluster error collapses.
 */
import { createRng } from './random.ts';
import type { Rng } from './random.ts';

export interface RegimeModel {
  /** Number of regimes (1 = single operating condition). */
  k: number;
  dims: number;
  /** Per-dimension centring and scale applied before clustering. */
  offset: number[];
  scale: number[];
  /** k × dims centres in the standardised space. */
  centers: number[];
}

export interface RegimeOptions {
  maxK?: number;
  /** WCSS(k-1)/WCSS(k) must reach this ratio for k regimes to be accepted. */
  minDropRatio?: number;
  seed?: number;
  /** Points used for fitting (a deterministic subsample of larger inputs). */
  maxPoints?: number;
}

/** Fit regimes to row-major `points` (n × dims). */
export function fitRegimes(points: Float64Array, dims: number, opts: RegimeOptions = {}): RegimeModel {
  const maxK = opts.maxK ?? 10;
  const minDrop = opts.minDropRatio ?? 20;
  const rng = createRng(opts.seed ?? 1);
  const n = points.length / dims;
  if (n === 0) throw new Error('fitRegimes: no points');
  const offset: number[] = [];
  const scale: number[] = [];
  for (let d = 0; d < dims; d++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += points[i * dims + d] as number;
    mean /= n;
    let v = 0;
    for (let i = 0; i < n; i++) v += ((points[i * dims + d] as number) - mean) ** 2;
    const sd = Math.sqrt(v / n);
    offset.push(mean);
    // Variation below 1% of a setting's magnitude (e.g. jitter around a fixed value) is not
    // allowed to dominate the distance after standardisation.
    const s = Math.max(sd, 0.01 * Math.abs(mean));
    scale.push(s > 0 ? s : 1);
  }
  // Deterministic subsample, then standardise.
  const maxPts = opts.maxPoints ?? 5000;
  const step = Math.max(1, Math.ceil(n / maxPts));
  const m = Math.ceil(n / step);
  const x = new Float64Array(m * dims);
  for (let j = 0; j < m; j++) {
    for (let d = 0; d < dims; d++) {
      x[j * dims + d] =
        ((points[j * step * dims + d] as number) - (offset[d] as number)) / (scale[d] as number);
    }
  }
  const results: { wcss: number; centers: Float64Array }[] = [];
  for (let k = 1; k <= Math.min(maxK, m); k++) results.push(bestKMeans(x, m, dims, k, rng, k === 1 ? 1 : 4));
  let bestK = 1;
  let bestRatio = minDrop;
  for (let k = 2; k <= results.length; k++) {
    const prev = (results[k - 2] as { wcss: number }).wcss;
    const cur = (results[k - 1] as { wcss: number }).wcss;
    const ratio = prev / Math.max(cur, 1e-12 * prev, 1e-300);
    if (ratio >= bestRatio) {
      bestRatio = ratio;
      bestK = k;
    }
  }
  const centers = (results[bestK - 1] as { centers: Float64Array }).centers;
  return { k: bestK, dims, offset, scale, centers: Array.from(centers) };
}

/** Regime index (0..k-1) of each row of `points`. */
export function assignRegimes(model: RegimeModel, points: Float64Array): Int32Array {
  const { dims, k } = model;
  const n = points.length / dims;
  const out = new Int32Array(n);
  if (k === 1) return out;
  const z = new Float64Array(dims);
  for (let i = 0; i < n; i++) {
    for (let d = 0; d < dims; d++) {
      z[d] = ((points[i * dims + d] as number) - (model.offset[d] as number)) / (model.scale[d] as number);
    }
    out[i] = nearest(z, 0, model.centers, k, dims);
  }
  return out;
}

function nearest(
  x: ArrayLike<number>,
  off: number,
  centers: ArrayLike<number>,
  k: number,
  dims: number,
): number {
  let best = 0;
  let bestD = Infinity;
  for (let c = 0; c < k; c++) {
    let dist = 0;
    for (let d = 0; d < dims; d++) {
      const diff = (x[off + d] as number) - (centers[c * dims + d] as number);
      dist += diff * diff;
    }
    if (dist < bestD) {
      bestD = dist;
      best = c;
    }
  }
  return best;
}

function bestKMeans(x: Float64Array, m: number, dims: number, k: number, rng: Rng, restarts: number) {
  let best = { wcss: Infinity, centers: new Float64Array(k * dims) };
  for (let r = 0; r < restarts; r++) {
    const res = kMeans(x, m, dims, k, rng);
    if (res.wcss < best.wcss) best = res;
  }
  return best;
}

/** Lloyd's k-means with k-means++ seeding. */
function kMeans(x: Float64Array, m: number, dims: number, k: number, rng: Rng) {
  const centers = new Float64Array(k * dims);
  const d2 = new Float64Array(m).fill(Infinity);
  let pick = rng.int(m);
  for (let c = 0; c < k; c++) {
    for (let d = 0; d < dims; d++) centers[c * dims + d] = x[pick * dims + d] as number;
    if (c === k - 1) break;
    let total = 0;
    for (let i = 0; i < m; i++) {
      let dist = 0;
      for (let d = 0; d < dims; d++)
        dist += ((x[i * dims + d] as number) - (centers[c * dims + d] as number)) ** 2;
      if (dist < (d2[i] as number)) d2[i] = dist;
      total += d2[i] as number;
    }
    if (total <= 0) {
      pick = rng.int(m);
      continue;
    }
    let u = rng.next() * total;
    pick = m - 1;
    for (let i = 0; i < m; i++) {
      u -= d2[i] as number;
      if (u <= 0) {
        pick = i;
        break;
      }
    }
  }
  const assign = new Int32Array(m).fill(-1);
  const sums = new Float64Array(k * dims);
  const counts = new Float64Array(k);
  let wcss = 0;
  for (let iter = 0; iter < 100; iter++) {
    let changed = false;
    wcss = 0;
    sums.fill(0);
    counts.fill(0);
    for (let i = 0; i < m; i++) {
      const c = nearest(x, i * dims, centers, k, dims);
      if (c !== assign[i]) {
        assign[i] = c;
        changed = true;
      }
      counts[c] = (counts[c] as number) + 1;
      for (let d = 0; d < dims; d++) {
        const v = x[i * dims + d] as number;
        sums[c * dims + d] = (sums[c * dims + d] as number) + v;
        wcss += (v - (centers[c * dims + d] as number)) ** 2;
      }
    }
    if (!changed && iter > 0) break;
    for (let c = 0; c < k; c++) {
      const cnt = counts[c] as number;
      if (cnt === 0) continue;
      for (let d = 0; d < dims; d++) centers[c * dims + d] = (sums[c * dims + d] as number) / cnt;
    }
  }
  return { wcss, centers };
}
