// What a parsed message becomes in the journal: one record per reading or event, a status change, or a dead letter.
import type { ParseOutcome } from './parse-message.ts';
import type { JournalRecord } from './journal.ts';

/** Bytes of a refused payload kept with its dead letter. */
export const RAW_KEEP_BYTES = 4_096;

export function journalRecordsFor(
  outcome: ParseOutcome,
  topic: string,
  payload: Uint8Array,
  /** When ingest took the message: kept with a status (core/status-time.ts). */
  receivedAt?: Date,
): JournalRecord[] {
  if (!outcome.ok) {
    return [
      {
        k: 'reject',
        topic: topic.slice(0, 512),
        reason: outcome.reason,
        detail: outcome.detail.slice(0, 1_000),
        raw: Buffer.from(payload.subarray(0, RAW_KEEP_BYTES)).toString('base64'),
        rawBytes: payload.byteLength,
      },
    ];
  }
  const { assetId, tenantId } = outcome.asset;
  if (outcome.kind === 'status')
    return [
      {
        k: 'status',
        assetId,
        tenantId,
        online: outcome.online,
        ...(outcome.condition ? { condition: outcome.condition } : {}),
        at: outcome.at.getTime(),
        ...(receivedAt ? { receivedAt: receivedAt.getTime() } : {}),
      },
    ];
  if (outcome.kind === 'events')
    return outcome.events.map((e) => ({
      k: 'event',
      assetId,
      tenantId,
      ts: e.ts.getTime(),
      code: e.code,
      severity: e.severity,
    }));
  return outcome.readings.map((r) => ({
    k: 'reading',
    assetId,
    tenantId,
    ts: r.ts.getTime(),
    metrics: r.metrics,
  }));
}
