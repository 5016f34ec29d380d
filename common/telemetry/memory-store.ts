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
    // one pass with running sums (a 30-day series is millions of points); windows aligned to the epoch
    const windows = new Map<number, WindowPoint & { sum: number }>();
    for (const p of await this.range({ ...q, limit: undefined })) {
      const w = Math.floor(p.ts.getTime() / q.everyMs) * q.everyMs;
      const acc = windows.get(w);
      if (!acc)
        windows.set(w, { ts: new Date(w), sum: p.value, mean: 0, min: p.value, max: p.value, count: 1 });
      else {
        acc.sum += p.value;
        acc.count++;
        if (p.value < acc.min) acc.min = p.value;
        if (p.value > acc.max) acc.max = p.value;
      }
    }
    return [...windows.values()]
      .sort((a, b) => a.ts.getTime() - b.ts.getTime())
      .slice(0, q.limit ?? Number.POSITIVE_INFINITY)
      .map(({ sum, ...w }) => ({ ...w, mean: sum / w.count }));
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
