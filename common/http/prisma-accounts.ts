// Accounts port on PostgreSQL: one primary-key lookup per check, one UPDATE per revocation.
import type { Db } from '../db.ts';
import type { AccountState, Accounts } from './session.ts';

const select = { id: true, tokenVersion: true, role: true, tenantId: true, disabledAt: true } as const;
const stateOf = ({ disabledAt, ...r }: { disabledAt: Date | null } & AccountState & { id: string }) => ({
  ...r,
  disabled: disabledAt !== null,
});

export class PrismaAccounts implements Accounts {
  constructor(private readonly db: Db) {}

  async state(userId: string): Promise<AccountState | undefined> {
    const row = await this.db.user.findUnique({ where: { id: userId }, select });
    return row ? stateOf(row) : undefined;
  }

  async states(userIds: string[]): Promise<Map<string, AccountState>> {
    if (userIds.length === 0) return new Map();
    const rows = await this.db.user.findMany({ where: { id: { in: userIds } }, select });
    return new Map(rows.map((r) => [r.id, stateOf(r)]));
  }

  async revoke(userId: string): Promise<void> {
    await this.db.user.updateMany({ where: { id: userId }, data: { tokenVersion: { increment: 1 } } });
  }
}
