// After the repair finding: what becomes of a returned defective unit (docs/reverse-logistics.md). The platform
// proposes a disposition from the part's data; the depot confirms it or overrides it with a reason.
import { AppError } from '../../common/errors.ts';
import type { RepairFinding, ReturnReason } from './returns.ts';

export const DISPOSITIONS = ['RESTOCK', 'REFURBISH', 'RETURN_TO_VENDOR', 'RECYCLE', 'SCRAP'] as const;
export type Disposition = (typeof DISPOSITIONS)[number];

/** Dispositions that put the unit back into serviceable stock (as refurbished). */
export const REUSED: readonly Disposition[] = ['RESTOCK', 'REFURBISH'];

/** A part's reverse-logistics factors, as stored on the part catalog (null: the default below). */
export interface PartFactors {
  unitCost: number;
  repairable: boolean;
  repairCost: number | null;
  refurbYield: number | null;
  warrantyMonths: number | null;
  co2eKgPerUnit: number | null;
}

export interface ResolvedFactors {
  unitCost: number;
  repairable: boolean;
  repairCost: number;
  refurbYield: number;
  warrantyMonths: number;
  co2eKgPerUnit: number;
}

/**
 * Defaults for parts whose catalog entry leaves a factor empty. These are planning assumptions, not measured
 * values; set the part's own figures (supplier's repair quote, depot's yield history, the supplier's warranty
 * terms, its environmental product declaration) to replace them.
 */
export const DEFAULT_FACTORS = {
  /** Repair cost as a share of the unit cost: a typical depot repair quote is 30–40 % of new; we take 35 %. */
  repairCostShare: 0.35,
  /** Share of repairs that pass the final test. */
  refurbYield: 0.8,
  /** Supplier warranty from installation. */
  warrantyMonths: 12,
  /** kg CO2e to make one new unit, per unit of currency of its cost (a spend-based estimate): 0.5 kg per 1. */
  co2eKgPerCurrencyUnit: 0.5,
  /** A refurbishment emits this share of making the unit new (cleaning, parts replaced, test, transport). */
  refurbCo2eShare: 0.2,
  /** Repair pays when its expected cost is at most this share of buying new. */
  repairEconomicShare: 0.7,
  /** Days from the decision until a refurbished unit is back in stock. */
  turnaroundDays: 10,
  /** Units from this many operating cycles on are recycled rather than repaired (unknown: no limit). */
  maxCyclesForRepair: Infinity,
  /** Material recovery worth attempting (recycle rather than scrap) from this unit cost on. */
  recycleFromUnitCost: 20,
} as const;

export function resolveFactors(p: PartFactors): ResolvedFactors {
  return {
    unitCost: p.unitCost,
    repairable: p.repairable,
    repairCost: p.repairCost ?? round2(p.unitCost * DEFAULT_FACTORS.repairCostShare),
    refurbYield: p.refurbYield ?? DEFAULT_FACTORS.refurbYield,
    warrantyMonths: p.warrantyMonths ?? DEFAULT_FACTORS.warrantyMonths,
    co2eKgPerUnit: p.co2eKgPerUnit ?? round2(p.unitCost * DEFAULT_FACTORS.co2eKgPerCurrencyUnit),
  };
}

export interface UnitFacts {
  finding: RepairFinding;
  /** Months since the unit was installed, when known. */
  ageMonths?: number | null;
  /** Operating cycles, when known. */
  cycles?: number | null;
  /** Cycles from which the part is worn out (not worth repairing), when known. */
  maxCycles?: number | null;
}

