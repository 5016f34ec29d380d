// Warranty, entitlement and billing (docs/reverse-logistics.md): an order's cost to serve — parts, labour, travel,
// shipping — split into what the asset's warranty or service contract covers and what the customer is billed, and
// the invoice lines exported for the customer's ERP. Pure: the order's facts and coverages are passed in.
import type { PlanPolicy } from './policy.ts';
import { spendOf } from './route-timing.ts';

export const COST_KINDS = ['PARTS', 'LABOUR', 'TRAVEL', 'SHIPPING'] as const;
export type CostKind = (typeof COST_KINDS)[number];

/** Labour rate when the contract states none (planning assumption; replace with the price list). */
export const DEFAULT_LABOUR_RATE_PER_HOUR = 85;

/** One thing that pays for (part of) a job: the asset's manufacturer warranty or its service contract. */
export interface Coverage {
  source: 'WARRANTY' | 'CONTRACT';
  name: string;
  /** In force from (inclusive) until (exclusive); null: open-ended. */
  from: Date | null;
  until: Date | null;
  covers: Record<CostKind, boolean>;
  /** SKUs it does not cover even when it covers parts. */
  excludedSkus: readonly string[];
}

export interface AssetCoverageFacts {
  installedAt: Date;
  warrantyEndsAt: Date | null;
  warrantyLabour: boolean;
  contract: {
    name: string;
    startsAt: Date | null;
    endsAt: Date | null;
    coversParts: boolean;
    coversLabour: boolean;
    coversTravel: boolean;
    coversShipping: boolean;
    excludedSkus: readonly string[];
  };
}

/** The asset's warranty (when it has one) and its service contract, warranty first (it pays before the contract). */
export function coveragesOf(a: AssetCoverageFacts): Coverage[] {
  const out: Coverage[] = [];
  if (a.warrantyEndsAt)
    out.push({
      source: 'WARRANTY',
      name: 'manufacturer warranty',
      from: a.installedAt,
      until: a.warrantyEndsAt,
      covers: { PARTS: true, LABOUR: a.warrantyLabour, TRAVEL: false, SHIPPING: false },
      excludedSkus: [],
    });
  const c = a.contract;
  out.push({
    source: 'CONTRACT',
    name: c.name,
    from: c.startsAt,
    until: c.endsAt,
    covers: {
      PARTS: c.coversParts,
      LABOUR: c.coversLabour,
      TRAVEL: c.coversTravel,
      SHIPPING: c.coversShipping,
    },
    excludedSkus: c.excludedSkus,
  });
  return out;
}

export const inForce = (c: Coverage, at: Date): boolean =>
  (!c.from || c.from.getTime() <= at.getTime()) && (!c.until || at.getTime() < c.until.getTime());

/** The coverage that pays for one cost line on the service date, if any. */
export function coveredBy(
  coverages: readonly Coverage[],
  kind: CostKind,
  at: Date,
  sku?: string,
): Coverage | undefined {
  return coverages.find(
    (c) => inForce(c, at) && c.covers[kind] && !(kind === 'PARTS' && sku && c.excludedSkus.includes(sku)),
  );
}

