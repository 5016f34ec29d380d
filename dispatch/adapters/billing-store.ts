// BillingStore: invoice lines of completed orders (cost to serve split by the asset's warranty and contract on the
// completion date), an asset's coverage, and the warranty claims on suppliers for units returned to vendor.
import type { Db } from '../../common/db.ts';
import { AppError } from '../../common/errors.ts';
import {
  costToServe,
  coveragesOf,
  inForce,
  invoiceLines,
  settleClaim,
  splitCost,
  type ClaimStatus,
  type Coverage,
  type InvoiceLine,
} from '../core/billing.ts';
import { rtvCode } from '../core/disposition.ts';
import type { PlanPolicy } from '../core/policy.ts';
import { rmaCode } from '../core/returns.ts';

/** At most this many orders per export: a larger period is asked for in parts. */
export const MAX_INVOICE_ORDERS = 5_000;

export interface InvoiceTotals {
  orders: number;
  total: number;
  covered: number;
  billable: number;
}

export interface ClaimView {
  id: string;
  claim: string;
  rtv: string;
  rma: string;
  tenantId: string;
  sku: string;
  serial: string;
  supplier: string;
  qty: number;
  amount: number;
  status: ClaimStatus;
  createdAt: string;
  settledAt: string | null;
  settledBy: string | null;
  creditAmount: number | null;
  note: string | null;
}

const round2 = (n: number) => Math.round(n * 100) / 100;
export const claimCode = (n: number) => `CLM-${String(n).padStart(6, '0')}`;

export class PrismaBillingStore {
  constructor(
    private readonly db: Db,
    private readonly policy: PlanPolicy,
  ) {}

  /** Invoice lines of the orders completed in [from, to), oldest first; tenantId limits them to one tenant. */
  async invoices(q: {
    from: Date;
    to: Date;
    tenantId?: string;
  }): Promise<{ lines: InvoiceLine[]; totals: InvoiceTotals }> {
    const orders = await this.db.serviceOrder.findMany({
      where: {
        status: 'COMPLETED',
        closedAt: { gte: q.from, lt: q.to },
        ...(q.tenantId !== undefined ? { tenantId: q.tenantId } : {}),
      },
      include: {
        tenant: { select: { name: true } },
        asset: { include: { contract: true } },
        failureMode: { include: { part: true } },
        reservations: { where: { status: 'CONSUMED' }, select: { qty: true } },
        shipments: { where: { status: { not: 'CANCELLED' } }, select: { cost: true } },
        returns: { where: { reason: 'UNUSED' }, select: { qty: true } },
      },
      orderBy: [{ closedAt: 'asc' }, { number: 'asc' }],
      take: MAX_INVOICE_ORDERS + 1,
    });
    if (orders.length > MAX_INVOICE_ORDERS)
      throw new AppError(
        'VALIDATION_FAILED',
        `more than ${MAX_INVOICE_ORDERS} completed orders in the period: ask for a shorter one`,
      );
    const lines: InvoiceLine[] = [];
    const totals: InvoiceTotals = { orders: orders.length, total: 0, covered: 0, billable: 0 };
    for (const o of orders) {
      const drawn = o.reservations.reduce((n, r) => n + r.qty, 0) || o.failureMode.partQty;
      const cost = costToServe({
        sku: o.failureMode.part.sku,
        partName: o.failureMode.part.name,
        unitCost: o.failureMode.part.unitCost,
        partsFitted: drawn - o.returns.reduce((n, r) => n + r.qty, 0),
        repairMinutes: o.failureMode.repairMinutes,
        planCost: o.planCost,
        etaAt: o.etaAt,
        dueBy: o.dueBy,
        shippingCost: o.shipments.reduce((n, s) => n + s.cost, 0),
        policy: this.policy,
      });
      const at = o.closedAt!;
      const split = splitCost(cost, coveragesOf(o.asset), at);
      lines.push(
        ...invoiceLines(
          {
            number: o.number,
            tenantId: o.tenantId,
            tenant: o.tenant.name,
            assetSerial: o.asset.serial,
            serviceDate: at,
          },
          split,
        ),
      );
      totals.total += split.total;
      totals.covered += split.covered;
      totals.billable += split.billable;
    }
    return {
      lines,
      totals: {
        ...totals,
        total: round2(totals.total),
        covered: round2(totals.covered),
        billable: round2(totals.billable),
      },
    };
  }

