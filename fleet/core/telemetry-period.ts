// The telemetry periods of the customer's charts (24 h, 7 d, 30 d) and the bucket the store downsamples each to:
// the smallest step of a fixed ladder that keeps a series at or under MAX_POINTS points, so a 30-day chart is a few
// hundred per-bucket aggregates (mean, min, max) rather than millions of raw readings.

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const PERIODS = { '24h': DAY, '7d': 7 * DAY, '30d': 30 * DAY } as const;
export type Period = keyof typeof PERIODS;
export const PERIOD_KEYS = Object.keys(PERIODS) as Period[];

/** Points per series the API returns at most. */
export const MAX_POINTS = 500;

/** Bucket sizes a chart may use: steps people read on a time axis. */
export const BUCKET_LADDER_MS: readonly number[] = [
  SECOND,
  5 * SECOND,
  15 * SECOND,
  30 * SECOND,
  MINUTE,
  2 * MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  2 * HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
];

/**
 * The smallest ladder step at which a span holds at most `maxPoints` buckets. Buckets are aligned to the epoch, so
 * a span that does not start on a boundary touches one bucket more than span / step: that one is counted too.
 */
export function bucketFor(spanMs: number, maxPoints = MAX_POINTS): number {
  if (!(spanMs > 0)) throw new RangeError(`span must be positive, got ${spanMs}`);
  if (!(maxPoints >= 2)) throw new RangeError(`maxPoints must be at least 2, got ${maxPoints}`);
  for (const step of BUCKET_LADDER_MS) if (Math.ceil(spanMs / step) + 1 <= maxPoints) return step;
  // beyond the ladder: whole days
  return Math.ceil(spanMs / (maxPoints - 1) / DAY) * DAY;
}

export interface SeriesWindow {
  from: Date;
  to: Date;
  bucketMs: number;
}

/** The window of a period ending at `to` (now, or when the asset was decommissioned) and its bucket. */
export function seriesWindow(period: Period, to: Date, maxPoints = MAX_POINTS): SeriesWindow {
  const span = PERIODS[period];
  return { from: new Date(to.getTime() - span), to, bucketMs: bucketFor(span, maxPoints) };
}
