import { describe, expect, it } from 'vitest';
import { isAppError } from '../../common/errors.ts';
import {
  co2eAvoided,
  decideDisposition,
  proposeDisposition,
  resolveFactors,
  rtvCode,
  type PartFactors,
} from './disposition.ts';
import { byTenant, summarise } from './sustainability.ts';

const part = (p: Partial<PartFactors> = {}): PartFactors => ({
  unitCost: 400,
  repairable: true,
  repairCost: null,
  refurbYield: null,
  warrantyMonths: null,
  co2eKgPerUnit: null,
  ...p,
});

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return isAppError(err) ? err.code : String(err);
  }
  return undefined;
};

describe('part factors', () => {
  it('fills empty catalog fields with the stated defaults', () => {
    expect(resolveFactors(part())).toEqual({
      unitCost: 400,
      repairable: true,
      repairCost: 140,
      refurbYield: 0.8,
      warrantyMonths: 12,
      co2eKgPerUnit: 200,
    });
    expect(
      resolveFactors(part({ repairCost: 50, refurbYield: 0.5, warrantyMonths: 24, co2eKgPerUnit: 9 })),
    ).toMatchObject({ repairCost: 50, refurbYield: 0.5, warrantyMonths: 24, co2eKgPerUnit: 9 });
  });
});

describe('proposeDisposition', () => {
  const f = (p: Partial<PartFactors> = {}) => resolveFactors(part(p));

  it('retests and restocks a unit with no fault found', () => {
    expect(proposeDisposition(f(), { finding: 'NO_FAULT_FOUND', ageMonths: 2 })).toMatchObject({
      disposition: 'RESTOCK',
      inWarranty: true,
    });
  });

  it("returns a failed unit under the supplier's warranty to the vendor", () => {
    const p = proposeDisposition(f({ warrantyMonths: 24 }), { finding: 'FAILURE_CONFIRMED', ageMonths: 18 });
    expect(p).toMatchObject({ disposition: 'RETURN_TO_VENDOR', inWarranty: true });
    expect(p.reason).toMatch(/24-month warranty/);
  });

  it('refurbishes when the repair per good unit is economic, with its cost and turnaround', () => {
    // 140 / 0.8 = 175 per good unit ≤ 70 % of 400
    expect(proposeDisposition(f(), { finding: 'FAILURE_CONFIRMED', ageMonths: 30 })).toMatchObject({
      disposition: 'REFURBISH',
      repairCost: 140,
      turnaroundDays: 10,
      inWarranty: false,
    });
    // age unknown: no warranty claim is proposed
    expect(proposeDisposition(f(), { finding: 'FAILURE_CONFIRMED' })).toMatchObject({
      disposition: 'REFURBISH',
      inWarranty: null,
    });
  });

  it('recycles when the repair does not pay, the part is worn out or not repairable; scraps cheap parts', () => {
    const failed = { finding: 'FAILURE_CONFIRMED' as const, ageMonths: 30 };
    expect(proposeDisposition(f({ repairCost: 200, refurbYield: 0.6 }), failed).disposition).toBe('RECYCLE');
    expect(proposeDisposition(f({ refurbYield: 0 }), failed).reason).toMatch(/no yield/);
    expect(proposeDisposition(f(), { ...failed, cycles: 50_000, maxCycles: 40_000 })).toMatchObject({
      disposition: 'RECYCLE',
      reason: 'worn out: 50000 cycles of at most 40000',
    });
    expect(proposeDisposition(f({ repairable: false }), failed)).toMatchObject({
      disposition: 'RECYCLE',
      reason: 'not repairable',
    });
    expect(proposeDisposition(f({ unitCost: 8, repairable: false }), failed).disposition).toBe('SCRAP');
  });
});

describe('co2eAvoided', () => {
  it('credits reuse against making new units; recycling and scrap avoid none', () => {
    const f = resolveFactors(part({ co2eKgPerUnit: 100 }));
    expect(co2eAvoided('RESTOCK', 2, f)).toBe(200);
    expect(co2eAvoided('REFURBISH', 1, f)).toBe(80);
    expect(co2eAvoided('RECYCLE', 1, f)).toBe(0);
    expect(co2eAvoided('SCRAP', 1, f)).toBe(0);
  });
});

describe('decideDisposition', () => {
  const proposal = proposeDisposition(resolveFactors(part()), {
    finding: 'FAILURE_CONFIRMED',
    ageMonths: 30,
  });
  const r = { reason: 'DEFECTIVE' as const, finding: 'FAILURE_CONFIRMED' as const, hasDisposition: false };

  it('confirms the proposal without a reason', () => {
    expect(decideDisposition(r, proposal, {})).toEqual({ disposition: 'REFURBISH', overrideReason: null });
  });

  it('needs a reason to override, and refuses what cannot be', () => {
    expect(code(() => decideDisposition(r, proposal, { disposition: 'SCRAP' }))).toBe('VALIDATION_FAILED');
    expect(code(() => decideDisposition(r, proposal, { disposition: 'SCRAP', reason: '  ' }))).toBe(
      'VALIDATION_FAILED',
    );
    expect(decideDisposition(r, proposal, { disposition: 'SCRAP', reason: 'housing cracked' })).toEqual({
      disposition: 'SCRAP',
      overrideReason: 'housing cracked',
    });
    expect(
      code(() => decideDisposition(r, proposal, { disposition: 'RETURN_TO_VENDOR', reason: 'try' })),
    ).toBe('DISPATCH_ILLEGAL_TRANSITION');
    expect(code(() => decideDisposition(r, proposal, { disposition: 'RESTOCK', reason: 'x' }))).toBe(
      'DISPATCH_ILLEGAL_TRANSITION',
    );
  });

  it('only for a defective unit with its finding, once', () => {
    const illegal = (x: Partial<typeof r>) =>
      code(() => decideDisposition({ ...r, ...x } as typeof r, proposal, {}));
    expect(illegal({ reason: 'UNUSED' as never })).toBe('DISPATCH_ILLEGAL_TRANSITION');
    expect(illegal({ finding: null as never })).toBe('DISPATCH_ILLEGAL_TRANSITION');
    expect(illegal({ hasDisposition: true })).toBe('DISPATCH_ILLEGAL_TRANSITION');
  });

  it('numbers the RTV after its return', () => {
    expect(rtvCode(42)).toBe('RTV-000042');
  });
});

describe('sustainability figures', () => {
  const rows = [
    { tenantId: 'b', disposition: 'REFURBISH' as const, qty: 1, co2eAvoidedKg: 80 },
    { tenantId: 'a', disposition: 'RESTOCK' as const, qty: 2, co2eAvoidedKg: 200 },
    { tenantId: 'a', disposition: 'RECYCLE' as const, qty: 1, co2eAvoidedKg: 0 },
    { tenantId: 'b', disposition: 'SCRAP' as const, qty: 1, co2eAvoidedKg: 0 },
  ];

  it('counts the reused share, recycled, scrapped and CO2e avoided', () => {
    expect(summarise(rows)).toEqual({
      units: 5,
      restocked: 2,
      refurbished: 1,
      returnedToVendor: 0,
      recycled: 1,
      scrapped: 1,
      reusedShare: 0.6,
      co2eAvoidedKg: 280,
    });
    expect(summarise([]).reusedShare).toBeNull();
  });

  it('splits by tenant', () => {
    const s = byTenant(rows);
    expect(s.tenants.map((t) => [t.tenantId, t.units, t.reusedShare])).toEqual([
      ['a', 3, 0.667],
      ['b', 2, 0.5],
    ]);
    expect(s.total.units).toBe(5);
  });
});
