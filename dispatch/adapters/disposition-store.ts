// DispositionStore: what becomes of a returned defective unit after its repair finding, stock by condition and
// the sustainability figures. Each change runs in one transaction on the locked return (docs/reverse-logistics.md).
import type { Db } from '../../common/db.ts';
import { AppError } from '../../common/errors.ts';
import {
  co2eAvoided,
  decideDisposition,
  proposeDisposition,
  resolveFactors,
  rtvCode,
  type Disposition,
  type DispositionRequest,
  type Proposal,
  type ResolvedFactors,
} from '../core/disposition.ts';
import { rtvClaimFor } from '../core/billing.ts';
import { rmaCode, type RepairFinding } from '../core/returns.ts';
import { byTenant, summarise, type SustainabilityFigures } from '../core/sustainability.ts';
import type { Tx } from './order-tx.ts';
import { routeReturnedUnit, sendFromDepot } from './return-routing.ts';

const MONTH_MS = 30.44 * 86_400_000;

export interface DispositionView {
  disposition: Disposition;
  proposed: Disposition;
  proposalReason: string;
  overrideReason: string | null;
  qty: number;
  repairCost: number | null;
  turnaroundDays: number | null;
  to: string | null;
  co2eAvoidedKg: number;
  decidedBy: string;
  decidedAt: string;
  /** When the unit went back into serviceable stock (REFURBISH: after repair and test); null while in repair. */
  restockedAt: string | null;
  rtv: string | null;
}

export interface DispositionAdvice {
  returnId: string;
  rma: string;
  finding: RepairFinding | null;
  part: { sku: string; name: string };
  factors: ResolvedFactors;
  ageMonths: number | null;
  proposal: Proposal;
  decided: DispositionView | null;
}

export interface DecideInput extends DispositionRequest {
  /** Stock location code a restocked or refurbished unit goes to (default: where the part was drawn from). */
  toLocation?: string;
  ageMonths?: number;
  cycles?: number;
  maxCycles?: number;
  repairCost?: number;
  turnaroundDays?: number;
}

export interface ConditionStock {
  location: string;
  kind: string;
  sku: string;
  new: number;
  refurbished: number;
  /** Serviceable (new + refurbished) not reserved: what the planner and reservations may use. */
  available: number;
  reserved: number;
  /** Received defective units waiting for a disposition, and units being refurbished here. */
  defective: number;
  inRepair: number;
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/** Adds refurbished (or retested) units to a location's serviceable stock. */
export async function restockRefurbished(tx: Tx, locationId: string, partId: string, qty: number) {
  await tx.$executeRaw`INSERT INTO "StockLevel" ("locationId", "partId", "onHand", reserved, refurbished, "updatedAt")
    VALUES (${locationId}, ${partId}, ${qty}, 0, ${qty}, now())
    ON CONFLICT ("locationId", "partId") DO UPDATE SET "onHand" = "StockLevel"."onHand" + ${qty},
      refurbished = "StockLevel".refurbished + ${qty}, "updatedAt" = now()`;
}

export class PrismaDispositionStore {
  constructor(private readonly db: Db) {}

  private async facts(db: Db | Tx, id: string) {
    const r = await db.returnAuthorization.findUnique({
      where: { id },
      include: {
        part: true,
        disposition: { include: { toLocation: { select: { code: true } } } },
        order: {
          include: {
            asset: { select: { installedAt: true } },
            events: { where: { status: 'COMPLETED' }, orderBy: { at: 'desc' }, take: 1 },
          },
        },
      },
    });
    if (!r) throw new AppError('NOT_FOUND', 'no such return');
    // the removed unit went in at the previous completed repair of the same asset and failure mode, or at install
    const completedAt = r.order.events[0]?.at ?? r.createdAt;
    const previous = await db.orderEvent.findFirst({
      where: {
        status: 'COMPLETED',
        at: { lt: completedAt },
        order: { assetId: r.order.assetId, failureModeId: r.order.failureModeId, id: { not: r.orderId } },
      },
      orderBy: { at: 'desc' },
    });
    const fittedAt = previous?.at ?? r.order.asset.installedAt;
    const ageMonths = round1(Math.max(0, completedAt.getTime() - fittedAt.getTime()) / MONTH_MS);
    return { r, ageMonths, factors: resolveFactors(r.part) };
  }

