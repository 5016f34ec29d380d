// Reverse logistics: which parts go back when a job completes, where they go, and the life of a return
// authorization (authorized → received → closed; a defective part closes with the repair depot's finding).
import { AppError } from '../../common/errors.ts';

export type ReturnReason = 'DEFECTIVE' | 'UNUSED';
export type RepairFinding = 'FAILURE_CONFIRMED' | 'NO_FAULT_FOUND';
export type ReturnState = 'AUTHORIZED' | 'RECEIVED' | 'CLOSED';

export interface Completion {
  /** Parts staged for the job. */
  qty: number;
  /** Parts the technician fitted (each replaced a removed, presumably defective one). Default: all. */
  usedQty?: number;
  /** Serial number of the removed part, as the technician read it. */
  removedSerial?: string;
  /** Where defective parts go for repair and failure analysis (a repair depot). */
  repairDepotId?: string;
  /** The stock location the part was drawn from: unused parts go back there. */
  stockHomeId: string;
}

export interface PlannedReturn {
  reason: ReturnReason;
  qty: number;
  serial: string;
  toLocationId: string;
}

/** The returns of a completed job: the removed part(s) to the repair depot, unused ones back to stock. */
export function returnsOnCompletion(c: Completion): PlannedReturn[] {
  const used = c.usedQty ?? c.qty;
  if (!Number.isInteger(used) || used < 0 || used > c.qty)
    throw new AppError('VALIDATION_FAILED', `usedQty must be a whole number from 0 to ${c.qty}`);
  const out: PlannedReturn[] = [];
  if (used > 0)
    out.push({
      reason: 'DEFECTIVE',
      qty: used,
      serial: c.removedSerial?.trim() ?? '',
      toLocationId: c.repairDepotId ?? c.stockHomeId,
    });
  if (c.qty - used > 0)
    out.push({ reason: 'UNUSED', qty: c.qty - used, serial: '', toLocationId: c.stockHomeId });
  return out;
}

/** What a repair depot's finding says about the prediction that raised the order. */
export function outcomeOf(finding: RepairFinding): 'CONFIRMED' | 'REFUTED' {
  return finding === 'FAILURE_CONFIRMED' ? 'CONFIRMED' : 'REFUTED';
}

export interface ReturnFacts {
  number: number;
  reason: ReturnReason;
  receivedAt: Date | null;
  closedAt: Date | null;
}

export function returnState(r: ReturnFacts): ReturnState {
  return r.closedAt ? 'CLOSED' : r.receivedAt ? 'RECEIVED' : 'AUTHORIZED';
}

/** The RMA number as printed and barcoded: RMA-000042. */
export const rmaCode = (n: number) => `RMA-${String(n).padStart(6, '0')}`;

const refuse = (r: ReturnFacts, why: string) =>
  new AppError('DISPATCH_ILLEGAL_TRANSITION', `${rmaCode(r.number)}: ${why}`);

/**
 * Receipt at the destination. An unused part goes back on the shelf and closes the return; a defective part
 * waits at the repair depot for its finding.
 */
export function decideReceipt(r: ReturnFacts): { closes: boolean; restock: boolean } {
  if (returnState(r) !== 'AUTHORIZED') throw refuse(r, 'already received');
  return r.reason === 'UNUSED' ? { closes: true, restock: true } : { closes: false, restock: false };
}

/** A finding is recorded once, for a defective part (received with it if the receipt was not booked). */
export function decideFinding(r: ReturnFacts): void {
  if (r.reason !== 'DEFECTIVE') throw refuse(r, 'an unused part has no repair finding');
  if (returnState(r) === 'CLOSED') throw refuse(r, 'the finding is already recorded');
}
