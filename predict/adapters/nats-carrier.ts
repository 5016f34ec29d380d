// NATS JetStream as the carrier of predict workers (docs/scale-out.md, "Predict workers"):
// - stream PREEMPT_READINGS, subjects preempt.readings.<partition>: the platform publishes stored readings in
//   batches per partition; a worker reads each partition it owns with an ordered consumer (in order, no acks);
// - stream PREEMPT_PREDICT_EVENTS, subjects preempt.predictions.<event>: what workers raise, each with a unique
//   message id (JetStream's duplicate window drops a retried publish); the platform reads it with a durable
//   consumer and drops repeats by id before its bus;
// - stream PREEMPT_PREDICT_CONTROL, subject preempt.predict.control: order closes, order updates and model
//   changes, platform → workers, each with a unique message id; every worker reads it with an ordered consumer
//   from its start, which resumes after a disconnect where it left off, and drops repeats by id;
// - KV bucket preempt_predict_workers (entries expire unless renewed): the live workers; KV bucket
//   preempt_predict_leases: which worker consumes which partition now.
import {
  AckPolicy,
  connect,
  DeliverPolicy,
  JSONCodec,
  RetentionPolicy,
  StorageType,
  type ConsumerMessages,
  type JetStreamClient,
  type JetStreamManager,
  type KV,
  type NatsConnection,
} from 'nats';
import type { AssetEventIngested, PlatformBus, Reading } from '../../common/events.ts';
import type { Logger } from '../../common/logger.ts';
import { partitionOf } from '../core/partitions.ts';
import {
  decodeRemote,
  INBOUND_EVENTS,
  OUTBOUND_EVENTS,
  SeenIds,
  type RemoteEvent,
} from '../core/remote-events.ts';
import type { FeedItem, Lease, PartitionFeed, WorkerCarrier } from '../worker/carrier.ts';

/**
 * The names on NATS. `ns` (empty in production) keeps tests and benches apart from each other and from a
 * platform on the same server.
 */
export function natsNames(ns = '') {
  const up = ns.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
  const low = ns.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  return {
    readings: `PREEMPT_READINGS${up}`,
    readingSubjects: `preempt${low}.readings.*`,
    readingSubject: (p: number) => `preempt${low}.readings.${p}`,
    events: `PREEMPT_PREDICT_EVENTS${up}`,
    eventSubjects: `preempt${low}.predictions.>`,
    eventSubject: (event: string) => `preempt${low}.predictions.${event}`,
    control: `PREEMPT_PREDICT_CONTROL${up}`,
    controlSubject: `preempt${low}.predict.control`,
    members: `preempt_predict_workers${low}`,
    leases: `preempt_predict_leases${low}`,
    platformConsumer: 'platform',
  };
}
export type NatsNames = ReturnType<typeof natsNames>;

const jc = JSONCodec();
const HOUR_NS = 3_600_000_000_000;

/** A stored reading, or (with `code`) a stored equipment event; in the order the platform's bus carried them. */
type WireItem = {
  assetId: string;
  tenantId: string;
  /** Epoch ms. */
  ts: number;
} & ({ metrics: Record<string, number> } | { code: string; severity: string });

const fromWire = (w: WireItem): FeedItem =>
  'code' in w
    ? { assetId: w.assetId, tenantId: w.tenantId, ts: new Date(w.ts), code: w.code, severity: w.severity }
    : { assetId: w.assetId, tenantId: w.tenantId, ts: new Date(w.ts), metrics: w.metrics };

export async function connectNats(url: string, name: string): Promise<NatsConnection> {
  return connect({ servers: url, name, maxReconnectAttempts: -1, reconnectTimeWait: 1_000 });
}

/** Creates the three streams when missing (a cluster's operator may have created them with replicas). */
export async function ensureStreams(
  jsm: JetStreamManager,
  names: NatsNames,
  o: { retentionHours: number },
): Promise<void> {
  const want = [
    { name: names.readings, subjects: [names.readingSubjects] },
    { name: names.events, subjects: [names.eventSubjects] },
    { name: names.control, subjects: [names.controlSubject] },
  ];
  for (const s of want) {
    try {
      await jsm.streams.info(s.name);
    } catch {
      await jsm.streams.add({
        name: s.name,
        subjects: s.subjects,
        retention: RetentionPolicy.Limits,
        storage: StorageType.File,
        max_age: o.retentionHours * HOUR_NS,
        duplicate_window: 120_000_000_000,
      });
    }
  }
}