  private view(
    d: NonNullable<Awaited<ReturnType<PrismaDispositionStore['facts']>>['r']['disposition']>,
    rmaNumber: number,
  ): DispositionView {
    return {
      disposition: d.disposition,
      proposed: d.proposed,
      proposalReason: d.proposalReason,
      overrideReason: d.overrideReason,
      qty: d.qty,
      repairCost: d.repairCost,
      turnaroundDays: d.turnaroundDays,
      to: d.toLocation?.code ?? null,
      co2eAvoidedKg: d.co2eAvoidedKg,
      decidedBy: d.decidedBy,
      decidedAt: d.decidedAt.toISOString(),
      restockedAt: d.restockedAt?.toISOString() ?? null,
      rtv: d.disposition === 'RETURN_TO_VENDOR' ? rtvCode(rmaNumber) : null,
    };
  }

  async advice(id: string, unit: { ageMonths?: number; cycles?: number; maxCycles?: number } = {}) {
    return this.adviceIn(this.db, id, unit);
  }

  private async adviceIn(
    db: Db | Tx,
    id: string,
    unit: { ageMonths?: number; cycles?: number; maxCycles?: number },
  ): Promise<DispositionAdvice & { raw: Awaited<ReturnType<PrismaDispositionStore['facts']>>['r'] }> {
    const { r, ageMonths, factors } = await this.facts(db, id);
    const age = unit.ageMonths ?? ageMonths;
    const proposal = proposeDisposition(factors, {
      finding: r.finding ?? 'FAILURE_CONFIRMED',
      ageMonths: age,
      cycles: unit.cycles ?? null,
      maxCycles: unit.maxCycles ?? null,
    });
    return {
      returnId: r.id,
      rma: rmaCode(r.number),
      finding: r.finding,
      part: { sku: r.part.sku, name: r.part.name },
      factors,
      ageMonths: age,
      proposal,
      decided: r.disposition ? this.view(r.disposition, r.number) : null,
      raw: r,
    };
  }

  /** The depot confirms or overrides the proposal; a restocked unit is serviceable at its destination at once. */
  async decide(id: string, req: DecideInput, ctx: { now: Date; actor: string }): Promise<DispositionAdvice> {
    await this.db.$transaction(async (tx) => {
      const rows = await tx.$queryRaw<
        { id: string }[]
      >`SELECT id FROM "ReturnAuthorization" WHERE id = ${id} FOR UPDATE`;
      if (rows.length === 0) throw new AppError('NOT_FOUND', 'no such return');
      const a = await this.adviceIn(tx, id, req);
      const r = a.raw;
      const d = decideDisposition(
        { reason: r.reason, finding: r.finding, hasDisposition: r.disposition !== null },
        a.proposal,
        req,
      );
      // the depot's choice of destination; otherwise where the network wants the unit when it leaves the bench
      let toLocationId: string | null = null;
      let routeReason: string | null = null;
      if ((d.disposition === 'RESTOCK' || d.disposition === 'REFURBISH') && req.toLocation) {
        const loc = await tx.stockLocation.findUnique({ where: { code: req.toLocation } });
        if (!loc) throw new AppError('VALIDATION_FAILED', `no stock location ${req.toLocation}`);
        if (loc.kind === 'REPAIR_DEPOT')
          throw new AppError('VALIDATION_FAILED', `${loc.code} is a repair depot, not serviceable stock`);
        toLocationId = loc.id;
        routeReason = `chosen by the depot (${ctx.actor})`;
      }
      if (d.disposition === 'RESTOCK' && !toLocationId) {
        const routed = await this.route(tx, r);
        toLocationId = routed.toLocationId;
        routeReason = routed.reason;
      }
      const refurbish = d.disposition === 'REFURBISH';
      const turnaround = refurbish ? (req.turnaroundDays ?? a.proposal.turnaroundDays) : null;
      const repairCost = refurbish ? (req.repairCost ?? a.factors.repairCost) : null;
      const created = await tx.returnDisposition.create({
        data: {
          returnId: id,
          tenantId: r.order.tenantId,
          qty: r.qty,
          disposition: d.disposition,
          proposed: a.proposal.disposition,
          proposalReason: a.proposal.reason,
          overrideReason: d.overrideReason,
          repairCost,
          turnaroundDays: turnaround,
          toLocationId,
          co2eAvoidedKg: co2eAvoided(d.disposition, r.qty, a.factors),
          decidedBy: ctx.actor,
          decidedAt: ctx.now,
          restockedAt: d.disposition === 'RESTOCK' ? ctx.now : null,
        },
      });
      // retested: on its way from the depot to its destination, serviceable there on delivery
      if (d.disposition === 'RESTOCK')
        await sendFromDepot(tx, {
          returnId: id,
          depotId: r.toLocationId,
          toLocationId: toLocationId!,
          partId: r.partId,
          qty: r.qty,
          routeReason: routeReason ?? '',
          now: ctx.now,
        });
      if (d.disposition === 'RETURN_TO_VENDOR')
        await tx.rtvClaim.create({
          data: {
            dispositionId: created.id,
            tenantId: r.order.tenantId,
            createdAt: ctx.now,
            ...rtvClaimFor({ unitCost: r.part.unitCost, qty: r.qty, supplier: r.part.supplier }),
          },
        });
    });
    const { raw: _, ...out } = await this.advice(id);
    return out;
  }

