// Which readings were already put on the bus, by (asset, ts). Stored readings are announced at-least-once (a
// worker's journal replays what it had announced but not yet checkpointed, a broker redelivers what it had not
// seen acknowledged, a device re-sends), and the bus must carry each one once. Per asset it remembers a sorted
// list of recent reading times, bounded in count and in reading time behind the asset's newest reading, so
// memory is bounded per asset whatever the stream. Out-of-order readings (several workers, a device's backlog)
// are fine inside that window.

/**
 * `new`: not seen; now remembered. `repeat`: seen before: drop it. `late`: older than anything remembered for the
 * asset, so whether it was seen cannot be told: the caller lets it through (a reading replayed late by a worker
 * that was down must not be lost) and it is not remembered.
 */
export type Verdict = 'new' | 'repeat' | 'late';

export interface RecentReadingsOptions {
  /** How far behind an asset's newest reading (in reading time, ms) repeats are still recognised. */
  windowMs?: number;
  /** At most this many reading times remembered per asset (8 bytes each). */
  maxPerAsset?: number;
}

interface AssetWindow {
  /** Remembered reading times, ascending, from `start` on (those before it are forgotten, not yet compacted). */
  ts: number[];
  start: number;
  /** Times at or below this are forgotten (or were never remembered). */
  forgotten: number;
}

export const RECENT_READINGS_DEFAULTS: Required<RecentReadingsOptions> = {
  windowMs: 15 * 60_000,
  maxPerAsset: 2_048,
};

export class RecentReadings {
  private readonly assets = new Map<string, AssetWindow>();
  private readonly windowMs: number;
  private readonly maxPerAsset: number;
  readonly counts: Record<Verdict, number> = { new: 0, repeat: 0, late: 0 };

  constructor(o: RecentReadingsOptions = {}) {
    this.windowMs = o.windowMs ?? RECENT_READINGS_DEFAULTS.windowMs;
    this.maxPerAsset = Math.max(1, o.maxPerAsset ?? RECENT_READINGS_DEFAULTS.maxPerAsset);
  }

  /** Classifies one reading and remembers it if it is new. */
  check(assetId: string, ts: number): Verdict {
    let w = this.assets.get(assetId);
    if (!w) this.assets.set(assetId, (w = { ts: [], start: 0, forgotten: Number.NEGATIVE_INFINITY }));
    const verdict = this.place(w, ts);
    this.counts[verdict]++;
    return verdict;
  }

  /** How many reading times are remembered for an asset (for tests and health). */
  remembered(assetId: string): number {
    const w = this.assets.get(assetId);
    return w ? w.ts.length - w.start : 0;
  }

  get assetCount(): number {
    return this.assets.size;
  }

  // Forgetting moves `start` on instead of splicing (a splice per reading allocated the removed items); the
  // array is compacted in place once half of it is forgotten, so each reading costs O(1) amortised.
  private place(w: AssetWindow, ts: number): Verdict {
    if (ts <= w.forgotten) return 'late';
    const list = w.ts;
    const last = list.length > w.start ? list[list.length - 1]! : Number.NEGATIVE_INFINITY;
    if (ts > last) {
      list.push(ts); // the usual case: readings of an asset arrive in order
      const cutoff = ts - this.windowMs;
      let s = w.start;
      while (s < list.length && list[s]! <= cutoff) s++;
      if (s > w.start) {
        w.start = s;
        w.forgotten = Math.max(w.forgotten, cutoff);
      }
    } else {
      const at = lowerBound(list, ts, w.start);
      if (list[at] === ts) return 'repeat';
      list.push(ts);
      list.copyWithin(at + 1, at, list.length - 1);
      list[at] = ts;
    }
    const excess = list.length - w.start - this.maxPerAsset;
    if (excess > 0) {
      w.start += excess;
      w.forgotten = Math.max(w.forgotten, list[w.start - 1]!);
    }
    if (w.start >= 16 && w.start * 2 >= list.length) {
      list.copyWithin(0, w.start);
      list.length -= w.start;
      w.start = 0;
    }
    return 'new';
  }
}

/** First index from `lo` on whose value is >= `x` (the list is ascending). */
function lowerBound(list: readonly number[], x: number, lo: number): number {
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
