// Units in transit for the staging planner (issue #15, ADR 0022): a stock transfer on its way counts at its
// destination from its ETA, less what orders have reserved of it already; a plan that uses such a unit reserves it
// against the transfers that bring it there by the ETA the plan counted on.

/** A stock transfer in transit, with what orders hold of it (HELD reservations against it). */
export interface TransferInTransit {
  id: string;
  /** Destination location code. */
  to: string;
  sku: string;
  qty: number;
  reserved: number;
  etaAt: Date;
  /** The carrier's tracking state: a transfer in EXCEPTION is not counted on. */
  trackingState: string;
}

/** The free units of transfers in transit as the planner's arrivals, by destination code (ETA as ISO text). */
export function transferArrivals(
  transfers: readonly TransferInTransit[],
): Map<string, { sku: string; qty: number; eta: string }[]> {
  const out = new Map<string, { sku: string; qty: number; eta: string }[]>();
  for (const t of transfers) {
    const free = t.qty - t.reserved;
    if (free <= 0 || t.trackingState === 'EXCEPTION') continue;
    const row = out.get(t.to) ?? [];
    row.push({ sku: t.sku, qty: free, eta: t.etaAt.toISOString() });
    out.set(t.to, row);
  }
  return out;
}

/**
 * Which transfers a committed plan's `qty` arriving units come from: those arriving by `eta` (the plan's ETA at the
 * location), the earliest first (ties by id, the order the rows are locked in). Null when they do not hold enough
 * free units any more (another plan took them, or one failed): the commit is refused, the next round re-plans.
 */
export function pickTransfers(
  transfers: readonly { id: string; qty: number; reserved: number; etaAt: Date; trackingState: string }[],
  qty: number,
  eta: Date,
): { transferId: string; qty: number }[] | null {
  const usable = transfers
    .filter(
      (t) => t.etaAt.getTime() <= eta.getTime() && t.trackingState !== 'EXCEPTION' && t.qty > t.reserved,
    )
    .sort((a, b) => a.etaAt.getTime() - b.etaAt.getTime() || a.id.localeCompare(b.id));
  const out: { transferId: string; qty: number }[] = [];
  let left = qty;
  for (const t of usable) {
    if (left <= 0) break;
    const n = Math.min(left, t.qty - t.reserved);
    out.push({ transferId: t.id, qty: n });
    left -= n;
  }
  return left > 0 ? null : out;
}

/**
 * When `qty` free units of these transfers (in transit to one location) have all arrived: the earliest ETA by which
 * that many are there, a failed (EXCEPTION) transfer not counted. Null when they never carry that many. Reserving
 * them with `pickTransfers(transfers, qty, thatEta)` then succeeds on the same rows.
 */
export function arrivalReadyAt(
  transfers: readonly { id: string; qty: number; reserved: number; etaAt: Date; trackingState: string }[],
  qty: number,
): Date | null {
  const usable = transfers
    .filter((t) => t.trackingState !== 'EXCEPTION' && t.qty > t.reserved)
    .sort((a, b) => a.etaAt.getTime() - b.etaAt.getTime() || a.id.localeCompare(b.id));
  let have = 0;
  for (const t of usable) {
    have += t.qty - t.reserved;
    if (have >= qty) return t.etaAt;
  }
  return null;
}
