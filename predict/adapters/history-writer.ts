// Writes one imported history and its runs over a connection of its own (it runs in the import worker thread,
// so neither the JSON nor the driver's work touches the platform's event loop): one transaction, the runs in
// multi-row INSERTs as they come, nothing visible until the commit and nothing left after a rollback or a lost
// connection. The tables are Prisma's EquipmentHistory and HistoryRun (prisma/schema.prisma).
import { randomUUID } from 'node:crypto';
import pg from 'pg';

/** What a history import writes besides its runs. */
export interface HistoryImportMeta {
  name: string;
  equipmentModelId: string;
  cycleMinutes: number;
  units: number;
  cycles: number;
  importedBy: string;
}

/** A stored run: a HistoryRun row without ids, its `data` (`{ at, metrics }` column arrays) as JSON text. */
export interface HistoryRunRow {
  unit: number;
  cycles: number;
  failed: boolean;
  rulAtEnd: number | null;
  data: string;
}

/** Runs per INSERT statement, at most (7 parameters each). */
const MAX_ROWS_PER_INSERT = 500;

export class HistoryWriter {
  private written = 0;

  private constructor(
    private readonly client: pg.Client,
    readonly historyId: string,
    private readonly meta: HistoryImportMeta,
  ) {}

  /** Opens the connection and the transaction, and inserts the history row. */
  static async begin(
    databaseUrl: string,
    historyId: string,
    meta: HistoryImportMeta,
  ): Promise<HistoryWriter> {
    const client = new pg.Client({
      connectionString: databaseUrl,
      application_name: 'preempt-history-import',
    });
    await client.connect();
    try {
      // lz4 compresses the runs' JSON (TOAST) ~2.5× faster than the default pglz: less of the database's CPU
      await client.query(`SET default_toast_compression = 'lz4'`).catch(() => undefined); // built without lz4
      await client.query('BEGIN');
      await client.query(
        `INSERT INTO "EquipmentHistory" ("id", "name", "format", "equipmentModelId", "cycleMinutes", "units", "cycles", "importedBy")
         VALUES ($1, $2, 'cmapss', $3, $4, $5, $6, $7)`,
        [
          historyId,
          meta.name,
          meta.equipmentModelId,
          meta.cycleMinutes,
          meta.units,
          meta.cycles,
          meta.importedBy,
        ],
      );
    } catch (err) {
      await client.end().catch(() => undefined);
      throw err;
    }
    return new HistoryWriter(client, historyId, meta);
  }

  /** Inserts runs; returns how many are written so far. */
  async write(rows: readonly HistoryRunRow[]): Promise<number> {
    for (let i = 0; i < rows.length; i += MAX_ROWS_PER_INSERT) {
      const part = rows.slice(i, i + MAX_ROWS_PER_INSERT);
      const params: unknown[] = [];
      const values = part.map((r) => {
        const n = params.length;
        params.push(randomUUID(), this.historyId, r.unit, r.cycles, r.failed, r.rulAtEnd, r.data);
        return `($${n + 1}, $${n + 2}, $${n + 3}, $${n + 4}, $${n + 5}, $${n + 6}, $${n + 7}::jsonb)`;
      });
      await this.client.query(
        `INSERT INTO "HistoryRun" ("id", "historyId", "unit", "cycles", "failed", "rulAtEnd", "data") VALUES ${values.join(', ')}`,
        params,
      );
    }
    this.written += rows.length;
    return this.written;
  }

  /** Commits, once every run the file holds is written. */
  async commit(): Promise<void> {
    try {
      if (this.written !== this.meta.units)
        throw new Error(`${this.written} runs written of the ${this.meta.units} the file holds`);
      await this.client.query('COMMIT');
    } finally {
      await this.client.end();
    }
  }

  async rollback(): Promise<void> {
    try {
      await this.client.query('ROLLBACK');
    } finally {
      await this.client.end().catch(() => undefined);
    }
  }
}
