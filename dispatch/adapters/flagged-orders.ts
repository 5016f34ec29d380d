// The open orders predict has flagged risk-cleared, for the platform's risk-cleared policy
// (dispatch/risk-cleared-release.ts).
import type { Db } from '../../common/db.ts';
import type { FlaggedOrder } from '../core/order-closure.ts';

export interface FlaggedOrderStore {
  flagged(): Promise<(FlaggedOrder & { id: string })[]>;
}

export class PrismaFlaggedOrders implements FlaggedOrderStore {
  constructor(private readonly db: Db) {}

  flagged() {
    return this.db.serviceOrder.findMany({
      where: { riskCleared: true, openKey: { not: null } },
      select: { id: true, status: true, riskCleared: true, riskClearedAt: true },
      orderBy: { riskClearedAt: 'asc' },
    });
  }
}
