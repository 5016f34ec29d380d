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
  /** Remembered reading times, ascending. */
  ts: number[];
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
    if (!w) this.assets.set(assetId, (w = { ts: [], forgotten: Number.NEGATIVE_INFINITY }));
    const verdict = this.place(w, ts);
    this.counts[verdict]++;
    return verdict;
  }

  /** How many reading times are remembered for an asset (for tests and health). */
  remembered(assetId: string): number {
    return this.assets.get(assetId)?.ts.length ?? 0;
  }

  get assetCount(): number {
    return this.assets.size;
  }

  private place(w: AssetWindow, ts: number): Verdict {
    if (ts <= w.forgotten) return 'late';
    const list = w.ts;
    const last = list.length ? list[list.length - 1]! : Number.NEGATIVE_INFINITY;
    if (ts > last) {
      list.push(ts); // the usual case: readings of an asset arrive in order
      const cutoff = ts - this.windowMs;
      let drop = 0;
      while (drop < list.length && list[drop]! <= cutoff) drop++;
      if (drop > 0) {
        list.splice(0, drop);
        w.forgotten = Math.max(w.forgotten, cutoff);
      }
    } else {
      const at = lowerBound(list, ts);
      if (list[at] === ts) return 'repeat';
      list.splice(at, 0, ts);
    }
    if (list.length > this.maxPerAsset) {
      const dropped = list.splice(0, list.length - this.maxPerAsset);
      w.forgotten = Math.max(w.forgotten, dropped[dropped.length - 1]!);
    }
    return 'new';
  }
}

/** First index whose value is >= `x` (the list is ascending). */
function lowerBound(list: readonly number[], x: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
