// Tenants and sites on PostgreSQL: each change and its audit entry (common/audit-log.ts) in one transaction, the
// changed row locked so two administrators' before/after are recorded in order. A site with assets is never
// removed (their history stays with it): ADMIN_SITE_IN_USE.
import { writeAudit, type AuditActor } from '../../common/audit-log.ts';
import type { Db, Prisma } from '../../common/db.ts';
import { AppError } from '../../common/errors.ts';
import { diff, siteLabel, siteSnapshot, tenantSnapshot } from '../core/tenant-admin.ts';

// What is read of a tenant and of a site, derived from the Prisma schema: a renamed or retyped column breaks the
// type check here instead of drifting from a hand-written copy.
const tenantSelect = {
  id: true,
  slug: true,
  name: true,
  createdAt: true,
} as const satisfies Prisma.TenantSelect;
const siteSelect = {
  id: true,
  tenantId: true,
  name: true,
  address: true,
  lat: true,
  lon: true,
  _count: { select: { assets: true } },
} as const satisfies Prisma.SiteSelect;
type TenantRecord = Prisma.TenantGetPayload<{ select: typeof tenantSelect }>;
type SiteRecord = Prisma.SiteGetPayload<{ select: typeof siteSelect }>;

export type TenantRow = Omit<TenantRecord, 'createdAt'> & { createdAt: string };
export type SiteRow = Omit<SiteRecord, '_count'> & { assets: number };
export type SiteInput = Pick<SiteRecord, 'name' | 'address' | 'lat' | 'lon'>;

const tenantRow = ({ createdAt, ...t }: TenantRecord): TenantRow => ({
  ...t,
  createdAt: createdAt.toISOString(),
});
const siteRow = ({ _count, ...s }: SiteRecord): SiteRow => ({ ...s, assets: _count.assets });

const isUnique = (err: unknown) => (err as { code?: string }).code === 'P2002';

export class PrismaTenantAdmin {
  constructor(private readonly db: Db) {}

  async createTenant(actor: AuditActor, t: { slug: string; name: string }): Promise<TenantRow> {
    try {
      return await this.db.$transaction(async (tx) => {
        const row = await tx.tenant.create({ data: t, select: tenantSelect });
        await writeAudit(tx, actor, {
          action: 'tenant.create',
          target: { id: row.id, label: row.name },
          before: null,
          after: { ...tenantSnapshot(row) },
        });
        return tenantRow(row);
      });
    } catch (err) {
      if (isUnique(err)) throw new AppError('ADMIN_SLUG_TAKEN', `a tenant with slug ${t.slug} exists`);
      throw err;
    }
  }

  async renameTenant(actor: AuditActor, id: string, name: string): Promise<TenantRow> {
    return this.db.$transaction(async (tx) => {
      const before = await lockTenant(tx, id);
      const after = await tx.tenant.update({ where: { id }, data: { name }, select: tenantSelect });
      const d = diff(tenantSnapshot(before), tenantSnapshot(after));
      if (d)
        await writeAudit(tx, actor, { action: 'tenant.rename', target: { id, label: after.name }, ...d });
      return tenantRow(after);
    });
  }

  async sites(tenantId: string): Promise<SiteRow[]> {
    await tenantOrThrow(this.db, tenantId);
    const rows = await this.db.site.findMany({
      where: { tenantId },
      select: siteSelect,
      orderBy: { name: 'asc' },
    });
    return rows.map(siteRow);
  }

  async createSite(actor: AuditActor, tenantId: string, s: SiteInput): Promise<SiteRow> {
    return this.db.$transaction(async (tx) => {
      const tenant = await lockTenant(tx, tenantId);
      await this.nameFree(tx, tenantId, s.name);
      const row = await tx.site.create({ data: { tenantId, ...s }, select: siteSelect });
      await writeAudit(tx, actor, {
        action: 'site.create',
        target: { id: row.id, label: siteLabel(row, tenant) },
        before: null,
        after: { tenantId, ...siteSnapshot(row) },
      });
      return siteRow(row);
    });
  }

  async updateSite(
    actor: AuditActor,
    tenantId: string,
    siteId: string,
    s: Partial<SiteInput>,
  ): Promise<SiteRow> {
    return this.db.$transaction(async (tx) => {
      const tenant = await lockTenant(tx, tenantId);
      const before = await this.lockSite(tx, tenantId, siteId);
      if (s.name !== undefined && s.name !== before.name) await this.nameFree(tx, tenantId, s.name);
      const after = await tx.site.update({ where: { id: siteId }, data: s, select: siteSelect });
      const d = diff(siteSnapshot(before), siteSnapshot(after));
      if (d)
        await writeAudit(tx, actor, {
          action: 'site.update',
          target: { id: siteId, label: siteLabel(after, tenant) },
          ...d,
        });
      return siteRow(after);
    });
  }

  async removeSite(actor: AuditActor, tenantId: string, siteId: string): Promise<void> {
    await this.db.$transaction(async (tx) => {
      const tenant = await lockTenant(tx, tenantId);
      const before = await this.lockSite(tx, tenantId, siteId);
      const assets = await tx.asset.count({ where: { siteId } });
      if (assets)
        throw new AppError(
          'ADMIN_SITE_IN_USE',
          `${before.name} has ${assets} asset${assets === 1 ? '' : 's'} (decommissioned ones keep their history there): move or keep them`,
        );
      await tx.site.delete({ where: { id: siteId } });
      await writeAudit(tx, actor, {
        action: 'site.delete',
        target: { id: siteId, label: siteLabel(before, tenant) },
        before: { tenantId, ...siteSnapshot(before) },
        after: null,
      });
    });
  }

  /** The tenant's site, locked; NOT_FOUND for a site of another tenant too. */
  private async lockSite(tx: Prisma.TransactionClient, tenantId: string, siteId: string) {
    await tx.$queryRaw`SELECT id FROM "Site" WHERE id = ${siteId} FOR UPDATE`;
    const s = await tx.site.findFirst({ where: { id: siteId, tenantId } });
    if (!s) throw new AppError('NOT_FOUND', `no site ${siteId} of this tenant`);
    return s;
  }

  private async nameFree(tx: Prisma.TransactionClient, tenantId: string, name: string) {
    const same = await tx.site.count({ where: { tenantId, name: { equals: name, mode: 'insensitive' } } });
    if (same) throw new AppError('ADMIN_SITE_NAME_TAKEN', `the tenant has a site named ${name}`);
  }
}

/** The tenant; NOT_FOUND when there is none. */
export async function tenantOrThrow(db: Pick<Db, 'tenant'>, id: string) {
  const t = await db.tenant.findUnique({ where: { id } });
  if (!t) throw new AppError('NOT_FOUND', `no tenant ${id}`);
  return t;
}

/** The tenant, its row locked for the transaction; NOT_FOUND when there is none. */
export async function lockTenant(tx: Prisma.TransactionClient, id: string) {
  await tx.$queryRaw`SELECT id FROM "Tenant" WHERE id = ${id} FOR UPDATE`;
  return tenantOrThrow(tx, id);
}