/** Platform side: stored readings → JetStream, batched per partition (up to `maxBatch` readings or `lingerMs`). */
export class ReadingPublisher {
  private readonly batches = new Map<number, WireItem[]>();
  private timer: NodeJS.Timeout | undefined;
  private readonly inflight = new Set<Promise<unknown>>();
  published = 0;

  constructor(
    private readonly js: JetStreamClient,
    private readonly names: NatsNames,
    private readonly partitions: number,
    private readonly log: Logger,
    private readonly o: { maxBatch?: number; lingerMs?: number } = {},
  ) {}

  add(r: Reading): void {
    this.push({ assetId: r.assetId, tenantId: r.tenantId, ts: r.ts.getTime(), metrics: r.metrics });
  }

  /** An equipment event (error code) of an asset goes with its readings, for the ALARM kind. */
  addEvent(e: AssetEventIngested): void {
    const { assetId, tenantId, code, severity } = e;
    this.push({ assetId, tenantId, ts: e.ts.getTime(), code, severity });
  }

  private push(item: WireItem): void {
    const p = partitionOf(item.tenantId, item.assetId, this.partitions);
    let batch = this.batches.get(p);
    if (!batch) this.batches.set(p, (batch = []));
    batch.push(item);
    if (batch.length >= (this.o.maxBatch ?? 500)) this.send(p);
    else this.timer ??= setTimeout(() => this.flush(), this.o.lingerMs ?? 20);
  }

  /** Sends every batch; resolves when JetStream acknowledged what was sent so far. */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const p of [...this.batches.keys()]) this.send(p);
    await Promise.allSettled([...this.inflight]);
  }

  private send(p: number): void {
    const readings = this.batches.get(p);
    this.batches.delete(p);
    if (!readings?.length) return;
    const sent = this.publishWithRetry(p, readings);
    this.inflight.add(sent);
    void sent.finally(() => this.inflight.delete(sent));
  }

  private async publishWithRetry(p: number, readings: WireItem[]): Promise<void> {
    const first = readings[0]!;
    // the same batch sent again (a retry after a lost ack) is dropped by JetStream's duplicate window
    const msgID = `${p}:${first.assetId}:${first.ts}:${readings.length}`;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.js.publish(this.names.readingSubject(p), jc.encode({ readings }), { msgID });
        this.published += readings.length;
        return;
      } catch (err) {
        if (attempt >= 5) {
          this.log.error(
            { err, partition: p, readings: readings.length },
            'readings not handed to predict workers',
          );
          return;
        }
        await new Promise((r) => setTimeout(r, 500 * attempt));
      }
    }
  }
}

/**
 * Platform side of predict workers: stored readings out to the stream, what the workers raise back onto the bus
 * (each event once), and the events predict listens to out to the workers. Returns the stop function.
 */
