/**
 * Streams the five history CSV files (csv-parse) into a `HistoryBuilder`: header → detected
 * columns (HistoryFileError when a required one is missing), then row by row with line numbers;
 * malformed records are counted as bad rows, not fatal.
 */
import { createReadStream } from 'node:fs';
import { parse, type CsvError } from 'csv-parse';
import {
  detectAssetColumns,
  detectKeyedColumns,
  detectTelemetryColumns,
  HistoryFileError,
  type ColumnFlags,
  type HistoryFileKind,
} from '../core/alarms/csv-columns.ts';
import { HistoryBuilder } from '../core/alarms/history.ts';

export interface HistoryFiles {
  telemetry: string;
  events?: string;
  failures: string;
  maintenance?: string;
  assets?: string;
}

async function streamCsv(
  path: string,
  builder: HistoryBuilder,
  onHeader: (header: string[]) => (cells: string[], line: number) => void,
): Promise<number> {
  const stream = createReadStream(path);
  const opened = new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', reject);
  });
  try {
    await opened;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new HistoryFileError('HISTORY_UNREADABLE', `${path}: cannot read${code ? ` (${code})` : ''}`);
  }
  const parser = stream.pipe(
    parse({
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      on_skip: (err: CsvError | undefined) => {
        builder.badRow(
          path,
          (err as { lines?: number } | undefined)?.lines ?? 0,
          err?.message ?? 'malformed record',
        );
        return undefined;
      },
    }),
  );
  let onRow: ((cells: string[], line: number) => void) | undefined;
  let rows = 0;
  for await (const rec of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    if (!onRow) {
      onRow = onHeader(rec.record);
      continue;
    }
    rows++;
    onRow(rec.record, rec.info.lines);
  }
  if (!onRow) throw new HistoryFileError('HISTORY_EMPTY', `${path}: empty file (no header row)`);
  return rows;
}

/** Read all files into a builder; returns row counts per file kind. */
export async function readHistory(
  files: HistoryFiles,
  flags: ColumnFlags,
  builder: HistoryBuilder,
  log: (msg: string) => void,
): Promise<Record<HistoryFileKind, number>> {
  const counts: Record<HistoryFileKind, number> = {
    telemetry: 0,
    events: 0,
    failures: 0,
    maintenance: 0,
    assets: 0,
  };
  if (files.assets) {
    const f = files.assets;
    counts.assets = await streamCsv(f, builder, (h) => {
      const cols = detectAssetColumns(h, f, flags);
      return (cells, line) => builder.addAsset(cols, cells, f, line);
    });
  }
  for (const kind of ['failures', 'maintenance', 'events'] as const) {
    const f = files[kind];
    if (!f) continue;
    counts[kind] = await streamCsv(f, builder, (h) => {
      const cols = detectKeyedColumns(h, f, kind, flags);
      return (cells, line) => builder.addKeyed(kind, cols, cells, f, line);
    });
  }
  const f = files.telemetry;
  counts.telemetry = await streamCsv(f, builder, (h) => {
    const cols = detectTelemetryColumns(h, f, flags);
    log(
      `alarms: ${f}: ${cols.layout} telemetry${cols.layout === 'wide' ? ` (${cols.metrics.map((m) => m.name).join(', ')})` : ''}`,
    );
    return (cells, line) => builder.addTelemetry(cols, cells, f, line);
  });
  return counts;
}
