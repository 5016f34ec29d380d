// A partition that moves to a worker brings no state: the worker rebuilds each asset's model state from the
// telemetry store, then consumes the partition's stream from the position noted before it read the store. A
// reading in both (stored before the position was noted, published after) is fed once: stream readings at or
// before the last rebuilt reading of their asset are dropped.

export interface RebuiltReading {
  /** Epoch milliseconds. */
  at: number;
  metrics: Record<string, number>;
}

/** Series of one asset (per metric) as readings in time order, the metrics of one instant together. */
export function readingsOf(series: Record<string, readonly { ts: Date; value: number }[]>): RebuiltReading[] {
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

/** Whether a stream reading is new after a rebuild that ended at `rebuiltUntil` for its asset (epoch ms). */
export function afterRebuild(
  rebuiltUntil: ReadonlyMap<string, number>,
  assetId: string,
  at: number,
): boolean {
  const until = rebuiltUntil.get(assetId);
  return until === undefined || at > until;
}
