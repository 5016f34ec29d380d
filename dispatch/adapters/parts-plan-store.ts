// PartsPlanStore: parts reviews with their plans, and the stock transfers an approved plan becomes
// (docs/adr/0013-stock-transfers.md). Applying is one transaction: the touched stock rows are locked, compared with
// the basis the plan was made from, and either every transfer is created (units out of the source's serviceable,
// unreserved stock) or none — a plan whose stock moved meanwhile is marked STALE and refused whole.
import type { Db, Prisma } from '../../common/db.ts';
import { AppError } from '../../common/errors.ts';
import type { PlanSummary } from '../core/parts-planner/plan-summary.ts';
import { staleCells } from '../core/parts-planner/transfers.ts';
import type { TransferLine } from '../core/parts-planner/transfers.ts';
import { rmaCode } from '../core/returns.ts';
import { transferCode } from '../core/transfer-document.ts';
import { resendConsignment } from './consignment-resend.ts';
import { takeFromShelf, type Tx } from './order-tx.ts';
import type { TransferDocument } from '../core/transfer-document.ts';

export type StockMap = Record<string, Record<string, number>>;

/** A transfer line as stored in a review's summary (dates as ISO strings). */
export type ProposedTransfer = Omit<TransferLine, 'shipAt' | 'etaAt'> & { shipAt: string; etaAt: string };

export interface ReviewSummary extends PlanSummary {
  transfers: ProposedTransfer[];
  shortfall: { location: string; sku: string; qty: number }[];
  calibration: {
    resolved: number;
    bins: { lo: number; hi: number; n: number; confirmed: number; p: number }[];
  };
  baseRatePerDay: Record<string, number>;
  /** The planner's own level at the hub (buying or disposing is not a transfer: see docs/parts-planning.md). */
  hubPlannerTarget: Record<string, number>;
  planner: { scenarios: number; validationCost: number };
}

export interface NewReview {
  trigger: 'SCHEDULED' | 'ON_DEMAND';
  requestedBy: string;
  reviewedAt: Date;
  horizonDays: number;
  basis: StockMap;
  summary: ReviewSummary;
  planMs: number;
}

export type PlanStatus = 'PROPOSED' | 'APPLIED' | 'STALE' | 'SUPERSEDED';

export interface ReviewItem {
  id: string;
  number: number;
  trigger: 'SCHEDULED' | 'ON_DEMAND';
  requestedBy: string;
  reviewedAt: string;
  horizonDays: number;
  status: PlanStatus;
  planMs: number;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionNote: string | null;
  assets: number;
  predicted: number;
  proposedTransfers: number;
  plan: { total: number; fillWithinSla: number; inventoryValue: number };
  today: { total: number; fillWithinSla: number; inventoryValue: number };
}

export interface ReviewDetail extends ReviewItem {
  summary: ReviewSummary;
  transfers: TransferView[];
}

export interface TransferView {
  id: string;
  number: number;
  code: string;
  /** null for a returned unit's way from the repair depot (returnId). */
  reviewId: string | null;
  reviewNumber: number | null;
  returnId: string | null;
  from: string;
  to: string;
  sku: string;
  qty: number;
  refurbished: number;
  /** Of qty, units held for orders while in transit (their reservations move onto the shelf on delivery). */
  reserved: number;
  mode: 'COURIER' | 'OVERNIGHT';
  cost: number;
  shipAt: string;
  etaAt: string;
  status: 'IN_TRANSIT' | 'RECEIVED' | 'WRITTEN_OFF';
  trackingState: string;
  /** The carrier, from its first tracking event. */
  carrier: string | null;
  trackingAt: string | null;
  receivedAt: string | null;
  receivedBy: string | null;
  /** RESEND: replaces a consignment the carrier lost or damaged (resendOf). */
  purpose: 'RESTOCK' | 'EXCESS' | 'RETURN' | 'RESEND';
  /** Why this destination (a returned unit: the location whose target it fills). */
  routeReason: string | null;
  /** Written off on a carrier exception (lost, damaged): when and why. */
  writtenOffAt: string | null;
  writeOffReason: string | null;
  /** The written-off transfer's or return's id this one re-sends. */
  resendOf: string | null;
}

export interface PartsPlanStore {
  /** Stores a review; older reviews still waiting for approval are superseded by it. */
  create(r: NewReview): Promise<ReviewDetail>;
  list(limit: number): Promise<ReviewItem[]>;
  get(id: string): Promise<ReviewDetail | null>;
  /** All or nothing; PARTS_PLAN_STALE (and the review marked STALE) when the stock moved since the review. */
  apply(id: string, actor: string, now: Date): Promise<ReviewDetail>;
  transfers(q: {
    status?: 'IN_TRANSIT' | 'RECEIVED' | 'WRITTEN_OFF';
    reviewId?: string;
    limit: number;
  }): Promise<TransferView[]>;
  receive(id: string, actor: string, now: Date): Promise<TransferView>;
  /** Re-sends a transfer or return written off on a carrier exception, once (docs/reverse-logistics.md). */
  resend(ref: string, actor: string, now: Date): Promise<{ created: boolean; transfer: TransferView }>;
  document(id: string): Promise<TransferDocument | null>;
}

