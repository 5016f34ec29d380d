// Fleet history import (issue 16, "Bring your own history"): one CSV file of a kind (telemetry wide or long,
// events, failures, maintenance, assets) turned row by row into what is stored, with every bad row counted and the
// first ones kept with their line and reason. Pure: the caller streams the file (csv-parse) and writes the rows.
// Columns are found by csv-columns.ts (flags, or detection when left out).
import {
  detectAssetColumns,
  detectKeyedColumns,
  detectTelemetryColumns,
  HistoryFileError,
  parseTimestamp,
  type ColumnFlags,
  type HistoryFileKind,
} from './alarms/csv-columns.ts';

export type { ColumnFlags, HistoryFileKind } from './alarms/csv-columns.ts';
export const FLEET_FILE_KINDS: readonly HistoryFileKind[] = [
  'telemetry',
  'events',
  'failures',
  'maintenance',
  'assets',
];

/** What one good row becomes. */
export type FleetRows =
  | { kind: 'points'; points: { asset: string; metric: string; ts: number; value: number }[] }
  | { kind: 'record'; record: { asset: string; ts: number; key: string } }
  | { kind: 'asset'; asset: string; attributes: Record<string, string | number> };

/** The kind of stored record of an events, failures or maintenance file. */
export const RECORD_KIND = { events: 'event', failures: 'failure', maintenance: 'maintenance' } as const;

export type RowResult = FleetRows | { bad: string };

const MAX_ID = 128;
const MAX_KEY = 128;
const NUMBER_RE = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

function id(cell: string | undefined, what: string): string | { bad: string } {
  const v = (cell ?? '').trim();
  if (v === '') return { bad: `${what} is empty` };
  if (v.length > (what === 'asset' ? MAX_ID : MAX_KEY))
    return { bad: `${what} is longer than ${what === 'asset' ? MAX_ID : MAX_KEY} characters` };
  return v;
}

/**
 * The times a row may carry: from 1970 (as every date-time the API takes; nothing a fleet records predates it, and
 * a year such as 0001 is a "no date" placeholder) to the end of 9999 UTC. PostgreSQL stores wider, but Prisma
 * reads a year before 1000 or past 9999 as an invalid date, so one such row failed every later read of the
 * asset's maintenance history (500), for its customer too.
 */
const EARLIEST_MS = 0;
const LATEST_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

function time(cell: string | undefined, column: string): number | { bad: string } {
  const ts = parseTimestamp(cell ?? '');
  const shown = `${column} "${(cell ?? '').slice(0, 40)}"`;
  if (Number.isNaN(ts)) return { bad: `${shown} is not a time (ISO 8601 or YYYY-MM-DD HH:MM:SS)` };
  if (ts < EARLIEST_MS) return { bad: `${shown} is before 1970` };
  if (ts > LATEST_MS) return { bad: `${shown} is after 9999 (UTC)` };
  return ts;
}

/** A number cell: empty is missing (undefined), anything else must be a finite number. */
function value(cell: string | undefined, column: string): number | undefined | { bad: string } {
  const v = (cell ?? '').trim();
  if (v === '' || /^(na|nan|null)$/i.test(v)) return undefined;
  if (!NUMBER_RE.test(v)) return { bad: `${column} "${v.slice(0, 40)}" is not a number` };
  const n = Number(v);
  return Number.isFinite(n) ? n : { bad: `${column} "${v.slice(0, 40)}" is not a finite number` };
}

const isBad = (x: unknown): x is { bad: string } => typeof x === 'object' && x !== null && 'bad' in x;

/**
 * The converter of one file: reads its header (throws HistoryFileError when a required column is missing or the
 * header is unusable: the file then fails validation) and returns the function that turns a row into its rows.
 */
export function rowConverter(
  kind: HistoryFileKind,
  header: string[],
  file: string,
  flags: ColumnFlags,
): { describe: string; convert: (cells: string[]) => RowResult } {
  // PostgreSQL refuses a NUL in text and jsonb: one such cell failed the whole import with the database's error
  const nulAt = header.findIndex((h) => h.includes(NUL));
  if (nulAt >= 0)
    throw new HistoryFileError(
      'HISTORY_BAD_HEADER',
      `${file}: column ${nulAt + 1} of the header holds a NUL character`,
    );
  const c = converter(kind, header, file, flags);
  return {
    describe: c.describe,
    convert: (cells) => {
      const i = cells.findIndex((cell) => cell.includes(NUL));
      return i < 0
        ? c.convert(cells)
        : { bad: `column "${(header[i] ?? '').trim()}" holds a NUL character (\\u0000)` };
    },
  };
}

