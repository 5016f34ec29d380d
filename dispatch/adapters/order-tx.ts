// Building blocks of the transactions that change an order: lock it, read its state, and move stock with
// guarded updates (never below zero, never more reserved than on hand), the same way network-store.ts commits.
import type { Prisma } from '../../common/db.ts';
import { AppError } from '../../common/errors.ts';
import type { OrderState } from '../core/lifecycle.ts';
import { arrivalReadyAt, pickTransfers } from '../core/transfer-reservations.ts';

export type Tx = Prisma.TransactionClient;

const include = {
  failureMode: { include: { part: true } },
  asset: { include: { site: true } },
  technician: true,
  pickupLocation: true,
  sourceLocation: true,
  reservations: { where: { status: 'HELD' as const } },
  shipments: { where: { status: { in: ['PLANNED' as const, 'IN_TRANSIT' as const] } } },
} satisfies Prisma.ServiceOrderInclude;

export type LockedOrder = Prisma.ServiceOrderGetPayload<{ include: typeof include }>;

/** Locks the order row until the transaction ends (concurrent changes of one order run one after another). */
export async function lockOrder(tx: Tx, id: string): Promise<LockedOrder> {
  const rows = await tx.$queryRaw<
    { id: string }[]
  >`SELECT id FROM "ServiceOrder" WHERE id = ${id} FOR UPDATE`;
  if (rows.length === 0) throw new AppError('NOT_FOUND', 'no such order');
  return tx.serviceOrder.findUniqueOrThrow({ where: { id }, include });
}

export function stateOf(o: {
  status: OrderState['status'];
  acceptedAt: Date | null;
  riskCleared: boolean;
  sourceLocationId: string | null;
  pickupLocationId: string | null;
}): OrderState {
  return {
    status: o.status,
    accepted: o.acceptedAt !== null,
    riskCleared: o.riskCleared,
    shipping: o.sourceLocationId !== null && o.sourceLocationId !== o.pickupLocationId,
  };
}

export interface StockMove {
  locationId: string;
  partId: string;
  qty: number;
  kind: 'reserve' | 'release' | 'consume';
  /** For messages: the location's code. */
  label: string;
}

/**
 * Applies stock moves in a fixed order (by location and part), so two transactions moving stock between the
 * same locations in opposite directions wait for each other instead of deadlocking.
 */
export async function moveStock(tx: Tx, moves: StockMove[]): Promise<void> {
  const sorted = [...moves].sort(
    (a, b) => a.locationId.localeCompare(b.locationId) || a.partId.localeCompare(b.partId),
  );
  for (const m of sorted) {
    let n: number;
    if (m.kind === 'reserve')
      n = await tx.$executeRaw`UPDATE "StockLevel" SET reserved = reserved + ${m.qty}, "updatedAt" = now()
        WHERE "locationId" = ${m.locationId} AND "partId" = ${m.partId} AND "onHand" - reserved >= ${m.qty}`;
    else if (m.kind === 'release')
      n = await tx.$executeRaw`UPDATE "StockLevel" SET reserved = reserved - ${m.qty}, "updatedAt" = now()
        WHERE "locationId" = ${m.locationId} AND "partId" = ${m.partId} AND reserved >= ${m.qty}`;
    else
      n = await tx.$executeRaw`UPDATE "StockLevel"
        SET reserved = reserved - ${m.qty}, "onHand" = "onHand" - ${m.qty},
          refurbished = GREATEST(LEAST(refurbished, "onHand") - ${m.qty}, 0), "updatedAt" = now()
        WHERE "locationId" = ${m.locationId} AND "partId" = ${m.partId}
          AND reserved >= ${m.qty} AND "onHand" >= ${m.qty}`;
    if (n !== 1) {
      if (m.kind === 'reserve')
        throw new AppError('DISPATCH_STOCK_CONFLICT', `${m.label} does not have ${m.qty} available`);
      throw new Error(`stock of ${m.label} does not hold the reservation to ${m.kind} (${m.qty})`);
    }
  }
}

/**
 * Releases (or consumes) every held reservation of the order and marks them so. One held against a transfer still
 * in transit moves no stock (its units are not on a shelf yet): marking it frees them on the transfer.
 */
