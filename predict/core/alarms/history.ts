/**
 * A fleet history assembled row by row from the five CSV files (the caller streams them), with bad
 * rows counted by file, line and reason. Telemetry is kept as compact typed arrays per asset.
 */
import type { AssetColumns, KeyedColumns, TelemetryColumns } from './csv-columns.ts';
import { parseTimestamp } from './csv-columns.ts';

export interface TimedKeys {
  t: Float64Array;
  key: Int32Array;
}

export interface AssetHistory {
  id: string;
  /** Step times (ms), ascending, unique. */
  times: Float64Array;
  /** Row-major steps × metrics; gaps forward-filled. */
  values: Float32Array;
  events: TimedKeys;
  failures: TimedKeys;
  maintenance: TimedKeys;
  /** Values of `FleetHistory.attributeNames` (NaN when unknown). */
  attributes: Float32Array;
}

export interface FleetHistory {
  metrics: string[];
  codes: string[];
  modes: string[];
  components: string[];
  attributeNames: string[];
  assets: AssetHistory[];
  /** Median step between telemetry rows (ms). */
  stepMs: number;
}

export interface BadRow {
  file: string;
  line: number;
  reason: string;
}

export interface BadRowReport {
  /** Count per file. */
  counts: Record<string, number>;
  /** The first rows of each file (at most `keep` per file). */
  examples: BadRow[];
}

class Interner {
  readonly names: string[] = [];
  private readonly index = new Map<string, number>();
  id(name: string): number {
    let i = this.index.get(name);
    if (i === undefined) {
      i = this.names.length;
      this.names.push(name);
      this.index.set(name, i);
    }
    return i;
  }
  has(name: string): boolean {
    return this.index.has(name);
  }
}

interface TelemetryAcc {
  /** Long layout: time → values by metric index (NaN when missing). */
  rows: Map<number, number[]>;
  /** Wide layout: times and their rows (stride = metric count), in file order. */
  wideT: number[];
  wideV: number[];
}

interface KeyedAcc {
  t: number[];
  key: number[];
}

const MAX_CATEGORIES = 32;

export class HistoryBuilder {
  private readonly metrics = new Interner();
  private readonly codes = new Interner();
  private readonly modes = new Interner();
  private readonly components = new Interner();
  private readonly telemetry = new Map<string, TelemetryAcc>();
  private readonly keyed = {
    events: new Map<string, KeyedAcc>(),
    failures: new Map<string, KeyedAcc>(),
    maintenance: new Map<string, KeyedAcc>(),
  };
  private readonly assetRows = new Map<string, string[]>();
  private attributeColumns: string[] = [];
  private readonly bad: BadRowReport = { counts: {}, examples: [] };

  constructor(private readonly keepExamples = 5) {}

  badRow(file: string, line: number, reason: string): void {
    const n = (this.bad.counts[file] ?? 0) + 1;
    this.bad.counts[file] = n;
    if (n <= this.keepExamples) this.bad.examples.push({ file, line, reason });
  }

  get badRows(): BadRowReport {
    return this.bad;
  }

  private time(cells: string[], i: number, file: string, line: number): number | undefined {
    const raw = cells[i];
    if (raw === undefined || raw.trim() === '') {
      this.badRow(file, line, 'empty time');
      return undefined;
    }
    const t = parseTimestamp(raw);
    if (Number.isNaN(t)) {
      this.badRow(file, line, `unparsable time "${raw.slice(0, 40)}"`);
      return undefined;
    }
    return t;
  }

  private assetId(cells: string[], i: number, file: string, line: number): string | undefined {
    const a = cells[i]?.trim();
    if (a === undefined || a === '') {
      this.badRow(file, line, 'empty asset');
      return undefined;
    }
    return a;
  }

  private acc(asset: string): TelemetryAcc {
    let acc = this.telemetry.get(asset);
    if (!acc) {
      acc = { rows: new Map(), wideT: [], wideV: [] };
      this.telemetry.set(asset, acc);
    }
    return acc;
  }

  private rowFor(asset: string, t: number): number[] {
    const acc = this.acc(asset);
    let row = acc.rows.get(t);
    if (!row) {
      row = [];
      acc.rows.set(t, row);
    }
    return row;
  }

  addTelemetry(cols: TelemetryColumns, cells: string[], file: string, line: number): void {
    const t = this.time(cells, cols.time, file, line);
    if (t === undefined) return;
    const asset = this.assetId(cells, cols.asset, file, line);
    if (asset === undefined) return;
    if (cols.layout === 'wide') {
      const vals: number[] = [];
      let any = false;
      for (const m of cols.metrics) {
        const raw = cells[m.index]?.trim() ?? '';
        const v = raw === '' ? NaN : Number(raw);
        if (raw !== '' && !Number.isFinite(v)) {
          this.badRow(file, line, `"${m.name}" is not a number: "${raw.slice(0, 40)}"`);
          return;
        }
        if (!Number.isNaN(v)) any = true;
        vals.push(v);
      }
      if (!any) {
        this.badRow(file, line, 'no metric values');
        return;
      }
      if (this.metrics.names.length === 0) for (const m of cols.metrics) this.metrics.id(m.name);
      const acc = this.acc(asset);
      acc.wideT.push(t);
      for (const v of vals) acc.wideV.push(v);
      return;
    }
    const name = cells[cols.metric as number]?.trim() ?? '';
    if (name === '') {
      this.badRow(file, line, 'empty metric name');
      return;
    }
    const raw = cells[cols.value as number]?.trim() ?? '';
    const v = Number(raw);
    if (raw === '' || !Number.isFinite(v)) {
      this.badRow(file, line, `value is not a number: "${raw.slice(0, 40)}"`);
      return;
    }
    this.rowFor(asset, t)[this.metrics.id(name)] = v;
  }

