// Formatting of dates, times, durations, numbers and units for every view, in the browser's locale
// (Intl with no locale named: the language the browser reports). Times carry the date when they are not today.

const cache = new Map();
/** One Intl formatter per kind, locale and options, made once; no locale: the browser's. */
function intl(Kind, opts, locale) {
  const key = `${Kind.name}${locale ?? ''}${JSON.stringify(opts)}`;
  let f = cache.get(key);
  if (!f) cache.set(key, (f = new Kind(locale, opts)));
  return f;
}
const dateFmt = (opts) => intl(Intl.DateTimeFormat, opts);
const numberFmt = (opts, locale) => intl(Intl.NumberFormat, opts, locale);

const HM = { hour: '2-digit', minute: '2-digit' };
const sameDay = (a, b) =>
  a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
const valid = (iso) =>
  iso !== null && iso !== undefined && iso !== '' && !Number.isNaN(new Date(iso).getTime());

/** The time of day only ("14:05", "2:05 PM"), for axes and opening hours where the day is given elsewhere. */
export function clock(iso) {
  if (!valid(iso)) return '—';
  return dateFmt(HM).format(new Date(iso));
}

/** A time as people read it: "14:05" today, "5 Dec, 14:05" another day, with the year when not this year. */
export function time(iso, now = new Date()) {
  if (!valid(iso)) return '—';
  const d = new Date(iso);
  if (sameDay(d, now)) return dateFmt(HM).format(d);
  return dateFmt({
    day: 'numeric',
    month: 'short',
    ...(d.getFullYear() === now.getFullYear() ? {} : { year: 'numeric' }),
    ...HM,
  }).format(d);
}

/** Date and time to the second, for logs and records. */
export function dateTime(iso) {
  if (!valid(iso)) return '—';
  return dateFmt({ dateStyle: 'medium', timeStyle: 'medium' }).format(new Date(iso));
}

/** Day and month ("5 Dec", "5. Dez."), for chart axes. */
export function dayMonth(iso) {
  if (!valid(iso)) return '—';
  return dateFmt({ day: 'numeric', month: 'short' }).format(new Date(iso));
}

/** The date alone ("5 Dec 2026", "05.12.2026"). */
export function date(iso) {
  if (!valid(iso)) return '—';
  return dateFmt({ dateStyle: 'medium' }).format(new Date(iso));
}

/**
 * A calendar day given as YYYY-MM-DD ("Sat, 5 Dec 2026", "Sa., 5. Dez. 2026"): the day itself, not the instant its
 * midnight is in the browser's zone (which west of UTC is the day before). As given when it is not such a day.
 */
