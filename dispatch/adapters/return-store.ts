// ReturnStore: return authorizations of completed orders — listed, printed, received at their destination
// (unused parts back on the shelf) and closed with the repair depot's finding, which marks the prediction that
// raised the order confirmed or refuted. Each change runs in one transaction on the locked return.
import type { Db, Prisma } from '../../common/db.ts';
import { AppError } from '../../common/errors.ts';
import type { PredictionOutcome } from '../../common/events.ts';
import type { ReturnTransfer } from '../core/order-detail.ts';
import type { ReturnDocument } from '../core/return-document.ts';
import {
  decideFinding,
  decideReceipt,
  outcomeOf,
  returnState,
  rmaCode,
  type RepairFinding,
  type ReturnState,
} from '../core/returns.ts';
import { transferCode } from '../core/transfer-document.ts';
import { restock, type Tx } from './order-tx.ts';

export interface ReturnView {
  id: string;
  rma: string;
  number: number;
  state: ReturnState;
  reason: 'DEFECTIVE' | 'UNUSED';
  qty: number;
  serial: string;
  part: { sku: string; name: string };
  orderId: string;
  orderNumber: number;
  tenantId: string;
  assetName: string;
  to: string;
  finding: RepairFinding | null;
  findingBy: string | null;
  findingAt: string | null;
  predictionId: string | null;
  modelVersion: string | null;
  outcome: string | null;
  createdAt: string;
  receivedAt: string | null;
  closedAt: string | null;
  /** Why it goes to `to` (an unused part: the location whose parts-plan target it fills). */
  routeReason: string | null;
  /** The carrier's tracking of the return shipment. */
  tracking: { carrier: string | null; state: string; at: string | null };
  /** A refurbished or retested unit's way from the repair depot to where the network wants it. */
  transfer: ReturnTransfer | null;
  /** Lost or damaged with the carrier (written off on its exception), and the transfer that re-sent it if any. */
  writtenOff: { at: string; reason: string | null; resentAs: string | null; resendable: boolean } | null;
}

const include = {
  part: { select: { sku: true, name: true } },
  toLocation: { select: { code: true, name: true, kind: true } },
  transfer: {
    include: { fromLocation: { select: { code: true } }, toLocation: { select: { code: true } } },
  },
  order: {
    include: {
      asset: { include: { site: true, tenant: true } },
      technician: { select: { code: true, name: true } },
      prediction: { include: { modelVersion: { include: { model: { select: { key: true } } } } } },
      events: { where: { status: 'COMPLETED' as const }, orderBy: { at: 'desc' as const }, take: 1 },
    },
  },
} satisfies Prisma.ReturnAuthorizationInclude;

type Row = Prisma.ReturnAuthorizationGetPayload<{ include: typeof include }>;

const iso = (d: Date | null) => d?.toISOString() ?? null;
const versionLabel = (p: NonNullable<Row['order']['prediction']>) =>
  `${p.modelVersion.model.key}@v${p.modelVersion.version}`;

/** The TRF code of the transfer that re-sent each of these returns, by return id. */
async function resentAs(db: Db, rows: readonly Row[]): Promise<Map<string, string>> {
  const lost = rows.filter((r) => r.writtenOffAt).map((r) => r.id);
  if (!lost.length) return new Map();
  const again = await db.stockTransfer.findMany({
    where: { resendOf: { in: lost } },
    select: { resendOf: true, number: true },
  });
  return new Map(again.map((t) => [t.resendOf!, transferCode(t.number)]));
}

/**
 * A written-off return as the desk sees it: re-sendable (core/consignment-resend.ts) when it carried unused units
 * to a stock location other than the hub, did not turn up after all and was not re-sent yet.
 */
function writeOff(r: Row, at: Date, resentAs: string | null): NonNullable<ReturnView['writtenOff']> {
  const resendable =
    r.reason === 'UNUSED' && r.receivedAt === null && r.toLocation.kind !== 'HUB' && resentAs === null;
  return { at: at.toISOString(), reason: r.writeOffReason, resentAs, resendable };
}

function toView(r: Row, resends: ReadonlyMap<string, string>): ReturnView {
  const p = r.order.prediction;
  return {
    id: r.id,
    rma: rmaCode(r.number),
    number: r.number,
    state: returnState(r),
    reason: r.reason,
    qty: r.qty,
    serial: r.serial,
    part: r.part,
    orderId: r.orderId,
    orderNumber: r.order.number,
    tenantId: r.order.tenantId,
    assetName: r.order.asset.name,
    to: r.toLocation.code,
    finding: r.finding,
    findingBy: r.findingBy,
    findingAt: iso(r.findingAt),
    predictionId: p?.id ?? null,
    modelVersion: p ? versionLabel(p) : null,
    outcome: p?.outcome ?? null,
    createdAt: r.createdAt.toISOString(),
    receivedAt: iso(r.receivedAt),
    closedAt: iso(r.closedAt),
    routeReason: r.routeReason,
    tracking: { carrier: r.carrier, state: r.trackingState, at: iso(r.trackingAt) },
    transfer: r.transfer ? returnTransfer(r.transfer) : null,
    writtenOff: r.writtenOffAt ? writeOff(r, r.writtenOffAt, resends.get(r.id) ?? null) : null,
  };
}

