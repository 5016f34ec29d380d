// The port between predict workers and what carries readings, membership and results between processes
// (adapter: predict/adapters/nats-carrier.ts on NATS JetStream; docs/adr/0024-predict-workers-on-jetstream.md).
import type { AssetEventIngested, Reading } from '../../common/events.ts';
import type { RemoteEvent } from '../core/remote-events.ts';

/** What a partition carries: stored readings and (with `code`) stored equipment events, in bus order. */
export type FeedItem = Reading | AssetEventIngested;

export interface Lease {
  /** The worker consuming the partition now (undefined: free). */
  holder: string | undefined;
  /** The lease's version, for a compare-and-set take-over. */
  revision: number;
}

export interface PartitionFeed {
  /** Stops delivery; resolves when no batch is being handled any more. */
  stop(): Promise<void>;
}

export interface WorkerCarrier {
  /** Says this worker is alive (with what it reports); the entry expires unless renewed. */
  heartbeat(me: string, report: object): Promise<void>;
  /** The live workers. */
  members(): Promise<string[]>;
  /** Leaves the group at once (a clean stop), so the others take its partitions without waiting for expiry. */
  leave(me: string): Promise<void>;
  lease(partition: number): Promise<Lease>;
  /** Compare-and-set: false when someone else changed the lease since `revision`. */
  takeLease(partition: number, me: string, revision: number): Promise<boolean>;
  releaseLease(partition: number, me: string): Promise<void>;
  /** The stream position now: every reading published so far is at or before it. */
  position(): Promise<number>;
  /** Delivers the partition's batches in order from stream position `from`, one batch at a time. */
  consume(
    partition: number,
    from: number,
    onBatch: (items: FeedItem[]) => Promise<void>,
  ): Promise<PartitionFeed>;
  /** Sends what predict raised to the platform (at-least-once; the platform drops repeats by id). */
  publishEvent(e: RemoteEvent): Promise<void>;
  /** What the platform tells predict (order closed, model changed…) from now on, each once; resolves subscribed. */
  onControl(handler: (e: RemoteEvent) => void): Promise<void>;
  close(): Promise<void>;
}