export function calendarDay(ymd, locale = undefined) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(String(ymd)) || Number.isNaN(Date.parse(`${ymd}T00:00:00Z`)))
    return String(ymd ?? '—');
  return intl(
    Intl.DateTimeFormat,
    { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' },
    locale,
  ).format(new Date(`${ymd}T00:00:00Z`));
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * An amount of a unit of time in the locale, short: inUnit(7, 'day') is "7 days" / "7 Tg.", inUnit(1.5, 'hour')
 * "1.5 hrs" / "1,5 Std." (Intl.NumberFormat, style unit). unit: second, minute, hour, day, week, month, year.
 */
export function inUnit(v, unit, digits = 1, locale = undefined) {
  if (v === null || v === undefined || Number.isNaN(Number(v))) return '—';
  return numberFmt(
    { style: 'unit', unit, unitDisplay: 'short', maximumFractionDigits: digits },
    locale,
  ).format(Number(v));
}

/**
 * A duration in its two largest units, in the locale: "1 hr, 27 min" / "1 Std., 27 Min.", "2 days, 3 hrs";
 * seconds only under an hour ("4 min, 5 sec"). The units are Intl.NumberFormat's, joined by Intl.ListFormat.
 */
export function duration(ms, locale = undefined) {
  const s = Math.floor(Math.abs(ms) / SECOND);
  const parts = [
    ['day', Math.floor(s / 86_400)],
    ['hour', Math.floor((s % 86_400) / 3600)],
    ['minute', Math.floor((s % 3600) / 60)],
    ['second', s < 3600 ? s % 60 : 0],
  ];
  const first = parts.findIndex(([, n]) => n > 0);
  if (first < 0) return inUnit(0, 'minute', 0, locale);
  const shown = parts.slice(first, first + 2).filter(([, n]) => n > 0);
  return intl(Intl.ListFormat, { type: 'unit', style: 'short' }, locale).format(
    shown.map(([unit, n]) => inUnit(n, unit, 0, locale)),
  );
}

/**
 * A time from now in the locale, with Intl.RelativeTimeFormat: "in 27 min" / "in 27 Min.", "3 hr ago" /
 * "vor 3 Std.". The unit keeps it close: seconds under a minute, minutes under 2 hours, hours under 2 days,
 * then days (whole ones, towards now).
 */
export function relative(iso, now = Date.now(), locale = undefined) {
  if (!valid(iso)) return '—';
  const ms = new Date(iso).getTime() - now;
  const abs = Math.abs(ms);
  const [unit, size] =
    abs < MINUTE
      ? ['second', SECOND]
      : abs < 2 * HOUR
        ? ['minute', MINUTE]
        : abs < 2 * DAY
          ? ['hour', HOUR]
          : ['day', DAY];
  const n = Math.floor(abs / size);
  return intl(Intl.RelativeTimeFormat, { style: 'short', numeric: 'always' }, locale).format(
    ms < 0 ? -n : n,
    unit,
  );
}

/** "in 1 hr" or "12 min ago", for the countdowns to a due time (dom.js countdownEl). */
export function countdown(iso, now = Date.now(), locale = undefined) {
  if (!iso) return '—';
  return relative(iso, now, locale);
}

/** "5 min ago" / "vor 5 Min."; "now" under 5 seconds; "never" with no time. */
export function ago(iso, now = Date.now(), locale = undefined) {
  if (!iso) return 'never';
  if (Math.abs(now - new Date(iso).getTime()) < 5_000)
    return intl(Intl.RelativeTimeFormat, { numeric: 'auto' }, locale).format(0, 'second');
  return relative(iso, now, locale);
}

/** A number in the browser's locale, at most `digits` decimals ("1,234.5", "1.234,5"). */
export function number(v, digits = 2) {
  if (v === null || v === undefined || Number.isNaN(Number(v))) return '—';
  return numberFmt({ maximumFractionDigits: digits }).format(Number(v));
}

/** A number with exactly `digits` decimals (amounts, sizes). */
export function fixed(v, digits = 2) {
  if (v === null || v === undefined || Number.isNaN(Number(v))) return '—';
  return numberFmt({ minimumFractionDigits: digits, maximumFractionDigits: digits }).format(Number(v));
}

/** A share 0..1 as a percentage in the browser's locale ("97%", "97 %"). */
export function percent(v) {
  if (v === null || v === undefined || Number.isNaN(Number(v))) return '—';
  return numberFmt({ style: 'percent', maximumFractionDigits: 0 }).format(Number(v));
}

// The equipment models' unit codes (simulators/core/catalog.ts) as people write them; codes not listed are shown
// as they are, dimensionless ones not at all.
const UNITS = {
  degC: '°C',
  degF: '°F',
  degR: '°R',
  m3: 'm³',
  'm3/h': 'm³/h',
  'm3/s': 'm³/s',
  m2: 'm²',
  pct: '%',
  '1/h': '/h',
  1: '',
  ratio: '',
  Mach: 'Mach',
};

/** The display form of a unit code: degC → °C, m3/h → m³/h. */
export function unit(code) {
  if (code === null || code === undefined) return '';
  return code in UNITS ? UNITS[code] : String(code);
}

/** A value with its unit: "21,5 °C", "12.3 m³/h", "40 %". */
export function quantity(v, code, digits = 2) {
  const u = unit(code);
  const n = number(v, digits);
  return u && n !== '—' ? `${n}\u00a0${u}` : n;
}

export const label = (s) => String(s ?? '').replaceAll('_', ' ');
