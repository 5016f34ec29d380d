// Subscriptions in PostgreSQL: create, list and delete a user's own; the candidates an order event may reach.
import type { Db } from '../../common/db.ts';
import type { NotifyChannel, Subscriber, SubscriptionScope } from '../core/kinds.ts';

export interface SubscriptionRow extends SubscriptionScope {
  id: string;
  userId: string;
  channel: NotifyChannel;
  target: string;
  createdAt: Date;
}

export interface Candidate extends SubscriptionRow {
  subscriber: Subscriber;
}

const listed = {
  id: true,
  userId: true,
  channel: true,
  target: true,
  events: true,
  tenantId: true,
  assetId: true,
  createdAt: true,
} as const;

export class PrismaSubscriptions {
  constructor(private readonly db: Db) {}

  create(s: Omit<SubscriptionRow, 'id' | 'createdAt'> & { secret: string | null }): Promise<SubscriptionRow> {
    return this.db.notifySubscription.create({ data: s, select: listed });
  }

  listOf(userId: string): Promise<SubscriptionRow[]> {
    return this.db.notifySubscription.findMany({
      where: { userId },
      select: listed,
      orderBy: { createdAt: 'asc' },
    });
  }

  countOf(userId: string): Promise<number> {
    return this.db.notifySubscription.count({ where: { userId } });
  }

  /** Deletes the user's own subscription (and its delivery log); false when there is none of theirs. */
  async delete(userId: string, id: string): Promise<boolean> {
    const { count } = await this.db.notifySubscription.deleteMany({ where: { id, userId } });
    return count > 0;
  }

  /** Subscriptions to this kind whose tenant scope admits the tenant (the core decides the rest). */
  async candidates(kind: string, tenantId: string): Promise<Candidate[]> {
    const rows = await this.db.notifySubscription.findMany({
      where: { events: { has: kind }, OR: [{ tenantId }, { tenantId: null }] },
      select: { ...listed, user: { select: { role: true, tenantId: true, disabledAt: true } } },
    });
    return rows.map(({ user, ...r }) => ({
      ...r,
      subscriber: { role: user.role, tenantId: user.tenantId, disabled: user.disabledAt !== null },
    }));
  }

  async userEmail(userId: string): Promise<string | null> {
    return (await this.db.user.findUnique({ where: { id: userId }, select: { email: true } }))?.email ?? null;
  }

  async assetTenant(assetId: string): Promise<string | null> {
    return (
      (await this.db.asset.findUnique({ where: { id: assetId }, select: { tenantId: true } }))?.tenantId ??
      null
    );
  }
}
