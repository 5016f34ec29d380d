// The Journal port: accepted messages are appended here before the broker gets its acknowledgement, and drained
// to the stores from here (docs/adr/0005-ingest-journal.md). A record stays until a commit says it is stored.
import type { EventSeverity, MachineCondition, RejectReason } from '../../common/contracts/mqtt.ts';

export type JournalRecord =
  | { k: 'reading'; assetId: string; tenantId: string; ts: number; metrics: Record<string, number> }
  | {
      k: 'status';
      assetId: string;
      tenantId: string;
      online: boolean;
      /** The machine's own condition, when the status message reports one. */
      condition?: MachineCondition;
      at: number;
      /** When ingest took the message (epoch ms): a last will is recorded then (core/status-time.ts). */
      receivedAt?: number;
    }
  | { k: 'event'; assetId: string; tenantId: string; ts: number; code: string; severity: EventSeverity }
  | { k: 'reject'; topic: string; reason: RejectReason; detail: string; raw: string; rawBytes: number };

/** A place in the journal: segment number and byte offset in it (in-memory journals use offset only). */
export interface JournalPosition {
  segment: number;
  offset: number;
}

export interface JournalBatch {
  records: JournalRecord[];
  /** Where the batch ends: commit this once every record in it is stored. */
  end: JournalPosition;
}

export interface Journal {
  /** Appends a record; once this returns the record survives a crash of the process. Throws if it cannot. */
  append(record: JournalRecord): void;
  /** Appends records in order with as few writes as it can; all-or-nothing as far as acknowledgements go. */
  appendMany(records: readonly JournalRecord[]): void;
  /** Up to `max` records after those already read (each record is read once per process lifetime). */
  read(max: number): JournalBatch;
  /** Everything up to `end` is stored: it may be discarded and is not replayed after a restart. */
  commit(end: JournalPosition): void;
  /** Bytes appended and not yet committed: the measure for back-pressure. */
  readonly backlogBytes: number;
  /** Records appended and not yet committed. */
  readonly backlogRecords: number;
  close(): void;
}

/** A journal in memory, for unit tests: what a real one does, minus the surviving of crashes. */
export class MemoryJournal implements Journal {
  private records: { record: JournalRecord; bytes: number }[] = [];
  private base = 0; // index of records[0]
  private readCursor = 0;
  private bytes = 0;

  append(record: JournalRecord): void {
    const bytes = JSON.stringify(record).length + 1;
    this.records.push({ record, bytes });
    this.bytes += bytes;
  }

  appendMany(records: readonly JournalRecord[]): void {
    for (const r of records) this.append(r);
  }

  read(max: number): JournalBatch {
    const from = this.readCursor - this.base;
    const slice = this.records.slice(from, from + max);
    this.readCursor += slice.length;
    return { records: slice.map((r) => r.record), end: { segment: 0, offset: this.readCursor } };
  }

  commit(end: JournalPosition): void {
    const drop = end.offset - this.base;
    for (const r of this.records.slice(0, drop)) this.bytes -= r.bytes;
    this.records = this.records.slice(drop);
    this.base = end.offset;
  }

  /** What a restart would replay: the read cursor goes back to the last commit. */
  restart(): void {
    this.readCursor = this.base;
  }

  get backlogBytes(): number {
    return this.bytes;
  }

  get backlogRecords(): number {
    return this.records.length;
  }

  close(): void {}
}
