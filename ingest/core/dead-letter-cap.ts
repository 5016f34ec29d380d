// How many refused messages of one device are stored in full (pure: plain data and the time it is given).
// A device sending bad data in a loop would otherwise fill the database with dead letters (each with up to 4 KiB
// of its payload). Per device and clock minute (a fixed window, UTC), the first `perMinute` refused messages are
// stored in full; the rest are only counted, and once the minute is over the count becomes one summary dead
// letter of that device ("N more refused messages from this device were not stored"). Nothing disappears
// silently. docs/adr/0029-dead-letter-cap-and-retention.md
import type { JournalRecord } from './journal.ts';
import type { RejectReason } from '../../common/contracts/mqtt.ts';

export const WINDOW_MS = 60_000;
/** Devices tracked at once; refused messages of any further device in the same minute share one window. */
export const DEFAULT_MAX_DEVICES = 10_000;
/** The key of that shared window. */
export const OTHER_DEVICES = '*';

/** What one device refused beyond the cap in one minute. */
export interface CapSummary {
  /** `tenant/asset` from the topic, the topic itself when it has no such parts, or OTHER_DEVICES. */
  device: string;
  /** The topic of the device's first refused message of the minute. */
  topic: string;
  windowStart: number;
  notStored: number;
  /** Payload bytes of the messages not stored. */
  bytes: number;
  byReason: Partial<Record<RejectReason, number>>;
}

interface Window {
  start: number;
  topic: string;
  stored: number;
  notStored: number;
  bytes: number;
  byReason: Partial<Record<RejectReason, number>>;
}

/**
 * The device a dead letter belongs to: `tenant/asset` of a `t/{tenant}/a/{asset}/…` topic (a device may publish
 * on its own topics only), else the topic itself.
 */
export function deviceOf(topic: string): string {
  const parts = topic.split('/');
  if (parts.length >= 4 && parts[0] === 't' && parts[2] === 'a') return `${parts[1]}/${parts[3]}`;
  return `topic:${topic}`;
}

export class DeadLetterCap {
  private readonly windows = new Map<string, Window>();

  /** `perMinute` 0: no cap, every refused message is stored. */
  constructor(
    readonly perMinute: number,
    private readonly maxDevices = DEFAULT_MAX_DEVICES,
  ) {}

  /** Devices with a window open now (for tests and health). */
  get tracked(): number {
    return this.windows.size;
  }

  /**
   * One refused message at `nowMs`: whether to store it in full. When the device's previous minute ended with
   * messages not stored, its summary is returned as well (`due` returns it otherwise).
   */
  admit(
    topic: string,
    reason: RejectReason,
    bytes: number,
    nowMs: number,
  ): { store: boolean; summary?: CapSummary } {
    if (this.perMinute <= 0) return { store: true };
    const start = Math.floor(nowMs / WINDOW_MS) * WINDOW_MS;
    let device = deviceOf(topic);
    let w = this.windows.get(device);
    let summary: CapSummary | undefined;
    if (w && w.start !== start) {
      summary = summaryOf(device, w);
      this.windows.delete(device);
      w = undefined;
    }
    if (!w) {
      if (this.windows.size >= this.maxDevices) {
        device = OTHER_DEVICES;
        w = this.windows.get(device);
        if (w && w.start !== start) {
          summary ??= summaryOf(device, w);
          this.windows.delete(device);
          w = undefined;
        }
      }
      if (!w) {
        w = { start, topic, stored: 0, notStored: 0, bytes: 0, byReason: {} };
        this.windows.set(device, w);
      }
    }
    if (w.stored < this.perMinute) {
      w.stored++;
      return summary ? { store: true, summary } : { store: true };
    }
    w.notStored++;
    w.bytes += bytes;
    w.byReason[reason] = (w.byReason[reason] ?? 0) + 1;
    return summary ? { store: false, summary } : { store: false };
  }

  /** Closes the windows of minutes over by `nowMs`: the summaries of those with messages not stored. */
  due(nowMs: number): CapSummary[] {
    const start = Math.floor(nowMs / WINDOW_MS) * WINDOW_MS;
    const out: CapSummary[] = [];
    for (const [device, w] of this.windows) {
      if (w.start === start) continue;
      this.windows.delete(device);
      const s = summaryOf(device, w);
      if (s) out.push(s);
    }
    return out;
  }

  /** Closes every window, the current minute's too (at shutdown): the summaries of those with messages not stored. */
  drain(): CapSummary[] {
    const out: CapSummary[] = [];
    for (const [device, w] of this.windows) {
      const s = summaryOf(device, w);
      if (s) out.push(s);
    }
    this.windows.clear();
    return out;
  }
}

function summaryOf(device: string, w: Window): CapSummary | undefined {
  if (w.notStored === 0) return undefined;
  return {
    device,
    topic: w.topic,
    windowStart: w.start,
    notStored: w.notStored,
    bytes: w.bytes,
    byReason: { ...w.byReason },
  };
}

/** The summary as the dead letter stored for it (reason `not_stored`, no payload). */
export function summaryRecord(s: CapSummary, perMinute: number): Extract<JournalRecord, { k: 'reject' }> {
  const from = new Date(s.windowStart).toISOString().slice(11, 16);
  const to = new Date(s.windowStart + WINDOW_MS).toISOString().slice(11, 16);
  const day = new Date(s.windowStart).toISOString().slice(0, 10);
  const reasons = Object.entries(s.byReason)
    .map(([r, n]) => `${r} ${n}`)
    .join(', ');
  const who = s.device === OTHER_DEVICES ? 'other devices' : 'this device';
  return {
    k: 'reject',
    topic: s.device === OTHER_DEVICES ? '(other devices)' : s.topic.slice(0, 512),
    reason: 'not_stored',
    detail:
      `${s.notStored} more refused ${s.notStored === 1 ? 'message' : 'messages'} from ${who} ` +
      `were not stored (${day} ${from}-${to} UTC; at most ${perMinute} a minute per device are kept in full; ` +
      `${s.bytes} bytes; ${reasons})`,
    raw: '',
    rawBytes: 0,
  };
}

/** Dead letters received before this are deleted; undefined when they are kept (`days` 0). */
export function retentionCutoff(now: Date, days: number): Date | undefined {
  return days > 0 ? new Date(now.getTime() - days * 24 * 3_600_000) : undefined;
}

/**
 * Deletes what `deleteBatch` finds older than the cutoff, `batchSize` rows at a time, until a batch comes back
 * short or `maxBatches` ran (the next sweep goes on). Returns the rows deleted.
 */
export async function sweepOlderThan(
  cutoff: Date,
  deleteBatch: (cutoff: Date, limit: number) => Promise<number>,
  batchSize = 5_000,
  maxBatches = 200,
): Promise<number> {
  let total = 0;
  for (let i = 0; i < maxBatches; i++) {
    const n = await deleteBatch(cutoff, batchSize);
    total += n;
    if (n < batchSize) break;
  }
  return total;
}
