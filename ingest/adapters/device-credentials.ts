// Issuing, rotating and revoking a device's MQTT secret. The platform keeps only hashes (scrypt for the embedded
// broker, Mosquitto's "$7$" for its password file); a new secret is returned once, to be put on the device. A
// changed secret takes effect on the embedded broker within seconds (ingest/adapters/device-authority.ts); on
// Mosquitto, after `npm run mosquitto:auth` and a SIGHUP (docs/telemetry.md).
import { randomBytes } from 'node:crypto';
import type { Db } from '../../common/db.ts';
import { AppError } from '../../common/errors.ts';
import { hashPassword } from '../../common/password.ts';
import { mosquittoPasswordHash } from '../core/mosquitto-auth.ts';

export interface IssuedSecret {
  assetId: string;
  username: string;
  /** Shown once; only its hashes are kept. */
  secret: string;
}

/** A new device secret and its hashes (the secret is shown once; only the hashes are stored). */
export async function newDeviceSecret(): Promise<{ secret: string; secretHash: string; brokerHash: string }> {
  const secret = randomBytes(18).toString('base64url');
  return { secret, secretHash: await hashPassword(secret), brokerHash: mosquittoPasswordHash(secret) };
}

/**
 * Device columns that no secret verifies against (common/password.ts accepts only "scrypt$…"); unique, so the
 * broker's re-check sees the change. No Mosquitto hash: the device leaves its password file.
 */
export function revokedDeviceHashes(at: Date): { secretHash: string; brokerHash: null } {
  return {
    secretHash: `revoked$${at.toISOString()}$${randomBytes(9).toString('base64url')}`,
    brokerHash: null,
  };
}

/** none: the asset has no device; active: its secret works; revoked: no secret works. */
export type DeviceState = 'none' | 'active' | 'revoked';

export const deviceState = (d: { secretHash: string } | null): DeviceState =>
  !d ? 'none' : d.secretHash.startsWith('revoked$') ? 'revoked' : 'active';

export class PrismaDeviceCredentials {
  constructor(private readonly db: Db) {}

  /** A new secret for the asset's device (the old one stops working); creates the device if it has none. */
  async rotate(assetId: string): Promise<IssuedSecret> {
    const asset = await this.db.asset.findUnique({ where: { id: assetId }, include: { device: true } });
    if (!asset) throw new AppError('NOT_FOUND', `no asset ${assetId}`, { assetId });
    if (asset.decommissionedAt)
      throw new AppError('ASSET_DECOMMISSIONED', `asset ${assetId} is decommissioned`, { assetId });
    const { secret, ...hashes } = await newDeviceSecret();
    const device = await this.db.device.upsert({
      where: { assetId },
      create: { assetId, username: assetId, ...hashes },
      update: hashes,
    });
    return { assetId, username: device.username, secret };
  }

  /** The device's secret stops working and no new one is issued (rotate issues one again). */
  async revoke(assetId: string): Promise<{ assetId: string; username: string }> {
    const device = await this.db.device.findUnique({ where: { assetId } });
    if (!device) throw new AppError('NOT_FOUND', `asset ${assetId} has no device`, { assetId });
    await this.db.device.update({ where: { assetId }, data: revokedDeviceHashes(new Date()) });
    return { assetId, username: device.username };
  }
}