export function settleReservations(
  o: LockedOrder,
  kind: 'release' | 'consume',
  label: (id: string) => string,
) {
  const moves: StockMove[] = o.reservations
    .filter((r) => r.transferId === null)
    .map((r) => ({
      locationId: r.locationId,
      partId: r.partId,
      qty: r.qty,
      kind,
      label: label(r.locationId),
    }));
  return {
    moves,
    async mark(tx: Tx) {
      await tx.reservation.updateMany({
        where: { id: { in: o.reservations.map((r) => r.id) } },
        data: { status: kind === 'release' ? 'RELEASED' : 'CONSUMED' },
      });
    },
  };
}

/** Adds parts to a location's stock (a return booked back in), creating its stock level if it has none. */
/**
 * Takes `qty` unreserved units off a shelf to send them away: new units first, refurbished ones only when no new
 * unit is left (they stay refurbished on the way). Null when the shelf no longer has them unreserved.
 */
export async function takeFromShelf(
  tx: Tx,
  locationId: string,
  partId: string,
  qty: number,
): Promise<{ refurbished: number } | null> {
  const [moved] = await tx.$queryRaw<{ refurbished: number }[]>`
    UPDATE "StockLevel" s SET "onHand" = s."onHand" - ${qty},
      refurbished = s.refurbished - GREATEST(0, ${qty} - (s."onHand" - s.refurbished)), "updatedAt" = now()
    FROM "StockLevel" before
    WHERE s."locationId" = ${locationId} AND s."partId" = ${partId} AND s."onHand" - s.reserved >= ${qty}
      AND before."locationId" = s."locationId" AND before."partId" = s."partId"
    RETURNING GREATEST(0, ${qty} - (before."onHand" - before.refurbished))::int AS refurbished`;
  return moved ?? null;
}

export async function restock(tx: Tx, locationId: string, partId: string, qty: number): Promise<void> {
  await tx.$executeRaw`INSERT INTO "StockLevel" ("locationId", "partId", "onHand", reserved, "updatedAt")
    VALUES (${locationId}, ${partId}, ${qty}, 0, now())
    ON CONFLICT ("locationId", "partId") DO UPDATE SET "onHand" = "StockLevel"."onHand" + ${qty}, "updatedAt" = now()`;
}

/**
 * The transfers in transit to a location with a part, locked (SELECT … FOR UPDATE, in id order, as a delivery and
 * the planner's commit lock them) with their units already held by orders, so free units are counted under the lock
 * and two reservations never hold more of a transfer than it carries.
 */
export async function lockTransfersTo(tx: Tx, locationId: string, partId: string) {
  const ids = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM "StockTransfer"
    WHERE "toLocationId" = ${locationId} AND "partId" = ${partId} AND status = 'IN_TRANSIT'
    ORDER BY id FOR UPDATE`;
  const rows = await tx.stockTransfer.findMany({
    where: { id: { in: ids.map((x) => x.id) } },
    select: {
      id: true,
      qty: true,
      etaAt: true,
      trackingState: true,
      reservations: { where: { status: 'HELD' }, select: { qty: true } },
    },
  });
  return rows.map((t) => ({ ...t, reserved: t.reservations.reduce((n, x) => n + x.qty, 0) }));
}

/**
 * Reserves `qty` units in transit to a location (a restage onto units on their way): the transfers to it are locked
 * (in id order, as a delivery and the planner's commit lock them), their free units counted under the lock, and the
 * earliest-arriving taken, each reservation against its transfer (off the location's stock; the delivery moves it
 * onto the shelf). Returns when the last of them arrives. 409 DISPATCH_STOCK_CONFLICT when not enough are on the way.
 */
export async function reserveArriving(
  tx: Tx,
  r: { orderId: string; locationId: string; partId: string; qty: number; label: string },
): Promise<Date> {
  const free = await lockTransfersTo(tx, r.locationId, r.partId);
  const ready = arrivalReadyAt(free, r.qty);
  const picked = ready ? pickTransfers(free, r.qty, ready) : null;
  if (!ready || !picked)
    throw new AppError(
      'DISPATCH_STOCK_CONFLICT',
      `${r.label} does not have ${r.qty} unreserved in transit to it`,
    );
  for (const p of picked)
    await tx.reservation.create({
      data: {
        orderId: r.orderId,
        locationId: r.locationId,
        partId: r.partId,
        qty: p.qty,
        transferId: p.transferId,
      },
    });
  return ready;
}
