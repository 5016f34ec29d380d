import { describe, expect, it } from 'vitest';
import {
  costToServe,
  coveragesOf,
  csvField,
  invoiceCsv,
  invoiceLines,
  rtvClaimFor,
  settleClaim,
  splitCost,
  type AssetCoverageFacts,
  type CostKind,
  type CostLine,
  type CostToServe,
} from './billing.ts';
import { DEFAULT_POLICY } from './policy.ts';

const d = (s: string) => new Date(`${s}T12:00:00Z`);

const asset = (a: Partial<AssetCoverageFacts> = {}, c: Partial<AssetCoverageFacts['contract']> = {}) =>
  coveragesOf({
    installedAt: d('2025-01-01'),
    warrantyEndsAt: null,
    warrantyLabour: false,
    ...a,
    contract: {
      name: 'Standard',
      startsAt: null,
      endsAt: null,
      coversParts: false,
      coversLabour: false,
      coversTravel: false,
      coversShipping: false,
      excludedSkus: [],
      ...c,
    },
  });

const cost: CostToServe = {
  part: { sku: 'BRG-1', name: 'bearing', qty: 2, unitCost: 150 },
  labour: { hours: 1.5, ratePerHour: 80 },
  travel: 42.5,
  shipping: 55,
};

const by = (s: ReturnType<typeof splitCost>) =>
  Object.fromEntries(s.lines.map((l) => [l.kind, l])) as Record<CostKind, CostLine>;

describe('covered and billable', () => {
  it('bills everything without warranty or cover', () => {
    const s = splitCost(cost, asset(), d('2026-06-01'));
    expect(s).toMatchObject({ total: 517.5, covered: 0, billable: 517.5 });
    expect(s.lines.map((l) => [l.kind, l.amount])).toEqual([
      ['PARTS', 300],
      ['LABOUR', 120],
      ['TRAVEL', 42.5],
      ['SHIPPING', 55],
    ]);
  });

  it('in warranty: parts covered, labour not (unless the warranty includes it); out of warranty: billed', () => {
    const w = asset({ warrantyEndsAt: d('2026-01-01') });
    const inside = by(splitCost(cost, w, d('2025-12-31')));
    expect(inside.PARTS).toMatchObject({
      covered: 300,
      billable: 0,
      coveredBy: 'warranty: manufacturer warranty',
    });
    expect(inside.LABOUR).toMatchObject({ covered: 0, billable: 120, coveredBy: null });
    expect(by(splitCost(cost, w, d('2026-01-01'))).PARTS).toMatchObject({ covered: 0, billable: 300 });
    const withLabour = by(
      splitCost(cost, asset({ warrantyEndsAt: d('2026-01-01'), warrantyLabour: true }), d('2025-06-01')),
    );
    expect(withLabour.LABOUR.covered).toBe(120);
    expect(withLabour.TRAVEL.billable).toBe(42.5);
  });

  it('a contract covers what it says while in force; excluded SKUs are billed', () => {
    const full = { coversParts: true, coversLabour: true, coversTravel: true, coversShipping: true };
    const c = asset(
      {},
      { ...full, name: 'Critical care', startsAt: d('2026-01-01'), endsAt: d('2027-01-01') },
    );
    expect(splitCost(cost, c, d('2026-03-01'))).toMatchObject({ covered: 517.5, billable: 0 });
    expect(splitCost(cost, c, d('2025-12-31'))).toMatchObject({ covered: 0, billable: 517.5 });
    expect(splitCost(cost, c, d('2027-01-01'))).toMatchObject({ covered: 0, billable: 517.5 });
    const ex = by(splitCost(cost, asset({}, { ...full, excludedSkus: ['BRG-1'] }), d('2026-03-01')));
    expect(ex.PARTS).toMatchObject({ billable: 300, coveredBy: null });
    expect(ex.LABOUR.coveredBy).toBe('contract: Standard');
  });

  it('the warranty pays for parts before the contract; an excluded SKU is still under warranty', () => {
    const s = by(
      splitCost(
        cost,
        asset({ warrantyEndsAt: d('2027-01-01') }, { coversParts: true, excludedSkus: ['BRG-1'] }),
        d('2026-01-01'),
      ),
    );
    expect(s.PARTS.coveredBy).toBe('warranty: manufacturer warranty');
  });

  it('leaves out lines of nothing (stock at the pickup: no shipping)', () => {
    expect(splitCost({ ...cost, shipping: 0 }, asset(), d('2026-01-01')).lines.map((l) => l.kind)).toEqual([
      'PARTS',
      'LABOUR',
      'TRAVEL',
    ]);
  });
});

