// Operating regimes from the operational settings (altitude, Mach, throttle…): each setting's values are split
// where sorted neighbours lie far apart (a gap of at least `gapShare` of its range, far above the typical gap,
// with at least `minShare` of the points on each side), so noise in a setting never makes regimes; the regimes
// are the combinations that occur.

export interface Regime {
  setting: number[];
}

function splits(values: number[], gapShare: number, minShare: number): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  const range = sorted.at(-1)! - sorted[0]!;
  if (!(range > 0)) return [];
  // the typical step between distinct values: a sensor's resolution or its noise
  const distinct = sorted.filter((v, i) => i === 0 || v !== sorted[i - 1]);
  const steps = distinct
    .slice(1)
    .map((v, i) => v - distinct[i]!)
    .sort((a, b) => a - b);
  const typical = steps[Math.floor(steps.length / 2)] ?? 0;
  const least = Math.max(1, minShare * sorted.length);
  const cuts: number[] = [];
  let since = 0; // points since the last cut
  for (let i = 0; i < sorted.length - 1; i++) {
    since++;
    const g = sorted[i + 1]! - sorted[i]!;
    const rest = sorted.length - (i + 1);
    if (g >= gapShare * range && g > 20 * typical && since >= least && rest >= least) {
      cuts.push((sorted[i]! + sorted[i + 1]!) / 2);
      since = 0;
    }
  }
  return cuts;
}

const group = (v: number, cuts: number[]) => {
  let i = 0;
  while (i < cuts.length && v > cuts[i]!) i++;
  return i;
};

/** Regimes (their mean settings) of the rows of settings, most frequent first; at most `max`. */
export function fitRegimes(
  rows: number[][],
  opts: { gapShare?: number; minShare?: number; max?: number } = {},
): Regime[] {
  if (rows.length === 0) return [];
  const d = rows[0]!.length;
  const cuts = Array.from({ length: d }, (_, j) =>
    splits(
      rows.map((r) => r[j]!),
      opts.gapShare ?? 0.05,
      opts.minShare ?? 0.01,
    ),
  );
  const byKey = new Map<string, { n: number; sum: number[] }>();
  for (const r of rows) {
    const key = r.map((v, j) => group(v, cuts[j]!)).join(',');
    const g = byKey.get(key) ?? { n: 0, sum: new Array<number>(d).fill(0) };
    g.n++;
    r.forEach((v, j) => (g.sum[j]! += v));
    byKey.set(key, g);
  }
  return [...byKey.values()]
    .sort((a, b) => b.n - a.n)
    .slice(0, opts.max ?? 32)
    .map((g) => ({ setting: g.sum.map((s) => s / g.n) }));
}

/** The nearest regime, each setting scaled by its spread across the regimes. */
export function regimeOf(regimes: readonly Regime[], setting: readonly number[]): number {
  if (regimes.length <= 1) return 0;
  const d = setting.length;
  const scale = Array.from({ length: d }, (_, j) => {
    const vs = regimes.map((r) => r.setting[j]!);
    return Math.max(...vs) - Math.min(...vs) || 1;
  });
  let best = 0;
  let bestD = Number.POSITIVE_INFINITY;
  regimes.forEach((r, i) => {
    let dist = 0;
    for (let j = 0; j < d; j++) dist += ((setting[j]! - r.setting[j]!) / scale[j]!) ** 2;
    if (dist < bestD) {
      bestD = dist;
      best = i;
    }
  });
  return best;
}
