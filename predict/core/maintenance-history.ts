// An asset's maintenance history (issue 16): the platform's own completed service orders (the failure mode's part
// replaced) and the maintenance records imported with the tenant's fleet histories, newest first. Pure.

export interface MaintenanceEntry {
  at: Date;
  source: 'order' | 'import';
  /** The component replaced: the part's SKU for an order, as in the file for an import. */
  component: string;
  /** Orders: the part's name, its quantity, the order number and its failure mode. */
  part?: { sku: string; name: string; qty: number };
  orderNumber?: number;
  failureMode?: string;
  /** Imports: the fleet history it came from. */
  history?: string;
}

export interface CompletedOrder {
  number: number;
  closedAt: Date;
  failureMode: string;
  part: { sku: string; name: string };
  qty: number;
}

export interface ImportedMaintenance {
  ts: Date;
  key: string;
  history: string;
}

export function maintenanceHistory(
  orders: readonly CompletedOrder[],
  imported: readonly ImportedMaintenance[],
): MaintenanceEntry[] {
  const entries: MaintenanceEntry[] = [
    ...orders.map((o) => ({
      at: o.closedAt,
      source: 'order' as const,
      component: o.part.sku,
      part: { sku: o.part.sku, name: o.part.name, qty: o.qty },
      orderNumber: o.number,
      failureMode: o.failureMode,
    })),
    ...imported.map((m) => ({ at: m.ts, source: 'import' as const, component: m.key, history: m.history })),
  ];
  return entries.sort((a, b) => b.at.getTime() - a.at.getTime());
}
