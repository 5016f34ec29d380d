// Which equipment error codes were already put on the bus, by (asset, code, ts): codes are announced at-least-once
// like readings (ingest/core/recent-readings.ts), and the bus must carry each once. Per asset, not per asset and
// code: a code is any string the device contract allows, so a window per (asset, code) would let one device grow
// the platform's memory without bound by sending new codes (up to 500 a message). Per asset it remembers the
// recent (code, ts) pairs, bounded in count and in code time behind the asset's newest code.
import { RECENT_READINGS_DEFAULTS, type Verdict } from './recent-readings.ts';

export interface RecentCodesOptions {
  /** How far behind an asset's newest code (in code time, ms) repeats are still recognised. */
  windowMs?: number;
  /** At most this many (code, ts) pairs remembered per asset. */
  maxPerAsset?: number;
}

/** A full events message (LIMITS.maxEventsPerMessage) fits, with room for the one before it. */
export const RECENT_CODES_MAX_PER_ASSET = 1_024;

interface AssetCodes {
  keys: Set<string>;
  /** Remembered pairs in the order they came, from `head` on. */
  queue: { ts: number; key: string }[];
  head: number;
  newest: number;
  /** Times at or below this may have been forgotten: not told apart, let through. */
  forgotten: number;
}

export class RecentCodes {
  private readonly assets = new Map<string, AssetCodes>();
  private readonly windowMs: number;
  private readonly maxPerAsset: number;
  readonly counts: Record<Verdict, number> = { new: 0, repeat: 0, late: 0 };

  constructor(o: RecentCodesOptions = {}) {
    this.windowMs = o.windowMs ?? RECENT_READINGS_DEFAULTS.windowMs;
    this.maxPerAsset = Math.max(1, o.maxPerAsset ?? RECENT_CODES_MAX_PER_ASSET);
  }

  /** Classifies one code and remembers it if it is new (`late`: too old to tell, let through, not remembered). */
  check(assetId: string, code: string, ts: number): Verdict {
    let w = this.assets.get(assetId);
    if (!w) {
      w = {
        keys: new Set(),
        queue: [],
        head: 0,
        newest: Number.NEGATIVE_INFINITY,
        forgotten: Number.NEGATIVE_INFINITY,
      };
      this.assets.set(assetId, w);
    }
    const verdict = this.place(w, code, ts);
    this.counts[verdict]++;
    return verdict;
  }

  /** How many (code, ts) pairs are remembered for an asset (for tests). */
  remembered(assetId: string): number {
    return this.assets.get(assetId)?.keys.size ?? 0;
  }

  get assetCount(): number {
    return this.assets.size;
  }

  private place(w: AssetCodes, code: string, ts: number): Verdict {
    if (ts <= w.forgotten) return 'late';
    const key = `${ts}\u0000${code}`;
    if (w.keys.has(key)) return 'repeat';
    w.keys.add(key);
    w.queue.push({ ts, key });
    if (ts > w.newest) w.newest = ts;
    const cutoff = w.newest - this.windowMs;
    while (
      w.head < w.queue.length &&
      (w.queue.length - w.head > this.maxPerAsset || w.queue[w.head]!.ts <= cutoff)
    ) {
      const old = w.queue[w.head++]!;
      w.keys.delete(old.key);
      if (old.ts > w.forgotten) w.forgotten = old.ts;
    }
    if (w.head >= 16 && w.head * 2 >= w.queue.length) {
      w.queue.splice(0, w.head);
      w.head = 0;
    }
    return 'new';
  }
}
