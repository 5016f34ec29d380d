import { describe, expect, it } from 'vitest';
import type { TelemetryPoint } from '../../common/telemetry-store.ts';
import { MemoryJournal, type JournalRecord } from './journal.ts';
import {
  JournalDrainer,
  type EventRecord,
  type ReadingRecord,
  type RejectRecord,
  type StatusRecord,
} from './journal-drainer.ts';

const reading = (i: number): JournalRecord => ({
  k: 'reading',
  assetId: 'a1',
  tenantId: 't1',
  ts: 1_000 + i,
  metrics: { temp: i },
});

/** Targets that store in memory and can be switched off, like a database that goes away. */
function fakeTargets() {
  const t = {
    up: true,
    points: [] as TelemetryPoint[],
    rejects: [] as RejectRecord[],
    statuses: [] as StatusRecord[],
    events: [] as EventRecord[],
    writes: 0,
  };
  const guard = () => {
    t.writes++;
    if (!t.up) return Promise.reject(new Error('store down'));
    return Promise.resolve();
  };
  return {
    t,
    targets: {
      points: async (p: TelemetryPoint[]) => {
        await guard();
        t.points.push(...p);
      },
      rejects: async (r: RejectRecord[]) => {
        await guard();
        t.rejects.push(...r);
      },
      statuses: async (s: StatusRecord[]) => {
        await guard();
        t.statuses.push(...s);
      },
      events: async (e: EventRecord[]) => {
        await guard();
        t.events.push(...e);
      },
    },
  };
}

const until = async (cond: () => boolean, ms = 2_000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 2));
  }
};

