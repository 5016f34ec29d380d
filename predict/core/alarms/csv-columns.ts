/**
 * Column detection and cell parsing for "bring your own history" CSV files: telemetry (wide or long),
 * events, failures, maintenance and assets. Pure: the CLI streams the files and hands header and
 * cells to these functions.
 */

export type HistoryFileKind = 'telemetry' | 'events' | 'failures' | 'maintenance' | 'assets';

/** A file that cannot be read as the kind it was given as (exit 2 in the CLI). */
export class HistoryFileError extends Error {
  constructor(
    readonly code: 'HISTORY_MISSING_COLUMN' | 'HISTORY_BAD_HEADER' | 'HISTORY_EMPTY' | 'HISTORY_UNREADABLE',
    message: string,
  ) {
    super(message);
    this.name = 'HistoryFileError';
  }
}

export interface ColumnFlags {
  time?: string;
  asset?: string;
  code?: string;
  mode?: string;
  component?: string;
  metric?: string;
  value?: string;
}

const TIME_NAMES = ['datetime', 'timestamp', 'time', 'date', 'ts', 'date_time', 'event_time'];
const ASSET_NAMES = [
  'machineid',
  'machine_id',
  'asset',
  'asset_id',
  'assetid',
  'machine',
  'unit',
  'device',
  'id',
];
const CODE_NAMES = ['errorid', 'error_id', 'error', 'code', 'event', 'event_code'];
const MODE_NAMES = ['failure', 'failure_mode', 'mode', 'component', 'comp'];
const COMPONENT_NAMES = ['comp', 'component', 'part', 'replaced'];
const METRIC_NAMES = ['metric', 'sensor', 'signal', 'variable', 'name'];
const VALUE_NAMES = ['value', 'reading', 'measurement'];

const norm = (s: string) => s.trim().toLowerCase();

/** Columns named in an error message at most, and characters of each. */
const SHOWN_COLUMNS = 20;
const SHOWN_NAME_CHARS = 64;

/**
 * A column name as an error message quotes it: JSON-escaped (a binary file's header holds control characters)
 * and cut to 64 characters. A header is whatever the file's first line holds, up to the parser's record limit:
 * quoted whole, one long line made a message (job view, log line) as long as the file.
 */
