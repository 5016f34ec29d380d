// The request validator's options. One change to ajv-formats: a `date-time` must not be before 1970 (UTC).
// JavaScript reads "0000-01-01T00:00:00Z" as a date (1 BC), but PostgreSQL has no year 0 and refuses the
// timestamp the driver writes for it, so such a `from` or `to` (or a window a route derives from a `to` near
// year 1) reached the database and was answered 500. Nothing this platform records predates 1970.
import type { Ajv } from 'ajv';

/** 1970-01-01T00:00:00Z: the earliest instant a `date-time` may name. */
export const EARLIEST_DATE_TIME_MS = 0;

/** Whether a string that already has the date-time form names an instant from 1970 on. */
export function dateTimeInRange(s: string): boolean {
  const t = Date.parse(s);
  return Number.isFinite(t) && t >= EARLIEST_DATE_TIME_MS;
}

type FormatCheck = (s: string) => boolean;

function checkOf(format: unknown): FormatCheck | undefined {
  if (typeof format === 'function') return format as FormatCheck;
  if (format && typeof format === 'object' && 'validate' in format) {
    const v = (format as { validate: unknown }).validate;
    if (typeof v === 'function') return v as FormatCheck;
  }
  return undefined;
}

/** Runs after ajv-formats: `date-time` keeps its RFC 3339 check and gains the 1970 bound. */
export function boundDateTimeFormat(ajv: Ajv): void {
  const rfc3339 = checkOf(ajv.formats['date-time']);
  ajv.addFormat('date-time', {
    type: 'string',
    validate: (s: string) => (rfc3339 ? rfc3339(s) : true) && dateTimeInRange(s),
  });
}

export const httpAjvOptions = {
  customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true },
  onCreate: boundDateTimeFormat,
} as const;
