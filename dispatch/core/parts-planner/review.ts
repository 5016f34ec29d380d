/**
 * The platform side of parts planning: one periodic review's instance of the parts-plan model built from a
 * snapshot of live data — the installed base (each asset's site, contract and failure modes), the network
 * and its stock, and predict's live predictions. Pure: the snapshot is read by an adapter
 * (dispatch/adapters/parts-review-store.ts).
 *
 * - Each (asset, failure mode) becomes one instance asset (`<assetId>:<failureModeKey>`, its part's sku): the
 *   model's asset fails once with one part, and failure modes fail independently.
 * - With a live prediction whose band [earliest, latest] reaches into the horizon: pFail = confidence × the
 *   share of the band inside the horizon, window = the band cut to the horizon (a band already past: the
 *   first day). Otherwise the failure mode's base rate: pFail = 1 − exp(−rate × H), window [0, H].
 * - A predicted failure whose open order already holds its part (`reserved`: a held reservation, on a shelf or on
 *   a transfer) is not demand again: the reserved unit is out of the available stock and will serve it, and the
 *   repaired asset is as likely to fail as any other, so the pair counts at the base rate (source RESERVED).
 * - SLA from the asset's contract (responseHours), the miss penalty from its tier (policy).
 * - Locations: repair depots left out; the first hub (by code) is the hub, further hubs hold stock as fsl;
 *   capacities by kind from the policy (the schema has none); stock = serviceable units available today.
 * - Refurbished units coming back (`pipeline`): units in repair expected back within the horizon (decided + the
 *   turnaround) count as stock of their destination — the hub when the depot has not chosen one, since where they
 *   go is decided when they leave the bench — as expected units: Σ qty × refurbishment yield per location and sku,
 *   rounded to the nearest unit. The spec's stock has no arrival times: they count from day 0.
 */
import type { PartsAsset, PartsInstance, PartsLocation } from './instance.ts';
import { validateInstance } from './instance.ts';
import type { DemandSource } from './plan-summary.ts';

const DAY_MS = 86_400_000;

export type ReviewLocationKind = 'HUB' | 'FSL' | 'COUNTER' | 'REPAIR_DEPOT';
export type ReviewTier = 'CRITICAL' | 'STANDARD';

export interface PartsReviewSnapshot {
  now: Date;
  parts: { sku: string; unitCost: number }[];
  locations: {
    code: string;
    kind: ReviewLocationKind;
    lat: number;
    lon: number;
    available: Record<string, number>;
    /** Units in transit towards the location (stock transfers): they count as its stock. */
    inbound?: Record<string, number>;
  }[];
  assets: {
    id: string;
    name?: string;
    /** The customer's name: asset names repeat across tenants ("Pump PX-50 #06"). */
    tenant?: string;
    lat: number;
    lon: number;
    responseHours: number;
    tier: ReviewTier;
    failureModes: { key: string; sku: string }[];
  }[];
  /**
   * Units in repair (REFURBISH, not done): where they go (null: not chosen yet, the hub), when they are expected
   * back (decided + turnaround) and the part's refurbishment yield.
   */
  pipeline?: { sku: string; qty: number; to: string | null; readyAt: Date; refurbYield: number }[];
  /** Live (not shadow, outcome pending) predictions, the latest per asset and failure mode. */
  predictions: {
    assetId: string;
    failureModeKey: string;
    bandEarliestAt: Date;
    bandLatestAt: Date;
    expectedFailureAt?: Date;
    confidence: number;
  }[];
  /**
   * Asset and failure mode pairs whose open service order holds its part (a held reservation): the part of that
   * predicted failure is already set aside, so the prediction is not counted as demand a second time.
   */
  reserved?: { assetId: string; failureModeKey: string }[];
}

export interface PartsReviewPolicy {
  horizonDays: number;
  holdingRatePerYear: number;
  transferCost: number;
  replenishDays: number;
  hubResponseHours: number;
  hubShipCost: number;
  localShipCost: number;
  costPerKm: number;
  emergencyCost: number;
  travel: { speedKmh: number; roadFactor: number };
  missPenaltyByTier: Record<ReviewTier, number>;
  /** Most units a location holds (null = unlimited); the hub is always unlimited. */
  capacityByKind: { FSL: number | null; COUNTER: number | null };
  /** Failures per asset per day without a live prediction, by failure mode key, and the default. */
  baseRatePerDay: Record<string, number>;
  defaultBaseRatePerDay: number;
}

