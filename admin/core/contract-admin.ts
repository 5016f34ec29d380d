// Administration of a tenant's service contracts: the rules an edit must keep, what the audit log records of a
// contract, and the cleaning of its excluded SKUs. Pure.
//
// What the fields are used for, and so their ranges:
// - tier (CRITICAL | STANDARD): the parts planner's miss penalty (PartsPolicy.missPenaltyByTier) and the fill within
//   SLA per tier; the dispatch planner's weight of an hour late. The schema has no penalty of its own per contract.
// - responseHours: the SLA the parts planner plans stock for (an asset's slaHours) and a part of predict's order
//   horizon (network lead + response time + margin). Whole hours from 1 to RESPONSE_HOURS_MAX.
// - startsAt/endsAt (null: open) and coversParts/Labour/Travel/Shipping, excludedSkus: billing's split of a job's cost
//   (dispatch/core/billing.ts): in force from startsAt (inclusive) until endsAt (exclusive).

export const SLA_TIERS = ['CRITICAL', 'STANDARD'] as const;
export type SlaTier = (typeof SLA_TIERS)[number];

/** 30 days: a response time beyond it is a typo rather than a service level (4 h and next day are the usual). */
export const RESPONSE_HOURS_MAX = 720;
/** SKUs are short codes (BRG-1, SEAL-KIT-50). */
export const SKU_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$';
export const EXCLUDED_SKUS_MAX = 200;

export interface ContractFields {
  name: string;
  tier: SlaTier;
  responseHours: number;
  startsAt: Date | null;
  endsAt: Date | null;
  coversParts: boolean;
  coversLabour: boolean;
  coversTravel: boolean;
  coversShipping: boolean;
  excludedSkus: string[];
}

export type ContractSnapshot = Omit<ContractFields, 'startsAt' | 'endsAt'> & {
  startsAt: string | null;
  endsAt: string | null;
};

export type ContractAuditAction = 'contract.create' | 'contract.update' | 'contract.delete';

/** What the audit log keeps of a contract (dates as ISO text). */
export const contractSnapshot = (c: ContractFields): ContractSnapshot => ({
  name: c.name,
  tier: c.tier,
  responseHours: c.responseHours,
  startsAt: c.startsAt?.toISOString() ?? null,
  endsAt: c.endsAt?.toISOString() ?? null,
  coversParts: c.coversParts,
  coversLabour: c.coversLabour,
  coversTravel: c.coversTravel,
  coversShipping: c.coversShipping,
  excludedSkus: [...c.excludedSkus],
});

/** The audit log's label of a contract: its name and its tenant's. */
export const contractLabel = (c: { name: string }, tenant: { name: string }) => `${c.name} (${tenant.name})`;

/** Trimmed, without empties and repeats, in the order given. */
export const cleanSkus = (skus: readonly string[]): string[] => [
  ...new Set(skus.map((s) => s.trim()).filter((s) => s !== '')),
];

/**
 * Why a contract, as it would be after the change, is refused; null when it is fine. Only what the change touches is
 * judged (`changed`, by default all of it): a contract written before these rules (by a seed, or by SQL) can still
 * be renamed.
 */
export function contractRefusal(
  c: Pick<ContractFields, 'startsAt' | 'endsAt' | 'responseHours'>,
  changed: Partial<Pick<ContractFields, 'startsAt' | 'endsAt' | 'responseHours'>> = c,
): string | null {
  const h = c.responseHours;
  if (changed.responseHours !== undefined && (!Number.isInteger(h) || h < 1 || h > RESPONSE_HOURS_MAX))
    return `responseHours must be a whole number of hours from 1 to ${RESPONSE_HOURS_MAX}`;
  const dates = changed.startsAt !== undefined || changed.endsAt !== undefined;
  if (dates && c.startsAt && c.endsAt && c.endsAt.getTime() <= c.startsAt.getTime())
    return 'endsAt must be after startsAt (the contract is in force from startsAt until endsAt)';
  return null;
}

/** The SKUs of `wanted` that are no known part, in order. */
export const unknownSkus = (wanted: readonly string[], known: ReadonlySet<string>) =>
  wanted.filter((s) => !known.has(s));

/** Why a contract cannot be deleted; null when no asset uses it. */
export function deleteRefusal(name: string, assets: number): string | null {
  if (!assets) return null;
  return `${name} is the contract of ${assets} asset${assets === 1 ? '' : 's'} (decommissioned ones included: their history and bills keep it): it stays; end its coverage with endsAt instead`;
}
