// Writes one imported file of a fleet history in one transaction over a connection of its own: the history (per
// tenant and name) is created or reused, what it held of this file's kind is replaced, rows go in batches as
// column arrays (`unnest`: one statement per batch, whatever its size). Nothing is visible until commit; a
// rollback leaves the database as it was.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { HistoryFileKind } from '../core/alarms/csv-columns.ts';
import { RECORD_KIND } from '../core/fleet-import.ts';

export interface PointRow {
  asset: string;
  metric: string;
  ts: number;
  value: number;
}

export class FleetHistoryWriter {
  private constructor(
    private readonly client: pg.Client,
    readonly historyId: string,
    private readonly kind: HistoryFileKind,
  ) {}

  static async begin(
    databaseUrl: string,
    h: { tenantId: string; name: string; author: string; kind: HistoryFileKind },
  ): Promise<FleetHistoryWriter> {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<{ id: string }>(
        `INSERT INTO "FleetHistory" (id, "tenantId", name, "importedBy", "updatedAt") VALUES ($1, $2, $3, $4, now())
         ON CONFLICT ("tenantId", name) DO UPDATE SET "updatedAt" = now(), "importedBy" = EXCLUDED."importedBy"
         RETURNING id`,
        [randomUUID(), h.tenantId, h.name, h.author],
      );
      const id = rows[0]!.id;
      if (h.kind === 'telemetry')
        await client.query('DELETE FROM "FleetHistoryPoint" WHERE "historyId" = $1', [id]);
      else if (h.kind === 'assets')
        await client.query('DELETE FROM "FleetHistoryAsset" WHERE "historyId" = $1', [id]);
      else
        await client.query('DELETE FROM "FleetHistoryRecord" WHERE "historyId" = $1 AND kind = $2', [
          id,
          RECORD_KIND[h.kind],
        ]);
      return new FleetHistoryWriter(client, id, h.kind);
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      await client.end();
      throw err;
    }
  }

  async points(batch: readonly PointRow[]): Promise<void> {
    if (batch.length === 0) return;
    await this.client.query(
      `INSERT INTO "FleetHistoryPoint" ("historyId", asset, metric, ts, value)
       SELECT $1, a, m, to_timestamp(t / 1000.0), v FROM unnest($2::text[], $3::text[], $4::float8[], $5::float8[]) AS u(a, m, t, v)`,
      [
        this.historyId,
        batch.map((p) => p.asset),
        batch.map((p) => p.metric),
        batch.map((p) => p.ts),
        batch.map((p) => p.value),
      ],
    );
  }

  async records(batch: readonly { asset: string; ts: number; key: string }[]): Promise<void> {
    if (batch.length === 0 || this.kind === 'telemetry' || this.kind === 'assets') return;
    await this.client.query(
      `INSERT INTO "FleetHistoryRecord" ("historyId", kind, asset, ts, key)
       SELECT $1, $2, a, to_timestamp(t / 1000.0), k FROM unnest($3::text[], $4::float8[], $5::text[]) AS u(a, t, k)`,
      [
        this.historyId,
        RECORD_KIND[this.kind],
        batch.map((r) => r.asset),
        batch.map((r) => r.ts),
        batch.map((r) => r.key),
      ],
    );
  }

  async assets(
    batch: readonly { asset: string; attributes: Record<string, string | number> }[],
  ): Promise<void> {
    if (batch.length === 0) return;
    await this.client.query(
      `INSERT INTO "FleetHistoryAsset" ("historyId", asset, attributes)
       SELECT $1, a, j::jsonb FROM unnest($2::text[], $3::text[]) AS u(a, j)
       ON CONFLICT ("historyId", asset) DO UPDATE SET attributes = EXCLUDED.attributes`,
      [this.historyId, batch.map((a) => a.asset), batch.map((a) => JSON.stringify(a.attributes))],
    );
  }

  /** Records this file's counts on the history and makes everything visible. */
  async commit(counts: Record<string, number>): Promise<void> {
    try {
      await this.client.query(
        `UPDATE "FleetHistory" SET counts = counts || jsonb_build_object($2::text, $3::jsonb) WHERE id = $1`,
        [this.historyId, this.kind, JSON.stringify(counts)],
      );
      await this.client.query('COMMIT');
    } finally {
      await this.client.end();
    }
  }

  async rollback(): Promise<void> {
    try {
      await this.client.query('ROLLBACK');
    } finally {
      await this.client.end();
    }
  }
}