export async function bridgePredictWorkers(
  bus: PlatformBus,
  o: { url: string; partitions: number; retentionHours: number; log: Logger; namespace?: string },
): Promise<{
  publisher: ReadingPublisher;
  /** The live workers and what each reported with its last heartbeat. */
  workers: () => Promise<{ id: string; partitions: number; readings: number; evaluations: number }[]>;
  stop: () => Promise<void>;
}> {
  const names = natsNames(o.namespace);
  const nc = await connectNats(o.url, 'preempt-platform');
  const jsm = await nc.jetstreamManager();
  await ensureStreams(jsm, names, o);
  const js = nc.jetstream();
  const publisher = new ReadingPublisher(js, names, o.partitions, o.log);
  const forwarded = new WeakSet<object>();
  const offs = [
    bus.on('reading.ingested', (r) => publisher.add(r)),
    bus.on('event.ingested', (e) => publisher.addEvent(e)),
  ];
  const control = new Set<Promise<void>>();
  for (const event of INBOUND_EVENTS)
    offs.push(
      bus.on(event, (payload) => {
        if (forwarded.has(payload)) return; // came from a worker: not sent back
        const sent = publishControl(js, names, { id: crypto.randomUUID(), event, payload }, o.log);
        control.add(sent);
        void sent.finally(() => control.delete(sent));
      }),
    );
  try {
    await jsm.consumers.info(names.events, names.platformConsumer);
  } catch {
    await jsm.consumers.add(names.events, {
      durable_name: names.platformConsumer,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.New,
    });
  }
  // the workers create the bucket (with their heartbeat's expiry); until one has, there are none
  let members: KV | undefined;
  const workers = async () => {
    const out: { id: string; partitions: number; readings: number; evaluations: number }[] = [];
    members ??= await js.views.kv(names.members, { bindOnly: true }).catch(() => undefined);
    if (!members) return out;
    const ids: string[] = [];
    for await (const id of await members.keys()) ids.push(id);
    for (const id of ids) {
      const e = await members.get(id);
      if (e?.operation !== 'PUT') continue;
      const r = e.json<{ partitions?: number[]; readings?: number; evaluations?: number }>();
      out.push({
        id,
        partitions: r.partitions?.length ?? 0,
        readings: r.readings ?? 0,
        evaluations: r.evaluations ?? 0,
      });
    }
    return out.sort((a, b) => a.id.localeCompare(b.id));
  };
  const seen = new SeenIds();
  const consumer = await js.consumers.get(names.events, names.platformConsumer);
  const messages: ConsumerMessages = await consumer.consume({ max_messages: 256 });
  const loop = (async () => {
    for await (const m of messages) {
      const e = decodeRemote(m.string(), OUTBOUND_EVENTS);
      if (!e) o.log.warn({ subject: m.subject }, 'unreadable event from a predict worker');
      else if (seen.first(e.id)) {
        forwarded.add(e.payload as object);
        bus.emit(e.event, e.payload as never);
      }
      m.ack();
    }
  })();
  return {
    publisher,
    workers,
    stop: async () => {
      for (const off of offs) off();
      await publisher.flush();
      await Promise.allSettled([...control]);
      await messages.close();
      await loop.catch(() => undefined);
      await nc.drain();
    },
  };
}

/**
 * An event for the workers into the control stream, acknowledged by JetStream (retried; a retry after a lost
 * acknowledgement is dropped by the duplicate window, a repeat that gets through by the workers' id memory).
 */
async function publishControl(
  js: JetStreamClient,
  names: NatsNames,
  e: { id: string; event: string; payload: unknown },
  log: Logger,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await js.publish(names.controlSubject, jc.encode(e), { msgID: e.id });
      return;
    } catch (err) {
      if (attempt >= 5) {
        // the workers keep deciding on what they knew (an order they think open, the model before)
        log.error({ err, event: e.event }, 'event not handed to predict workers');
        return;
      }
      await new Promise((r) => setTimeout(r, 500 * attempt));
    }
  }
}

/** Worker side. */
export class NatsWorkerCarrier implements WorkerCarrier {
  private controlFeed: { messages: ConsumerMessages; loop: Promise<void> } | undefined;

  private constructor(
    private readonly nc: NatsConnection,
    private readonly names: NatsNames,
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly membersKv: KV,
    private readonly leasesKv: KV,
    private readonly log: Logger,
  ) {}

  static async connect(o: {
    url: string;
    name: string;
    /** A member whose heartbeat is older than this is gone. */
    memberTtlMs: number;
    retentionHours: number;
    log: Logger;
    namespace?: string;
  }): Promise<NatsWorkerCarrier> {
    const names = natsNames(o.namespace);
    const nc = await connectNats(o.url, o.name);
    const jsm = await nc.jetstreamManager();
    await ensureStreams(jsm, names, o);
    const js = nc.jetstream();
    const membersKv = await js.views.kv(names.members, { ttl: o.memberTtlMs, history: 1 });
    const leasesKv = await js.views.kv(names.leases, { history: 1 });
    return new NatsWorkerCarrier(nc, names, js, jsm, membersKv, leasesKv, o.log);
  }

  async heartbeat(me: string, report: object): Promise<void> {
    await this.membersKv.put(me, jc.encode(report));
  }

  async members(): Promise<string[]> {
    const out: string[] = [];
    for await (const k of await this.membersKv.keys()) out.push(k);
    return out.sort();
  }