/** What serving an order cost, from the plan (travel and shipping) and the job (parts fitted, repair time). */
export interface CostToServe {
  part: { sku: string; name: string; qty: number; unitCost: number };
  labour: { hours: number; ratePerHour: number };
  travel: number;
  shipping: number;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/**
 * The order's cost to serve. Travel is the plan's money cost (planner: travel and shipping, without the lateness
 * penalty, core/route-timing.ts `spendOf`) less its shipping; shipping is what its shipments cost.
 */
export function costToServe(o: {
  sku: string;
  partName: string;
  unitCost: number;
  partsFitted: number;
  repairMinutes: number;
  labourRatePerHour?: number;
  planCost: number | null;
  etaAt: Date | null;
  dueBy: Date;
  shippingCost: number;
  policy: PlanPolicy;
}): CostToServe {
  const spend = o.planCost !== null && o.etaAt ? spendOf(o.planCost, o.etaAt, o.dueBy, o.policy) : 0;
  return {
    part: { sku: o.sku, name: o.partName, qty: Math.max(0, o.partsFitted), unitCost: o.unitCost },
    labour: {
      hours: round2(o.repairMinutes / 60),
      ratePerHour: o.labourRatePerHour ?? DEFAULT_LABOUR_RATE_PER_HOUR,
    },
    travel: round2(Math.max(0, spend - o.shippingCost)),
    shipping: round2(o.shippingCost),
  };
}

export interface CostLine {
  kind: CostKind;
  description: string;
  qty: number;
  unitPrice: number;
  amount: number;
  covered: number;
  billable: number;
  /** The warranty or contract that pays for the line; null: billed. */
  coveredBy: string | null;
}

export interface CostSplit {
  lines: CostLine[];
  total: number;
  covered: number;
  billable: number;
}

/** Splits the cost to serve into covered and billable lines on the service date (lines of 0 are kept out). */
export function splitCost(cost: CostToServe, coverages: readonly Coverage[], at: Date): CostSplit {
  const raw: Omit<CostLine, 'covered' | 'billable' | 'coveredBy'>[] = [
    {
      kind: 'PARTS',
      description: `${cost.part.sku} ${cost.part.name}`,
      qty: cost.part.qty,
      unitPrice: cost.part.unitCost,
      amount: round2(cost.part.qty * cost.part.unitCost),
    },
    {
      kind: 'LABOUR',
      description: 'repair on site (hours)',
      qty: cost.labour.hours,
      unitPrice: cost.labour.ratePerHour,
      amount: round2(cost.labour.hours * cost.labour.ratePerHour),
    },
    { kind: 'TRAVEL', description: 'technician travel', qty: 1, unitPrice: cost.travel, amount: cost.travel },
    {
      kind: 'SHIPPING',
      description: 'parts shipping',
      qty: 1,
      unitPrice: cost.shipping,
      amount: cost.shipping,
    },
  ];
  const lines = raw
    .filter((l) => l.amount > 0)
    .map((l): CostLine => {
      const by = coveredBy(coverages, l.kind, at, l.kind === 'PARTS' ? cost.part.sku : undefined);
      return {
        ...l,
        covered: by ? l.amount : 0,
        billable: by ? 0 : l.amount,
        coveredBy: by ? `${by.source === 'WARRANTY' ? 'warranty' : 'contract'}: ${by.name}` : null,
      };
    });
  const sum = (f: (l: CostLine) => number) => round2(lines.reduce((n, l) => n + f(l), 0));
  return {
    lines,
    total: sum((l) => l.amount),
    covered: sum((l) => l.covered),
    billable: sum((l) => l.billable),
  };
}

/** One exported invoice line: a cost line of one completed order. */
export interface InvoiceLine extends CostLine {
  invoiceLine: string;
  orderNumber: number;
  tenantId: string;
  tenant: string;
  assetSerial: string;
  serviceDate: string;
  currency: string;
}

export const INVOICE_COLUMNS = [
  'invoiceLine',
  'orderNumber',
  'tenant',
  'assetSerial',
  'serviceDate',
  'kind',
  'description',
  'qty',
  'unitPrice',
  'amount',
  'covered',
  'billable',
  'coveredBy',
  'currency',
] as const satisfies readonly (keyof InvoiceLine)[];

/** Invoice lines of one order: `<order number>-<n>` identifies each line for the ERP. */
export function invoiceLines(
  order: { number: number; tenantId: string; tenant: string; assetSerial: string; serviceDate: Date },
  split: CostSplit,
  currency = 'EUR',
): InvoiceLine[] {
  return split.lines.map((l, i) => ({
    ...l,
    invoiceLine: `${order.number}-${i + 1}`,
    orderNumber: order.number,
    tenantId: order.tenantId,
    tenant: order.tenant,
    assetSerial: order.assetSerial,
    serviceDate: order.serviceDate.toISOString(),
    currency,
  }));
}

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote or line break; a text starting with = + - @ or a
 * tab is prefixed with ' so a spreadsheet does not run it as a formula (numbers are written as numbers).
 */
export function csvField(v: string | number | null): string {
  if (v === null) return '';
  if (typeof v === 'number') return String(v);
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function invoiceCsv(lines: readonly InvoiceLine[]): string {
  const rows = [INVOICE_COLUMNS.join(',')];
  for (const l of lines) rows.push(INVOICE_COLUMNS.map((c) => csvField(l[c])).join(','));
  return rows.join('\r\n') + '\r\n';
}

/** The supplier's name when the catalog has none: the claim is still raised, purchasing fills it in. */
export const UNKNOWN_SUPPLIER = 'unknown supplier';

/** A warranty claim on the supplier for units returned to vendor: their unit cost, per unit. */
export function rtvClaimFor(p: { unitCost: number; qty: number; supplier: string | null }): {
  supplier: string;
  qty: number;
  amount: number;
} {
  return {
    supplier: p.supplier?.trim() || UNKNOWN_SUPPLIER,
    qty: p.qty,
    amount: round2(p.unitCost * p.qty),
  };
}

export type ClaimStatus = 'OPEN' | 'CREDITED' | 'REJECTED';

/**
 * Settling a claim: only an open one, once; a credit defaults to the amount claimed and may not exceed it; a
 * rejection credits nothing. Returns the columns to store, or why not.
 */
export function settleClaim(
  claim: { status: ClaimStatus; amount: number },
  s: { status: 'CREDITED' | 'REJECTED'; creditAmount?: number },
): { ok: true; status: ClaimStatus; creditAmount: number } | { ok: false; why: string } {
  if (claim.status !== 'OPEN')
    return { ok: false, why: `the claim is already ${claim.status.toLowerCase()}` };
  if (s.status === 'REJECTED') return { ok: true, status: 'REJECTED', creditAmount: 0 };
  const credit = s.creditAmount ?? claim.amount;
  if (credit < 0 || credit > claim.amount)
    return { ok: false, why: `a credit is between 0 and the amount claimed (${claim.amount})` };
  return { ok: true, status: 'CREDITED', creditAmount: round2(credit) };
}
