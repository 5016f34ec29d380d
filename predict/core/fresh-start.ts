// After a repair the asset starts afresh. When an order of an asset and failure mode closes (completed, or
// cancelled), predict forgets what it learnt from the pair's readings until then and ignores readings logged
// before the close that arrive later (a device's history upload, a journal replay), so a new order needs
// evidence from after it. A cancel may also snooze the pair: no order before a set time (predictions are still
// recorded). Pure: the book is plain data, kept by the predict service and rebuilt at start from closed orders.

export interface PairClosure {
  /** Readings of the pair stamped before this are not evidence (ms since the epoch). */
  freshSince: number;
  /** No order for the pair before this (ms since the epoch); 0: no snooze. */
  snoozeUntil: number;
}

/** Per asset and failure mode (key assetId:failureModeId), the latest close. */
export type ClosureBook = Map<string, PairClosure>;

/** Records a close: the later of two closes wins, and a snooze is never shortened by a later close without one. */
export function recordClose(
  book: ClosureBook,
  key: string,
  close: { at: Date; snoozeUntil?: Date | null },
): PairClosure {
  const prev = book.get(key);
  const next: PairClosure = {
    freshSince: Math.max(prev?.freshSince ?? 0, close.at.getTime()),
    snoozeUntil: Math.max(prev?.snoozeUntil ?? 0, close.snoozeUntil?.getTime() ?? 0),
  };
  book.set(key, next);
  return next;
}

/** Whether a reading of the pair, stamped `ts`, may feed the models (not logged before the last close). */
export const isFresh = (book: ClosureBook, key: string, ts: Date): boolean =>
  ts.getTime() >= (book.get(key)?.freshSince ?? -Infinity);

/** Whether the pair is snoozed at `now` (no order may open). */
export const isSnoozed = (book: ClosureBook, key: string, now: Date): boolean =>
  now.getTime() < (book.get(key)?.snoozeUntil ?? 0);
