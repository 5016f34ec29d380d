// What a backtest replays: one asset's readings in time order with the failures known to have happened (the
// simulator's ground truth, a run-to-failure file), and the order horizon that asset needs.

export interface HistoryReading {
  /** Epoch milliseconds. */
  at: number;
  metrics: Readonly<Record<string, number>>;
}

export interface KnownFailure {
  /** When the equipment stopped (epoch ms). */
  at: number;
  /** degradation, sudden, replay, cmapss… (reported per kind). */
  kind: string;
  onsetAt?: number;
}

export interface History {
  assetId: string;
  readings: HistoryReading[];
  /** Failures of the model's failure mode, in time order. */
  failures: KnownFailure[];
  /** The asset's order horizon: an alarm is raised when failure is expected within it. */
  horizonHours: number;
  /** The lead the asset needs (parts and response) for an alarm to count as in time; default the horizon. */
  requiredLeadHours?: number;
  /** End of observation: failures after it did not happen (yet); default the last reading. */
  endAt?: number;
  /**
   * Evaluate RUL only at the last reading (C-MAPSS test files, whose truth is the RUL at their last cycle)
   * rather than along the whole run.
   */
  rulAtEndOnly?: boolean;
}

/** Merges per-metric series into readings (one per timestamp), in time order. */
export function mergeSeries(
  series: Record<string, readonly { ts: Date; value: number }[]>,
): HistoryReading[] {
  const byTime = new Map<number, Record<string, number>>();
  for (const [metric, points] of Object.entries(series))
    for (const p of points) {
      const at = p.ts.getTime();
      let r = byTime.get(at);
      if (!r) byTime.set(at, (r = {}));
      r[metric] = p.value;
    }
  return [...byTime.entries()].sort((a, b) => a[0] - b[0]).map(([at, metrics]) => ({ at, metrics }));
}