describe('cost to serve', () => {
  it('takes travel from the plan cost less shipping and the lateness penalty', () => {
    const dueBy = d('2026-01-01');
    const late = new Date(dueBy.getTime() + 30 * 60_000);
    const c = costToServe({
      sku: 'BRG-1',
      partName: 'bearing',
      unitCost: 150,
      partsFitted: 1,
      repairMinutes: 90,
      planCost: 100 + 5000 + 55,
      etaAt: late,
      dueBy,
      shippingCost: 55,
      policy: DEFAULT_POLICY,
    });
    expect(c).toEqual({
      part: { sku: 'BRG-1', name: 'bearing', qty: 1, unitCost: 150 },
      labour: { hours: 1.5, ratePerHour: 85 },
      travel: 100,
      shipping: 55,
    });
  });

  it('without a plan cost: no travel', () => {
    const c = costToServe({
      sku: 'X',
      partName: 'x',
      unitCost: 1,
      partsFitted: 0,
      repairMinutes: 60,
      planCost: null,
      etaAt: null,
      dueBy: d('2026-01-01'),
      shippingCost: 0,
      policy: DEFAULT_POLICY,
    });
    expect(c.travel).toBe(0);
    expect(c.part.qty).toBe(0);
  });
});

describe('invoice export', () => {
  const lines = invoiceLines(
    {
      number: 42,
      tenantId: 't1',
      tenant: 'Acme, "North"',
      assetSerial: '=SN-1',
      serviceDate: d('2026-02-03'),
    },
    splitCost(cost, asset(), d('2026-02-03')),
  );

  it('numbers the lines per order', () => {
    expect(lines.map((l) => l.invoiceLine)).toEqual(['42-1', '42-2', '42-3', '42-4']);
  });

  it('writes RFC 4180 CSV with a header, quoting and no formulas', () => {
    const csv = invoiceCsv(lines);
    const rows = csv.split('\r\n');
    expect(rows[0]).toBe(
      'invoiceLine,orderNumber,tenant,assetSerial,serviceDate,kind,description,qty,unitPrice,amount,covered,billable,coveredBy,currency',
    );
    expect(rows[1]).toBe(
      `42-1,42,"Acme, ""North""",'=SN-1,2026-02-03T12:00:00.000Z,PARTS,BRG-1 bearing,2,150,300,0,300,,EUR`,
    );
    expect(rows).toHaveLength(6);
    expect(rows[5]).toBe('');
  });

  it('neutralises formula starts and quotes line breaks', () => {
    expect(csvField('+1')).toBe("'+1");
    expect(csvField('@x')).toBe("'@x");
    expect(csvField('a\nb')).toBe('"a\nb"');
    expect(csvField(-3)).toBe('-3');
    expect(csvField(null)).toBe('');
  });
});

describe('RTV claims', () => {
  it('claims the unit cost per unit from the supplier, named or not', () => {
    expect(rtvClaimFor({ unitCost: 120.456, qty: 2, supplier: 'Bearings Ltd' })).toEqual({
      supplier: 'Bearings Ltd',
      qty: 2,
      amount: 240.91,
    });
    expect(rtvClaimFor({ unitCost: 1, qty: 1, supplier: ' ' }).supplier).toBe('unknown supplier');
  });

  it('settles an open claim once, with a credit up to the amount', () => {
    const open = { status: 'OPEN' as const, amount: 100 };
    expect(settleClaim(open, { status: 'CREDITED' })).toEqual({
      ok: true,
      status: 'CREDITED',
      creditAmount: 100,
    });
    expect(settleClaim(open, { status: 'CREDITED', creditAmount: 60 })).toMatchObject({ creditAmount: 60 });
    expect(settleClaim(open, { status: 'CREDITED', creditAmount: 101 }).ok).toBe(false);
    expect(settleClaim(open, { status: 'REJECTED', creditAmount: 50 })).toMatchObject({ creditAmount: 0 });
    expect(settleClaim({ status: 'CREDITED', amount: 100 }, { status: 'REJECTED' })).toEqual({
      ok: false,
      why: 'the claim is already credited',
    });
  });
});
