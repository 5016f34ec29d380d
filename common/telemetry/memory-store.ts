// In-memory TelemetryStore: the fake for unit tests, with the same contract as the real adapters.
import type { RangeQuery, TelemetryPoint, TelemetryStore, WindowPoint } from '../telemetry-store.ts';

export class MemoryTelemetryStore implements TelemetryStore {
  readonly kind = 'memory' as const;
  private readonly series = new Map<string, Map<number, number>>();
  failing = false;

  async write(points: readonly TelemetryPoint[]): Promise<void> {
    if (this.failing) throw new Error('memory store is set to fail');
    for (const p of points) {
      const key = `${p.assetId}\u0000${p.metric}`;
      let s = this.series.get(key);
      if (!s) this.series.set(key, (s = new Map()));
      if (!s.has(p.ts.getTime())) s.set(p.ts.getTime(), p.value);
    }
  }

  async range(q: RangeQuery): Promise<{ ts: Date; value: number }[]> {
    const s = this.series.get(`${q.assetId}\u0000${q.metric}`) ?? new Map<number, number>();
    return [...s.entries()]
      .filter(([t]) => t >= q.from.getTime() && t <= q.to.getTime())
      .sort(([a], [b]) => a - b)
      .slice(0, q.limit ?? Number.POSITIVE_INFINITY)
      .map(([t, value]) => ({ ts: new Date(t), value }));
  }

  async aggregate(q: RangeQuery & { everyMs: number }): Promise<WindowPoint[]> {
    const windows = new Map<number, number[]>();
    for (const p of await this.range({ ...q, limit: undefined })) {
      const w = Math.floor(p.ts.getTime() / q.everyMs) * q.everyMs;
      windows.set(w, [...(windows.get(w) ?? []), p.value]);
    }
    return [...windows.entries()]
      .sort(([a], [b]) => a - b)
      .map(([w, v]) => ({
        ts: new Date(w),
        mean: v.reduce((a, b) => a + b, 0) / v.length,
        min: Math.min(...v),
        max: Math.max(...v),
        count: v.length,
      }));
  }

  async latest(assetId: string): Promise<Record<string, { ts: Date; value: number }>> {
    const out: Record<string, { ts: Date; value: number }> = {};
    for (const [key, s] of this.series) {
      const [asset, metric] = key.split('\u0000') as [string, string];
      if (asset !== assetId || s.size === 0) continue;
      const t = Math.max(...s.keys());
      out[metric] = { ts: new Date(t), value: s.get(t)! };
    }
    return out;
  }

  async ping(): Promise<void> {
    if (this.failing) throw new Error('memory store is set to fail');
  }

  async close(): Promise<void> {}

  get size(): number {
    let n = 0;
    for (const s of this.series.values()) n += s.size;
    return n;
  }
}