  /**
   * A refurbished unit leaves the repair bench: passed its final test → serviceable (refurbished) stock at its
   * destination; failed → recycled, and the CO2e credit withdrawn.
   */
  async completeRepair(
    id: string,
    passed: boolean,
    ctx: { now: Date; actor: string },
  ): Promise<DispositionAdvice> {
    await this.db.$transaction(async (tx) => {
      const rows = await tx.$queryRaw<
        { id: string }[]
      >`SELECT id FROM "ReturnAuthorization" WHERE id = ${id} FOR UPDATE`;
      if (rows.length === 0) throw new AppError('NOT_FOUND', 'no such return');
      const d = await tx.returnDisposition.findUnique({
        where: { returnId: id },
        include: { return: { include: { order: { select: { sourceLocationId: true } } } } },
      });
      if (!d || d.disposition !== 'REFURBISH' || d.restockedAt)
        throw new AppError('DISPATCH_ILLEGAL_TRANSITION', 'no refurbishment in progress for this return');
      if (passed) {
        const routed = d.toLocationId
          ? { toLocationId: d.toLocationId, reason: 'chosen by the depot at the disposition' }
          : await this.route(tx, d.return);
        await sendFromDepot(tx, {
          returnId: id,
          depotId: d.return.toLocationId,
          toLocationId: routed.toLocationId,
          partId: d.return.partId,
          qty: d.qty,
          routeReason: routed.reason,
          now: ctx.now,
        });
        await tx.returnDisposition.update({
          where: { id: d.id },
          data: { restockedAt: ctx.now, toLocationId: routed.toLocationId },
        });
      } else
        await tx.returnDisposition.update({
          where: { id: d.id },
          data: {
            disposition: 'RECYCLE',
            co2eAvoidedKg: 0,
            overrideReason: `failed the final test after repair (${ctx.actor})`,
          },
        });
    });
    const { raw: _, ...out } = await this.advice(id);
    return out;
  }

  /** Where a unit leaving the repair depot goes: the location whose parts-plan target it fills. */
  private async route(
    tx: Tx,
    r: { partId: string; toLocationId: string; order: { sourceLocationId: string | null } },
  ) {
    const depot = await tx.stockLocation.findUniqueOrThrow({ where: { id: r.toLocationId } });
    return routeReturnedUnit(tx, {
      partId: r.partId,
      origin: depot,
      oldShelfId: r.order.sourceLocationId,
    });
  }

  /** The RTV record of a return sent back to its supplier, for the document. */
  async rtv(id: string) {
    const { r } = await this.facts(this.db, id);
    if (r.disposition?.disposition !== 'RETURN_TO_VENDOR') return undefined;
    return {
      rtv: rtvCode(r.number),
      rma: rmaCode(r.number),
      part: { sku: r.part.sku, name: r.part.name },
      serial: r.serial,
      qty: r.qty,
      finding: r.finding,
      reason: r.disposition.overrideReason ?? r.disposition.proposalReason,
      decidedBy: r.disposition.decidedBy,
      decidedAt: r.disposition.decidedAt,
    };
  }