describe('JournalDrainer', () => {
  it('stores everything in order, in batches, and commits it', async () => {
    const journal = new MemoryJournal();
    const { t, targets } = fakeTargets();
    const drainer = new JournalDrainer({ journal, targets, maxBatch: 10, lingerMs: 1 });
    drainer.start();
    for (let i = 0; i < 35; i++) journal.append(reading(i));
    drainer.notify();
    await until(() => t.points.length === 35);
    expect(t.points.map((p) => p.value)).toEqual([...Array(35).keys()]);
    expect(t.writes).toBe(4);
    expect(journal.backlogRecords).toBe(0);
    await drainer.stop();
  });

  it('keeps a failed batch and retries it until the store is back, without losing or repeating anything', async () => {
    const journal = new MemoryJournal();
    const { t, targets } = fakeTargets();
    t.up = false;
    const retries: number[] = [];
    const drainer = new JournalDrainer({
      journal,
      targets,
      maxBatch: 5,
      lingerMs: 0,
      backoff: () => 1,
      onRetry: (_e, n) => retries.push(n),
    });
    drainer.start();
    for (let i = 0; i < 12; i++) journal.append(reading(i));
    drainer.notify();
    await until(() => retries.length >= 3);
    expect(drainer.failing).toBe(true);
    expect(journal.backlogRecords).toBe(12);
    t.up = true;
    await until(() => t.points.length === 12);
    expect(new Set(t.points.map((p) => p.value)).size).toBe(12);
    expect(drainer.failing).toBe(false);
    await drainer.stop();
  });

  it('sends readings, dead letters and status changes each to its own target', async () => {
    const journal = new MemoryJournal();
    const { t, targets } = fakeTargets();
    const stored: number[] = [];
    const drainer = new JournalDrainer({
      journal,
      targets,
      lingerMs: 0,
      maxBatch: undefined,
      onStored: (r, s) => stored.push(r.length, s.length),
    });
    journal.append(reading(1));
    journal.append({ k: 'reject', topic: 'x', reason: 'not_json', detail: 'bad', raw: '', rawBytes: 3 });
    journal.append({ k: 'status', assetId: 'a1', tenantId: 't1', online: false, at: 5 });
    drainer.start();
    await until(() => t.statuses.length === 1);
    expect(t.rejects).toHaveLength(1);
    expect(t.points).toHaveLength(1);
    expect(stored).toEqual([1, 1]);
    await drainer.stop();
  });

  it('on stop with the store down, gives up after a few tries and leaves the records in the journal', async () => {
    const journal = new MemoryJournal();
    const { t, targets } = fakeTargets();
    t.up = false;
    const drainer = new JournalDrainer({ journal, targets, lingerMs: 0, backoff: () => 1 });
    journal.append(reading(1));
    drainer.start();
    await drainer.stop(2);
    expect(journal.backlogRecords).toBe(1);
    journal.restart();
    t.up = true;
    const next = new JournalDrainer({ journal, targets, lingerMs: 0 });
    next.start();
    await until(() => t.points.length === 1);
    await next.stop();
  });

  it('commits a batch only once its announcement is acknowledged; until then it stays in the journal', async () => {
    const journal = new MemoryJournal();
    const { t, targets } = fakeTargets();
    const announcer = { up: false, calls: [] as ReadingRecord[][], acked: [] as number[] };
    const announce = (r: ReadingRecord[]) => {
      announcer.calls.push(r);
      if (!announcer.up) return Promise.reject(new Error('broker unreachable'));
      announcer.acked.push(...r.map((x) => x.ts));
      return Promise.resolve();
    };
    const stages: string[] = [];
    const drainer = new JournalDrainer({
      journal,
      targets: { ...targets, announce },
      maxBatch: 5,
      lingerMs: 0,
      backoff: () => 1,
      onRetry: (_e, _n, _d, stage) => stages.push(stage),
    });
    for (let i = 0; i < 5; i++) journal.append(reading(i));
    drainer.start();
    await until(() => announcer.calls.length >= 3);
    expect(t.points).toHaveLength(5); // stored once: only the announcement is retried
    expect(t.writes).toBe(1);
    expect(new Set(stages)).toEqual(new Set(['announce']));
    expect(drainer.failingStage).toBe('announce');
    expect(journal.backlogRecords).toBe(5); // not committed: a crash now replays and re-announces it
    expect(new Set(announcer.calls).size).toBe(1); // every retry hands over the same batch
    announcer.up = true;
    await until(() => journal.backlogRecords === 0);
    expect(announcer.acked).toEqual([1_000, 1_001, 1_002, 1_003, 1_004]);
    expect(drainer.failing).toBe(false);
    await drainer.stop();
  });

  it('after a crash between announcement and commit, replays the batch: stored and announced again', async () => {
    const journal = new MemoryJournal();
    const { t, targets } = fakeTargets();
    const announced: number[] = [];
    let crash = true;
    const announce = (r: ReadingRecord[]) => {
      announced.push(...r.map((x) => x.ts));
      // the process dies after the broker took the announcement and before the checkpoint
      return crash ? new Promise<void>(() => undefined) : Promise.resolve();
    };
    const drainer = new JournalDrainer({ journal, targets: { ...targets, announce }, lingerMs: 0 });
    for (let i = 0; i < 3; i++) journal.append(reading(i));
    drainer.start();
    await until(() => announced.length === 3);
    journal.restart(); // what a new process finds: nothing committed
    crash = false;
    const next = new JournalDrainer({ journal, targets: { ...targets, announce }, lingerMs: 0 });
    next.start();
    await until(() => journal.backlogRecords === 0);
    expect(announced).toEqual([1_000, 1_001, 1_002, 1_000, 1_001, 1_002]); // at-least-once; the receiver dedupes
    expect(t.points).toHaveLength(6); // written twice: the store is idempotent by (asset, metric, ts)
    await next.stop();
  });

  it('releases back-pressure once the backlog falls below the mark', async () => {
    const journal = new MemoryJournal();
    const { t, targets } = fakeTargets();
    t.up = false;
    const drainer = new JournalDrainer({ journal, targets, lingerMs: 0, backoff: () => 1 });
    for (let i = 0; i < 10; i++) journal.append(reading(i));
    drainer.start();
    let released = false;
    void drainer.waitForSpace(100).then(() => (released = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(released).toBe(false);
    t.up = true;
    await until(() => released);
    await drainer.stop();
  });
});
