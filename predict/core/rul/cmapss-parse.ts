/**
 * Parser for NASA C-MAPSS text files: 26 whitespace-separated numbers per line
 * (unit, cycle, 3 operational settings, 21 sensors), rows grouped by unit with increasing cycles.
 */

export const N_SETTINGS = 3;
export const N_SENSORS = 21;
export const N_COLUMNS = 2 + N_SETTINGS + N_SENSORS;

/** One engine's history; matrices are row-major (row = cycle). */
export interface UnitHistory {
  unit: number;
  /** Number of cycles (rows). */
  length: number;
  cycles: Float64Array;
  /** length × N_SETTINGS */
  settings: Float64Array;
  /** length × N_SENSORS */
  sensors: Float64Array;
}

export class CmapssParseError extends Error {
  constructor(
    message: string,
    readonly source: string,
    readonly line?: number,
  ) {
    super(`${source}${line === undefined ? '' : ` line ${line}`}: ${message}`);
    this.name = 'CmapssParseError';
  }
}

/**
 * Reads a train_/test_ file line by line, in bounded memory: each unit is handed over as soon as its rows end
 * (rows of a unit are contiguous), so a file of any size is parsed holding one unit at a time.
 */
export class CmapssLineReader {
  private readonly seen = new Set<number>();
  private current: { unit: number; cycles: number[]; settings: number[]; sensors: number[] } | undefined;
  private readonly values = new Array<number>(N_COLUMNS);
  /** Units handed over so far, and data rows read. */
  units = 0;
  rows = 0;

  constructor(readonly source = 'input') {}

  /** One line (1-based `lineNo`); returns the previous unit when this line starts a new one. */
  line(text: string, lineNo: number): UnitHistory | undefined {
    const raw = text.trim();
    if (raw === '') return undefined;
    const fields = raw.split(/\s+/);
    if (fields.length !== N_COLUMNS) {
      throw new CmapssParseError(`expected ${N_COLUMNS} columns, got ${fields.length}`, this.source, lineNo);
    }
    const values = this.values;
    for (let c = 0; c < N_COLUMNS; c++) {
      const f = fields[c] as string;
      const v = Number(f);
      if (!Number.isFinite(v)) {
        throw new CmapssParseError(`column ${c + 1} is not a finite number: "${f}"`, this.source, lineNo);
      }
      values[c] = v;
    }
    const unit = values[0] as number;
    const cycle = values[1] as number;
    if (!Number.isInteger(unit) || unit < 0) {
      throw new CmapssParseError(
        `unit number must be a non-negative integer, got ${unit}`,
        this.source,
        lineNo,
      );
    }
    let done: UnitHistory | undefined;
    let rec = this.current;
    if (rec === undefined || rec.unit !== unit) {
      if (this.seen.has(unit)) {
        throw new CmapssParseError(`rows of unit ${unit} are not contiguous`, this.source, lineNo);
      }
      done = this.take();
      this.seen.add(unit);
      rec = { unit, cycles: [], settings: [], sensors: [] };
      this.current = rec;
    }
    const prev = rec.cycles[rec.cycles.length - 1];
    if (prev !== undefined && !(cycle > prev)) {
      throw new CmapssParseError(
        `cycle ${cycle} of unit ${unit} does not increase (previous ${prev})`,
        this.source,
        lineNo,
      );
    }
    rec.cycles.push(cycle);
    for (let c = 2; c < 2 + N_SETTINGS; c++) rec.settings.push(values[c] as number);
    for (let c = 2 + N_SETTINGS; c < N_COLUMNS; c++) rec.sensors.push(values[c] as number);
    this.rows++;
    return done;
  }

  /** The end of the file: the last unit (a file without data rows is an error). */
  end(): UnitHistory {
    const last = this.take();
    if (last === undefined) throw new CmapssParseError(`no data rows`, this.source);
    return last;
  }

  private take(): UnitHistory | undefined {
    const rec = this.current;
    if (rec === undefined) return undefined;
    this.current = undefined;
    this.units++;
    return {
      unit: rec.unit,
      length: rec.cycles.length,
      cycles: Float64Array.from(rec.cycles),
      settings: Float64Array.from(rec.settings),
      sensors: Float64Array.from(rec.sensors),
    };
  }
}

/** Parse a train_/test_ file's text into unit histories, in order of first appearance. */
export function parseCmapss(text: string, source = 'input'): UnitHistory[] {
  const reader = new CmapssLineReader(source);
  const out: UnitHistory[] = [];
  const lines = text.split(/\r?\n/);
  for (let li = 0; li < lines.length; li++) {
    const u = reader.line(lines[li] as string, li + 1);
    if (u) out.push(u);
  }
  out.push(reader.end());
  return out;
}

/** Parse a RUL_ truth file: one non-negative number per non-empty line. */
export function parseRulTruth(text: string, source = 'truth'): number[] {
  const out: number[] = [];
  const lines = text.split(/\r?\n/);
  for (let li = 0; li < lines.length; li++) {
    const raw = (lines[li] as string).trim();
    if (raw === '') continue;
    const fields = raw.split(/\s+/);
    if (fields.length !== 1) {
      throw new CmapssParseError(`expected 1 column, got ${fields.length}`, source, li + 1);
    }
    const v = Number(fields[0]);
    if (!Number.isFinite(v) || v < 0) {
      throw new CmapssParseError(`not a non-negative number: "${fields[0]}"`, source, li + 1);
    }
    out.push(v);
  }
  if (out.length === 0) throw new CmapssParseError(`no values`, source);
  return out;
}
