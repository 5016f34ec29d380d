// A technician's working day: the jobs of a date (UTC, as counters' opening hours and shifts are).
import { AppError } from '../../common/errors.ts';

/** The first and last day a date may name: as the API's date-times (1970 to 9999, UTC), with its end in 9999 too. */
export const FIRST_DAY = '1970-01-01';
export const LAST_DAY = '9999-12-30';

/**
 * The day [start, end) of a YYYY-MM-DD date in UTC; VALIDATION_FAILED for a date that does not exist, or one
 * outside FIRST_DAY..LAST_DAY: PostgreSQL has no year 0 and Prisma writes no year 10000 (the end of 9999-12-31),
 * so such a day reached the database and was answered 500.
 */
export function utcDay(date: string): { start: Date; end: Date } {
  const start = new Date(`${date}T00:00:00.000Z`);
  if (Number.isNaN(start.getTime()) || start.toISOString().slice(0, 10) !== date)
    throw new AppError('VALIDATION_FAILED', `no such date ${date}`);
  if (date < FIRST_DAY || date > LAST_DAY)
    throw new AppError(
      'VALIDATION_FAILED',
      `the date must lie from ${FIRST_DAY} to ${LAST_DAY}, got ${date}`,
    );
  return { start, end: new Date(start.getTime() + 86_400_000) };
}

/** The YYYY-MM-DD of an instant in UTC. */
export const utcDate = (t: Date) => t.toISOString().slice(0, 10);
