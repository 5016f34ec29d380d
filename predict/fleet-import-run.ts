// Imports one CSV file of a fleet history (core/fleet-import.ts): streamed from disk through csv-parse, converted
// row by row, written in batches (adapters/fleet-history-writer.ts) in one transaction. Memory holds one batch.
// Bad rows are counted and the first kept with their line; a file that fails validation (a missing column, too
// many bad rows) rolls back and imports nothing. Used by the CLI, the API's import worker and bench:import.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { parse, type CsvError } from 'csv-parse';
import { HistoryFileError, type ColumnFlags, type HistoryFileKind } from './core/alarms/csv-columns.ts';
import { BadRows, rowConverter, validationVerdict, type BadRow } from './core/fleet-import.ts';
import { FleetHistoryWriter, type PointRow } from './adapters/fleet-history-writer.ts';

/** Points (or records) per INSERT. */
const BATCH = 20_000;

/**
 * Longest record (line) csv-parse reads: a file with a longer one is invalid and imports nothing. Without a bound
 * one long line was read whole (a 150 MB line: 74 s of a worker at 2 MB/s, the platform's memory to 1.2 GB, and
 * that line, as the header, in the job's error and the log). A real row, even a wide one, is far below it.
 */
export const MAX_RECORD_CHARS = 1 << 20;

export interface FleetImportInput {
  databaseUrl: string;
  tenantId: string;
  /** The history's name (per tenant): a new one, or one to add this file to (its rows of this kind replaced). */
  name: string;
  author: string;
  kind: HistoryFileKind;
  file: string;
  /** How the file is named in messages. */
  source?: string;
  flags: ColumnFlags;
  onProgress?: (p: { bytesDone: number; bytesTotal: number; rows: number }) => void;
}

export interface FleetImportReport {
  historyId: string;
  kind: HistoryFileKind;
  columns: string;
  rows: number;
  /** Telemetry: values stored (a wide row holds several). */
  points: number;
  bad: number;
  badRows: BadRow[];
}

/** A file that failed validation: nothing was imported. */
export class FleetImportInvalid extends Error {
  readonly code = 'PREDICT_IMPORT_INVALID_FILE';
  constructor(
    message: string,
    readonly bad: number,
    readonly badRows: BadRow[],
  ) {
    super(message);
    this.name = 'FleetImportInvalid';
  }
}

export async function importFleetFile(o: FleetImportInput): Promise<FleetImportReport> {
  const source = o.source ?? o.file;
  const bytesTotal = (await stat(o.file)).size;
  const bad = new BadRows();
  const stream = createReadStream(o.file, { highWaterMark: 256 * 1024 });
  let bytesDone = 0;
  stream.on('data', (chunk) => (bytesDone += chunk.length));
  const parser = stream.pipe(
    parse({
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      max_record_size: MAX_RECORD_CHARS,
      on_skip: (err: CsvError | undefined) => {
        if (err?.code === 'CSV_MAX_RECORD_SIZE') {
          // csv-parse does not find the next line after such a record (it skips the rest of the file): stop here
          const line = (err as { lines?: number }).lines ?? 0;
          const msg = `${source}: line ${line} is longer than ${MAX_RECORD_CHARS.toLocaleString('en')} characters`;
          parser.destroy(new FleetImportInvalid(msg, bad.count, bad.sample));
          return undefined;
        }
        bad.add((err as { lines?: number } | undefined)?.lines ?? 0, err?.message ?? 'malformed record');
        return undefined;
      },
    }),
  );
  let writer: FleetHistoryWriter | undefined;
  let convert: ((cells: string[]) => ReturnType<ReturnType<typeof rowConverter>['convert']>) | undefined;
  let columns = '';
  let width = 0;
  let rows = 0;
  let points = 0;
  let pointBatch: PointRow[] = [];
  let recordBatch: { asset: string; ts: number; key: string }[] = [];
  let assetBatch: { asset: string; attributes: Record<string, string | number> }[] = [];
  const flush = async (w: FleetHistoryWriter) => {
    await w.points(pointBatch);
    await w.records(recordBatch);
    await w.assets(assetBatch);
    pointBatch = [];
    recordBatch = [];
    assetBatch = [];
    o.onProgress?.({ bytesDone, bytesTotal, rows });
  };
  try {
    for await (const rec of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (!convert) {
        const c = rowConverter(o.kind, rec.record, source, o.flags);
        convert = c.convert;
        columns = c.describe;
        width = rec.record.length;
        writer = await FleetHistoryWriter.begin(o.databaseUrl, {
          tenantId: o.tenantId,
          name: o.name,
          author: o.author,
          kind: o.kind,
        });
        continue;
      }
      const line = rec.info.lines;
      if (rec.record.length !== width) {
        bad.add(line, `${rec.record.length} columns, the header has ${width}`);
        continue;
      }
      const r = convert(rec.record);
      if ('bad' in r) {
        bad.add(line, r.bad);
        continue;
      }
      rows++;
      if (r.kind === 'points') {
        for (const p of r.points) pointBatch.push(p);
        points += r.points.length;
      } else if (r.kind === 'record') recordBatch.push(r.record);
      else assetBatch.push({ asset: r.asset, attributes: r.attributes });
      if (pointBatch.length + recordBatch.length + assetBatch.length >= BATCH) await flush(writer!);
    }
    if (!convert || !writer)
      throw new HistoryFileError('HISTORY_EMPTY', `${source}: empty file (no header row)`);
    await flush(writer);
    const verdict = validationVerdict(rows, bad.count);
    if (!verdict.ok) throw new FleetImportInvalid(`${source}: ${verdict.message}`, bad.count, bad.sample);
    await writer.commit({ rows, points, bad: bad.count });
    const historyId = writer.historyId;
    writer = undefined;
    return { historyId, kind: o.kind, columns, rows, points, bad: bad.count, badRows: bad.sample };
  } catch (err) {
    await writer?.rollback().catch(() => undefined);
    if (err instanceof HistoryFileError) throw new FleetImportInvalid(err.message, bad.count, bad.sample);
    throw err;
  } finally {
    stream.destroy();
  }
}
