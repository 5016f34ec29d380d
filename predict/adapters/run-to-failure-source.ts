// Backtest sources of run-to-failure histories: a C-MAPSS file on disk (with its RUL truth file for a test
// file), or a history imported into the database (history-store.ts). Each unit is one asset's life.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Db } from '../../common/db.ts';
import { AppError } from '../../common/errors.ts';
import { CMAPSS_EPOCH, cmapssHistories } from '../core/backtest/cmapss-history.ts';
import type { History, HistoryReading } from '../core/backtest/history.ts';
import { parseCmapss, parseRulTruth } from '../core/rul/cmapss-parse.ts';
import type { BacktestSource } from '../backtest-runner.ts';

export const DEFAULT_RUL_CAP_CYCLES = 125;

/** A C-MAPSS train_ file (every unit runs to failure), or a test_ file with its RUL_ truth file. */
export function cmapssFileSource(
  file: string,
  o: { truthFile?: string; horizonHours: number; cycleMs?: number; units?: number },
): BacktestSource {
  const cycleMs = o.cycleMs ?? 3_600_000;
  let units = parseCmapss(readFileSync(file, 'utf8'), path.basename(file));
  let truth = o.truthFile
    ? parseRulTruth(readFileSync(o.truthFile, 'utf8'), path.basename(o.truthFile))
    : undefined;
  if (o.units !== undefined) {
    units = units.slice(0, o.units);
    truth = truth?.slice(0, o.units);
  }
  const histories = new Map(
    cmapssHistories(units, { cycleMs, horizonHours: o.horizonHours, truth }).map((h) => [h.assetId, h]),
  );
  return {
    kind: 'file',
    options: {
      file: path.basename(file),
      ...(o.truthFile ? { truthFile: path.basename(o.truthFile) } : {}),
      units: units.length,
      horizonHours: o.horizonHours,
    },
    rulUnit: 'cycles',
    rulUnitMs: cycleMs,
    defaultRulCap: DEFAULT_RUL_CAP_CYCLES,
    warnings: truth ? ['a test file: scored for RUL at the last cycle of each unit only'] : [],
    assets: () => [...histories.keys()],
    load: async (id) => histories.get(id)!,
  };
}

/** Column arrays of one stored run. */
export interface RunData {
  at: number[];
  metrics: Record<string, number[]>;
}

export function runReadings(d: RunData, cycleMs: number): HistoryReading[] {
  const names = Object.keys(d.metrics);
  return d.at.map((cycle, i) => {
    const metrics: Record<string, number> = {};
    for (const n of names) metrics[n] = d.metrics[n]![i]!;
    return { at: CMAPSS_EPOCH + cycle * cycleMs, metrics };
  });
}

/** A history imported into the database. */
export async function storedHistorySource(
  db: Db,
  historyId: string,
  o: { horizonHours: number },
): Promise<BacktestSource> {
  const h = await db.equipmentHistory.findUnique({
    where: { id: historyId },
    include: { runs: { select: { unit: true }, orderBy: { unit: 'asc' } } },
  });
  if (!h) throw new AppError('NOT_FOUND', 'no such history');
  const cycleMs = h.cycleMinutes * 60_000;
  return {
    kind: 'history',
    options: { historyId, name: h.name, units: h.runs.length, horizonHours: o.horizonHours },
    rulUnit: 'cycles',
    rulUnitMs: cycleMs,
    defaultRulCap: DEFAULT_RUL_CAP_CYCLES,
    warnings: [],
    assets: () => h.runs.map((r) => `unit-${r.unit}`),
    async load(id): Promise<History> {
      const run = await db.historyRun.findUniqueOrThrow({
        where: { historyId_unit: { historyId, unit: Number(id.slice(5)) } },
      });
      const readings = runReadings(run.data as unknown as RunData, cycleMs);
      const last = readings.at(-1)?.at ?? CMAPSS_EPOCH;
      const failAt = last + (run.failed ? 0 : (run.rulAtEnd ?? 0) * cycleMs);
      return {
        assetId: id,
        readings,
        failures: [{ at: failAt, kind: 'run-to-failure' }],
        horizonHours: o.horizonHours,
        endAt: failAt,
        ...(run.failed ? {} : { rulAtEndOnly: true }),
      };
    },
  };
}