export function returnTransfer(t: NonNullable<Row['transfer']>): ReturnTransfer {
  return {
    id: t.id,
    code: transferCode(t.number),
    from: t.fromLocation.code,
    to: t.toLocation.code,
    status: t.status,
    trackingState: t.trackingState,
    carrier: t.carrier,
    etaAt: t.etaAt.toISOString(),
    routeReason: t.routeReason,
  };
}

export interface ReturnStore {
  list(q: { open?: boolean; orderId?: string; limit: number }): Promise<ReturnView[]>;
  get(id: string): Promise<ReturnView | undefined>;
  document(id: string): Promise<ReturnDocument | undefined>;
  receive(id: string, ctx: { now: Date; actor: string }): Promise<ReturnView>;
  recordFinding(
    id: string,
    f: { finding: RepairFinding; note?: string },
    ctx: { now: Date; actor: string },
  ): Promise<{ view: ReturnView; outcome?: PredictionOutcome }>;
}

export class PrismaReturnStore implements ReturnStore {
  constructor(private readonly db: Db) {}

  async list(q: { open?: boolean; orderId?: string; limit: number }): Promise<ReturnView[]> {
    const rows = await this.db.returnAuthorization.findMany({
      where: {
        ...(q.orderId ? { orderId: q.orderId } : {}),
        ...(q.open === undefined ? {} : q.open ? { closedAt: null } : { closedAt: { not: null } }),
      },
      include,
      orderBy: { number: 'desc' },
      take: q.limit,
    });
    const resends = await resentAs(this.db, rows);
    return rows.map((r) => toView(r, resends));
  }

  async get(id: string): Promise<ReturnView | undefined> {
    const row = await this.db.returnAuthorization.findUnique({ where: { id }, include });
    return row ? toView(row, await resentAs(this.db, [row])) : undefined;
  }

  async document(id: string): Promise<ReturnDocument | undefined> {
    const r = await this.db.returnAuthorization.findUnique({ where: { id }, include });
    if (!r) return undefined;
    const o = r.order;
    return {
      number: r.number,
      reason: r.reason,
      qty: r.qty,
      serial: r.serial,
      part: r.part,
      from: {
        customer: o.asset.tenant.name,
        site: o.asset.site.name,
        asset: o.asset.name,
        assetSerial: o.asset.serial,
      },
      to: r.toLocation,
      order: {
        number: o.number,
        completedAt: o.events[0]?.at ?? null,
        technician: o.technician ? `${o.technician.code} ${o.technician.name}` : null,
      },
      prediction: o.prediction
        ? { modelVersion: versionLabel(o.prediction), raisedAt: o.prediction.raisedAt }
        : null,
      issuedAt: r.createdAt,
      finding: r.finding,
    };
  }

  private async locked(tx: Tx, id: string) {
    const rows = await tx.$queryRaw<
      { id: string }[]
    >`SELECT id FROM "ReturnAuthorization" WHERE id = ${id} FOR UPDATE`;
    if (rows.length === 0) throw new AppError('NOT_FOUND', 'no such return');
    return tx.returnAuthorization.findUniqueOrThrow({ where: { id }, include: { order: true } });
  }

  async receive(id: string, ctx: { now: Date; actor: string }): Promise<ReturnView> {
    await this.db.$transaction(async (tx) => {
      await this.locked(tx, id);
      await bookInReturn(tx, id, ctx.now);
    });
    return (await this.get(id))!;
  }

  async recordFinding(
    id: string,
    f: { finding: RepairFinding; note?: string },
    ctx: { now: Date; actor: string },
  ): Promise<{ view: ReturnView; outcome?: PredictionOutcome }> {
    const outcome = await this.db.$transaction(async (tx) => {
      const r = await this.locked(tx, id);
      decideFinding(r);
      await tx.returnAuthorization.update({
        where: { id },
        data: {
          finding: f.finding,
          findingNote: f.note ?? null,
          findingBy: ctx.actor,
          findingAt: ctx.now,
          receivedAt: r.receivedAt ?? ctx.now,
          closedAt: ctx.now,
        },
      });
      const predictionId = r.order.predictionId;
      if (!predictionId) return undefined;
      const prediction = await tx.prediction.update({
        where: { id: predictionId },
        data: {
          outcome: outcomeOf(f.finding),
          outcomeAt: ctx.now,
          outcomeNote: `${rmaCode(r.number)}: ${f.finding.replaceAll('_', ' ').toLowerCase()} by ${ctx.actor}`,
        },
        select: { id: true, modelVersionId: true },
      });
      return {
        predictionId: prediction.id,
        modelVersionId: prediction.modelVersionId,
        outcome: outcomeOf(f.finding),
        at: ctx.now,
        returnId: id,
      } satisfies PredictionOutcome;
    });
    return { view: (await this.get(id))!, outcome };
  }
}

/**
 * Receipt at the destination, on a locked return (by hand or on the carrier's delivery): an unused part goes back
 * on the shelf and closes the return; a defective part waits at the repair depot for its finding. Refused when
 * received already.
 */
export async function bookInReturn(tx: Tx, id: string, now: Date): Promise<void> {
  const r = await tx.returnAuthorization.findUniqueOrThrow({ where: { id } });
  const d = decideReceipt(r);
  if (d.restock) await restock(tx, r.toLocationId, r.partId, r.qty);
  await tx.returnAuthorization.update({
    where: { id },
    data: { receivedAt: now, ...(d.closes ? { closedAt: now } : {}) },
  });
}
