// TelemetryStore on InfluxDB 2.x: measurement "telemetry", tag "asset", one field per metric.
// InfluxDB keeps one value per series and timestamp, so a redelivered reading overwrites itself (idempotent).
import {
  InfluxDB,
  Point,
  type QueryApi,
  type WriteApi,
  flux,
  fluxDateTime,
  fluxDuration,
  setLogger,
} from '@influxdata/influxdb-client';
import type { RangeQuery, TelemetryPoint, TelemetryStore, WindowPoint } from '../telemetry-store.ts';

// The client logs failed writes to the console; ingest's drainer retries and logs them itself.
setLogger({ error: () => undefined, warn: () => undefined });

export interface InfluxSettings {
  url: string;
  token: string;
  org: string;
  bucket: string;
}

export class InfluxTelemetryStore implements TelemetryStore {
  readonly kind = 'influx' as const;
  private readonly influx: InfluxDB;
  private readonly writer: WriteApi;
  private readonly reader: QueryApi;

  constructor(private readonly s: InfluxSettings) {
    this.influx = new InfluxDB({ url: s.url, token: s.token, timeout: 10_000 });
    // Ingest batches and retries itself; the client only gzips and sends what it is given.
    this.writer = this.influx.getWriteApi(s.org, s.bucket, 'ms', {
      batchSize: 10_000,
      flushInterval: 0,
      maxRetries: 0,
      gzipThreshold: 1_000,
    });
    this.reader = this.influx.getQueryApi(s.org);
  }

  async write(points: readonly TelemetryPoint[]): Promise<void> {
    this.writer.writePoints(
      points.map((p) =>
        new Point('telemetry').tag('asset', p.assetId).floatField(p.metric, p.value).timestamp(p.ts),
      ),
    );
    await this.writer.flush();
  }

  private base(q: RangeQuery) {
    return flux`from(bucket: ${this.s.bucket})
      |> range(start: ${fluxDateTime(q.from.toISOString())}, stop: ${fluxDateTime(new Date(q.to.getTime() + 1).toISOString())})
      |> filter(fn: (r) => r._measurement == "telemetry" and r.asset == ${q.assetId} and r._field == ${q.metric})`;
  }

  async range(q: RangeQuery): Promise<{ ts: Date; value: number }[]> {
    const rows = await this.reader.collectRows<{ _time: string; _value: number }>(
      flux`${this.base(q)} |> sort(columns: ["_time"]) |> limit(n: ${q.limit ?? 100_000})`,
    );
    return rows.map((r) => ({ ts: new Date(r._time), value: r._value }));
  }

  async aggregate(q: RangeQuery & { everyMs: number }): Promise<WindowPoint[]> {
    const every = fluxDuration(`${q.everyMs}ms`);
    const rows = await this.reader.collectRows<{
      _start: string;
      mean: number;
      min: number;
      max: number;
      count: number;
    }>(
      flux`${this.base(q)}
        |> window(every: ${every})
        |> reduce(identity: {count: 0, sum: 0.0, min: 1.0e308, max: -1.0e308},
             fn: (r, accumulator) => ({count: accumulator.count + 1, sum: accumulator.sum + r._value,
               min: if r._value < accumulator.min then r._value else accumulator.min,
               max: if r._value > accumulator.max then r._value else accumulator.max}))
        |> map(fn: (r) => ({r with mean: r.sum / float(v: r.count)}))
        |> group() |> sort(columns: ["_start"]) |> limit(n: ${q.limit ?? 100_000})`,
    );
    return rows.map((r) => ({
      ts: new Date(r._start),
      mean: r.mean,
      min: r.min,
      max: r.max,
      count: Number(r.count),
    }));
  }

  async latest(assetId: string): Promise<Record<string, { ts: Date; value: number }>> {
    const rows = await this.reader.collectRows<{ _time: string; _value: number; _field: string }>(
      flux`from(bucket: ${this.s.bucket}) |> range(start: -30d)
        |> filter(fn: (r) => r._measurement == "telemetry" and r.asset == ${assetId}) |> last()`,
    );
    return Object.fromEntries(rows.map((r) => [r._field, { ts: new Date(r._time), value: r._value }]));
  }

  async ping(): Promise<void> {
    const res = await fetch(new URL('/health', this.s.url), { signal: AbortSignal.timeout(5_000) });
    if (!res.ok) throw new Error(`InfluxDB health answered ${res.status}`);
  }

  async close(): Promise<void> {
    await this.writer.close().catch(() => undefined);
  }
}