  async leave(me: string): Promise<void> {
    await this.membersKv.delete(me);
  }

  async lease(partition: number): Promise<Lease> {
    const e = await this.leasesKv.get(String(partition));
    if (!e) return { holder: undefined, revision: 0 };
    return { holder: e.operation === 'PUT' ? e.string() || undefined : undefined, revision: e.revision };
  }

  async takeLease(partition: number, me: string, revision: number): Promise<boolean> {
    try {
      if (revision === 0) await this.leasesKv.create(String(partition), new TextEncoder().encode(me));
      else await this.leasesKv.update(String(partition), new TextEncoder().encode(me), revision);
      return true;
    } catch (err) {
      this.log.debug({ err, partition }, 'lease changed meanwhile');
      return false;
    }
  }

  async releaseLease(partition: number, me: string): Promise<void> {
    const l = await this.lease(partition);
    if (l.holder === me)
      await this.leasesKv.update(String(partition), new Uint8Array(), l.revision).catch(() => {});
  }

  async position(): Promise<number> {
    return (await this.jsm.streams.info(this.names.readings)).state.last_seq;
  }

  async consume(
    partition: number,
    from: number,
    onBatch: (items: FeedItem[]) => Promise<void>,
  ): Promise<PartitionFeed> {
    const consumer = await this.js.consumers.get(this.names.readings, {
      filterSubjects: this.names.readingSubject(partition),
      opt_start_seq: Math.max(1, from),
    });
    const messages = await consumer.consume({ max_messages: 64 });
    const loop = (async () => {
      for await (const m of messages) {
        let wire: { readings?: WireItem[] };
        try {
          wire = m.json<{ readings?: WireItem[] }>();
        } catch {
          this.log.warn({ partition, seq: m.seq }, 'unreadable readings batch skipped');
          continue;
        }
        await onBatch((wire.readings ?? []).map(fromWire));
      }
    })();
    return {
      stop: async () => {
        await messages.close();
        await loop.catch((err: unknown) =>
          this.log.warn({ err, partition }, 'partition feed ended with an error'),
        );
      },
    };
  }

  async publishEvent(e: RemoteEvent): Promise<void> {
    await this.js.publish(this.names.eventSubject(e.event), jc.encode(e), { msgID: e.id });
  }

  /**
   * From now on (what came before is in the state a partition's rebuild reads), each event once: the ordered
   * consumer resumes after a disconnect from the last event it delivered.
   */
  async onControl(handler: (e: RemoteEvent) => void): Promise<void> {
    // from the stream's next sequence, not DeliverPolicy.New: nats.js recreates an ordered consumer that had
    // delivered nothing yet with its first options, so after a reset (its consumer lost on the server: a restart,
    // a disconnect past the inactivity limit) "new" would skip what was sent while it was gone
    const { state } = await this.jsm.streams.info(this.names.control);
    const consumer = await this.js.consumers.get(this.names.control, {
      filterSubjects: this.names.controlSubject,
      opt_start_seq: state.last_seq + 1,
    });
    // pulls that expire after 5 s (heartbeats every 2.5 s): a consumer lost on the server is noticed and made
    // again within seconds, where the default (30 s) left the worker without control events for ~45 s
    const messages = await consumer.consume({ max_messages: 256, expires: 5_000 });
    const seen = new SeenIds();
    this.controlFeed = {
      messages,
      loop: (async () => {
        for await (const m of messages) {
          const e = decodeRemote(m.string(), INBOUND_EVENTS);
          if (!e) this.log.warn({ seq: m.seq }, 'unreadable event from the platform skipped');
          else if (seen.first(e.id))
            try {
              handler(e);
            } catch (err) {
              // one event's failure must not end the feed (the next ones would be lost)
              this.log.error({ err, event: e.event }, 'event from the platform not applied');
            }
        }
      })().catch((err: unknown) => {
        // the feed ended: this worker no longer hears order closes or model changes until it restarts
        this.log.error({ err }, 'control feed from the platform ended');
      }),
    };
  }

  async close(): Promise<void> {
    if (this.controlFeed) {
      await this.controlFeed.messages.close();
      await this.controlFeed.loop.catch(() => undefined);
    }
    await this.nc.drain();
  }
}
