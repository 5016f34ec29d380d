// TelemetryStore on PostgreSQL (the embedded default): each batch by COPY, the primary key makes writes
// idempotent (a batch with a point already stored falls back to INSERT … ON CONFLICT DO NOTHING; ADR 0023).
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { RangeQuery, TelemetryPoint, TelemetryStore, WindowPoint } from '../telemetry-store.ts';

const CHUNK = 5_000; // rows per INSERT (4 parameters each, under PostgreSQL's 65,535 limit)
/** Rows per COPY: one drained batch (5,000 readings of a few metrics) is one statement. */
const COPY_CHUNK = 50_000;
const UNIQUE_VIOLATION = '23505';
const COPY_SQL = 'COPY "TelemetryPoint" ("assetId", metric, ts, value) FROM STDIN';

/** A text field of COPY's text format: backslash, tab, newline and carriage return escaped. */
const copyText = (s: string) =>
  /[\\\t\n\r]/.test(s)
    ? s.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'))
    : s;

/** Points as COPY text rows. Values are finite (ingest refuses others); times in ISO-8601 UTC. */
export function copyRows(points: readonly TelemetryPoint[]): string {
  let out = '';
  for (const p of points)
    out += `${copyText(p.assetId)}\t${copyText(p.metric)}\t${p.ts.toISOString()}\t${p.value}\n`;
  return out;
}

export class PostgresTelemetryStore implements TelemetryStore {
  readonly kind = 'postgres' as const;
  private readonly pool: pg.Pool;
  private readonly timeoutMs: number;

  /**
   * `timeoutMs` bounds every query (STORE_TIMEOUT_MS): PostgreSQL cancels a statement that runs longer
   * (statement_timeout), and the client gives up on a server that does not answer at all (query_timeout, a
   * little later; the connection is then discarded) or a connection that cannot be opened.
   */
  constructor(url: string, opts: { max?: number; timeoutMs?: number } = {}) {
    const timeoutMs = opts.timeoutMs ?? 15_000;
    this.timeoutMs = timeoutMs;
    this.pool = new pg.Pool({
      connectionString: url,
      max: opts.max ?? 4,
      statement_timeout: timeoutMs,
      query_timeout: timeoutMs + 1_000,
      connectionTimeoutMillis: timeoutMs,
    });
    this.pool.on('error', () => undefined); // a broken idle connection is replaced on next use
  }

  /**
   * COPY is the cheapest way in for a batch, on both sides (no parameter arrays to encode, no per-row conflict
   * check), but it refuses a batch holding a point that is already stored. That happens only when a batch is
   * written again (a journal replay after a crash, a retry after a timeout, a message the broker redelivered),
   * and the batch is then inserted with ON CONFLICT DO NOTHING: COPY is one statement, so nothing of it stayed.
   */
  async write(points: readonly TelemetryPoint[]): Promise<void> {
    for (let i = 0; i < points.length; i += COPY_CHUNK) {
      const chunk = points.slice(i, i + COPY_CHUNK);
      try {
        await this.copy(chunk);
      } catch (err) {
        if ((err as { code?: string }).code !== UNIQUE_VIOLATION) throw err;
        await this.insert(chunk);
      }
    }
  }

  private async copy(points: readonly TelemetryPoint[]): Promise<void> {
    const client = await this.pool.connect();
    // COPY does not go through the client's query_timeout: a server that stops answering is given up here
    // (the connection is then discarded; statement_timeout cancels a COPY that runs too long on the server)
    let timer: NodeJS.Timeout | undefined;
    let broken: Error | undefined;
    try {
      await Promise.race([
        pipeline(Readable.from([Buffer.from(copyRows(points))]), client.query(copyFrom(COPY_SQL))),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            broken = new Error(
              `COPY of ${points.length} points did not finish within ${this.timeoutMs + 1_000} ms`,
            );
            reject(broken);
          }, this.timeoutMs + 1_000);
        }),
      ]);
    } catch (err) {
      broken ??= (err as { code?: string }).code ? undefined : (err as Error);
      throw err;
    } finally {
      clearTimeout(timer);
      client.release(broken);
    }
  }

  /** The idempotent multi-row insert (unnest of four arrays), for a batch with points already stored. */
  private async insert(points: readonly TelemetryPoint[]): Promise<void> {
    for (let i = 0; i < points.length; i += CHUNK) {
      const chunk = points.slice(i, i + CHUNK);
      const assets: string[] = [];
      const metrics: string[] = [];
      const times: Date[] = [];
      const values: number[] = [];
      for (const p of chunk) {
        assets.push(p.assetId);
        metrics.push(p.metric);
        times.push(p.ts);
        values.push(p.value);
      }
      await this.pool.query(
        `INSERT INTO "TelemetryPoint" ("assetId", metric, ts, value)
         SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::float8[])
         ON CONFLICT DO NOTHING`,
        [assets, metrics, times, values],
      );
    }
  }

  async range(q: RangeQuery): Promise<{ ts: Date; value: number }[]> {
    const res = await this.pool.query<{ ts: Date; value: number }>(
      `SELECT ts, value FROM "TelemetryPoint" WHERE "assetId" = $1 AND metric = $2 AND ts >= $3 AND ts <= $4
       ORDER BY ts LIMIT $5`,
      [q.assetId, q.metric, q.from, q.to, q.limit ?? 100_000],
    );
    return res.rows;
  }

  async aggregate(q: RangeQuery & { everyMs: number }): Promise<WindowPoint[]> {
    // date_bin on the timestamp (PostgreSQL 14+): about twice as fast as arithmetic on extract(epoch), a numeric
    const res = await this.pool.query<{ w: Date; mean: number; min: number; max: number; count: string }>(
      `SELECT date_bin(make_interval(secs => $5::float8 / 1000), ts, timestamptz 'epoch') AS w,
              avg(value) AS mean, min(value) AS min, max(value) AS max, count(*) AS count
       FROM "TelemetryPoint" WHERE "assetId" = $1 AND metric = $2 AND ts >= $3 AND ts <= $4
       GROUP BY 1 ORDER BY 1 LIMIT $6`,
      [q.assetId, q.metric, q.from, q.to, q.everyMs, q.limit ?? 100_000],
    );
    return res.rows.map((r) => ({
      ts: r.w,
      mean: r.mean,
      min: r.min,
      max: r.max,
      count: Number(r.count),
    }));
  }

  async latest(assetId: string): Promise<Record<string, { ts: Date; value: number }>> {
    const res = await this.pool.query<{ metric: string; ts: Date; value: number }>(
      `SELECT DISTINCT ON (metric) metric, ts, value FROM "TelemetryPoint"
       WHERE "assetId" = $1 AND ts > now() - interval '30 days' ORDER BY metric, ts DESC`,
      [assetId],
    );
    return Object.fromEntries(res.rows.map((r) => [r.metric, { ts: r.ts, value: r.value }]));
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
