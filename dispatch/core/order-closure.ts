// Closing an order: why it was cancelled, how long predict stays quiet about the pair afterwards, the
// risk-cleared policy (release the technician and parts after a grace period, or keep the job until a dispatcher
// decides), and the status phrase a customer sees. Pure: plain data in, decisions out.
import type { CancelReason } from '../../common/events.ts';
import type { OrderStatus } from './lifecycle.ts';

export type { CancelReason };

export const CANCEL_REASONS = [
  'FALSE_ALARM',
  'CUSTOMER_DECLINED',
  'DUPLICATE',
  'ALREADY_FIXED',
  'RISK_CLEARED',
  'OTHER',
] as const satisfies readonly CancelReason[];

const LABELS: Record<CancelReason, string> = {
  FALSE_ALARM: 'false alarm',
  CUSTOMER_DECLINED: 'customer declined',
  DUPLICATE: 'duplicate',
  ALREADY_FIXED: 'already fixed',
  RISK_CLEARED: 'risk cleared',
  OTHER: 'other',
};

export const cancelReasonLabel = (r: CancelReason): string => LABELS[r];

/** The longest snooze a cancel may ask for: 30 days. */
export const MAX_SNOOZE_HOURS = 720;

/** Until when predict raises no order for the pair; undefined for no snooze (0 or absent). */
export function snoozeUntil(now: Date, hours: number | undefined): Date | undefined {
  if (hours === undefined || hours <= 0) return undefined;
  if (!Number.isFinite(hours) || hours > MAX_SNOOZE_HOURS)
    throw new RangeError(`snooze of ${hours} h is outside 0-${MAX_SNOOZE_HOURS} h`);
  return new Date(now.getTime() + hours * 3_600_000);
}

/** The note of the cancel in the order's history: reason, the dispatcher's note, the snooze. */
export function cancelNote(c: { reason: CancelReason; note?: string; snoozeUntil?: Date }): string {
  const note = c.note?.trim();
  return [
    note ? `${cancelReasonLabel(c.reason)}: ${note}` : cancelReasonLabel(c.reason),
    c.snoozeUntil ? `no new order for this failure mode before ${c.snoozeUntil.toISOString()}` : null,
  ]
    .filter(Boolean)
    .join('; ');
}

export type RiskClearedMode = 'release' | 'confirm';

export interface RiskClearedPolicy {
  mode: RiskClearedMode;
  graceMinutes: number;
}

/**
 * Statuses the platform may release on its own under the `release` policy: the technician has not left yet.
 * Once en route or on site, a dispatcher decides (as under `confirm`).
 */
export const RELEASABLE_STATUSES: readonly OrderStatus[] = [
  'PREDICTED',
  'PLANNED',
  'PARTS_IN_TRANSIT',
  'PARTS_STAGED',
];

export interface FlaggedOrder {
  status: OrderStatus;
  riskCleared: boolean;
  /** When predict flagged it (null: flagged before flags carried a time; left to a dispatcher). */
  riskClearedAt: Date | null;
}

/** Whether the platform releases the order now: `release` policy, still flagged past the grace, releasable. */
export function releaseDue(o: FlaggedOrder, policy: RiskClearedPolicy, now: Date): boolean {
  if (policy.mode !== 'release' || !o.riskCleared || !o.riskClearedAt) return false;
  if (!RELEASABLE_STATUSES.includes(o.status)) return false;
  return now.getTime() - o.riskClearedAt.getTime() >= policy.graceMinutes * 60_000;
}

/** The order's status as the customer sees it. */
export function customerStatus(o: {
  status: OrderStatus;
  riskCleared: boolean;
  cancelReason: CancelReason | null;
}): string {
  if (o.status === 'CANCELLED')
    return o.cancelReason === 'RISK_CLEARED' ? 'cancelled – risk cleared' : 'cancelled';
  if (o.status === 'COMPLETED') return 'completed';
  if (o.riskCleared) return 'risk cleared – under review';
  return o.status.toLowerCase().replaceAll('_', ' ');
}
