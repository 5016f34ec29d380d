// Asset and device administration on PostgreSQL: registering an asset with its device (the secret returned
// once), decommissioning one (its history stays, its device is revoked, it leaves availability, ingest and
// planning), the device list for the admin page, and the catalog the registration form picks from. Each change
// and its audit entry are one transaction.
import type { Db } from '../../common/db.ts';
import { writeAudit, type AuditActor } from '../../common/audit-log.ts';
import { AppError } from '../../common/errors.ts';
import {
  deviceState,
  newDeviceSecret,
  revokedDeviceHashes,
  type DeviceState,
} from '../../ingest/adapters/device-credentials.ts';
import { ACTIVE_STATUSES } from '../../dispatch/adapters/network-store.ts';

export interface Registration {
  tenantId: string;
  siteId: string;
  equipmentModel: string;
  contractId: string;
  serial: string;
  name: string;
}

export interface DeviceRow {
  assetId: string;
  name: string;
  serial: string;
  tenantId: string;
  tenant: string;
  site: string;
  equipmentModel: string;
  online: boolean;
  lastSeenAt: Date | null;
  decommissionedAt: Date | null;
  /** none: no device; active: a secret works; revoked: no secret works. */
  device: DeviceState;
  username: string | null;
  deviceCreatedAt: Date | null;
}

const OPEN = ['PREDICTED', ...ACTIVE_STATUSES] as const;

/** What the audit log keeps of an asset (no secret, no hash). */
const snapshot = (a: {
  serial: string;
  name: string;
  tenantId: string;
  siteId: string;
  equipmentModelId: string;
  contractId: string;
  decommissionedAt?: Date | null;
}) => ({
  serial: a.serial,
  name: a.name,
  tenantId: a.tenantId,
  siteId: a.siteId,
  equipmentModelId: a.equipmentModelId,
  contractId: a.contractId,
  decommissionedAt: a.decommissionedAt?.toISOString() ?? null,
});

export class PrismaAssetAdmin {
  constructor(private readonly db: Db) {}

  async register(
    actor: AuditActor,
    r: Registration,
  ): Promise<{ assetId: string; username: string; secret: string }> {
    const [site, contract, model, taken] = await Promise.all([
      this.db.site.findUnique({ where: { id: r.siteId } }),
      this.db.serviceContract.findUnique({ where: { id: r.contractId } }),
      this.db.equipmentModel.findUnique({ where: { key: r.equipmentModel } }),
      this.db.asset.findUnique({ where: { serial: r.serial }, select: { id: true } }),
    ]);
    if (!site || site.tenantId !== r.tenantId)
      throw new AppError('VALIDATION_FAILED', 'siteId is not a site of the tenant');
    if (!contract || contract.tenantId !== r.tenantId)
      throw new AppError('VALIDATION_FAILED', 'contractId is not a contract of the tenant');
    if (!model) throw new AppError('VALIDATION_FAILED', `no equipment model ${r.equipmentModel}`);
    if (taken) throw new AppError('ASSET_SERIAL_TAKEN', `an asset with serial ${r.serial} exists`);
    const { secret, ...hashes } = await newDeviceSecret();
    try {
      return await this.db.$transaction(async (tx) => {
        // the site, locked against its removal until the asset is on it (removed meanwhile: as if never there)
        const [held] = await tx.$queryRaw<{ tenantId: string }[]>`
          SELECT "tenantId" FROM "Site" WHERE id = ${site.id} FOR KEY SHARE`;
        if (held?.tenantId !== r.tenantId)
          throw new AppError('VALIDATION_FAILED', 'siteId is not a site of the tenant');
        // the contract too, against its deletion (DELETE …/contracts/{id}: refused once the asset uses it)
        const [bound] = await tx.$queryRaw<{ tenantId: string }[]>`
          SELECT "tenantId" FROM "ServiceContract" WHERE id = ${contract.id} FOR KEY SHARE`;
        if (bound?.tenantId !== r.tenantId)
          throw new AppError('VALIDATION_FAILED', 'contractId is not a contract of the tenant');
        const asset = await tx.asset.create({
          data: {
            tenantId: r.tenantId,
            siteId: site.id,
            equipmentModelId: model.id,
            contractId: contract.id,
            serial: r.serial,
            name: r.name,
          },
        });
        const device = await tx.device.create({ data: { assetId: asset.id, username: asset.id, ...hashes } });
        await writeAudit(tx, actor, {
          action: 'asset.register',
          target: { id: asset.id, label: `${asset.name} (${asset.serial})` },
          before: null,
          after: { ...snapshot(asset), device: device.username },
        });
        return { assetId: asset.id, username: device.username, secret };
      });
    } catch (err) {
      // two registrations of one serial at once: the unique index decides
      if ((err as { code?: string }).code === 'P2002')
        throw new AppError('ASSET_SERIAL_TAKEN', `an asset with serial ${r.serial} exists`);
      throw err;
    }
  }