const TRANSFER_INCLUDE = {
  fromLocation: { select: { code: true, kind: true } },
  toLocation: { select: { code: true } },
  part: { select: { sku: true } },
  review: { select: { number: true } },
  return: { select: { number: true } },
  reservations: { where: { status: 'HELD' }, select: { qty: true } },
} as const;

type TransferRow = Prisma.StockTransferGetPayload<{ include: typeof TRANSFER_INCLUDE }>;
type ReviewRow = Prisma.PartsReviewGetPayload<object>;

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

function transferView(t: TransferRow): TransferView {
  return {
    id: t.id,
    number: t.number,
    code: transferCode(t.number),
    reviewId: t.reviewId,
    reviewNumber: t.review?.number ?? null,
    returnId: t.returnId,
    from: t.fromLocation.code,
    to: t.toLocation.code,
    sku: t.part.sku,
    qty: t.qty,
    refurbished: t.refurbished,
    reserved: t.reservations.reduce((n, r) => n + r.qty, 0),
    mode: t.mode,
    cost: t.cost,
    shipAt: t.shipAt.toISOString(),
    etaAt: t.etaAt.toISOString(),
    status: t.status,
    trackingState: t.trackingState,
    carrier: t.carrier,
    trackingAt: iso(t.trackingAt),
    receivedAt: iso(t.receivedAt),
    receivedBy: t.receivedBy,
    // units go back to the hub only as excess; a returned unit comes from the repair depot
    purpose: t.resendOf
      ? 'RESEND'
      : t.returnId
        ? 'RETURN'
        : t.fromLocation.kind === 'HUB'
          ? 'RESTOCK'
          : 'EXCESS',
    routeReason: t.routeReason,
    writtenOffAt: iso(t.writtenOffAt),
    writeOffReason: t.writeOffReason,
    resendOf: t.resendOf,
  };
}

function reviewItem(r: ReviewRow): ReviewItem {
  const s = r.summary as unknown as ReviewSummary;
  const head = (c: ReviewSummary['plan']) => ({
    total: c.total,
    fillWithinSla: c.fillWithinSla,
    inventoryValue: c.inventoryValue,
  });
  return {
    id: r.id,
    number: r.number,
    trigger: r.trigger,
    requestedBy: r.requestedBy,
    reviewedAt: r.reviewedAt.toISOString(),
    horizonDays: r.horizonDays,
    status: r.status,
    planMs: r.planMs,
    decidedBy: r.decidedBy,
    decidedAt: iso(r.decidedAt),
    decisionNote: r.decisionNote,
    assets: s.assets,
    predicted: s.predicted,
    proposedTransfers: s.transfers.length,
    plan: head(s.plan),
    today: head(s.today),
  };
}

export class PrismaPartsPlanStore implements PartsPlanStore {
  constructor(private readonly db: Db) {}

  async create(r: NewReview): Promise<ReviewDetail> {
    const row = await this.db.$transaction(async (tx) => {
      await tx.partsReview.updateMany({
        where: { status: 'PROPOSED' },
        data: { status: 'SUPERSEDED', decisionNote: 'a newer review replaced it before approval' },
      });
      return tx.partsReview.create({
        data: {
          trigger: r.trigger,
          requestedBy: r.requestedBy,
          reviewedAt: r.reviewedAt,
          horizonDays: r.horizonDays,
          basis: r.basis as Prisma.InputJsonValue,
          summary: r.summary as unknown as Prisma.InputJsonValue,
          planMs: r.planMs,
        },
      });
    });
    return { ...reviewItem(row), summary: r.summary, transfers: [] };
  }

  async list(limit: number): Promise<ReviewItem[]> {
    const rows = await this.db.partsReview.findMany({ orderBy: { number: 'desc' }, take: limit });
    return rows.map(reviewItem);
  }

  async get(id: string): Promise<ReviewDetail | null> {
    const r = await this.db.partsReview.findUnique({ where: { id } }).catch(() => null);
    if (!r) return null;
    const transfers = await this.db.stockTransfer.findMany({
      where: { reviewId: id },
      include: TRANSFER_INCLUDE,
      orderBy: { number: 'asc' },
    });
    return {
      ...reviewItem(r),
      summary: r.summary as unknown as ReviewSummary,
      transfers: transfers.map(transferView),
    };
  }

