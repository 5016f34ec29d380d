// Drains the journal to the stores in order, a batch at a time: readings to the telemetry store, dead letters,
// connectivity changes and equipment error codes to theirs, then (for ingest workers) the announcement of what was stored. A batch
// that fails is retried with backoff until it is stored and announced (nothing is dropped); only then is it
// committed, so a crash before that replays it. Memory holds one batch, whatever the backlog on disk.
import type { TelemetryPoint } from '../../common/telemetry-store.ts';
import type { Journal, JournalRecord } from './journal.ts';

export type ReadingRecord = Extract<JournalRecord, { k: 'reading' }>;
export type StatusRecord = Extract<JournalRecord, { k: 'status' }>;
export type RejectRecord = Extract<JournalRecord, { k: 'reject' }>;
export type EventRecord = Extract<JournalRecord, { k: 'event' }>;

/** Where drained records go. Writing the same records twice must be harmless for points and statuses. */
export interface DrainTargets {
  points(points: TelemetryPoint[]): Promise<void>;
  rejects(records: RejectRecord[]): Promise<void>;
  statuses(records: StatusRecord[]): Promise<void>;
  /** Equipment error codes. Writing the same (asset, ts, code) twice must be harmless. */
  events(records: EventRecord[]): Promise<void>;
  /**
   * Announces the stored readings, statuses and error codes of a batch; resolves once the announcement is
   * acknowledged (a retry of the same batch gets the same arrays). Without it, `onStored` is the only announcement.
   */
  announce?(readings: ReadingRecord[], statuses: StatusRecord[], events: EventRecord[]): Promise<void>;
}

export interface DrainerOptions {
  journal: Journal;
  targets: DrainTargets;
  /** After a batch is stored: the readings, statuses and error codes in it, for live events. */
  onStored?: (readings: ReadingRecord[], statuses: StatusRecord[], events: EventRecord[]) => void;
  onRetry?: (err: unknown, attempt: number, delayMs: number, stage: Stage) => void;
  onRecovered?: (attempts: number) => void;
  /** Records per batch. */
  maxBatch?: number;
  /** How long a small batch waits for more records. */
  lingerMs?: number;
  backoff?: (attempt: number) => number;
}

export const defaultBackoff = (attempt: number) => Math.min(10_000, 100 * 2 ** Math.min(attempt, 10));
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export type Stage = 'points' | 'rejects' | 'statuses' | 'events' | 'announce';

export function pointsOf(readings: readonly ReadingRecord[]): TelemetryPoint[] {
  const points: TelemetryPoint[] = [];
  for (const r of readings) {
    const ts = new Date(r.ts);
    for (const [metric, value] of Object.entries(r.metrics))
      points.push({ assetId: r.assetId, metric, ts, value });
  }
  return points;
}

export class JournalDrainer {
  private readonly o: Required<Omit<DrainerOptions, 'onStored' | 'onRetry' | 'onRecovered'>> & DrainerOptions;
  private wake: (() => void) | undefined;
  private spaceWaiters: { below: number; resolve: () => void }[] = [];
  private loop: Promise<void> | undefined;
  private stopping = false;
  private giveUpAfter = Infinity;
  /** True while the stores refuse writes (or the announcement is not acknowledged). */
  failing = false;
  /** Which stage fails, while `failing`. */
  failingStage: Stage | undefined;
  stored = 0;
  /** When a batch was last stored or the journal was found empty (ms since the epoch): the health's stall check. */
  lastProgressAt = Date.now();

  constructor(opts: DrainerOptions) {
    this.o = {
      ...opts,
      maxBatch: opts.maxBatch ?? 5_000,
      lingerMs: opts.lingerMs ?? 20,
      backoff: opts.backoff ?? defaultBackoff,
    };
  }

  start(): void {
    this.loop ??= this.run();
  }

  /** Something was appended. */
  notify(): void {
    this.wake?.();
  }

  /** Resolves once the journal's backlog is below `bytes` (back-pressure for the receiver). */
  waitForSpace(bytes: number): Promise<void> {
    if (this.o.journal.backlogBytes < bytes) return Promise.resolve();
    return new Promise((resolve) => this.spaceWaiters.push({ below: bytes, resolve }));
  }

  /**
   * Drains what is in the journal, then stops. While the stores refuse writes it tries `attempts` more times;
   * what is left stays in the journal and is drained at the next start.
   */
  async stop(attempts = 3): Promise<void> {
    this.stopping = true;
    this.giveUpAfter = attempts;
    this.notify();
    await this.loop;
    for (const w of this.spaceWaiters.splice(0)) w.resolve();
  }

  private async run(): Promise<void> {
    for (;;) {
      const batch = this.o.journal.read(this.o.maxBatch);
      if (batch.records.length === 0) {
        this.lastProgressAt = Date.now();
        if (this.stopping) return;
        await new Promise<void>((r) => (this.wake = r));
        this.wake = undefined;
        this.lastProgressAt = Date.now(); // idle until now: the stall clock starts with the new records
        if (!this.stopping && this.o.lingerMs > 0) await sleep(this.o.lingerMs);
        continue;
      }
      const ok = await this.store(batch.records);
      if (!ok) return; // stopping with the stores down: the batch stays in the journal
      this.o.journal.commit(batch.end);
      this.lastProgressAt = Date.now();
      this.releaseWaiters();
    }
  }

  /** Writes one batch, stage by stage, retrying the failed stage. False if it gave up (only when stopping). */
  private async store(records: JournalRecord[]): Promise<boolean> {
    const readings: ReadingRecord[] = [];
    const rejects: RejectRecord[] = [];
    const statuses: StatusRecord[] = [];
    const events: EventRecord[] = [];
    for (const r of records) {
      if (r.k === 'reading') readings.push(r);
      else if (r.k === 'reject') rejects.push(r);
      else if (r.k === 'event') events.push(r);
      else statuses.push(r);
    }
    const stages: [Stage, () => Promise<void>][] = [
      ['points', () => (readings.length ? this.o.targets.points(pointsOf(readings)) : Promise.resolve())],
      ['rejects', () => (rejects.length ? this.o.targets.rejects(rejects) : Promise.resolve())],
      ['statuses', () => (statuses.length ? this.o.targets.statuses(statuses) : Promise.resolve())],
      ['events', () => (events.length ? this.o.targets.events(events) : Promise.resolve())],
      [
        'announce',
        () =>
          this.o.targets.announce && readings.length + statuses.length + events.length > 0
            ? this.o.targets.announce(readings, statuses, events)
            : Promise.resolve(),
      ],
    ];
    let attempts = 0;
    for (const [stage, write] of stages) {
      for (;;) {
        try {
          await write();
          break;
        } catch (err) {
          attempts++;
          this.failing = true;
          this.failingStage = stage;
          if (this.stopping && attempts > this.giveUpAfter) return false;
          const delay = this.stopping
            ? Math.min(500, this.o.backoff(attempts - 1))
            : this.o.backoff(attempts - 1);
          this.o.onRetry?.(err, attempts, delay, stage);
          await sleep(delay);
        }
      }
    }
    if (this.failing) {
      this.failing = false;
      this.failingStage = undefined;
      this.o.onRecovered?.(attempts);
    }
    this.stored += readings.length;
    this.o.onStored?.(readings, statuses, events);
    return true;
  }

  private releaseWaiters(): void {
    const backlog = this.o.journal.backlogBytes;
    this.spaceWaiters = this.spaceWaiters.filter((w) => {
      if (backlog >= w.below) return true;
      w.resolve();
      return false;
    });
  }
}
