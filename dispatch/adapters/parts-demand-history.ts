// PartsDemandHistory on PostgreSQL: what the parts review's demand is calibrated on (dispatch/core/parts-planner/
// demand.ts) — the outcomes of resolved live predictions, and per failure mode the failures (completed orders no
// depot found fault-free, failed imported run-to-failure histories) and the asset-days they happened in.
import type { Db } from '../../common/db.ts';
import type {
  FailureModeHistory,
  PartsDemandHistory,
  ResolvedPrediction,
} from '../core/parts-planner/demand.ts';

/** The most recent resolved predictions the calibration learns from. */
const MAX_RESOLVED = 20_000;

export class PrismaPartsDemandHistory implements PartsDemandHistory {
  constructor(private readonly db: Db) {}

  async resolvedPredictions(): Promise<ResolvedPrediction[]> {
    const rows = await this.db.prediction.findMany({
      where: { shadow: false, outcome: { in: ['CONFIRMED', 'REFUTED'] } },
      select: { confidence: true, outcome: true },
      orderBy: { outcomeAt: 'desc' },
      take: MAX_RESOLVED,
    });
    return rows.map((r) => ({ confidence: r.confidence, confirmed: r.outcome === 'CONFIRMED' }));
  }

  async failureModeHistory(now: Date): Promise<FailureModeHistory[]> {
    const [orders, exposure, histories] = await Promise.all([
      this.db.$queryRaw<{ key: string; failures: bigint }[]>`
        SELECT f.key, count(*) AS failures
        FROM "ServiceOrder" o JOIN "FailureMode" f ON f.id = o."failureModeId"
        WHERE o.status = 'COMPLETED' AND NOT EXISTS (
          SELECT 1 FROM "ReturnAuthorization" r WHERE r."orderId" = o.id AND r.finding = 'NO_FAULT_FOUND')
        GROUP BY f.key`,
      this.db.$queryRaw<{ key: string; days: number }[]>`
        SELECT f.key, COALESCE(sum(GREATEST(0, EXTRACT(EPOCH FROM (${now}::timestamp - a."installedAt")) / 86400)), 0)::float8 AS days
        FROM "FailureMode" f JOIN "Asset" a ON a."equipmentModelId" = f."equipmentModelId"
        GROUP BY f.key`,
      // an imported history is of an equipment model; its failures count for the model's failure mode only when
      // the model has exactly one
      this.db.$queryRaw<{ key: string; failures: bigint; days: number }[]>`
        SELECT f.key, count(*) FILTER (WHERE r.failed) AS failures,
          COALESCE(sum(r.cycles * h."cycleMinutes" / 1440.0), 0)::float8 AS days
        FROM "HistoryRun" r JOIN "EquipmentHistory" h ON h.id = r."historyId"
          JOIN "FailureMode" f ON f."equipmentModelId" = h."equipmentModelId"
        WHERE (SELECT count(*) FROM "FailureMode" g WHERE g."equipmentModelId" = h."equipmentModelId") = 1
        GROUP BY f.key`,
    ]);
    const failures = new Map(orders.map((o) => [o.key, Number(o.failures)]));
    const out: FailureModeHistory[] = exposure.map((e) => ({
      failureModeKey: e.key,
      failures: failures.get(e.key) ?? 0,
      exposureDays: Number(e.days),
    }));
    for (const h of histories)
      out.push({ failureModeKey: h.key, failures: Number(h.failures), exposureDays: Number(h.days) });
    return out;
  }
}