  async apply(id: string, actor: string, now: Date): Promise<ReviewDetail> {
    let stale: { note: string; cells: ReturnType<typeof staleCells> } | null = null;
    try {
      await this.db.$transaction(async (tx) => {
        const [locked] = await tx.$queryRaw<{ status: PlanStatus }[]>`
          SELECT status FROM "PartsReview" WHERE id = ${id} FOR UPDATE`;
        if (!locked) throw new AppError('NOT_FOUND', 'no such parts review');
        if (locked.status !== 'PROPOSED')
          throw new AppError(
            'PARTS_PLAN_DECIDED',
            `this plan is ${locked.status.toLowerCase()}: nothing to apply`,
          );
        const review = await tx.partsReview.findUniqueOrThrow({ where: { id } });
        const summary = review.summary as unknown as ReviewSummary;
        const basis = review.basis as unknown as StockMap;
        const lines = summary.transfers;
        const codes = [...new Set(lines.flatMap((t) => [t.from, t.to]))];
        // lock every stock row of the touched locations, then compare with the basis
        const rows = await tx.$queryRaw<
          { code: string; sku: string; onHand: number; reserved: number; refurbished: number }[]
        >`SELECT l.code, p.sku, s."onHand", s.reserved, s.refurbished
          FROM "StockLevel" s JOIN "StockLocation" l ON l.id = s."locationId" JOIN "Part" p ON p.id = s."partId"
          WHERE l.code = ANY(${codes}) ORDER BY s."locationId", s."partId" FOR UPDATE OF s`;
        const current: StockMap = {};
        for (const r of rows) (current[r.code] ??= {})[r.sku] = Math.max(0, r.onHand - r.reserved);
        const cells = staleCells(basis, current, lines);
        if (cells.length > 0) {
          const first = cells[0] as (typeof cells)[number];
          stale = {
            cells,
            note:
              `stock moved since the review: ${first.location} ${first.sku} had ${first.planned} available, now ` +
              `${first.now}` +
              (cells.length > 1 ? ` (and ${cells.length - 1} more)` : ''),
          };
          throw new AppError('PARTS_PLAN_STALE', stale.note);
        }
        const locs = new Map(
          (
            await tx.stockLocation.findMany({
              where: { code: { in: codes } },
              select: { id: true, code: true },
            })
          ).map((l) => [l.code, l.id]),
        );
        const skus = [...new Set(lines.map((t) => t.sku))];
        const parts = new Map(
          (await tx.part.findMany({ where: { sku: { in: skus } }, select: { id: true, sku: true } })).map(
            (p) => [p.sku, p.id],
          ),
        );
        for (const t of lines) {
          const from = locs.get(t.from);
          const to = locs.get(t.to);
          const partId = parts.get(t.sku);
          if (!from || !to || !partId)
            throw new AppError('PARTS_PLAN_STALE', `${t.from}, ${t.to} or ${t.sku} no longer exists`);
          const moved = await takeFromShelf(tx, from, partId, t.qty);
          if (!moved)
            throw new AppError('PARTS_PLAN_STALE', `${t.from} no longer has ${t.qty} × ${t.sku} available`);
          await tx.stockTransfer.create({
            data: {
              reviewId: id,
              fromLocationId: from,
              toLocationId: to,
              partId,
              qty: t.qty,
              refurbished: moved.refurbished,
              mode: t.mode,
              cost: t.cost,
              shipAt: new Date(t.shipAt),
              etaAt: new Date(t.etaAt),
            },
          });
        }
        await tx.partsReview.update({
          where: { id },
          data: {
            status: 'APPLIED',
            decidedBy: actor,
            decidedAt: now,
            decisionNote: `${lines.length} transfer(s) created`,
          },
        });
      });
    } catch (err) {
      if (err instanceof AppError && err.code === 'PARTS_PLAN_STALE') {
        await this.db.partsReview.updateMany({
          where: { id, status: 'PROPOSED' },
          data: { status: 'STALE', decidedBy: actor, decidedAt: now, decisionNote: err.message },
        });
      }
      throw err;
    }
    return (await this.get(id)) as ReviewDetail;
  }

  async transfers(q: {
    status?: 'IN_TRANSIT' | 'RECEIVED' | 'WRITTEN_OFF';
    reviewId?: string;
    limit: number;
  }) {
    const rows = await this.db.stockTransfer.findMany({
      where: { ...(q.status ? { status: q.status } : {}), ...(q.reviewId ? { reviewId: q.reviewId } : {}) },
      include: TRANSFER_INCLUDE,
      orderBy: { number: 'desc' },
      take: q.limit,
    });
    return rows.map(transferView);
  }

