// Broker authentication for the embedded broker: the platform's own identity, and each device's
// credentials from the Device table (scrypt hashes). A verified password is cached for reconnects for a few
// seconds only, so a rotated or revoked secret stops working at once; the broker also asks for the devices'
// current credentials periodically and disconnects those whose secret changed (common/embedded/mqtt-broker.ts).
// Both read the database, so they see a change made by any process (the platform's API, a script).
import { createHash } from 'node:crypto';
import type { Db } from '../../common/db.ts';
import type { BrokerAuthority, BrokerIdentity } from '../../common/embedded/mqtt-broker.ts';
import { verifyPassword } from '../../common/password.ts';

/** A short tag of a device's secret hash: changes when the secret is rotated or revoked. */
export const credentialTag = (secretHash: string) =>
  createHash('sha256').update(secretHash).digest('base64url').slice(0, 16);

export class DeviceAuthority implements BrokerAuthority {
  private readonly verified = new Map<string, { id: BrokerIdentity; until: number }>();
  private readonly cacheMs: number;

  constructor(
    private readonly db: Db,
    private readonly platform: { username: string; password: string },
    opts: { cacheMs?: number } = {},
  ) {
    this.cacheMs = opts.cacheMs ?? 5_000;
  }

  async identify(username: string, password: string): Promise<BrokerIdentity | null> {
    if (username === this.platform.username)
      return password === this.platform.password ? { kind: 'platform' } : null;
    const cacheKey = createHash('sha256').update(`${username}\u0000${password}`).digest('hex');
    const now = Date.now();
    const hit = this.verified.get(cacheKey);
    if (hit && hit.until > now) return hit.id;
    this.verified.delete(cacheKey);
    const device = await this.db.device.findUnique({
      where: { username },
      include: { asset: { include: { tenant: true } } },
    });
    if (!device || !(await verifyPassword(password, device.secretHash))) return null;
    const id: BrokerIdentity = {
      kind: 'device',
      tenant: device.asset.tenant.slug,
      asset: device.assetId,
      username,
      credential: credentialTag(device.secretHash),
    };
    if (this.verified.size > 10_000) this.sweep(now);
    this.verified.set(cacheKey, { id, until: now + this.cacheMs });
    return id;
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
    // a changed secret seen here is forgotten at once, not only when its cache entry expires
    const asked = new Set(usernames);
    for (const [k, { id }] of this.verified)
      if (id.kind === 'device' && asked.has(id.username) && out.get(id.username) !== id.credential)
        this.verified.delete(k);
    return out;
  }

  private sweep(now: number): void {
    for (const [k, v] of this.verified) if (v.until <= now) this.verified.delete(k);
  }
}
