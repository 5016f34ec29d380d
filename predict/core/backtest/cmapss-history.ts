// C-MAPSS run-to-failure data as backtest histories: each unit is one life of an engine (an asset of its own),
// each cycle a reading with the metrics `setting1`..`setting3` and `s1`..`s21` (the file's columns in order, as
// the turbofan equipment model names them), one cycle mapped to `cycleMs` of time. A training unit fails at its
// last cycle; a test unit stops early and its failure lies `truth[i]` cycles after its last one.
import { N_SENSORS, N_SETTINGS, type UnitHistory } from '../rul/cmapss-parse.ts';
import type { History, HistoryReading } from './history.ts';

export const CMAPSS_SETTINGS = Array.from({ length: N_SETTINGS }, (_, i) => `setting${i + 1}`);
export const CMAPSS_SENSORS = Array.from({ length: N_SENSORS }, (_, i) => `s${i + 1}`);
export const CMAPSS_METRICS = [...CMAPSS_SETTINGS, ...CMAPSS_SENSORS];

/** Epoch of the first cycle of every unit (any fixed instant would do). */
export const CMAPSS_EPOCH = Date.parse('2000-01-01T00:00:00Z');

/** One unit's cycles as readings. */
export function unitReadings(u: UnitHistory, cycleMs: number, start = CMAPSS_EPOCH): HistoryReading[] {
  const out: HistoryReading[] = [];
  for (let i = 0; i < u.length; i++) {
    const metrics: Record<string, number> = {};
    for (let j = 0; j < N_SETTINGS; j++) metrics[CMAPSS_SETTINGS[j]!] = u.settings[i * N_SETTINGS + j]!;
    for (let j = 0; j < N_SENSORS; j++) metrics[CMAPSS_SENSORS[j]!] = u.sensors[i * N_SENSORS + j]!;
    out.push({ at: start + u.cycles[i]! * cycleMs, metrics });
  }
  return out;
}

/** One unit's cycles as column arrays: the cycle numbers and each metric's values (a stored history run). */
export function unitColumns(u: UnitHistory): { at: number[]; metrics: Record<string, number[]> } {
  const metrics: Record<string, number[]> = {};
  for (let j = 0; j < N_SETTINGS; j++)
    metrics[CMAPSS_SETTINGS[j]!] = Array.from(
      { length: u.length },
      (_, i) => u.settings[i * N_SETTINGS + j]!,
    );
  for (let j = 0; j < N_SENSORS; j++)
    metrics[CMAPSS_SENSORS[j]!] = Array.from({ length: u.length }, (_, i) => u.sensors[i * N_SENSORS + j]!);
  return { at: Array.from(u.cycles), metrics };
}

export function cmapssHistories(
  units: readonly UnitHistory[],
  o: { cycleMs: number; horizonHours: number; truth?: readonly number[]; prefix?: string },
): History[] {
  if (o.truth && o.truth.length !== units.length)
    throw new Error(`the truth file has ${o.truth.length} values for ${units.length} units`);
  return units.map((u, i) => {
    const readings = unitReadings(u, o.cycleMs);
    const last = readings.at(-1)!.at;
    const failAt = last + (o.truth ? o.truth[i]! * o.cycleMs : 0);
    return {
      assetId: `${o.prefix ?? 'unit'}-${u.unit}`,
      readings,
      failures: [{ at: failAt, kind: 'run-to-failure' }],
      horizonHours: o.horizonHours,
      endAt: failAt,
      ...(o.truth ? { rulAtEndOnly: true } : {}),
    };
  });
}
