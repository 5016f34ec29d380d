/**
 * Trailing-window features per cycle of a unit. Features at cycle t use only rows 0..t,
 * so the same code serves training (every cycle) and prediction (last cycle); a history shorter
 * than a window uses the rows it has (the window is in effect padded by truncation).
 */

export interface FeatureConfig {
  /** Trailing window lengths; each adds a mean and a least-squares slope per channel. */
  windows: number[];
  /** EWMA spans (alpha = 2 / (span + 1)). */
  spans: number[];
  /** Cycles at the start of a unit averaged as its healthy baseline. */
  baselineCycles: number;
  /** Add the fraction of cycles spent in each regime so far (only when k > 1). */
  regimeHistory: boolean;
}

export const DEFAULT_FEATURES: FeatureConfig = {
  windows: [20, 60, 150, 400],
  spans: [5, 15, 40],
  baselineCycles: 20,
  regimeHistory: false,
};

function perChannel(cfg: FeatureConfig): number {
  // last, (mean, slope) per window, EWMAs, drift from baseline
  return 2 + 2 * cfg.windows.length + cfg.spans.length;
}

export function featureCount(channels: number, k: number, cfg: FeatureConfig): number {
  return channels * perChannel(cfg) + 1 + (cfg.regimeHistory && k > 1 ? k : 0);
}

export function featureNames(channelNames: string[], k: number, cfg: FeatureConfig): string[] {
  const names: string[] = [];
  for (const c of channelNames) {
    names.push(`${c}.last`);
    for (const w of cfg.windows) names.push(`${c}.mean${w}`, `${c}.slope${w}`);
    for (const s of cfg.spans) names.push(`${c}.ewma${s}`);
    names.push(`${c}.fromBaseline`);
  }
  names.push('cycle');
  if (cfg.regimeHistory && k > 1) for (let r = 0; r < k; r++) names.push(`regime${r}.share`);
  return names;
}

export interface ChannelSeries {
  /** n × channels, row-major. */
  values: Float64Array;
  channels: number;
  cycles: Float64Array;
  regimes: Int32Array;
  k: number;
}

/**
 * Features for rows `from`..n-1 (default: all rows), written as a (n - from) × F Float32Array.
 */
export function windowFeatures(series: ChannelSeries, cfg: FeatureConfig, from = 0): Float32Array {
  const { values, channels: C, cycles, regimes, k } = series;
  const n = cycles.length;
  const F = featureCount(C, k, cfg);
  const rows = n - from;
  const out = new Float32Array(Math.max(0, rows) * F);
  if (rows <= 0) return out;
  const windows = cfg.windows.map((w) => Math.max(1, Math.floor(w)));
  const nW = windows.length;
  const nSpans = cfg.spans.length;
  const alphas = cfg.spans.map((s) => 2 / (s + 1));
  const P = perChannel(cfg);
  // Prefix sums over index i of y and i*y for O(1) window mean and slope.
  const py = new Float64Array(n + 1);
  const piy = new Float64Array(n + 1);
  const ewma = new Float64Array(nSpans);
  for (let c = 0; c < C; c++) {
    for (let i = 0; i < n; i++) {
      const y = values[i * C + c] as number;
      py[i + 1] = (py[i] as number) + y;
      piy[i + 1] = (piy[i] as number) + i * y;
    }
    let baseSum = 0;
    for (let i = 0; i < n; i++) {
      const y = values[i * C + c] as number;
      for (let s = 0; s < nSpans; s++) {
        const a = alphas[s] as number;
        ewma[s] = i === 0 ? y : a * y + (1 - a) * (ewma[s] as number);
      }
      if (i < cfg.baselineCycles) baseSum += y;
      if (i < from) continue;
      let o = (i - from) * F + c * P;
      out[o++] = y;
      let longMean = y;
      for (let q = 0; q < nW; q++) {
        const start = Math.max(0, i - (windows[q] as number) + 1);
        const m = i - start + 1;
        const sy = (py[i + 1] as number) - (py[start] as number);
        const siy = (piy[i + 1] as number) - (piy[start] as number);
        const sx = (m * (start + i)) / 2;
        const denom = m * sumSquares(start, i) - sx * sx;
        longMean = sy / m;
        out[o++] = longMean;
        out[o++] = denom > 0 ? (m * siy - sx * sy) / denom : 0;
      }
      for (let s = 0; s < nSpans; s++) out[o++] = ewma[s] as number;
      const smooth = nSpans > 0 ? (ewma[nSpans - 1] as number) : longMean;
      out[o] = smooth - baseSum / Math.min(i + 1, Math.max(1, cfg.baselineCycles));
    }
  }
  const g = C * P;
  const counts = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    counts[regimes[i] as number] = (counts[regimes[i] as number] as number) + 1;
    if (i < from) continue;
    const o = (i - from) * F + g;
    out[o] = cycles[i] as number;
    if (cfg.regimeHistory && k > 1)
      for (let r = 0; r < k; r++) out[o + 1 + r] = (counts[r] as number) / (i + 1);
  }
  return out;
}

function sumSquares(a: number, b: number): number {
  // sum_{x=a}^{b} x^2
  const s = (x: number) => (x * (x + 1) * (2 * x + 1)) / 6;
  return s(b) - (a > 0 ? s(a - 1) : 0);
}