/** The sample's cost parameters (shared/datasets/parts), a 14-day review. */
export const DEFAULT_REVIEW_POLICY: PartsReviewPolicy = {
  horizonDays: 14,
  holdingRatePerYear: 0.25,
  transferCost: 35,
  replenishDays: 1,
  hubResponseHours: 16,
  hubShipCost: 90,
  localShipCost: 25,
  costPerKm: 0.6,
  emergencyCost: 1500,
  travel: { speedKmh: 60, roadFactor: 1.3 },
  missPenaltyByTier: { CRITICAL: 6000, STANDARD: 2500 },
  capacityByKind: { FSL: 60, COUNTER: 4 },
  baseRatePerDay: {},
  defaultBaseRatePerDay: 0.0007,
};

const round4 = (x: number): number => Math.round(x * 1e4) / 1e4;

/**
 * `calibrate` maps a live prediction's confidence to a probability (demand.ts: learned from resolved
 * predictions); the default keeps the confidence as it is.
 */
export function buildPartsReviewInstance(
  s: PartsReviewSnapshot,
  policy: PartsReviewPolicy,
  calibrate: (confidence: number) => number = (c) => c,
): PartsInstance {
  const H = policy.horizonDays;
  const skus = new Set(s.parts.map((p) => p.sku));
  const nowMs = s.now.getTime();

  const kept = s.locations
    .filter((l) => l.kind !== 'REPAIR_DEPOT')
    .sort((a, b) => a.code.localeCompare(b.code));
  const hub = kept.find((l) => l.kind === 'HUB');
  const coming = pipelineStock(s, hub?.code ?? null, H);
  const locations: PartsLocation[] = kept.map((l) => {
    const isHub = l === hub;
    const kind = isHub ? 'hub' : l.kind === 'COUNTER' ? 'counter' : 'fsl';
    const stock: Record<string, number> = {};
    for (const [sku, q] of Object.entries(l.available))
      if (skus.has(sku) && q > 0) stock[sku] = Math.floor(q);
    for (const [sku, q] of Object.entries(l.inbound ?? {}))
      if (skus.has(sku) && q > 0) stock[sku] = (stock[sku] ?? 0) + Math.floor(q);
    for (const [sku, q] of Object.entries(coming[l.code] ?? {}))
      if (skus.has(sku) && q > 0) stock[sku] = (stock[sku] ?? 0) + q;
    const capacity = isHub
      ? null
      : l.kind === 'COUNTER'
        ? policy.capacityByKind.COUNTER
        : policy.capacityByKind.FSL;
    return { id: l.code, kind, lat: l.lat, lon: l.lon, capacity, stock };
  });

  const live = new Map(s.predictions.map((p) => [`${p.assetId}:${p.failureModeKey}`, p]));
  const reserved = reservedPairs(s);
  const assets: PartsAsset[] = [];
  for (const a of s.assets) {
    for (const fm of a.failureModes) {
      if (!skus.has(fm.sku)) continue;
      const id = `${a.id}:${fm.key}`;
      const base = {
        id,
        lat: a.lat,
        lon: a.lon,
        sku: fm.sku,
        slaHours: a.responseHours,
        missPenalty: policy.missPenaltyByTier[a.tier],
      };
      const p = reserved.has(id) ? undefined : live.get(id);
      const predicted =
        p === undefined
          ? undefined
          : predictedFailure({ ...p, confidence: calibrate(p.confidence) }, nowMs, H);
      if (predicted !== undefined) {
        assets.push({ ...base, ...predicted });
        continue;
      }
      const rate = policy.baseRatePerDay[fm.key] ?? policy.defaultBaseRatePerDay;
      assets.push({ ...base, pFail: round4(1 - Math.exp(-rate * H)), window: [0, H] });
    }
  }

  return validateInstance({
    horizonDays: H,
    holdingRatePerYear: policy.holdingRatePerYear,
    transferCost: policy.transferCost,
    replenishDays: policy.replenishDays,
    hubResponseHours: policy.hubResponseHours,
    hubShipCost: policy.hubShipCost,
    localShipCost: policy.localShipCost,
    costPerKm: policy.costPerKm,
    emergencyCost: policy.emergencyCost,
    travel: policy.travel,
    skus: s.parts.map((p) => ({ id: p.sku, unitCost: p.unitCost })),
    locations,
    assets,
  });
}

