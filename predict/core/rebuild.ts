// A partition that moves to a worker brings no state: the worker rebuilds each asset's model state from the
// telemetry store, then consumes the partition's stream from the position noted before it read the store. A
// reading in both (stored before the position was noted, published after) is fed once: stream readings at or
// before the last rebuilt reading of their asset are dropped.
import { mergeSeries } from './backtest/history.ts';

/** Series of one asset (per metric) as readings in time order, the metrics of one instant together. */
export const readingsOf = mergeSeries;

/** Whether a stream reading is new after a rebuild that ended at `rebuiltUntil` for its asset (epoch ms). */
export function afterRebuild(
  rebuiltUntil: ReadonlyMap<string, number>,
  assetId: string,
  at: number,
): boolean {
  const until = rebuiltUntil.get(assetId);
  return until === undefined || at > until;
}