export function quoteColumn(h: string): string {
  const cut = h.length > SHOWN_NAME_CHARS ? `${h.slice(0, SHOWN_NAME_CHARS)}…` : h;
  return JSON.stringify(cut).replace(
    /[\u007f-\u009f\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** The header's columns as an error message lists them: the first 20, and how many more. */
export function listColumns(header: string[]): string {
  const shown = header.slice(0, SHOWN_COLUMNS).map(quoteColumn).join(', ');
  return header.length > SHOWN_COLUMNS ? `${shown} and ${header.length - SHOWN_COLUMNS} more` : shown;
}

function findColumn(
  header: string[],
  file: string,
  role: string,
  flag: string | undefined,
  flagName: string,
  candidates: string[],
  exclude: Set<number>,
): number | undefined {
  if (flag !== undefined) {
    const i = header.findIndex((h) => h.trim() === flag);
    const j = i >= 0 ? i : header.findIndex((h) => norm(h) === norm(flag));
    if (j < 0)
      throw new HistoryFileError(
        'HISTORY_MISSING_COLUMN',
        `${file}: no column ${quoteColumn(flag)} (${flagName}); columns are ${listColumns(header)}`,
      );
    return j;
  }
  for (const c of candidates) {
    const i = header.findIndex((h, k) => !exclude.has(k) && norm(h) === c);
    if (i >= 0) return i;
  }
  void role;
  return undefined;
}

/**
 * Checks the header's names and returns how many columns it names: empty names at its end (a trailing comma
 * on every line, as some exports write) are columns to ignore; an empty name before a named column is an error.
 */
function checkHeader(header: string[], file: string): number {
  if (header.length === 0 || header.every((h) => h.trim() === ''))
    throw new HistoryFileError('HISTORY_EMPTY', `${file}: empty file or header row`);
  let named = header.length;
  while (named > 0 && (header[named - 1] as string).trim() === '') named--;
  const seen = new Set<string>();
  for (const h of header.slice(0, named)) {
    if (h.trim() === '')
      throw new HistoryFileError('HISTORY_BAD_HEADER', `${file}: header has an empty column name`);
    if (seen.has(h.trim()))
      throw new HistoryFileError('HISTORY_BAD_HEADER', `${file}: column ${quoteColumn(h)} appears twice`);
    seen.add(h.trim());
  }
  return named;
}

function required(
  i: number | undefined,
  file: string,
  role: string,
  flagName: string,
  header: string[],
): number {
  if (i === undefined)
    throw new HistoryFileError(
      'HISTORY_MISSING_COLUMN',
      `${file}: no ${role} column found (columns: ${listColumns(header)}); name it with ${flagName}`,
    );
  return i;
}

export interface TelemetryColumns {
  layout: 'wide' | 'long';
  time: number;
  asset: number;
  /** Wide: one column per metric. */
  metrics: { index: number; name: string }[];
  /** Long: the metric-name and value columns. */
  metric?: number;
  value?: number;
}

/** The time and asset columns every history file has (after checking its header). */
function timeAndAsset(
  header: string[],
  file: string,
  flags: ColumnFlags,
): { time: number; asset: number; named: number } {
  const named = checkHeader(header, file);
  const time = required(
    findColumn(header, file, 'time', flags.time, '--time-col', TIME_NAMES, new Set()),
    file,
    'time',
    '--time-col',
    header,
  );
  const asset = required(
    findColumn(header, file, 'asset', flags.asset, '--asset-col', ASSET_NAMES, new Set([time])),
    file,
    'asset',
    '--asset-col',
    header,
  );
  return { time, asset, named };
}

/** Telemetry: wide (time, asset, one numeric column per metric) or long (time, asset, metric, value). */
export function detectTelemetryColumns(header: string[], file: string, flags: ColumnFlags): TelemetryColumns {
  const { time, asset, named } = timeAndAsset(header, file, flags);
  const used = new Set([time, asset]);
  const metric = findColumn(header, file, 'metric', flags.metric, '--metric-col', METRIC_NAMES, used);
  const value = findColumn(header, file, 'value', flags.value, '--value-col', VALUE_NAMES, used);
  // long when it has both a metric-name and a value column, other columns (a unit, a quality flag) or not:
  // read as wide, such a file had only bad rows (the metric names are not numbers)
  if (metric !== undefined && value !== undefined) {
    return { layout: 'long', time, asset, metrics: [], metric, value };
  }
  const rest = header.map((_, i) => i).filter((i) => i < named && !used.has(i));
  if (rest.length === 0)
    throw new HistoryFileError(
      'HISTORY_MISSING_COLUMN',
      `${file}: no metric columns besides ${quoteColumn(header[time]!)} and ${quoteColumn(header[asset]!)}`,
    );
  return {
    layout: 'wide',
    time,
    asset,
    metrics: rest.map((i) => ({ index: i, name: (header[i] as string).trim() })),
  };
}

export interface KeyedColumns {
  time: number;
  asset: number;
  /** The code / failure mode / component column. */
  key: number;
}

/** Events (time, asset, code), failures (time, asset, mode) or maintenance (time, asset, component). */
export function detectKeyedColumns(
  header: string[],
  file: string,
  kind: 'events' | 'failures' | 'maintenance',
  flags: ColumnFlags,
): KeyedColumns {
  const { time, asset, named } = timeAndAsset(header, file, flags);
  const used = new Set([time, asset]);
  const [flag, flagName, names, role] =
    kind === 'events'
      ? [flags.code, '--code-col', CODE_NAMES, 'event code']
      : kind === 'failures'
        ? [flags.mode, '--mode-col', MODE_NAMES, 'failure mode']
        : [flags.component, '--component-col', COMPONENT_NAMES, 'component'];
  let key = findColumn(header, file, role, flag, flagName, names, used);
  if (key === undefined) {
    const rest = header.map((_, i) => i).filter((i) => i < named && !used.has(i));
    if (rest.length === 1) key = rest[0];
  }
  return { time, asset, key: required(key, file, role, flagName, header) };
}

export interface AssetColumns {
  asset: number;
  attributes: { index: number; name: string }[];
}

export function detectAssetColumns(header: string[], file: string, flags: ColumnFlags): AssetColumns {
  const named = checkHeader(header, file);
  const asset = required(
    findColumn(header, file, 'asset', flags.asset, '--asset-col', ASSET_NAMES, new Set()),
    file,
    'asset',
    '--asset-col',
    header,
  );
  return {
    asset,
    attributes: header
      .map((h, i) => ({ index: i, name: h.trim() }))
      .filter((c) => c.index < named && c.index !== asset),
  };
}

const ISO_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/i;
const US_RE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(AM|PM)?)?$/i;

/**
 * Milliseconds since the epoch, or NaN. ISO 8601 (`2015-01-01T06:00:00Z`, with or without zone)
 * and `YYYY-MM-DD HH:MM:SS`, UTC unless a zone is given; also `M/D/YYYY h:mm:ss AM` (UTC). A zone is `Z`,
 * `±hh:mm`, `±hhmm` or `±hh` (PostgreSQL writes `+00`), or `UTC` / `GMT` (BigQuery writes `… UTC`).
 */
export function parseTimestamp(text: string): number {
  const s = text.trim();
  let m = ISO_RE.exec(s);
  if (m) {
    const [, y, mo, d, h = '0', mi = '0', sec = '0', frac = '', zone] = m;
    const ms = frac === '' ? 0 : Math.round(Number(`0.${frac}`) * 1000);
    return build(+y!, +mo!, +d!, +h, +mi, +sec, ms, zone);
  }
  m = US_RE.exec(s);
  if (m) {
    const [, mo, d, y, h0 = '0', mi = '0', sec = '0', ampm] = m;
    let h = +h0;
    if (ampm !== undefined) {
      if (h < 1 || h > 12) return NaN;
      h = (h % 12) + (ampm.toUpperCase() === 'PM' ? 12 : 0);
    }
    return build(+y!, +mo!, +d!, h, +mi, +sec, 0, undefined);
  }
  return NaN;
}

function build(
  y: number,
  mo: number,
  d: number,
  h: number,
  mi: number,
  s: number,
  ms: number,
  zone?: string,
) {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return NaN;
  // not Date.UTC(y, …): it reads a year 0-99 as 1900-1999 ('0001-01-01', a common "no date", became 1901)
  const at = new Date(0);
  at.setUTCFullYear(y, mo - 1, d);
  at.setUTCHours(h, mi, s, ms);
  let t = at.getTime();
  const check = new Date(t);
  if (check.getUTCDate() !== d || check.getUTCMonth() !== mo - 1) return NaN;
  if (zone !== undefined && /^[+-]/.test(zone)) {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    t -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  return t;
}

/** Durations like `24h`, `90m`, `2d`, `3600s`, in milliseconds; NaN when unparsable. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)$/.exec(text.trim());
  if (!m) return NaN;
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[
    m[2] as 'ms' | 's' | 'm' | 'h' | 'd'
  ];
  return Number(m[1]) * unit;
}
