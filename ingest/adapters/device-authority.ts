// Broker authentication for the embedded broker: the platform's own identity, and each device's
// credentials from the Device table (scrypt hashes; a verified password is cached for reconnects).
import { createHash } from 'node:crypto';
import type { Db } from '../../common/db.ts';
import type { BrokerAuthority, BrokerIdentity } from '../../common/embedded/mqtt-broker.ts';
import { verifyPassword } from '../../common/password.ts';

export class DeviceAuthority implements BrokerAuthority {
  private readonly verified = new Map<string, BrokerIdentity>();

  constructor(
    private readonly db: Db,
    private readonly platform: { username: string; password: string },
  ) {}

  async identify(username: string, password: string): Promise<BrokerIdentity | null> {
    if (username === this.platform.username)
      return password === this.platform.password ? { kind: 'platform' } : null;
    const cacheKey = createHash('sha256').update(`${username}\u0000${password}`).digest('hex');
    const hit = this.verified.get(cacheKey);
    if (hit) return hit;
    const device = await this.db.device.findUnique({
      where: { username },
      include: { asset: { include: { tenant: true } } },
    });
    if (!device || !(await verifyPassword(password, device.secretHash))) return null;
    const id: BrokerIdentity = { kind: 'device', tenant: device.asset.tenant.slug, asset: device.assetId };
    this.verified.set(cacheKey, id);
    return id;
  }
}
