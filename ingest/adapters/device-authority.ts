// Broker authentication for the embedded broker: the platform's own identity, and each device's credentials from
// the Device table (scrypt hashes). Every connect reads the device's current secret hash (one indexed lookup),
// so a rotated or revoked secret is refused at once, by any process that changed it; what is cached is only the
// costly scrypt verification of a password against that very hash, so reconnect storms stay cheap. The broker
// also asks for connected devices' current credentials periodically and disconnects those whose secret changed
// (common/embedded/mqtt-broker.ts).
import { createHash } from 'node:crypto';
import type { Db } from '../../common/db.ts';
import type { BrokerAuthority, BrokerIdentity } from '../../common/embedded/mqtt-broker.ts';
import { verifyPassword } from '../../common/password.ts';

/** A short tag of a device's secret hash: changes when the secret is rotated or revoked. */
export const credentialTag = (secretHash: string) =>
  createHash('sha256').update(secretHash).digest('base64url').slice(0, 16);

const MAX_CACHED = 20_000;

export class DeviceAuthority implements BrokerAuthority {
  /** sha256 of username, password and the secret hash they were verified against. */
  private readonly verified = new Set<string>();

  constructor(
    private readonly db: Db,
    private readonly platform: { username: string; password: string },
  ) {}

  async identify(username: string, password: string): Promise<BrokerIdentity | null> {
    if (username === this.platform.username)
      return password === this.platform.password ? { kind: 'platform' } : null;
    const device = await this.db.device.findUnique({
      where: { username },
      include: { asset: { include: { tenant: true } } },
    });
    if (!device) return null;
    const key = createHash('sha256')
      .update(`${username}\u0000${password}\u0000${device.secretHash}`)
      .digest('hex');
    if (!this.verified.has(key)) {
      if (!(await verifyPassword(password, device.secretHash))) return null;
      if (this.verified.size >= MAX_CACHED) this.verified.delete(this.verified.values().next().value!);
      this.verified.add(key);
    }
    return {
      kind: 'device',
      tenant: device.asset.tenant.slug,
      asset: device.assetId,
      username,
      credential: credentialTag(device.secretHash),
    };
  }

  async registered(usernames: readonly string[]): Promise<string[]> {
    if (usernames.length === 0) return [];
    const rows = await this.db.device.findMany({
      where: { username: { in: [...usernames] } },
      select: { username: true },
    });
    return rows.map((r) => r.username);
  }

  async credentials(usernames: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (let i = 0; i < usernames.length; i += 1_000) {
      const rows = await this.db.device.findMany({
        where: { username: { in: usernames.slice(i, i + 1_000) } },
        select: { username: true, secretHash: true },
      });
      for (const r of rows) out.set(r.username, credentialTag(r.secretHash));
    }
    return out;
  }
}
