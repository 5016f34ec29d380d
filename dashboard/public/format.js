// Formatting of dates, times, durations, numbers and units for every view, in the browser's locale
// (Intl with no locale named: the language the browser reports). Times carry the date when they are not today.

const cache = new Map();
/** One Intl formatter per kind and options, made once. */
function intl(Kind, opts) {
  const key = `${Kind.name}${JSON.stringify(opts)}`;
  let f = cache.get(key);
  if (!f) cache.set(key, (f = new Kind(undefined, opts)));
  return f;
}
const dateFmt = (opts) => intl(Intl.DateTimeFormat, opts);
const numberFmt = (opts) => intl(Intl.NumberFormat, opts);

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

/** "1h 27m", "4m 05s", "2d 3h". */
export function duration(ms) {
  const pad = (n) => String(n).padStart(2, '0');
  const s = Math.floor(Math.abs(ms) / 1000);
  const d = Math.floor(s / 86_400);
  const hh = Math.floor((s % 86_400) / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = s % 60;
  if (d > 0) return `${d}d ${hh}h`;
  if (hh > 0) return `${hh}h ${pad(mm)}m`;
  return `${mm}m ${pad(ss)}s`;
}

/** "in 1h 27m" or "12m 03s ago". */
export function countdown(iso, now = Date.now()) {
  if (!iso) return '—';
  const ms = new Date(iso).getTime() - now;
  return ms >= 0 ? `in ${duration(ms)}` : `${duration(ms)} ago`;
}

export function ago(iso, now = Date.now()) {
  if (!iso) return 'never';
  const ms = now - new Date(iso).getTime();
  if (ms < 5_000) return 'just now';
  return `${duration(ms)} ago`;
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
