// Re-sending a consignment the carrier lost or damaged (written off on its exception): a new stock transfer to the
// same destination from the source core/consignment-resend.ts decides, read from live data (each location's
// unreserved units and the latest applied parts review's targets) in one transaction on the locked consignment.
// Once per consignment: a second call answers the transfer made the first time (StockTransfer.resendOf, unique).
import { writeAudit } from '../../common/audit-log.ts';
import type { Db } from '../../common/db.ts';
import { AppError } from '../../common/errors.ts';
import { decideResend, type LostConsignment, type ResendCandidate } from '../core/consignment-resend.ts';
import { DEFAULT_POLICY, type PlanPolicy } from '../core/policy.ts';
import { rmaCode } from '../core/returns.ts';
import { transferCode } from '../core/transfer-document.ts';
import { appliedPlanTargets } from './applied-plan.ts';
import { resolveConsignment } from './consignment-ref.ts';
import { takeFromShelf, type Tx } from './order-tx.ts';

export interface ResendResult {
  /** False: re-sent before, this is that transfer. */
  created: boolean;
  transferId: string;
}

/** The lost consignment's facts, its row locked until the transaction ends. */
async function lockLost(
  tx: Tx,
  c: { kind: 'transfer' | 'return'; id: string },
): Promise<LostConsignment & { toLocationId: string; partId: string }> {
  if (c.kind === 'transfer') {
    await tx.$queryRaw`SELECT id FROM "StockTransfer" WHERE id = ${c.id} FOR UPDATE`;
    const t = await tx.stockTransfer.findUniqueOrThrow({
      where: { id: c.id },
      include: { toLocation: { select: { code: true } } },
    });
    return {
      code: transferCode(t.number),
      writtenOff: t.status === 'WRITTEN_OFF',
      defective: false,
      to: t.toLocation.code,
      toLocationId: t.toLocationId,
      partId: t.partId,
      qty: t.qty,
    };
  }
  await tx.$queryRaw`SELECT id FROM "ReturnAuthorization" WHERE id = ${c.id} FOR UPDATE`;
  const r = await tx.returnAuthorization.findUniqueOrThrow({
    where: { id: c.id },
    include: { toLocation: { select: { code: true } } },
  });
  return {
    code: rmaCode(r.number),
    // received after all (turned up): nothing lost any more
    writtenOff: r.writtenOffAt !== null && r.receivedAt === null,
    defective: r.reason === 'DEFECTIVE',
    to: r.toLocation.code,
    toLocationId: r.toLocationId,
    partId: r.partId,
    qty: r.qty,
  };
}

export async function resendConsignment(
  db: Db,
  ref: string,
  actor: string,
  now: Date,
  policy: PlanPolicy = DEFAULT_POLICY,
): Promise<ResendResult> {
  const target = await resolveConsignment(db, ref);
  if (!target) throw new AppError('NOT_FOUND', 'no such transfer or return');
  return db.$transaction(async (tx) => {
    const lost = await lockLost(tx, target);
    // idempotent: the consignment is locked, so a concurrent re-send waits here and finds this one
    const before = await tx.stockTransfer.findUnique({
      where: { resendOf: target.id },
      select: { id: true },
    });
    if (before) return { created: false, transferId: before.id };
    const part = await tx.part.findUniqueOrThrow({ where: { id: lost.partId }, select: { sku: true } });
    const { targets } = await appliedPlanTargets(tx, part.sku);
    const locations = await tx.stockLocation.findMany({
      include: { stock: { where: { partId: lost.partId } } },
    });
    const candidates: (ResendCandidate & { id: string })[] = locations.map((l) => ({
      id: l.id,
      code: l.code,
      kind: l.kind,
      lat: l.lat,
      lon: l.lon,
      available: Math.max(0, (l.stock[0]?.onHand ?? 0) - (l.stock[0]?.reserved ?? 0)),
      // a plan that has the part sets 0 wherever it lists no row for it
      target: targets.size > 0 ? (targets.get(l.code) ?? 0) : null,
    }));
    const d = decideResend(lost, candidates, now, policy);
    if (!d.ok) throw new AppError(d.code, d.why);
    const from = candidates.find((c) => c.code === d.from)!;
    // the units leave the source's shelf (new first, as a plan's transfer), never reserved ones
    const moved = await takeFromShelf(tx, from.id, lost.partId, lost.qty);
    if (!moved)
      throw new AppError(
        'PARTS_RESEND_NO_STOCK',
        `${d.from} no longer has ${lost.qty} × ${part.sku} available`,
      );
    const t = await tx.stockTransfer.create({
      data: {
        resendOf: target.id,
        routeReason: d.reason,
        fromLocationId: from.id,
        toLocationId: lost.toLocationId,
        partId: lost.partId,
        qty: lost.qty,
        refurbished: moved.refurbished,
        mode: d.mode,
        cost: d.cost,
        shipAt: d.shipAt,
        etaAt: d.etaAt,
      },
      select: { id: true, number: true },
    });
    await writeAudit(
      tx,
      { id: actor, email: actor },
      {
        action: 'stock.resent',
        target: { id: target.id, label: `${target.kind} ${lost.code}` },
        before: null,
        after: {
          transfer: transferCode(t.number),
          from: d.from,
          to: lost.to,
          sku: part.sku,
          qty: lost.qty,
          mode: d.mode,
          reason: d.reason,
        },
      },
    );
    return { created: true, transferId: t.id };
  });
}
