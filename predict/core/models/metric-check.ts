// A model version may read only metrics its equipment model reports: one that reads anything else would never
// see a reading, so it is refused when created and when shadowed or promoted. Pure.
import { metricsOf, type ModelKind } from './params.ts';

/** The metrics the parameters read that the equipment model does not report (none: fine). */
export function missingMetrics(kind: ModelKind, params: unknown, reported: Iterable<string>): string[] {
  const have = new Set(reported);
  let wanted: string[];
  try {
    wanted = metricsOf(kind, params);
  } catch {
    return []; // parameters of the wrong shape are refused by checkParams, with its own message
  }
  return [...new Set(wanted.filter((m) => typeof m === 'string' && !have.has(m)))];
}