/**
 * Refurbished units expected back within the horizon, by location code and sku: Σ qty × yield, rounded to the
 * nearest unit; a unit without a destination (or one that is not a stocking location) counts at the hub.
 */
export function pipelineStock(
  s: Pick<PartsReviewSnapshot, 'now' | 'pipeline' | 'locations'>,
  hub: string | null,
  horizonDays: number,
): Record<string, Record<string, number>> {
  const end = s.now.getTime() + horizonDays * DAY_MS;
  const stocking = new Set(s.locations.filter((l) => l.kind !== 'REPAIR_DEPOT').map((l) => l.code));
  const expected: Record<string, Record<string, number>> = {};
  for (const u of s.pipeline ?? []) {
    if (u.readyAt.getTime() > end || u.qty <= 0) continue;
    const to = u.to !== null && stocking.has(u.to) ? u.to : hub;
    if (to === null) continue;
    const row = (expected[to] ??= {});
    row[u.sku] = (row[u.sku] ?? 0) + u.qty * Math.min(1, Math.max(0, u.refurbYield));
  }
  const out: Record<string, Record<string, number>> = {};
  for (const [loc, row] of Object.entries(expected))
    for (const [sku, x] of Object.entries(row)) {
      const n = Math.round(x + 1e-9);
      if (n > 0) (out[loc] ??= {})[sku] = n;
    }
  return out;
}

/** The "assetId:failureModeKey" pairs whose open order holds its part. */
function reservedPairs(s: Pick<PartsReviewSnapshot, 'reserved'>): Set<string> {
  return new Set((s.reserved ?? []).map((r) => `${r.assetId}:${r.failureModeKey}`));
}

/**
 * Where each instance asset's demand comes from: a live prediction reaching into the horizon, the base rate, or
 * the base rate because the predicted failure's open order already holds its part (RESERVED, with the prediction).
 */
export function demandSources(s: PartsReviewSnapshot, policy: PartsReviewPolicy): Map<string, DemandSource> {
  const live = new Map(s.predictions.map((p) => [`${p.assetId}:${p.failureModeKey}`, p]));
  const reserved = reservedPairs(s);
  const horizonEnd = s.now.getTime() + policy.horizonDays * DAY_MS;
  const out = new Map<string, DemandSource>();
  for (const a of s.assets)
    for (const fm of a.failureModes) {
      const id = `${a.id}:${fm.key}`;
      const p = live.get(id);
      const used = p !== undefined && p.bandEarliestAt.getTime() < horizonEnd;
      out.set(id, {
        assetId: a.id,
        assetName: a.name ?? a.id,
        ...(a.tenant !== undefined ? { tenant: a.tenant } : {}),
        failureModeKey: fm.key,
        tier: a.tier,
        source: used ? (reserved.has(id) ? 'RESERVED' : 'PREDICTION') : 'BASE_RATE',
        expectedFailureAt: used ? (p.expectedFailureAt ?? p.bandEarliestAt).toISOString() : null,
        confidence: used ? p.confidence : null,
      });
    }
  return out;
}

/** pFail and window of a live prediction over [now, now + H days], or undefined when its band is beyond. */
function predictedFailure(
  p: PartsReviewSnapshot['predictions'][number],
  nowMs: number,
  H: number,
): { pFail: number; window: [number, number] } | undefined {
  const from = (p.bandEarliestAt.getTime() - nowMs) / DAY_MS;
  const to = Math.max(from, (p.bandLatestAt.getTime() - nowMs) / DAY_MS);
  const confidence = Math.min(1, Math.max(0, p.confidence));
  if (from >= H) return undefined;
  if (to <= 0) return { pFail: round4(confidence), window: [0, Math.min(H, 1)] }; // overdue: any time now
  const lo = Math.max(0, from);
  const hi = Math.min(H, to);
  const share = to > from ? (hi - lo) / (to - from) : 1;
  const r2 = (x: number): number => Math.round(x * 100) / 100;
  const wLo = Math.min(r2(lo), H);
  return { pFail: round4(confidence * share), window: [wLo, Math.max(wLo, Math.min(H, r2(hi)))] };
}