  /** A part's reverse-logistics factors as stored (null: default) and as used. */
  async partFactors(sku: string) {
    const part = await this.db.part.findUnique({ where: { sku } });
    if (!part) throw new AppError('NOT_FOUND', `no part ${sku}`);
    return {
      sku: part.sku,
      stored: {
        repairCost: part.repairCost,
        refurbYield: part.refurbYield,
        warrantyMonths: part.warrantyMonths,
        co2eKgPerUnit: part.co2eKgPerUnit,
      },
      used: resolveFactors(part),
    };
  }

  /** Sets some of a part's factors; null goes back to the default. */
  async setPartFactors(
    sku: string,
    f: Partial<
      Record<'repairCost' | 'refurbYield' | 'co2eKgPerUnit', number | null> & {
        warrantyMonths: number | null;
      }
    >,
  ) {
    const n = await this.db.part.updateMany({ where: { sku }, data: f });
    if (n.count === 0) throw new AppError('NOT_FOUND', `no part ${sku}`);
    return this.partFactors(sku);
  }

  /** Stock by condition at each location (optionally one). */
  async stockByCondition(q: { location?: string } = {}): Promise<ConditionStock[]> {
    const where = q.location ? { code: q.location } : {};
    const [locations, waiting, repairing] = await Promise.all([
      this.db.stockLocation.findMany({
        where,
        include: { stock: { include: { part: { select: { sku: true } } } } },
        orderBy: { code: 'asc' },
      }),
      this.db.returnAuthorization.groupBy({
        by: ['toLocationId', 'partId'],
        where: { reason: 'DEFECTIVE', disposition: null, receivedAt: { not: null } },
        _sum: { qty: true },
      }),
      this.db.returnAuthorization.groupBy({
        by: ['toLocationId', 'partId'],
        where: { disposition: { disposition: 'REFURBISH', restockedAt: null } },
        _sum: { qty: true },
      }),
    ]);
    const parts = new Map(
      (await this.db.part.findMany({ select: { id: true, sku: true } })).map((p) => [p.id, p.sku]),
    );
    const out: ConditionStock[] = [];
    for (const l of locations) {
      const rows = new Map<string, ConditionStock>();
      const row = (sku: string) => {
        let x = rows.get(sku);
        if (!x) {
          x = {
            location: l.code,
            kind: l.kind,
            sku,
            new: 0,
            refurbished: 0,
            available: 0,
            reserved: 0,
            defective: 0,
            inRepair: 0,
          };
          rows.set(sku, x);
        }
        return x;
      };
      for (const s of l.stock) {
        const x = row(s.part.sku);
        x.refurbished = Math.min(s.refurbished, s.onHand);
        x.new = s.onHand - x.refurbished;
        x.reserved = s.reserved;
        x.available = s.onHand - s.reserved;
      }
      for (const w of waiting)
        if (w.toLocationId === l.id) row(parts.get(w.partId) ?? '?').defective += w._sum.qty ?? 0;
      for (const w of repairing)
        if (w.toLocationId === l.id) row(parts.get(w.partId) ?? '?').inRepair += w._sum.qty ?? 0;
      out.push(...[...rows.values()].sort((a, b) => a.sku.localeCompare(b.sku)));
    }
    return out;
  }

  /** Figures over dispositions decided in [from, to); tenantId limits them to one tenant. */
  async sustainability(q: {
    from: Date;
    to: Date;
    tenantId?: string;
  }): Promise<{ total: SustainabilityFigures; tenants: (SustainabilityFigures & { tenantId: string })[] }> {
    const rows = await this.db.returnDisposition.findMany({
      where: { decidedAt: { gte: q.from, lt: q.to }, ...(q.tenantId ? { tenantId: q.tenantId } : {}) },
      select: { tenantId: true, disposition: true, qty: true, co2eAvoidedKg: true },
    });
    return q.tenantId
      ? { total: summarise(rows), tenants: [{ tenantId: q.tenantId, ...summarise(rows) }] }
      : byTenant(rows);
  }
}
