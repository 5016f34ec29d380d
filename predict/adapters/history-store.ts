// Run-to-failure histories imported for engineers (NASA C-MAPSS text files): each unit one life, stored as
// column arrays, to train LEARNED models on and to backtest any model of the equipment model.
import type { Db } from '../../common/db.ts';
import { AppError } from '../../common/errors.ts';
import { CMAPSS_METRICS } from '../core/backtest/cmapss-history.ts';
import type { RunToFailure } from '../core/models/learned/health-index.ts';
import { runReadings, type RunData } from './run-to-failure-source.ts';

export interface HistoryView {
  id: string;
  name: string;
  format: string;
  equipmentModel: string;
  equipmentModelKey: string;
  cycleMinutes: number;
  units: number;
  cycles: number;
  /** Units that end in failure (a training file); the others stop early with a known RUL (a test file). */
  failedUnits: number;
  importedBy: string;
  importedAt: string;
}

export class HistoryStore {
  constructor(private readonly db: Db) {}

  /** The equipment model a C-MAPSS history is imported for: it must exist and name the C-MAPSS metrics. */
  async cmapssEquipment(key: string): Promise<{ id: string; name: string }> {
    const equipment = await this.db.equipmentModel.findUnique({
      where: { key },
      include: { metrics: true },
    });
    if (!equipment) throw new AppError('NOT_FOUND', `no equipment model ${key}`);
    const known = new Set(equipment.metrics.map((m) => m.name));
    const missing = CMAPSS_METRICS.filter((m) => !known.has(m));
    if (missing.length)
      throw new AppError(
        'VALIDATION_FAILED',
        `${key} has no metrics ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? '…' : ''}: C-MAPSS columns map to setting1-3 and s1-s21`,
      );
    return { id: equipment.id, name: equipment.name };
  }

  async get(id: string): Promise<HistoryView | undefined> {
    return (await this.list({ id }))[0];
  }

  async list(where: { id?: string } = {}): Promise<HistoryView[]> {
    const rows = await this.db.equipmentHistory.findMany({
      where,
      include: { equipmentModel: true, _count: { select: { runs: { where: { failed: true } } } } },
      orderBy: { importedAt: 'desc' },
    });
    return rows.map((h) => ({
      id: h.id,
      name: h.name,
      format: h.format,
      equipmentModel: h.equipmentModel.name,
      equipmentModelKey: h.equipmentModel.key,
      cycleMinutes: h.cycleMinutes,
      units: h.units,
      cycles: h.cycles,
      failedUnits: h._count.runs,
      importedBy: h.importedBy,
      importedAt: h.importedAt.toISOString(),
    }));
  }

  /** The lives that ended in failure, as readings (one per cycle), for training. */
  async runsToFailure(historyId: string): Promise<{ history: HistoryView; runs: RunToFailure[] }> {
    const history = await this.get(historyId);
    if (!history) throw new AppError('NOT_FOUND', 'no such history');
    const rows = await this.db.historyRun.findMany({
      where: { historyId, failed: true },
      orderBy: { unit: 'asc' },
    });
    if (rows.length === 0)
      throw new AppError(
        'PREDICT_NO_HISTORY',
        'this history has no run to failure (a test file?) to learn from',
      );
    return {
      history,
      runs: rows.map((r) => ({
        readings: runReadings(r.data as unknown as RunData, 1).map((x) => x.metrics),
      })),
    };
  }
}