  addKeyed(
    kind: 'events' | 'failures' | 'maintenance',
    cols: KeyedColumns,
    cells: string[],
    file: string,
    line: number,
  ): void {
    const t = this.time(cells, cols.time, file, line);
    if (t === undefined) return;
    const asset = this.assetId(cells, cols.asset, file, line);
    if (asset === undefined) return;
    const key = cells[cols.key]?.trim() ?? '';
    if (key === '') {
      this.badRow(file, line, 'empty code');
      return;
    }
    const interner = kind === 'events' ? this.codes : kind === 'failures' ? this.modes : this.components;
    const map = this.keyed[kind];
    let acc = map.get(asset);
    if (!acc) {
      acc = { t: [], key: [] };
      map.set(asset, acc);
    }
    acc.t.push(t);
    acc.key.push(interner.id(key));
  }

  addAsset(cols: AssetColumns, cells: string[], file: string, line: number): void {
    const asset = this.assetId(cells, cols.asset, file, line);
    if (asset === undefined) return;
    if (this.assetRows.has(asset)) {
      this.badRow(file, line, `asset "${asset}" listed twice`);
      return;
    }
    this.attributeColumns = cols.attributes.map((a) => a.name);
    this.assetRows.set(
      asset,
      cols.attributes.map((a) => cells[a.index]?.trim() ?? ''),
    );
  }

  /** Assets with telemetry; failure modes and components known so far (e.g. from training files). */
  build(): FleetHistory {
    const metrics = this.metrics.names;
    const M = metrics.length;
    // Attributes: numeric when every non-empty value parses, else one-hot of the most common values.
    const attributeNames: string[] = [];
    const encoders: ((raw: string[]) => number[])[] = [];
    this.attributeColumns.forEach((name, c) => {
      const values = [...this.assetRows.values()].map((r) => r[c] ?? '');
      const nonEmpty = values.filter((v) => v !== '');
      if (nonEmpty.length > 0 && nonEmpty.every((v) => Number.isFinite(Number(v)))) {
        attributeNames.push(name);
        encoders.push((r) => [r[c] === '' || r[c] === undefined ? NaN : Number(r[c])]);
      } else {
        const freq = new Map<string, number>();
        for (const v of nonEmpty) freq.set(v, (freq.get(v) ?? 0) + 1);
        const levels = [...freq.entries()]
          .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
          .slice(0, MAX_CATEGORIES)
          .map((e) => e[0])
          .sort();
        for (const l of levels) attributeNames.push(`${name}=${l}`);
        encoders.push((r) => levels.map((l) => (r[c] === l ? 1 : 0)));
      }
    });
    const keyed = (kind: 'events' | 'failures' | 'maintenance', asset: string): TimedKeys => {
      const acc = this.keyed[kind].get(asset);
      if (!acc) return { t: new Float64Array(0), key: new Int32Array(0) };
      const order = acc.t.map((_, i) => i).sort((a, b) => (acc.t[a] as number) - (acc.t[b] as number));
      return {
        t: Float64Array.from(order, (i) => acc.t[i] as number),
        key: Int32Array.from(order, (i) => acc.key[i] as number),
      };
    };
    const assets: AssetHistory[] = [];
    const gaps: number[] = [];
    const ids = [...this.telemetry.keys()].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
    for (const id of ids) {
      const acc = this.telemetry.get(id) as TelemetryAcc;
      if (acc.wideT.length > 0) {
        // Wide rows: into the time map (a later row for the same time fills its gaps / wins).
        const W = acc.wideV.length / acc.wideT.length;
        acc.wideT.forEach((t, r) => {
          let row = acc.rows.get(t);
          if (!row) acc.rows.set(t, (row = []));
          for (let j = 0; j < W; j++) {
            const v = acc.wideV[r * W + j] as number;
            if (!Number.isNaN(v)) row[j] = v;
          }
        });
        acc.wideT = [];
        acc.wideV = [];
      }
      const times = Float64Array.from(acc.rows.keys()).sort();
      const n = times.length;
      const values = new Float32Array(n * M);
      const last = new Array<number>(M).fill(NaN);
      for (let i = 0; i < n; i++) {
        const row = acc.rows.get(times[i] as number) as number[];
        for (let j = 0; j < M; j++) {
          const v = row[j];
          if (v !== undefined && !Number.isNaN(v)) last[j] = v;
          values[i * M + j] = last[j] as number;
        }
        if (i > 0 && gaps.length < 10000) gaps.push((times[i] as number) - (times[i - 1] as number));
      }
      // Leading gaps: back-fill with the first value seen.
      for (let j = 0; j < M; j++) {
        let first = NaN;
        for (let i = 0; i < n && Number.isNaN(first); i++) first = values[i * M + j] as number;
        for (let i = 0; i < n && Number.isNaN(values[i * M + j] as number); i++) values[i * M + j] = first;
      }
      acc.rows.clear();
      const raw = this.assetRows.get(id);
      const attributes = new Float32Array(attributeNames.length).fill(NaN);
      if (raw) {
        let k = 0;
        for (const enc of encoders) for (const v of enc(raw)) attributes[k++] = v;
      }
      assets.push({
        id,
        times,
        values,
        events: keyed('events', id),
        failures: keyed('failures', id),
        maintenance: keyed('maintenance', id),
        attributes,
      });
    }
    gaps.sort((a, b) => a - b);
    const stepMs = gaps.length > 0 ? (gaps[gaps.length >> 1] as number) : 3_600_000;
    return {
      metrics,
      codes: this.codes.names,
      modes: this.modes.names,
      components: this.components.names,
      attributeNames,
      assets,
      stepMs: stepMs > 0 ? stepMs : 3_600_000,
    };
  }
}
