/**
 * Per-regime z-scoring of sensors with training statistics. Sensors that are constant
 * within every regime carry no information and are dropped automatically.
 */
import { N_SENSORS } from './cmapss-parse.ts';

export interface SensorNormalizer {
  k: number;
  /** Indices (0-based, into the 21 sensors) of the sensors kept. */
  keep: number[];
  /** k × keep.length, row-major. */
  mean: number[];
  std: number[];
}

export interface NormalizerInput {
  sensors: Float64Array;
  regimes: Int32Array;
}

/** Relative standard deviation below which a sensor counts as constant within a regime. */
const CONSTANT_REL_STD = 1e-6;

export function fitNormalizer(rows: NormalizerInput[], k: number): SensorNormalizer {
  const S = N_SENSORS;
  const cnt = new Float64Array(k);
  const sum = new Float64Array(k * S);
  const sq = new Float64Array(k * S);
  // Shifted sums (by each regime's first value) for numerical stability.
  const shift = new Float64Array(k * S);
  const shiftSet = new Uint8Array(k);
  for (const { sensors, regimes } of rows) {
    for (let i = 0; i < regimes.length; i++) {
      const r = regimes[i] as number;
      if (!shiftSet[r]) {
        for (let s = 0; s < S; s++) shift[r * S + s] = sensors[i * S + s] as number;
        shiftSet[r] = 1;
      }
      cnt[r] = (cnt[r] as number) + 1;
      for (let s = 0; s < S; s++) {
        const v = (sensors[i * S + s] as number) - (shift[r * S + s] as number);
        sum[r * S + s] = (sum[r * S + s] as number) + v;
        sq[r * S + s] = (sq[r * S + s] as number) + v * v;
      }
    }
  }
  const mean = new Float64Array(k * S);
  const std = new Float64Array(k * S);
  const informative = new Array<boolean>(S).fill(false);
  for (let r = 0; r < k; r++) {
    const c = cnt[r] as number;
    for (let s = 0; s < S; s++) {
      if (c === 0) continue;
      const m = (sum[r * S + s] as number) / c;
      const v = Math.max(0, (sq[r * S + s] as number) / c - m * m);
      const mu = m + (shift[r * S + s] as number);
      mean[r * S + s] = mu;
      std[r * S + s] = Math.sqrt(v);
      if (c > 1 && Math.sqrt(v) > CONSTANT_REL_STD * Math.max(1, Math.abs(mu))) informative[s] = true;
    }
  }
  const keep: number[] = [];
  for (let s = 0; s < S; s++) if (informative[s]) keep.push(s);
  const outMean: number[] = [];
  const outStd: number[] = [];
  for (let r = 0; r < k; r++) {
    for (const s of keep) {
      outMean.push(mean[r * S + s] as number);
      const sd = std[r * S + s] as number;
      outStd.push(sd > CONSTANT_REL_STD * Math.max(1, Math.abs(mean[r * S + s] as number)) ? sd : 1);
    }
  }
  return { k, keep, mean: outMean, std: outStd };
}

/** Normalised sensors of one unit: length × keep.length, row-major. */
export function normalizeSensors(norm: SensorNormalizer, input: NormalizerInput): Float64Array {
  const S = N_SENSORS;
  const K = norm.keep.length;
  const n = input.regimes.length;
  const out = new Float64Array(n * K);
  for (let i = 0; i < n; i++) {
    const r = input.regimes[i] as number;
    for (let j = 0; j < K; j++) {
      const s = norm.keep[j] as number;
      const idx = r * K + j;
      out[i * K + j] =
        ((input.sensors[i * S + s] as number) - (norm.mean[idx] as number)) / (norm.std[idx] as number);
    }
  }
  return out;
}
