// A predict worker: joins the group, owns the partitions the shared assignment gives it (core/partitions.ts),
// rebuilds the state of a partition's assets from the telemetry store when it takes the partition, then
// evaluates the partition's readings in order with the same PredictService as the in-process mode. What the
// service raises goes to the platform through the carrier (ForwardingBus); what the platform tells predict
// comes back on the same bus.
import { EventBus } from '../../common/event-bus.ts';
import type { PlatformEvents } from '../../common/events.ts';
import type { Clock } from '../../common/clock.ts';
import type { Logger } from '../../common/logger.ts';
import type { TelemetryStore } from '../../common/telemetry-store.ts';
import { leaseStep, partitionOf, assignPartitions } from '../core/partitions.ts';
import { afterRebuild, readingsOf } from '../core/rebuild.ts';
import { OUTBOUND_EVENTS, type OutboundName, type RemoteEvent } from '../core/remote-events.ts';
import type { PredictService } from '../predict-service.ts';
import type { PartitionFeed, WorkerCarrier } from './carrier.ts';

/** Assets whose recent series a take-over reads from the telemetry store at once. */
const REBUILD_AT_ONCE = 8;

/** The service's bus in a worker: what predict raises is sent to the platform; control events come in. */
export class ForwardingBus extends EventBus<PlatformEvents> {
  private readonly sending = new Set<Promise<void>>();
  sent = 0;

  constructor(
    private readonly send: (e: RemoteEvent) => Promise<void>,
    private readonly logger: Logger,
  ) {
    super(logger);
  }

  override emit<K extends keyof PlatformEvents>(event: K, payload: PlatformEvents[K]): void {
    if ((OUTBOUND_EVENTS as readonly string[]).includes(event)) {
      const e = { id: crypto.randomUUID(), event: event as OutboundName, payload } as RemoteEvent;
      const run = this.sendWithRetry(e);
      this.sending.add(run);
      void run.finally(() => this.sending.delete(run));
    }
    super.emit(event, payload);
  }

  /** An event from the platform, to this process's handlers only. */
  deliver<K extends keyof PlatformEvents>(event: K, payload: PlatformEvents[K]): void {
    super.emit(event, payload);
  }

  /** Resolves when everything emitted so far was handed to the carrier (or given up). */
  async flush(): Promise<void> {
    await this.drain();
    while (this.sending.size > 0) await Promise.allSettled([...this.sending]);
  }

  private async sendWithRetry(e: RemoteEvent): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.send(e);
        this.sent++;
        return;
      } catch (err) {
        if (attempt >= 10) {
          this.logger.error({ err, event: e.event, id: e.id }, 'predict event not delivered to the platform');
          return;
        }
        await new Promise((r) => setTimeout(r, 500 * attempt));
      }
    }
  }
}

const cpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

export interface PredictWorkerOptions {
  id: string;
  partitions: number;
  /** How far back a taken partition's assets are rebuilt from the telemetry store. */
  rebuildHours: number;
  heartbeatMs: number;
  /** Bench only: read taken partitions from this stream position instead of after the tail. */
  replayFrom?: number;
  carrier: WorkerCarrier;
  service: PredictService;
  bus: ForwardingBus;
  telemetry: TelemetryStore;
  clock: Clock;
  log: Logger;
}

interface Owned {
  feed: PartitionFeed;
  assets: Set<string>;
}

export class PredictWorker {
  private readonly owned = new Map<number, Owned>();
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private stopping = false;
  private firstRound = true;
  readings = 0;
  /** Readings read back from the telemetry store, and the time the takes took (rebuild included). */
  rebuilt = 0;
  takeMs = 0;
  /** When the first batch began and the latest ended (performance.now), with the process's CPU seconds then. */
  span: { firstAt: number; firstCpu: number; lastAt: number; lastCpu: number } | undefined;

  constructor(private readonly o: PredictWorkerOptions) {}

  /** `gate`: joins the group (heartbeats) and waits for it before taking partitions (the bench starts several at once). */
  async start(gate?: Promise<void>): Promise<void> {
    const { carrier, bus } = this.o;
    await carrier.onControl((e) => bus.deliver(e.event, e.payload as never));
    await this.o.service.start({ readings: false });
    if (gate) {
      const beat = () => void carrier.heartbeat(this.o.id, this.report()).catch(() => undefined);
      beat();
      const timer = setInterval(beat, this.o.heartbeatMs);
      await gate.finally(() => clearInterval(timer));
    }
    await this.tick();
    this.timer = setInterval(() => void this.tick(), this.o.heartbeatMs);
  }

  /** The partitions this worker consumes now. */
  partitions(): number[] {
    return [...this.owned.keys()].sort((a, b) => a - b);
  }

  report() {
    return {
      at: Date.now(),
      partitions: this.partitions(),
      readings: this.readings,
      evaluations: this.o.service.evaluations,
      predictions: this.o.service.predictions + this.o.service.shadowPredictions,
      rebuilt: this.rebuilt,
      cpuSeconds: cpuSeconds(),
    };
  }