export interface Proposal {
  disposition: Disposition;
  reason: string;
  /** Expected repair cost per unit (REFURBISH) or null. */
  repairCost: number | null;
  turnaroundDays: number | null;
  inWarranty: boolean | null;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** The platform's proposal for one returned defective unit. */
export function proposeDisposition(f: ResolvedFactors, u: UnitFacts): Proposal {
  const inWarranty = u.ageMonths == null ? null : u.ageMonths < f.warrantyMonths;
  const none = { repairCost: null, turnaroundDays: null, inWarranty };
  if (u.finding === 'NO_FAULT_FOUND')
    return {
      disposition: 'RESTOCK',
      reason: 'no fault found: retest and restock',
      repairCost: null,
      turnaroundDays: 2,
      inWarranty,
    };
  if (inWarranty)
    return {
      ...none,
      disposition: 'RETURN_TO_VENDOR',
      reason: `failed after ${u.ageMonths} months, within the supplier's ${f.warrantyMonths}-month warranty`,
    };
  const salvage: Proposal =
    f.unitCost >= DEFAULT_FACTORS.recycleFromUnitCost
      ? { ...none, disposition: 'RECYCLE', reason: '' }
      : { ...none, disposition: 'SCRAP', reason: '' };
  if (!f.repairable) return { ...salvage, reason: 'not repairable' };
  const maxCycles = u.maxCycles ?? DEFAULT_FACTORS.maxCyclesForRepair;
  if (u.cycles != null && u.cycles >= maxCycles)
    return { ...salvage, reason: `worn out: ${u.cycles} cycles of at most ${maxCycles}` };
  // a failed repair is paid for too: the expected cost of one good unit is repair cost / yield
  const expected = f.refurbYield > 0 ? f.repairCost / f.refurbYield : Infinity;
  const limit = f.unitCost * DEFAULT_FACTORS.repairEconomicShare;
  if (expected <= limit)
    return {
      disposition: 'REFURBISH',
      reason: `repair ${round2(f.repairCost)} at ${Math.round(f.refurbYield * 100)} % yield = ${round2(expected)} per good unit, within ${Math.round(DEFAULT_FACTORS.repairEconomicShare * 100)} % of new (${f.unitCost})`,
      repairCost: round2(f.repairCost),
      turnaroundDays: DEFAULT_FACTORS.turnaroundDays,
      inWarranty,
    };
  return {
    ...salvage,
    reason: `repair not economic: ${Number.isFinite(expected) ? round2(expected) : 'no yield'} per good unit against ${f.unitCost} new`,
  };
}

/** kg CO2e avoided by reusing `qty` units instead of buying new (0 unless restocked or refurbished). */
export function co2eAvoided(d: Disposition, qty: number, f: ResolvedFactors): number {
  if (d === 'RESTOCK') return round2(qty * f.co2eKgPerUnit);
  if (d === 'REFURBISH') return round2(qty * f.co2eKgPerUnit * (1 - DEFAULT_FACTORS.refurbCo2eShare));
  return 0;
}

export interface DispositionRequest {
  /** Omitted: the proposal is confirmed. */
  disposition?: Disposition;
  /** Required when the choice differs from the proposal. */
  reason?: string;
}

export interface ReturnFactsForDisposition {
  reason: ReturnReason;
  finding: RepairFinding | null;
  hasDisposition: boolean;
}

/** Checks a depot's decision: a defective unit with its finding, once, an override with its reason. */
export function decideDisposition(
  r: ReturnFactsForDisposition,
  proposal: Proposal,
  req: DispositionRequest,
): { disposition: Disposition; overrideReason: string | null } {
  if (r.reason !== 'DEFECTIVE')
    throw new AppError('DISPATCH_ILLEGAL_TRANSITION', 'an unused part is restocked on receipt, not disposed');
  if (!r.finding)
    throw new AppError('DISPATCH_ILLEGAL_TRANSITION', 'record the repair finding before the disposition');
  if (r.hasDisposition)
    throw new AppError('DISPATCH_ILLEGAL_TRANSITION', 'the disposition is already recorded');
  const chosen = req.disposition ?? proposal.disposition;
  const reason = req.reason?.trim() ?? '';
  if (chosen === proposal.disposition) return { disposition: chosen, overrideReason: reason || null };
  if (!reason)
    throw new AppError(
      'VALIDATION_FAILED',
      `overriding the proposal ${proposal.disposition} with ${chosen} needs a reason`,
    );
  if (chosen === 'RETURN_TO_VENDOR' && proposal.inWarranty === false)
    throw new AppError('DISPATCH_ILLEGAL_TRANSITION', "the unit is out of the supplier's warranty");
  if (chosen === 'RESTOCK' && r.finding !== 'NO_FAULT_FOUND')
    throw new AppError(
      'DISPATCH_ILLEGAL_TRANSITION',
      'a unit with a confirmed failure is refurbished before it goes back to stock',
    );
  return { disposition: chosen, overrideReason: reason };
}

/** The RTV number as printed: RTV-000042 (the return's RMA number: one RTV per return at most). */
export const rtvCode = (rmaNumber: number) => `RTV-${String(rmaNumber).padStart(6, '0')}`;