const NUL = '\u0000';

function converter(
  kind: HistoryFileKind,
  header: string[],
  file: string,
  flags: ColumnFlags,
): { describe: string; convert: (cells: string[]) => RowResult } {
  const name = (i: number) => `column "${(header[i] ?? '').trim()}"`;
  if (kind === 'telemetry') {
    const c = detectTelemetryColumns(header, file, flags);
    if (c.layout === 'long') {
      const [mi, vi] = [c.metric!, c.value!];
      return {
        describe: `long telemetry (metric ${name(mi)}, value ${name(vi)})`,
        convert: (cells) => {
          const asset = id(cells[c.asset], 'asset');
          if (isBad(asset)) return asset;
          const ts = time(cells[c.time], name(c.time));
          if (isBad(ts)) return ts;
          const metric = id(cells[mi], 'metric');
          if (isBad(metric)) return metric;
          const v = value(cells[vi], name(vi));
          if (isBad(v)) return v;
          if (v === undefined) return { bad: `${name(vi)} is empty` };
          return { kind: 'points', points: [{ asset, metric, ts, value: v }] };
        },
      };
    }
    return {
      describe: `wide telemetry (${c.metrics.map((m) => m.name).join(', ')})`,
      convert: (cells) => {
        const asset = id(cells[c.asset], 'asset');
        if (isBad(asset)) return asset;
        const ts = time(cells[c.time], name(c.time));
        if (isBad(ts)) return ts;
        const points: { asset: string; metric: string; ts: number; value: number }[] = [];
        for (const m of c.metrics) {
          const v = value(cells[m.index], name(m.index));
          if (isBad(v)) return v;
          if (v !== undefined) points.push({ asset, metric: m.name, ts, value: v });
        }
        if (points.length === 0) return { bad: 'no metric has a value' };
        return { kind: 'points', points };
      },
    };
  }
  if (kind === 'assets') {
    const c = detectAssetColumns(header, file, flags);
    return {
      describe: `assets (${c.attributes.map((a) => a.name).join(', ') || 'no attributes'})`,
      convert: (cells) => {
        const asset = id(cells[c.asset], 'asset');
        if (isBad(asset)) return asset;
        const entries: [string, string | number][] = [];
        for (const a of c.attributes) {
          const raw = (cells[a.index] ?? '').trim();
          if (raw === '') continue;
          entries.push([a.name, NUMBER_RE.test(raw) && Number.isFinite(Number(raw)) ? Number(raw) : raw]);
        }
        // from entries: a column named "__proto__" assigned into {} set its prototype and was lost
        return { kind: 'asset', asset, attributes: Object.fromEntries(entries) };
      },
    };
  }
  const c = detectKeyedColumns(header, file, kind, flags);
  return {
    describe: `${kind} (${name(c.key)})`,
    convert: (cells) => {
      const asset = id(cells[c.asset], 'asset');
      if (isBad(asset)) return asset;
      const ts = time(cells[c.time], name(c.time));
      if (isBad(ts)) return ts;
      const key = id(cells[c.key], name(c.key));
      if (isBad(key)) return key;
      return { kind: 'record', record: { asset, ts, key } };
    },
  };
}

export interface BadRow {
  line: number;
  reason: string;
}

/** Bad rows: all counted, the first `keep` kept with their line and reason. */
export class BadRows {
  count = 0;
  readonly sample: BadRow[] = [];
  constructor(private readonly keep = 100) {}
  add(line: number, reason: string): void {
    this.count++;
    if (this.sample.length < this.keep) this.sample.push({ line, reason: reason.slice(0, 300) });
  }
}

/** A file fails validation (and imports nothing) past this share of bad rows, or with no good row at all. */
export const MAX_BAD_SHARE = 0.01;

export function validationVerdict(good: number, bad: number): { ok: true } | { ok: false; message: string } {
  const rows = good + bad;
  if (good === 0)
    return {
      ok: false,
      message: rows === 0 ? 'the file has no data rows' : `none of its ${rows} rows is valid`,
    };
  if (bad > rows * MAX_BAD_SHARE)
    return {
      ok: false,
      message: `${bad} of its ${rows} rows are bad (more than ${MAX_BAD_SHARE * 100}%): nothing imported`,
    };
  return { ok: true };
}