  /**
   * Takes the asset out of service: its device secret is revoked (the embedded broker disconnects it within
   * seconds), it leaves availability, ingest and planning; its telemetry, orders and history stay.
   * Refused while it has open orders (cancel or complete them first) and when already decommissioned.
   */
  async decommission(actor: AuditActor, assetId: string, now: Date): Promise<{ decommissionedAt: Date }> {
    return this.db.$transaction(async (tx) => {
      const [locked] = await tx.$queryRaw<
        { id: string }[]
      >`SELECT id FROM "Asset" WHERE id = ${assetId} FOR UPDATE`;
      if (!locked) throw new AppError('NOT_FOUND', `no asset ${assetId}`);
      const asset = await tx.asset.findUniqueOrThrow({ where: { id: assetId }, include: { device: true } });
      if (asset.decommissionedAt)
        throw new AppError('ASSET_DECOMMISSIONED', `${asset.name} is decommissioned already`);
      const open = await tx.serviceOrder.findMany({
        where: { assetId, status: { in: [...OPEN] } },
        select: { number: true },
        orderBy: { number: 'asc' },
      });
      if (open.length)
        throw new AppError(
          'ASSET_HAS_OPEN_ORDERS',
          `${asset.name} has open orders (${open.map((o) => `#${o.number}`).join(', ')}): cancel or complete them first`,
        );
      const after = await tx.asset.update({
        where: { id: assetId },
        data: { decommissionedAt: now, online: false },
      });
      if (asset.device) await tx.device.update({ where: { assetId }, data: revokedDeviceHashes(now) });
      await writeAudit(tx, actor, {
        action: 'asset.decommission',
        target: { id: asset.id, label: `${asset.name} (${asset.serial})` },
        before: { ...snapshot(asset), device: deviceState(asset.device) },
        after: { ...snapshot(after), device: asset.device ? 'revoked' : 'none' },
      });
      return { decommissionedAt: now };
    });
  }

  async devices(): Promise<DeviceRow[]> {
    const rows = await this.db.asset.findMany({
      include: {
        tenant: { select: { name: true } },
        site: { select: { name: true } },
        equipmentModel: { select: { name: true } },
        device: { select: { username: true, secretHash: true, createdAt: true } },
      },
      orderBy: [{ tenant: { name: 'asc' } }, { name: 'asc' }],
    });
    return rows.map((a) => ({
      assetId: a.id,
      name: a.name,
      serial: a.serial,
      tenantId: a.tenantId,
      tenant: a.tenant.name,
      site: a.site.name,
      equipmentModel: a.equipmentModel.name,
      online: a.online,
      lastSeenAt: a.lastSeenAt,
      decommissionedAt: a.decommissionedAt,
      device: deviceState(a.device),
      username: a.device?.username ?? null,
      deviceCreatedAt: a.device?.createdAt ?? null,
    }));
  }

  /** Tenants with their sites and contracts, and the equipment models: what a registration picks from. */
  async catalog() {
    const [tenants, models] = await Promise.all([
      this.db.tenant.findMany({
        include: {
          sites: { select: { id: true, name: true }, orderBy: { name: 'asc' } },
          contracts: {
            select: { id: true, name: true, tier: true, endsAt: true },
            orderBy: { name: 'asc' },
          },
        },
        orderBy: { name: 'asc' },
      }),
      this.db.equipmentModel.findMany({ select: { key: true, name: true }, orderBy: { name: 'asc' } }),
    ]);
    return {
      tenants: tenants.map((t) => ({
        id: t.id,
        name: t.name,
        sites: t.sites,
        contracts: t.contracts.map((c) => ({ ...c, endsAt: c.endsAt?.toISOString() ?? null })),
      })),
      equipmentModels: models,
    };
  }
}