  /** One round: heartbeat, then take, keep or release each partition by the assignment of the live members. */
  tick(): Promise<void> {
    this.ticking ??= this.round()
      .catch((err: unknown) => this.o.log.warn({ err }, 'predict worker round failed'))
      .finally(() => (this.ticking = undefined));
    return this.ticking;
  }

  private async round(): Promise<void> {
    if (this.stopping) return;
    const { carrier, id: me } = this.o;
    await carrier.heartbeat(me, this.report());
    const members = await carrier.members();
    if (!members.includes(me)) members.push(me);
    const live = new Set(members);
    const owners = assignPartitions(members, this.o.partitions);
    let reloaded = false;
    for (let p = 0; p < this.o.partitions; p++) {
      if (this.stopping) return;
      const owner = owners.get(p);
      const held = this.owned.has(p);
      // leases are read only where this worker has business (and all of them once, for leftovers of a restart)
      if (owner !== me && !held && !this.firstRound) continue;
      const lease = held ? { holder: me, revision: -1 } : await carrier.lease(p);
      const step = leaseStep({ me, owner, holder: lease.holder, held, live });
      if (step === 'release') await this.release(p);
      else if (step === 'take' && (await carrier.takeLease(p, me, lease.revision))) {
        // the assets and model versions as they are now, once per round that takes partitions
        if (!reloaded) await this.o.service.reload();
        reloaded = true;
        await this.take(p);
      }
    }
    this.firstRound = false;
  }

  private async take(p: number): Promise<void> {
    const { carrier, service, telemetry, clock, log } = this.o;
    const t0 = Date.now();
    // every reading published up to here is in the store: rebuild from the store, then read the stream after it
    const position = await carrier.position();
    const now = clock.now();
    const from = new Date(now.getTime() - this.o.rebuildHours * 3_600_000);
    const assets = service
      .watched()
      .filter((a) => partitionOf(a.tenantId, a.assetId, this.o.partitions) === p);
    const rebuiltUntil = new Map<string, number>();
    let points = 0;
    const toRebuild = this.o.rebuildHours > 0 ? assets : [];
    // a few assets' series read at once (the store's round trips overlap), learned one asset after another
    for (let i = 0; i < toRebuild.length; i += REBUILD_AT_ONCE) {
      const read = await Promise.all(
        toRebuild.slice(i, i + REBUILD_AT_ONCE).map(async (a) => {
          const series: Record<string, { ts: Date; value: number }[]> = {};
          await Promise.all(
            a.metrics.map(async (metric) => {
              series[metric] = await telemetry.range({ assetId: a.assetId, metric, from, to: now });
            }),
          );
          return { a, readings: readingsOf(series) };
        }),
      );
      for (const { a, readings } of read) {
        for (const r of readings)
          service.learn({ assetId: a.assetId, tenantId: a.tenantId, ts: new Date(r.at), metrics: r.metrics });
        points += readings.length;
        if (readings.length > 0) rebuiltUntil.set(a.assetId, readings.at(-1)!.at);
      }
    }
    this.rebuilt += points;
    const feed = await carrier.consume(p, this.o.replayFrom ?? position + 1, async (batch) => {
      this.span ??= { firstAt: performance.now(), firstCpu: cpuSeconds(), lastAt: 0, lastCpu: 0 };
      for (const item of batch) {
        // equipment events: the ALARM kind reads an asset's recent codes itself when its track starts
        if ('code' in item) await service.event(item);
        else if (afterRebuild(rebuiltUntil, item.assetId, item.ts.getTime())) {
          this.readings++;
          await service.reading(item);
        }
      }
      this.span.lastAt = performance.now();
      this.span.lastCpu = cpuSeconds();
    });
    this.owned.set(p, { feed, assets: new Set(assets.map((a) => a.assetId)) });
    this.takeMs += Date.now() - t0;
    log.info(
      {
        partition: p,
        assets: assets.length,
        rebuiltReadings: points,
        from: position + 1,
        ms: Date.now() - t0,
      },
      'partition taken: state rebuilt from the telemetry store',
    );
  }

  private async release(p: number): Promise<void> {
    const owned = this.owned.get(p);
    if (owned) {
      await owned.feed.stop();
      await this.o.bus.flush();
      this.o.service.forget(owned.assets);
      this.owned.delete(p);
    }
    await this.o.carrier.releaseLease(p, this.o.id);
    this.o.log.info({ partition: p }, 'partition released');
  }

  /** A clean stop: stop consuming, send what was raised, free the leases and leave the group. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    await this.ticking;
    for (const p of [...this.owned.keys()]) await this.release(p);
    await this.o.bus.flush();
    await this.o.carrier.leave(this.o.id).catch(() => undefined);
  }
}
