// Service history: the closed jobs (completed or cancelled) of an asset or an organisation, with what was done,
// the parts fitted, the technician and the times. Pure: the filter's rules and the shape of one entry.

export const CLOSED_STATUSES = ['COMPLETED', 'CANCELLED'] as const;
export type ClosedStatus = (typeof CLOSED_STATUSES)[number];

export interface ServiceHistoryEntry {
  orderId: string;
  number: number;
  tenantId: string;
  assetId: string;
  assetName: string;
  failureMode: string;
  status: ClosedStatus;
  /** What was done, in words: the repair, or why the job was cancelled. */
  work: string;
  cancelReason: string | null;
  partsFitted: { sku: string; name: string; qty: number }[];
  technician: string | null;
  raisedAt: string;
  acceptedAt: string | null;
  onSiteAt: string | null;
  closedAt: string | null;
  /** Who on the desk accepted the job (null for customers). */
  acceptedBy: string | null;
}

export interface HistoryFilter {
  from?: Date;
  to?: Date;
  status: ClosedStatus[];
}

export type FilterProblem = { ok: false; message: string } | { ok: true; filter: HistoryFilter };

/** The query string's filter, checked: ISO dates, from before to, statuses of the closed ones. */
export function parseHistoryFilter(q: { from?: string; to?: string; status?: string }): FilterProblem {
  const date = (s: string | undefined) => (s === undefined ? undefined : new Date(s));
  const from = date(q.from);
  const to = date(q.to);
  if (from && Number.isNaN(from.getTime())) return { ok: false, message: '`from` is not a date' };
  if (to && Number.isNaN(to.getTime())) return { ok: false, message: '`to` is not a date' };
  // PostgreSQL refuses year 0 (JavaScript's 1 BC) with an error, not an empty answer: no job predates 1970
  if (from && from.getTime() < 0) return { ok: false, message: '`from` is before 1970' };
  if (to && to.getTime() < 0) return { ok: false, message: '`to` is before 1970' };
  if (from && to && from > to) return { ok: false, message: '`from` is after `to`' };
  const status = q.status ? q.status.split(',') : [...CLOSED_STATUSES];
  const bad = status.find((s) => !(CLOSED_STATUSES as readonly string[]).includes(s));
  if (bad !== undefined)
    return {
      ok: false,
      message: `status ${JSON.stringify(bad)} is not one of ${CLOSED_STATUSES.join(', ')}`,
    };
  return { ok: true, filter: { from, to, status: status as ClosedStatus[] } };
}

/** Parts fitted: the consumed reservations; a completed job without one fitted its failure mode's part. */
export function partsFitted(
  status: ClosedStatus,
  consumed: { sku: string; name: string; qty: number }[],
  modePart: { sku: string; name: string; qty: number },
): { sku: string; name: string; qty: number }[] {
  if (status !== 'COMPLETED') return [];
  return consumed.length ? consumed : [modePart];
}

export function workDone(status: ClosedStatus, failureMode: string, cancelReason: string | null): string {
  if (status === 'COMPLETED') return `Repaired: ${failureMode}`;
  const why = cancelReason ? cancelReason.toLowerCase().replaceAll('_', ' ') : 'no reason given';
  return `Cancelled (${why}): ${failureMode}`;
}

/** A customer sees the job, not who on the desk accepted it. */
export const historyEntryForCustomer = (e: ServiceHistoryEntry): ServiceHistoryEntry => ({
  ...e,
  acceptedBy: null,
});
