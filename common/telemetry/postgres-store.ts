// TelemetryStore on PostgreSQL (the embedded default): multi-row inserts, the primary key makes writes idempotent.
import pg from 'pg';
import type { RangeQuery, TelemetryPoint, TelemetryStore, WindowPoint } from '../telemetry-store.ts';

const CHUNK = 5_000; // rows per INSERT (4 parameters each, under PostgreSQL's 65,535 limit)

export class PostgresTelemetryStore implements TelemetryStore {
  readonly kind = 'postgres' as const;
  private readonly pool: pg.Pool;

  /**
   * `timeoutMs` bounds every query (STORE_TIMEOUT_MS): PostgreSQL cancels a statement that runs longer
   * (statement_timeout), and the client gives up on a server that does not answer at all (query_timeout, a
   * little later; the connection is then discarded) or a connection that cannot be opened.
   */
  constructor(url: string, opts: { max?: number; timeoutMs?: number } = {}) {
    const timeoutMs = opts.timeoutMs ?? 15_000;
    this.pool = new pg.Pool({
      connectionString: url,
      max: opts.max ?? 4,
      statement_timeout: timeoutMs,
      query_timeout: timeoutMs + 1_000,
      connectionTimeoutMillis: timeoutMs,
    });
    this.pool.on('error', () => undefined); // a broken idle connection is replaced on next use
  }

  async write(points: readonly TelemetryPoint[]): Promise<void> {
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