  /**
   * Re-sends a transfer or return written off on a carrier exception (`ref`: TRF-/RMA- code or id): a new transfer
   * to its destination, once (a second call answers the first one's transfer with `created: false`).
   */
  async resend(ref: string, actor: string, now: Date): Promise<{ created: boolean; transfer: TransferView }> {
    const r = await resendConsignment(this.db, ref, actor, now);
    const row = await this.db.stockTransfer.findUniqueOrThrow({
      where: { id: r.transferId },
      include: TRANSFER_INCLUDE,
    });
    return { created: r.created, transfer: transferView(row) };
  }

  async receive(id: string, actor: string, now: Date): Promise<TransferView> {
    await this.db.$transaction(async (tx) => {
      if (!(await bookInTransfer(tx, id, actor, now)))
        throw new AppError('PARTS_TRANSFER_RECEIVED', 'this transfer was already received');
    });
    const row = await this.db.stockTransfer.findUniqueOrThrow({ where: { id }, include: TRANSFER_INCLUDE });
    return transferView(row);
  }

  async document(id: string): Promise<TransferDocument | null> {
    const t = await this.db.stockTransfer
      .findUnique({
        where: { id },
        include: { fromLocation: true, toLocation: true, part: true, review: true, return: true },
      })
      .catch(() => null);
    if (!t) return null;
    const place = (l: { code: string; name: string; kind: string }) => ({
      code: l.code,
      name: l.name,
      kind: l.kind,
    });
    return {
      number: t.number,
      qty: t.qty,
      refurbished: t.refurbished,
      part: { sku: t.part.sku, name: t.part.name },
      from: place(t.fromLocation),
      to: place(t.toLocation),
      mode: t.mode,
      shipAt: t.shipAt,
      etaAt: t.etaAt,
      review: t.review
        ? { number: t.review.number, reviewedAt: t.review.reviewedAt, approvedBy: t.review.decidedBy }
        : null,
      rma: t.return ? rmaCode(t.return.number) : null,
      purpose: t.return
        ? `returned unit, refurbished or retested: ${t.routeReason ?? `to ${t.toLocation.code}`}`
        : t.fromLocation.kind === 'HUB'
          ? `restock: the plan's target at ${t.toLocation.code} for the at-risk assets it serves`
          : `excess: above the plan's target at ${t.fromLocation.code}, back to the hub`,
    };
  }
}

/**
 * Books a transfer's units in at its destination (serviceable; refurbished ones stay refurbished), on the locked
 * row: false when it was received already. By hand (POST …/receive) or on the carrier's delivery.
 */
export async function bookInTransfer(tx: Tx, id: string, actor: string, now: Date): Promise<boolean> {
  const [t] = await tx.$queryRaw<
    { status: string; toLocationId: string; partId: string; qty: number; refurbished: number }[]
  >`SELECT status, "toLocationId", "partId", qty, refurbished FROM "StockTransfer" WHERE id = ${id} FOR UPDATE`;
  if (!t) throw new AppError('NOT_FOUND', 'no such transfer');
  if (t.status === 'RECEIVED') return false;
  // units orders hold of it (reserved in transit) stay theirs: the reservations move to the location's stock; units
  // an order already used (its job closed before the delivery was reported) never reach the shelf
  const claims = await tx.reservation.findMany({
    where: { transferId: id, status: { in: ['HELD', 'CONSUMED'] } },
    select: { id: true, qty: true, status: true },
  });
  const held = claims.filter((r) => r.status === 'HELD');
  const used = Math.min(
    t.qty,
    claims.filter((r) => r.status === 'CONSUMED').reduce((n, r) => n + r.qty, 0),
  );
  const onHand = t.qty - used;
  const reserved = Math.min(
    onHand,
    held.reduce((n, r) => n + r.qty, 0),
  );
  const refurbished = Math.min(t.refurbished, onHand);
  await tx.$executeRaw`
    INSERT INTO "StockLevel" ("locationId", "partId", "onHand", reserved, refurbished, "updatedAt")
    VALUES (${t.toLocationId}, ${t.partId}, ${onHand}, ${reserved}, ${refurbished}, now())
    ON CONFLICT ("locationId", "partId") DO UPDATE SET "onHand" = "StockLevel"."onHand" + ${onHand},
      reserved = "StockLevel".reserved + ${reserved},
      refurbished = "StockLevel".refurbished + ${refurbished}, "updatedAt" = now()`;
  if (held.length > 0)
    await tx.reservation.updateMany({
      where: { id: { in: held.map((r) => r.id) } },
      data: { transferId: null },
    });
  await tx.stockTransfer.update({
    where: { id },
    data: {
      status: 'RECEIVED',
      trackingState: 'DELIVERED',
      trackingAt: now,
      receivedAt: now,
      receivedBy: actor,
    },
  });
  return true;
}
