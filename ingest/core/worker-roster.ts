// The platform's view of its ingest workers (INGEST_IN_PROCESS=false), from their heartbeats: who is alive, in
// what state, with what backlog. Pure: the caller passes the time.
import type { WorkerHeartbeat } from '../../common/contracts/mqtt.ts';

export type RosterStatus = 'up' | 'degraded' | 'down';

export interface WorkerEntry {
  status: WorkerHeartbeat['status'] | 'silent';
  lastSeenMs: number;
  backlog?: { records: number; bytes: number };
  accepted?: number;
  stored?: number;
}

/** Heartbeats missed before a worker counts as gone. */
const MISSED = 3;
/** A gone worker stays listed this long, then is forgotten (a scaled-in worker leaves the list). */
const FORGET_AFTER_MS = 10 * 60_000;

export class WorkerRoster {
  private readonly workers = new Map<string, { hb: WorkerHeartbeat; receivedAt: number }>();

  heard(hb: WorkerHeartbeat, now: number): void {
    this.workers.set(hb.worker, { hb, receivedAt: now });
  }

  private alive(e: { hb: WorkerHeartbeat; receivedAt: number }, now: number): boolean {
    return e.hb.status !== 'gone' && now - e.receivedAt <= MISSED * e.hb.everyMs;
  }

  /** Workers heard within three of their heartbeat intervals. */
  aliveCount(now: number): number {
    let n = 0;
    for (const e of this.workers.values()) if (this.alive(e, now)) n++;
    return n;
  }

  /**
   * Degraded when no worker is alive (nothing is ingesting) or a live one says it is not up; up otherwise.
   * Never down: the platform still serves its API without ingest.
   */
  report(now: number): { status: RosterStatus; alive: number; workers: Record<string, WorkerEntry> } {
    const workers: Record<string, WorkerEntry> = {};
    let alive = 0;
    let unwell = 0;
    for (const [id, e] of [...this.workers]) {
      const since = now - e.receivedAt;
      if (!this.alive(e, now) && since > FORGET_AFTER_MS) {
        this.workers.delete(id);
        continue;
      }
      const isAlive = this.alive(e, now);
      if (isAlive) {
        alive++;
        if (e.hb.status !== 'up') unwell++;
      }
      workers[id] = {
        status: isAlive ? e.hb.status : e.hb.status === 'gone' ? 'gone' : 'silent',
        lastSeenMs: since,
        ...(e.hb.backlog ? { backlog: e.hb.backlog } : {}),
        ...(e.hb.accepted !== undefined ? { accepted: e.hb.accepted } : {}),
        ...(e.hb.stored !== undefined ? { stored: e.hb.stored } : {}),
      };
    }
    return { status: alive === 0 || unwell > 0 ? 'degraded' : 'up', alive, workers };
  }
}

/** A heartbeat as received, or undefined when it is not one. */
export function parseHeartbeat(payload: string): WorkerHeartbeat | undefined {
  let v: unknown;
  try {
    v = JSON.parse(payload);
  } catch {
    return undefined;
  }
  if (typeof v !== 'object' || v === null) return undefined;
  const hb = v as Partial<WorkerHeartbeat>;
  if (typeof hb.worker !== 'string' || hb.worker.length === 0 || hb.worker.length > 200) return undefined;
  if (typeof hb.at !== 'number' || typeof hb.everyMs !== 'number' || !(hb.everyMs > 0)) return undefined;
  if (!['up', 'degraded', 'down', 'gone'].includes(hb.status as string)) return undefined;
  return hb as WorkerHeartbeat;
}
