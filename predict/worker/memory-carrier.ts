// An in-memory WorkerCarrier for unit tests of predict workers: one hub stands for the NATS server (the readings
// stream per partition, the member and lease buckets, the events stream, the control subject); each worker gets a
// carrier on it. Members expire like KV entries with a TTL.
import type { Reading } from '../../common/events.ts';
import { partitionOf } from '../core/partitions.ts';
import type { RemoteEvent } from '../core/remote-events.ts';
import type { FeedItem, Lease, PartitionFeed, WorkerCarrier } from './carrier.ts';

export class MemoryHub {
  readonly stream: { seq: number; partition: number; readings: Reading[] }[] = [];
  readonly members = new Map<string, number>();
  readonly leases = new Map<number, { holder: string | undefined; revision: number }>();
  readonly events: RemoteEvent[] = [];
  readonly control = new Set<(e: RemoteEvent) => void>();
  private waiting: (() => void)[] = [];
  private revision = 0;

  constructor(
    readonly partitions: number,
    readonly memberTtlMs: number,
  ) {}

  /** As the platform publishes: one batch per partition. */
  publish(readings: Reading[]): void {
    const byPartition = new Map<number, Reading[]>();
    for (const r of readings) {
      const p = partitionOf(r.tenantId, r.assetId, this.partitions);
      byPartition.set(p, [...(byPartition.get(p) ?? []), r]);
    }
    for (const [partition, batch] of byPartition)
      this.stream.push({ seq: this.stream.length + 1, partition, readings: batch });
    for (const wake of this.waiting.splice(0)) wake();
  }

  nextRevision(): number {
    return ++this.revision;
  }

  changed(): Promise<void> {
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  carrier(): WorkerCarrier {
    return new MemoryCarrier(this);
  }
}

class MemoryCarrier implements WorkerCarrier {
  private readonly handlers: ((e: RemoteEvent) => void)[] = [];

  constructor(private readonly hub: MemoryHub) {}

  async heartbeat(me: string): Promise<void> {
    this.hub.members.set(me, Date.now() + this.hub.memberTtlMs);
  }

  async members(): Promise<string[]> {
    const now = Date.now();
    return [...this.hub.members].filter(([, until]) => until > now).map(([m]) => m);
  }

  async leave(me: string): Promise<void> {
    this.hub.members.delete(me);
  }

  async lease(partition: number): Promise<Lease> {
    return this.hub.leases.get(partition) ?? { holder: undefined, revision: 0 };
  }

  async takeLease(partition: number, me: string, revision: number): Promise<boolean> {
    if ((this.hub.leases.get(partition)?.revision ?? 0) !== revision) return false;
    this.hub.leases.set(partition, { holder: me, revision: this.hub.nextRevision() });
    return true;
  }

  async releaseLease(partition: number, me: string): Promise<void> {
    if (this.hub.leases.get(partition)?.holder === me)
      this.hub.leases.set(partition, { holder: undefined, revision: this.hub.nextRevision() });
  }

  async position(): Promise<number> {
    return this.hub.stream.length;
  }

  async consume(
    partition: number,
    from: number,
    onBatch: (items: FeedItem[]) => Promise<void>,
  ): Promise<PartitionFeed> {
    let stopped = false;
    let next = from;
    const loop = (async () => {
      while (!stopped) {
        const m = this.hub.stream.find((x) => x.seq >= next && x.partition === partition);
        if (!m) {
          await Promise.race([this.hub.changed(), new Promise((r) => setTimeout(r, 20))]);
          continue;
        }
        next = m.seq + 1;
        await onBatch(m.readings);
      }
    })();
    return {
      stop: async () => {
        stopped = true;
        await loop;
      },
    };
  }

  async publishEvent(e: RemoteEvent): Promise<void> {
    this.hub.events.push(e);
  }

  async onControl(handler: (e: RemoteEvent) => void): Promise<void> {
    this.handlers.push(handler);
    this.hub.control.add(handler);
  }

  async close(): Promise<void> {
    for (const h of this.handlers) this.hub.control.delete(h);
  }
}
