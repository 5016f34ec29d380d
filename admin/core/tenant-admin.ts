// Administration of tenants and their sites (issue 17): what the audit log records of a tenant and of a site,
// the rule for a tenant's slug, and only what changed of an edit. Pure.

export interface TenantSnapshot {
  slug: string;
  name: string;
}

export interface SiteSnapshot {
  name: string;
  address: string | null;
  lat: number;
  lon: number;
}

export type TenantAuditAction =
  'tenant.create' | 'tenant.rename' | 'site.create' | 'site.update' | 'site.delete';

/** A slug names the tenant in URLs and logs: lower-case letters, digits and dashes, 2 to 40. */
export const SLUG_PATTERN = '^[a-z0-9][a-z0-9-]{1,39}$';

export const tenantSnapshot = (t: TenantSnapshot): TenantSnapshot => ({ slug: t.slug, name: t.name });

export const siteSnapshot = (s: SiteSnapshot): SiteSnapshot => ({
  name: s.name,
  address: s.address,
  lat: s.lat,
  lon: s.lon,
});

/** The audit log's label of a site: its name and its tenant's. */
export const siteLabel = (site: { name: string }, tenant: { name: string }) =>
  `${site.name} (${tenant.name})`;

const same = (x: unknown, y: unknown) =>
  x === y || (typeof x === 'object' && typeof y === 'object' && JSON.stringify(x) === JSON.stringify(y));

/** Only what changed, before and after (lists compared by their items); null when nothing did. */
export function diff<T extends object>(
  before: T,
  after: T,
): { before: Record<string, unknown>; after: Record<string, unknown> } | null {
  const b: Record<string, unknown> = {};
  const a: Record<string, unknown> = {};
  for (const k of Object.keys(after) as (keyof T & string)[])
    if (!same(before[k], after[k])) {
      b[k] = before[k];
      a[k] = after[k];
    }
  return Object.keys(a).length ? { before: b, after: a } : null;
}

/** Trims a name or an address; an empty address is none. */
export const cleanText = (s: string) => s.trim().replace(/\s+/g, ' ');
export const cleanAddress = (s: string | null | undefined) => {
  if (s === undefined) return undefined;
  const t = s === null ? '' : s.trim();
  return t === '' ? null : t;
};
