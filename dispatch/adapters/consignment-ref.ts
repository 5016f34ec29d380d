// What a reference names among our consignments: a stock transfer or a return, by document code (TRF-000123,
// RMA-000042) or record id. Used by the carrier webhook and the desk's re-send.
import type { Db } from '../../common/db.ts';
import { parseCarrierReference } from '../core/carrier.ts';

export async function resolveConsignment(
  db: Db,
  ref: string,
): Promise<{ kind: 'transfer' | 'return'; id: string } | null> {
  const r = parseCarrierReference(ref);
  if (r.kind === 'id') {
    if (await db.stockTransfer.findUnique({ where: { id: r.id }, select: { id: true } }))
      return { kind: 'transfer', id: r.id };
    if (await db.returnAuthorization.findUnique({ where: { id: r.id }, select: { id: true } }))
      return { kind: 'return', id: r.id };
    return null;
  }
  const found =
    r.kind === 'transfer'
      ? await db.stockTransfer.findUnique({ where: { number: r.number }, select: { id: true } })
      : await db.returnAuthorization.findUnique({ where: { number: r.number }, select: { id: true } });
  return found ? { kind: r.kind, id: found.id } : null;
}
