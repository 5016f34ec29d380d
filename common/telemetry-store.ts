// The TelemetryStore port: where readings live. Adapters: common/telemetry/{postgres,influx,memory}-store.ts.

export interface TelemetryPoint {
  assetId: string;
  metric: string;
  ts: Date;
  value: number;
}

export interface RangeQuery {
  assetId: string;
  metric: string;
  from: Date;
  to: Date;
  limit?: number;
}

export interface WindowPoint {
  ts: Date;
  mean: number;
  min: number;
  max: number;
  count: number;
}

export interface TelemetryStore {
  readonly kind: 'postgres' | 'influx' | 'memory';
  /** Idempotent: writing the same (asset, metric, ts) twice keeps one point. */
  write(points: readonly TelemetryPoint[]): Promise<void>;
  range(q: RangeQuery): Promise<{ ts: Date; value: number }[]>;
  /** Windowed aggregates: windows of `everyMs` aligned to the epoch, empty windows left out. */
  aggregate(q: RangeQuery & { everyMs: number }): Promise<WindowPoint[]>;
  /** Latest value of each metric of an asset. */
  latest(assetId: string): Promise<Record<string, { ts: Date; value: number }>>;
  /** Throws when the store cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
