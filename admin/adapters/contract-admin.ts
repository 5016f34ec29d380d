// A tenant's service contracts on PostgreSQL: each change and its audit entry (common/audit-log.ts) in one
// transaction, the tenant and the contract locked so two administrators' before/after are recorded in order. A
// contract an asset uses (decommissioned ones included) is never deleted: ADMIN_CONTRACT_IN_USE; a registration
// holds the contract (FOR KEY SHARE, fleet/adapters/asset-admin.ts) until its asset is written.
import { writeAudit, type AuditActor } from '../../common/audit-log.ts';
import type { Db, Prisma } from '../../common/db.ts';
import { AppError } from '../../common/errors.ts';
import {
  contractLabel,
  contractRefusal,
  contractSnapshot,
  deleteRefusal,
  unknownSkus,
  type ContractFields,
} from '../core/contract-admin.ts';
import { diff } from '../core/tenant-admin.ts';
import { lockTenant, tenantOrThrow } from './tenant-admin.ts';

// What is read of a contract, derived from the Prisma schema: a renamed or retyped column breaks the type check.
const contractSelect = {
  id: true,
  tenantId: true,
  name: true,
  tier: true,
  responseHours: true,
  startsAt: true,
  endsAt: true,
  coversParts: true,
  coversLabour: true,
  coversTravel: true,
  coversShipping: true,
  excludedSkus: true,
  _count: { select: { assets: true } },
} as const satisfies Prisma.ServiceContractSelect;
type ContractRecord = Prisma.ServiceContractGetPayload<{ select: typeof contractSelect }>;

export type ContractRow = Omit<ContractRecord, '_count' | 'startsAt' | 'endsAt'> & {
  startsAt: string | null;
  endsAt: string | null;
  assets: number;
};
export type ContractInput = ContractFields;

const contractRow = ({ _count, startsAt, endsAt, ...c }: ContractRecord): ContractRow => ({
  ...c,
  startsAt: startsAt?.toISOString() ?? null,
  endsAt: endsAt?.toISOString() ?? null,
  assets: _count.assets,
});

export class PrismaContractAdmin {
  constructor(private readonly db: Db) {}

  async contracts(tenantId: string): Promise<ContractRow[]> {
    await tenantOrThrow(this.db, tenantId);
    const rows = await this.db.serviceContract.findMany({
      where: { tenantId },
      select: contractSelect,
      orderBy: { name: 'asc' },
    });
    return rows.map(contractRow);
  }

  async createContract(actor: AuditActor, tenantId: string, c: ContractInput): Promise<ContractRow> {
    return this.db.$transaction(async (tx) => {
      const tenant = await lockTenant(tx, tenantId);
      await this.check(tx, c, c);
      await this.nameFree(tx, tenantId, c.name);
      const row = await tx.serviceContract.create({ data: { tenantId, ...c }, select: contractSelect });
      await writeAudit(tx, actor, {
        action: 'contract.create',
        target: { id: row.id, label: contractLabel(row, tenant) },
        before: null,
        after: { tenantId, ...contractSnapshot(row) },
      });
      return contractRow(row);
    });
  }

  async updateContract(
    actor: AuditActor,
    tenantId: string,
    contractId: string,
    c: Partial<ContractInput>,
  ): Promise<ContractRow> {
    return this.db.$transaction(async (tx) => {
      const tenant = await lockTenant(tx, tenantId);
      // NO KEY UPDATE: a registration holding the contract (FOR KEY SHARE) is not kept waiting by an edit
      const before = await this.lockContract(tx, tenantId, contractId, 'NO KEY UPDATE');
      await this.check(tx, { ...before, ...c }, c);
      if (c.name !== undefined && c.name.toLowerCase() !== before.name.toLowerCase())
        await this.nameFree(tx, tenantId, c.name);
      const after = await tx.serviceContract.update({
        where: { id: contractId },
        data: c,
        select: contractSelect,
      });
      const d = diff(contractSnapshot(before), contractSnapshot(after));
      if (d)
        await writeAudit(tx, actor, {
          action: 'contract.update',
          target: { id: contractId, label: contractLabel(after, tenant) },
          ...d,
        });
      return contractRow(after);
    });
  }

  async removeContract(actor: AuditActor, tenantId: string, contractId: string): Promise<void> {
    await this.db.$transaction(async (tx) => {
      const tenant = await lockTenant(tx, tenantId);
      const before = await this.lockContract(tx, tenantId, contractId, 'UPDATE');
      const refusal = deleteRefusal(before.name, await tx.asset.count({ where: { contractId } }));
      if (refusal) throw new AppError('ADMIN_CONTRACT_IN_USE', refusal);
      await tx.serviceContract.delete({ where: { id: contractId } });
      await writeAudit(tx, actor, {
        action: 'contract.delete',
        target: { id: contractId, label: contractLabel(before, tenant) },
        before: { tenantId, ...contractSnapshot(before) },
        after: null,
      });
    });
  }

  /** The rules of core/contract-admin.ts on what changes, and excluded SKUs that are parts of the catalogue. */
  private async check(tx: Prisma.TransactionClient, c: ContractInput, changed: Partial<ContractInput>) {
    const refusal = contractRefusal(c, changed);
    if (refusal) throw new AppError('VALIDATION_FAILED', refusal);
    // excluded SKUs are checked when given: a part retired since does not block renaming the contract
    if (changed.excludedSkus === undefined || !c.excludedSkus.length) return;
    const known = await tx.part.findMany({ where: { sku: { in: c.excludedSkus } }, select: { sku: true } });
    const unknown = unknownSkus(c.excludedSkus, new Set(known.map((p) => p.sku)));
    if (unknown.length)
      throw new AppError(
        'VALIDATION_FAILED',
        `excludedSkus names no part of the catalogue: ${unknown.slice(0, 5).join(', ')}${unknown.length > 5 ? ', …' : ''}`,
      );
  }

  /** The tenant's contract, locked; NOT_FOUND for a contract of another tenant too. */
  private async lockContract(
    tx: Prisma.TransactionClient,
    tenantId: string,
    contractId: string,
    mode: 'UPDATE' | 'NO KEY UPDATE',
  ) {
    if (mode === 'UPDATE')
      await tx.$queryRaw`SELECT id FROM "ServiceContract" WHERE id = ${contractId} FOR UPDATE`;
    else await tx.$queryRaw`SELECT id FROM "ServiceContract" WHERE id = ${contractId} FOR NO KEY UPDATE`;
    const c = await tx.serviceContract.findFirst({ where: { id: contractId, tenantId } });
    if (!c) throw new AppError('NOT_FOUND', `no contract ${contractId} of this tenant`);
    return c;
  }

  private async nameFree(tx: Prisma.TransactionClient, tenantId: string, name: string) {
    const same = await tx.serviceContract.count({
      where: { tenantId, name: { equals: name, mode: 'insensitive' } },
    });
    if (same) throw new AppError('ADMIN_CONTRACT_NAME_TAKEN', `the tenant has a contract named ${name}`);
  }
}
