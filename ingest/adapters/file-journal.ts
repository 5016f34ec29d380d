// The Journal on local disk: newline-delimited JSON in numbered segment files plus a checkpoint file.
// A record is written with one write(2) before the broker is acknowledged, so it survives `kill -9` of the
// process (not a power cut: there is no fsync per message; see docs/adr/0005-ingest-journal.md).
import {
  closeSync,
  existsSync,
  fstatSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import type { Journal, JournalBatch, JournalPosition, JournalRecord } from '../core/journal.ts';

const after = (a: JournalPosition, b: JournalPosition) =>
  a.segment > b.segment || (a.segment === b.segment && a.offset > b.offset);
const SEGMENT_RE = /^(\d{12})\.jsonl$/;
const NEWLINE = 0x0a;
const TAIL_MAX = 20_000;

export interface FileJournalOptions {
  dir: string;
  /** A new segment is started when the current one would grow past this. */
  segmentBytes?: number;
  /** The checkpoint file is written at most this often (ms; default 100); see `commit`. */
  checkpointMs?: number;
  /** Called for a record that cannot be parsed (skipped). Only a torn tail after a crash can cause one. */
  onCorrupt?: (segment: number, offset: number) => void;
}

export class FileJournal implements Journal {
  private readonly dir: string;
  private readonly segmentBytes: number;
  /** Size of every live segment (committed ones are deleted). */
  private readonly sizes = new Map<number, number>();
  private writeSegment: number;
  private writeFd: number;
  private readPos: JournalPosition;
  private committed: JournalPosition;
  private buf = Buffer.alloc(1 << 20);
  private records = 0;
  /** Batches read and not yet committed, with their record counts, so a commit needs no re-count. */
  private readonly unread: { end: JournalPosition; count: number }[] = [];
  /**
   * Records appended while the reader was caught up, kept in memory with where each ends, so the drainer takes
   * them without reading and parsing them back from disk. Bounded: past TAIL_MAX the reader goes to disk
   * until it catches up again.
   */
  private tail: { record: JournalRecord; segment: number; end: number }[] = [];
  private tailHead = 0;
  private tailOn = false;
  private readonly checkpointMs: number;
  private checkpointAt = 0;
  private checkpointTimer: NodeJS.Timeout | undefined;

  constructor(private readonly o: FileJournalOptions) {
    this.dir = o.dir;
    this.segmentBytes = o.segmentBytes ?? 8 << 20;
    this.checkpointMs = o.checkpointMs ?? 100;
    mkdirSync(this.dir, { recursive: true });
    this.committed = this.readCheckpoint();
    const segments = readdirSync(this.dir)
      .map((f) => SEGMENT_RE.exec(f))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => Number(m[1]))
      .sort((a, b) => a - b);
    for (const s of segments) {
      if (s < this.committed.segment) rmSync(this.file(s), { force: true });
      else this.sizes.set(s, this.repairTail(s));
    }
    if (this.sizes.size === 0) this.sizes.set(this.committed.segment, 0);
    this.writeSegment = Math.max(...this.sizes.keys());
    this.writeFd = openSync(this.file(this.writeSegment), 'a');
    this.readPos = { ...this.committed };
    this.records = this.countFrom(this.committed);
  }

  append(record: JournalRecord): void {
    this.appendMany([record]);
  }

  /**
   * One write(2) per segment touched: a batch of records costs one system call, not one each. The batch is
   * encoded as one string and turned into bytes once (not a buffer per record, then a copy of them all).
   */
  appendMany(records: readonly JournalRecord[]): void {
    // the records of the current write, their encoded lines and each line's length in bytes
    let first = 0;
    let text = '';
    let bytes = 0;
    const lengths: number[] = [];
    const write = (upTo: number) => {
      if (upTo === first) return;
      const chunk = Buffer.from(text, 'utf8');
      let written = 0;
      while (written < chunk.length) written += writeSync(this.writeFd, chunk, written);
      let end = this.sizes.get(this.writeSegment)!;
      this.sizes.set(this.writeSegment, end + chunk.length);
      this.records += upTo - first;
      if (this.tailOn) {
        for (let i = first; i < upTo; i++) {
          end += lengths[i - first]!;
          this.tail.push({ record: records[i]!, segment: this.writeSegment, end });
        }
        if (this.tail.length - this.tailHead > TAIL_MAX) this.dropTail();
      }
      first = upTo;
      text = '';
      bytes = 0;
      lengths.length = 0;
    };
    for (let i = 0; i < records.length; i++) {
      const line = JSON.stringify(records[i]) + '\n';
      const length = Buffer.byteLength(line, 'utf8');
      const size = this.sizes.get(this.writeSegment)! + bytes;
      if (size > 0 && size + length > this.segmentBytes) {
        write(i);
        if (this.sizes.get(this.writeSegment)! > 0) this.rotate();
      }
      text += line;
      lengths.push(length);
      bytes += length;
    }
    write(records.length);
  }

  read(max: number): JournalBatch {
    const records: JournalRecord[] = [];
    if (this.tailOn && this.tail.length > this.tailHead) {
      const stop = Math.min(this.tail.length, this.tailHead + max);
      for (let i = this.tailHead; i < stop; i++) records.push(this.tail[i]!.record);
      const last = this.tail[stop - 1]!;
      this.readPos = { segment: last.segment, offset: last.end };
      this.tailHead = stop;
      if (this.tailHead === this.tail.length) {
        this.tail = [];
        this.tailHead = 0;
      }
      this.unread.push({ end: { ...this.readPos }, count: records.length });
      return { records, end: { ...this.readPos } };
    }
    while (records.length < max) {
      const size = this.sizes.get(this.readPos.segment) ?? 0;
      if (this.readPos.offset >= size) {
        if (this.readPos.segment >= this.writeSegment) break;
        this.readPos = { segment: this.readPos.segment + 1, offset: 0 };
        continue;
      }
      const fd = openSync(this.file(this.readPos.segment), 'r');
      try {
        this.readLines(fd, size, max - records.length, records);
      } finally {
        closeSync(fd);
      }
    }
    if (records.length) this.unread.push({ end: { ...this.readPos }, count: records.length });
    // caught up with the writer: what is appended from now on is served from memory
    if (
      !this.tailOn &&
      this.readPos.segment === this.writeSegment &&
      this.readPos.offset === this.sizes.get(this.writeSegment)
    )
      this.tailOn = true;
    return { records, end: { ...this.readPos } };
  }

  private dropTail(): void {
    this.tail = [];
    this.tailHead = 0;
    this.tailOn = false;
  }

  /**
   * The checkpoint file is written at most every `checkpointMs` (and before a segment is deleted, and at close):
   * a file write and a rename per drained batch cost more than the batch's journal write. A crash replays what was
   * committed since the last one (a few batches): store writes are idempotent, so it stores nothing twice.
   */
  commit(end: JournalPosition): void {
    let counted = 0;
    while (this.unread.length && !after(this.unread[0]!.end, end)) counted += this.unread.shift()!.count;
    if (counted === 0) counted = this.countBetween(this.committed, end);
    this.committed = { ...end };
    this.records -= counted;
    const done = [...this.sizes.keys()].filter((s) => s < end.segment);
    if (done.length > 0 || Date.now() - this.checkpointAt >= this.checkpointMs) this.writeCheckpoint();
    else this.checkpointTimer ??= setTimeout(() => this.writeCheckpoint(), this.checkpointMs).unref();
    for (const s of done) {
      this.sizes.delete(s);
      rmSync(this.file(s), { force: true });
    }
  }

  private writeCheckpoint(): void {
    clearTimeout(this.checkpointTimer);
    this.checkpointTimer = undefined;
    this.checkpointAt = Date.now();
    if (this.writeFd < 0) return;
    const tmp = path.join(this.dir, 'checkpoint.json.tmp');
    writeFileSync(tmp, JSON.stringify(this.committed));
    renameSync(tmp, path.join(this.dir, 'checkpoint.json'));
  }

  get backlogBytes(): number {
    let n = -this.committed.offset;
    for (const [s, size] of this.sizes) if (s >= this.committed.segment) n += size;
    return Math.max(0, n);
  }

  get backlogRecords(): number {
    return this.records;
  }

  close(): void {
    if (this.writeFd < 0) return;
    if (this.checkpointTimer) this.writeCheckpoint();
    closeSync(this.writeFd);
    this.writeFd = -1;
  }

  private file(segment: number): string {
    return path.join(this.dir, `${String(segment).padStart(12, '0')}.jsonl`);
  }

  private rotate(): void {
    closeSync(this.writeFd);
    this.writeSegment++;
    this.sizes.set(this.writeSegment, 0);
    this.writeFd = openSync(this.file(this.writeSegment), 'a');
  }

  private readCheckpoint(): JournalPosition {
    const file = path.join(this.dir, 'checkpoint.json');
    if (!existsSync(file)) return { segment: 1, offset: 0 };
    const cp = JSON.parse(readFileSync(file, 'utf8')) as JournalPosition;
    return { segment: cp.segment, offset: cp.offset };
  }

  /** Cuts a torn last line (a crash in the middle of a write; that record was never acknowledged). */
  private repairTail(segment: number): number {
    const fd = openSync(this.file(segment), 'r+');
    try {
      const size = fstatSync(fd).size;
      let end = size;
      const tail = Buffer.alloc(64 * 1024);
      while (end > 0) {
        const start = Math.max(0, end - tail.length);
        const n = readSync(fd, tail, 0, end - start, start);
        const nl = tail.subarray(0, n).lastIndexOf(NEWLINE);
        if (nl >= 0) {
          end = start + nl + 1;
          break;
        }
        end = start;
      }
      if (end !== size) ftruncateSync(fd, end);
      return end;
    } finally {
      closeSync(fd);
    }
  }

  /** Reads whole lines of one segment from the read position into `out`. */
  private readLines(fd: number, size: number, max: number, out: JournalRecord[]): void {
    let taken = 0;
    while (taken < max && this.readPos.offset < size) {
      const want = Math.min(this.buf.length, size - this.readPos.offset);
      const n = readSync(fd, this.buf, 0, want, this.readPos.offset);
      let lineStart = 0;
      for (let i = 0; i < n && taken < max; i++) {
        if (this.buf[i] !== NEWLINE) continue;
        const at = this.readPos.offset + lineStart;
        try {
          out.push(JSON.parse(this.buf.toString('utf8', lineStart, i)) as JournalRecord);
          taken++;
        } catch {
          this.o.onCorrupt?.(this.readPos.segment, at);
          this.records--;
        }
        lineStart = i + 1;
      }
      if (lineStart === 0) {
        // one line longer than the buffer: grow it and read again
        this.buf = Buffer.alloc(this.buf.length * 2);
        continue;
      }
      this.readPos = { segment: this.readPos.segment, offset: this.readPos.offset + lineStart };
    }
  }

  /** Records between two positions (counted by newlines), for the backlog count after a restart. */
  private countBetween(from: JournalPosition, to: JournalPosition): number {
    if (to.segment === from.segment && to.offset <= from.offset) return 0;
    let n = 0;
    for (let s = from.segment; s <= to.segment; s++) {
      if (!this.sizes.has(s)) continue;
      const start = s === from.segment ? from.offset : 0;
      const end = s === to.segment ? to.offset : this.sizes.get(s)!;
      n += this.countNewlines(s, start, end);
    }
    return n;
  }

  private countFrom(from: JournalPosition): number {
    return this.countBetween(from, {
      segment: this.writeSegment,
      offset: this.sizes.get(this.writeSegment)!,
    });
  }

  private countNewlines(segment: number, start: number, end: number): number {
    if (end <= start) return 0;
    const fd = openSync(this.file(segment), 'r');
    try {
      let n = 0;
      for (let pos = start; pos < end;) {
        const got = readSync(fd, this.buf, 0, Math.min(this.buf.length, end - pos), pos);
        if (got === 0) break;
        for (let i = 0; i < got; i++) if (this.buf[i] === NEWLINE) n++;
        pos += got;
      }
      return n;
    } finally {
      closeSync(fd);
    }
  }
}
