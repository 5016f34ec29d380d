// Turns a snapshot of the live service-parts network into one planning instance of the plan model.
import type { PlanInstance } from './planner/index.ts';
import type { PlanPolicy } from './policy.ts';

export interface NetworkSnapshot {
  now: Date;
  locations: {
    id: string;
    kind: 'HUB' | 'FSL' | 'COUNTER' | 'REPAIR_DEPOT';
    lat: number;
    lon: number;
    openUtc: string | null;
    closeUtc: string | null;
    available: Record<string, number>;
    /** Units in transit to it, not reserved yet (core/transfer-reservations.ts): on its shelf from their ETA. */
    arrivals?: { sku: string; qty: number; eta: string }[];
  }[];
  /** Technicians booked on open orders (not in the round; named in late reasons). */
  busyTechnicians?: { id: string; skills: string[]; orderNumber: number }[];
  /** Technicians free to take a job in this round. */
  technicians: { id: string; lat: number; lon: number; skills: string[]; availableFrom: Date }[];
  /** Orders waiting for a plan. */
  orders: {
    id: string;
    lat: number;
    lon: number;
    skill: string;
    sku: string;
    qty: number;
    dueBy: Date;
    repairMinutes: number;
    /** Judges the plan's on-time verdict (core/verdict.ts); not part of the plan model. */
    expectedFailureAt?: Date;
    tenantId?: string;
    /** Weighs its lateness (LATE_WEIGHT_BY_TIER); not part of the plan model. */
    slaTier?: 'CRITICAL' | 'STANDARD';
  }[];
}

const KIND = { HUB: 'hub', FSL: 'fsl', COUNTER: 'counter' } as const;

export function toPlanInstance(s: NetworkSnapshot, policy: PlanPolicy): PlanInstance {
  return {
    now: s.now.toISOString(),
    ...policy,
    locations: s.locations
      .filter((l) => l.kind !== 'REPAIR_DEPOT')
      .map((l) => ({
        id: l.id,
        kind: KIND[l.kind as keyof typeof KIND],
        lat: l.lat,
        lon: l.lon,
        stock: Object.fromEntries(Object.entries(l.available).filter(([, q]) => q > 0)),
        ...(l.arrivals?.length ? { arrivals: l.arrivals } : {}),
        ...(l.kind === 'COUNTER' && l.openUtc && l.closeUtc
          ? { openUtc: l.openUtc, closeUtc: l.closeUtc }
          : {}),
      })),
    technicians: s.technicians.map((t) => ({
      id: t.id,
      lat: t.lat,
      lon: t.lon,
      skills: t.skills,
      availableFrom: t.availableFrom.toISOString(),
    })),
    orders: s.orders.map(({ expectedFailureAt: _e, tenantId: _t, slaTier: _s, ...o }) => ({
      ...o,
      dueBy: o.dueBy.toISOString(),
    })),
  };
}

/** Per-order weights of an hour late, by contract tier (planner option `lateWeights`). */
export function lateWeights(
  s: Pick<NetworkSnapshot, 'orders'>,
  byTier: Record<'CRITICAL' | 'STANDARD', number>,
): Record<string, number> {
  return Object.fromEntries(s.orders.map((o) => [o.id, o.slaTier ? byTier[o.slaTier] : 1]));
}
