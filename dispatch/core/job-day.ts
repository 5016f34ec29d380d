// A technician's working day: the jobs of a date (UTC, as counters' opening hours and shifts are).
import { AppError } from '../../common/errors.ts';

/** The day [start, end) of a YYYY-MM-DD date in UTC; VALIDATION_FAILED for a date that does not exist. */
export function utcDay(date: string): { start: Date; end: Date } {
  const start = new Date(`${date}T00:00:00.000Z`);
  if (Number.isNaN(start.getTime()) || start.toISOString().slice(0, 10) !== date)
    throw new AppError('VALIDATION_FAILED', `no such date ${date}`);
  return { start, end: new Date(start.getTime() + 86_400_000) };
}

/** The YYYY-MM-DD of an instant in UTC. */
export const utcDate = (t: Date) => t.toISOString().slice(0, 10);
