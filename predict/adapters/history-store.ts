// Run-to-failure histories imported for engineers (NASA C-MAPSS text files): each unit one life, stored as
// column arrays, to train LEARNED models on and to backtest any model of the equipment model.
import type { Db } from '../../common/db.ts';
import { AppError } from '../../common/errors.ts';
import { CMAPSS_METRICS, unitReadings } from '../core/backtest/cmapss-history.ts';
import type { RunToFailure } from '../core/models/learned/health-index.ts';
import { CmapssParseError, parseCmapss, parseRulTruth } from '../core/rul/cmapss-parse.ts';
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

export interface CmapssImport {
  name: string;
  equipmentModel: string;
  /** The train_/test_ file's text, and for a test file its RUL_ file's text. */
  data: string;
  truth?: string;
  cycleMinutes?: number;
}

export class HistoryStore {
  constructor(private readonly db: Db) {}

  async importCmapss(i: CmapssImport, author: string): Promise<HistoryView> {
    const equipment = await this.db.equipmentModel.findUnique({
      where: { key: i.equipmentModel },
      include: { metrics: true },
    });
    if (!equipment) throw new AppError('NOT_FOUND', `no equipment model ${i.equipmentModel}`);
    const known = new Set(equipment.metrics.map((m) => m.name));
    const missing = CMAPSS_METRICS.filter((m) => !known.has(m));
    if (missing.length)
      throw new AppError(
        'VALIDATION_FAILED',
        `${i.equipmentModel} has no metrics ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? '…' : ''}: C-MAPSS columns map to setting1-3 and s1-s21`,
      );
    let units;
    let truth: number[] | undefined;
    try {
      units = parseCmapss(i.data, i.name);
      truth = i.truth ? parseRulTruth(i.truth, `${i.name} truth`) : undefined;
    } catch (err) {
      if (err instanceof CmapssParseError) throw new AppError('VALIDATION_FAILED', err.message);
      throw err;
    }
    if (truth && truth.length !== units.length)
      throw new AppError(
        'VALIDATION_FAILED',
        `the truth has ${truth.length} values for ${units.length} units`,
      );
    const runs = units.map((u, k) => {
      const readings = unitReadings(u, 1, 0);
      const data: RunData = {
        at: Array.from(u.cycles),
        metrics: Object.fromEntries(CMAPSS_METRICS.map((m) => [m, readings.map((r) => r.metrics[m]!)])),
      };
      return {
        unit: u.unit,
        cycles: u.length,
        failed: !truth,
        rulAtEnd: truth ? truth[k]! : null,
        data: data as unknown as object,
      };
    });
    const h = await this.db.equipmentHistory.create({
      data: {
        name: i.name,
        format: 'cmapss',
        equipmentModelId: equipment.id,
        cycleMinutes: i.cycleMinutes ?? 60,
        units: units.length,
        cycles: units.reduce((s, u) => s + u.length, 0),
        importedBy: author,
        runs: { createMany: { data: runs } },
      },
    });
    return (await this.list()).find((x) => x.id === h.id)!;
  }

  async list(): Promise<HistoryView[]> {
    const rows = await this.db.equipmentHistory.findMany({
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
    const history = (await this.list()).find((h) => h.id === historyId);
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
