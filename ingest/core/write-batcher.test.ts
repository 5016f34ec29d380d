import { describe, expect, it } from 'vitest';
import { WriteBatcher } from './write-batcher.ts';
import { MemoryTelemetryStore } from '../../common/telemetry/memory-store.ts';

const point = (i: number) => ({ assetId: 'a', metric: 'm', ts: new Date(1_700_000_000_000 + i), value: i });

describe('WriteBatcher', () => {
  it('writes in batches of at most maxBatch and reports stored items', async () => {
    const store = new MemoryTelemetryStore();
    const sizes: number[] = [];
    const stored: unknown[] = [];
    const b = new WriteBatcher({
      write: async (p) => {
        sizes.push(p.length);
        await store.write(p);
      },
      onStored: (items) => stored.push(...items),
      maxBatch: 10,
    });
    for (let i = 0; i < 25; i++) b.add([point(i)], i);
    await b.flush();
    expect(sizes).toEqual([10, 10, 5]);
    expect(store.size).toBe(25);
    expect(stored).toHaveLength(25);
  });

  it('retries a failing store until it comes back, losing nothing and keeping order', async () => {
    const store = new MemoryTelemetryStore();
    store.failing = true;
    let retries = 0;
    const b = new WriteBatcher({
      write: (p) => store.write(p),
      onRetry: () => {
        retries++;
        if (retries === 3) store.failing = false;
      },
      maxBatch: 5,
      backoff: () => 1,
    });
    for (let i = 0; i < 12; i++) b.add([point(i)]);
    await b.close();
    expect(retries).toBe(3);
    expect(store.size).toBe(12);
    expect(b.pending).toBe(0);
  });

  it('stores a redelivered point once', async () => {
    const store = new MemoryTelemetryStore();
    const b = new WriteBatcher({ write: (p) => store.write(p) });
    b.add([point(1), point(1)]);
    b.add([point(1)]);
    await b.flush();
    expect(store.size).toBe(1);
  });
});
