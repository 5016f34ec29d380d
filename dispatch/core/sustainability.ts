// Sustainability figures over the dispositions of returned defective units (docs/reverse-logistics.md).
import type { Disposition } from './disposition.ts';

export interface DispositionRow {
  tenantId: string;
  disposition: Disposition;
  qty: number;
  co2eAvoidedKg: number;
}

export interface SustainabilityFigures {
  /** Returned defective units with a disposition in the period. */
  units: number;
  restocked: number;
  refurbished: number;
  returnedToVendor: number;
  recycled: number;
  scrapped: number;
  /** (restocked + refurbished) / units; null without units. */
  reusedShare: number | null;
  /** kg CO2e avoided by reuse against buying new. */
  co2eAvoidedKg: number;
}

const KEY: Record<Disposition, keyof SustainabilityFigures> = {
  RESTOCK: 'restocked',
  REFURBISH: 'refurbished',
  RETURN_TO_VENDOR: 'returnedToVendor',
  RECYCLE: 'recycled',
  SCRAP: 'scrapped',
};

export function summarise(rows: readonly DispositionRow[]): SustainabilityFigures {
  const f = {
    units: 0,
    restocked: 0,
    refurbished: 0,
    returnedToVendor: 0,
    recycled: 0,
    scrapped: 0,
    co2eAvoidedKg: 0,
  };
  for (const r of rows) {
    f.units += r.qty;
    (f[KEY[r.disposition] as keyof typeof f] as number) += r.qty;
    f.co2eAvoidedKg += r.co2eAvoidedKg;
  }
  return {
    ...f,
    co2eAvoidedKg: Math.round(f.co2eAvoidedKg * 100) / 100,
    reusedShare: f.units === 0 ? null : Math.round(((f.restocked + f.refurbished) / f.units) * 1000) / 1000,
  };
}

/** The network's figures and each tenant's, tenants sorted by id. */
export function byTenant(rows: readonly DispositionRow[]): {
  total: SustainabilityFigures;
  tenants: (SustainabilityFigures & { tenantId: string })[];
} {
  const groups = new Map<string, DispositionRow[]>();
  for (const r of rows) groups.set(r.tenantId, [...(groups.get(r.tenantId) ?? []), r]);
  return {
    total: summarise(rows),
    tenants: [...groups.keys()].sort().map((t) => ({ tenantId: t, ...summarise(groups.get(t)!) })),
  };
}
