// The latest applied parts review, as other stock decisions read it (return routing, re-sends): its number and each
// location's target for one part.
import type { StockRow } from '../core/parts-planner/plan-summary.ts';
import type { Tx } from './order-tx.ts';
import type { Db } from '../../common/db.ts';

/** The latest APPLIED review's targets for `sku` by location code (empty: no applied plan, or none has the sku). */
export async function appliedPlanTargets(
  tx: Tx | Db,
  sku: string,
): Promise<{ review: { number: number } | null; targets: Map<string, number> }> {
  const review = await tx.partsReview.findFirst({
    where: { status: 'APPLIED' },
    orderBy: { number: 'desc' },
    select: { number: true, summary: true },
  });
  const targets = new Map<string, number>();
  const summary = review?.summary as { locations?: { code: string; rows: StockRow[] }[] } | undefined;
  for (const l of summary?.locations ?? [])
    for (const r of l.rows) if (r.sku === sku) targets.set(l.code, r.target);
  return { review: review ? { number: review.number } : null, targets };
}
