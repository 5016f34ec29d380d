// The on-disk journal: survives a restart (and a torn last write), rotates and deletes segments, counts.
import { appendFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileJournal } from '../../ingest/adapters/file-journal.ts';
import type { JournalRecord } from '../../ingest/core/journal.ts';

const reading = (i: number): JournalRecord => ({
  k: 'reading',
  assetId: 'a1',
  tenantId: 't1',
  ts: i,
  metrics: { v: i },
});
const dirs: string[] = [];
const freshDir = () => {
  const d = mkdtempSync(path.join(os.tmpdir(), 'preempt-journal-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('FileJournal', () => {
  it('replays after a restart what was appended and not committed, in order', () => {
    const dir = freshDir();
    const j = new FileJournal({ dir });
    for (let i = 0; i < 10; i++) j.append(reading(i));
    const first = j.read(4);
    j.commit(first.end);
    j.read(3); // read but not committed: a crash before the store write finished
    j.close();

    const again = new FileJournal({ dir });
    expect(again.backlogRecords).toBe(6);
    const rest = again.read(100);
    expect(rest.records.map((r) => (r as { ts: number }).ts)).toEqual([4, 5, 6, 7, 8, 9]);
    again.commit(rest.end);
    expect(again.backlogRecords).toBe(0);
    expect(again.backlogBytes).toBe(0);
    again.close();
  });

  it('writes the checkpoint at most every checkpointMs: a crash replays only what was committed since', async () => {
    const dir = freshDir();
    const j = new FileJournal({ dir, checkpointMs: 50 });
    for (let i = 0; i < 10; i++) j.append(reading(i));
    j.commit(j.read(2).end); // the first commit is written at once
    j.commit(j.read(3).end); // this one within 50 ms: later
    const crashed = new FileJournal({ dir }); // the process died here (no close)
    expect(crashed.read(100).records.map((r) => (r as { ts: number }).ts)).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
    crashed.close();
    await new Promise((r) => setTimeout(r, 120));
    const later = new FileJournal({ dir }); // died after the deferred checkpoint was written
    expect(later.backlogRecords).toBe(5);
    later.close();
    j.close();
  });

  it('cuts a torn last line left by a crash in the middle of a write', () => {
    const dir = freshDir();
    const j = new FileJournal({ dir });
    j.append(reading(1));
    j.close();
    const segment = readdirSync(dir).find((f) => f.endsWith('.jsonl'))!;
    appendFileSync(path.join(dir, segment), '{"k":"reading","assetId":"a1","ts":');
    const again = new FileJournal({ dir });
    expect(again.read(10).records).toHaveLength(1);
    again.append(reading(2));
    expect(again.read(10).records).toEqual([reading(2)]);
    again.close();
  });

  it('rotates segments and deletes the ones fully committed', () => {
    const dir = freshDir();
    const j = new FileJournal({ dir, segmentBytes: 200 });
    for (let i = 0; i < 20; i++) j.append(reading(i));
    expect(readdirSync(dir).filter((f) => f.endsWith('.jsonl')).length).toBeGreaterThan(3);
    const all = j.read(1_000);
    expect(all.records).toHaveLength(20);
    j.commit(all.end);
    expect(readdirSync(dir).filter((f) => f.endsWith('.jsonl'))).toHaveLength(1);
    expect(j.backlogBytes).toBe(0);
    j.append(reading(20));
    expect(j.read(10).records).toEqual([reading(20)]);
    j.close();
  });

  it('reads records larger than its buffer', () => {
    const dir = freshDir();
    const j = new FileJournal({ dir });
    const big: JournalRecord = {
      k: 'reject',
      topic: 't',
      reason: 'too_large',
      detail: 'x'.repeat(3 << 20),
      raw: '',
      rawBytes: 1,
    };
    j.append(big);
    j.append(reading(1));
    expect(j.read(10).records).toEqual([big, reading(1)]);
    j.close();
  });

  it('hands over records appended while the reader is caught up from memory, at their places on disk', () => {
    const dir = freshDir();
    const j = new FileJournal({ dir, segmentBytes: 300 });
    expect(j.read(10).records).toEqual([]); // caught up: later appends are kept in memory too
    j.appendMany(Array.from({ length: 20 }, (_, i) => reading(i)));
    const first = j.read(7);
    expect(first.records).toEqual(Array.from({ length: 7 }, (_, i) => reading(i)));
    j.commit(first.end);
    j.read(5); // read from memory, not committed: a crash now replays them from disk
    j.close();

    const again = new FileJournal({ dir, segmentBytes: 300 });
    expect(again.backlogRecords).toBe(13);
    const rest = again.read(100);
    expect(rest.records).toEqual(Array.from({ length: 13 }, (_, i) => reading(i + 7)));
    again.close();
  });

  it('goes back to disk when more piles up in memory than it keeps, losing nothing', () => {
    const dir = freshDir();
    const j = new FileJournal({ dir });
    j.read(1);
    const n = 25_000;
    for (let i = 0; i < n; i += 1_000) j.appendMany(Array.from({ length: 1_000 }, (_, k) => reading(i + k)));
    const seen: number[] = [];
    let next = n;
    for (let b = j.read(3_000); b.records.length > 0; b = j.read(3_000)) {
      for (const r of b.records) seen.push((r as { ts: number }).ts);
      j.commit(b.end);
      if (next < n + 5) j.append(reading(next++)); // the writer goes on while the reader catches up
    }
    expect(seen).toEqual(Array.from({ length: n + 5 }, (_, i) => i));
    expect(j.backlogRecords).toBe(0);
    j.close();
  });
});
