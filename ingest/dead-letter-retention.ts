// Retention of the dead letters: every DEAD_LETTER_SWEEP_SECONDS (and once at start) those received more than
// DEAD_LETTER_RETENTION_DAYS ago by the platform's clock are deleted, a bounded batch at a time. Each process that
// stores dead letters runs it (the platform, or each `npm run ingest` worker); sweeps running side by side only
// find less to delete.
import type { Clock } from '../common/clock.ts';
import type { Logger } from '../common/logger.ts';
import { ingestMetrics } from '../common/metrics.ts';
import type { RejectStore } from './adapters/reject-store.ts';
import { retentionCutoff, sweepOlderThan } from './core/dead-letter-cap.ts';

export interface DeadLetterRetention {
  /** One sweep now; the rows deleted. */
  sweep(): Promise<number>;
  stop(): void;
}

export function startDeadLetterRetention(o: {
  rejects: Pick<RejectStore, 'deleteOlderThan'>;
  clock: Clock;
  log: Logger;
  /** 0: dead letters are kept, nothing is swept. */
  retentionDays: number;
  everyMs: number;
  batchSize?: number;
}): DeadLetterRetention {
  const sweep = async () => {
    const cutoff = retentionCutoff(o.clock.now(), o.retentionDays);
    if (!cutoff) return 0;
    const deleted = await sweepOlderThan(
      cutoff,
      (c, limit) => o.rejects.deleteOlderThan(c, limit),
      o.batchSize,
    );
    if (deleted > 0) {
      ingestMetrics.deadLettersDeleted.inc(deleted);
      o.log.info({ deleted, before: cutoff.toISOString() }, 'deleted dead letters past their retention');
    }
    return deleted;
  };
  if (o.retentionDays <= 0) return { sweep, stop: () => {} };
  let running = false;
  const run = () => {
    if (running) return;
    running = true;
    sweep()
      .catch((err: unknown) => o.log.error({ err }, 'dead letter retention sweep failed'))
      .finally(() => (running = false));
  };
  const timer = setInterval(run, o.everyMs);
  timer.unref();
  run();
  return { sweep, stop: () => clearInterval(timer) };
}