  /** An asset's warranty and service contract, and whether each is in force now. */
  async coverage(assetId: string, now: Date) {
    const a = await this.db.asset.findUnique({ where: { id: assetId }, include: { contract: true } });
    if (!a) throw new AppError('NOT_FOUND', 'no such asset');
    const view = (c: Coverage) => ({
      source: c.source,
      name: c.name,
      from: c.from?.toISOString() ?? null,
      until: c.until?.toISOString() ?? null,
      inForce: inForce(c, now),
      covers: c.covers,
      excludedSkus: [...c.excludedSkus],
    });
    return {
      assetId: a.id,
      tenantId: a.tenantId,
      serial: a.serial,
      slaTier: a.contract.tier,
      responseHours: a.contract.responseHours,
      coverages: coveragesOf(a).map(view),
    };
  }

  async claims(q: { status?: ClaimStatus; tenantId?: string; limit: number }): Promise<ClaimView[]> {
    const rows = await this.db.rtvClaim.findMany({
      where: {
        ...(q.status ? { status: q.status } : {}),
        ...(q.tenantId !== undefined ? { tenantId: q.tenantId } : {}),
      },
      include: { disposition: { include: { return: { include: { part: { select: { sku: true } } } } } } },
      orderBy: { number: 'desc' },
      take: q.limit,
    });
    return rows.map((c) => this.claimView(c));
  }

  private claimView(c: {
    id: string;
    number: number;
    tenantId: string;
    supplier: string;
    qty: number;
    amount: number;
    status: ClaimStatus;
    createdAt: Date;
    settledAt: Date | null;
    settledBy: string | null;
    creditAmount: number | null;
    note: string | null;
    disposition: { return: { number: number; serial: string; part: { sku: string } } };
  }): ClaimView {
    const r = c.disposition.return;
    return {
      id: c.id,
      claim: claimCode(c.number),
      rtv: rtvCode(r.number),
      rma: rmaCode(r.number),
      tenantId: c.tenantId,
      sku: r.part.sku,
      serial: r.serial,
      supplier: c.supplier,
      qty: c.qty,
      amount: c.amount,
      status: c.status,
      createdAt: c.createdAt.toISOString(),
      settledAt: c.settledAt?.toISOString() ?? null,
      settledBy: c.settledBy,
      creditAmount: c.creditAmount,
      note: c.note,
    };
  }

  /** The supplier credits or rejects a claim: once, on the locked claim. */
  async settle(
    id: string,
    s: { status: 'CREDITED' | 'REJECTED'; creditAmount?: number; note?: string },
    ctx: { now: Date; actor: string },
  ): Promise<ClaimView> {
    return this.db.$transaction(async (tx) => {
      const locked = await tx.$queryRaw<
        { id: string }[]
      >`SELECT id FROM "RtvClaim" WHERE id = ${id} FOR UPDATE`;
      if (locked.length === 0) throw new AppError('NOT_FOUND', 'no such claim');
      const c = await tx.rtvClaim.findUniqueOrThrow({ where: { id } });
      const out = settleClaim(c, s);
      if (!out.ok) throw new AppError('DISPATCH_ILLEGAL_TRANSITION', out.why);
      const updated = await tx.rtvClaim.update({
        where: { id },
        data: {
          status: out.status,
          creditAmount: out.creditAmount,
          settledAt: ctx.now,
          settledBy: ctx.actor,
          note: s.note ?? null,
        },
        include: { disposition: { include: { return: { include: { part: { select: { sku: true } } } } } } },
      });
      return this.claimView(updated);
    });
  }
}
