// The ingest pipeline: MQTT (QoS 1, persistent session) → validate → journal on disk → acknowledge →
// drain in batches to the stores → `reading.ingested` (in this process, or announced to the platform by a
// worker). The broker's acknowledgement is held back while the journal is full (back-pressure), so nothing the
// broker handed over is ever dropped.
import mqtt, { type IPublishPacket, type MqttClient } from 'mqtt';
import type { PlatformBus } from '../common/events.ts';
import type { Clock } from '../common/clock.ts';
import type { ComponentHealth } from '../common/health.ts';
import type { Logger } from '../common/logger.ts';
import { mqttLog } from '../common/mqtt-log.ts';
import { ingestMetrics, mqttMetrics, onScrape, useMetrics } from '../common/metrics.ts';
import type { TelemetryStore } from '../common/telemetry-store.ts';
import { parseTopic, topics, type RejectReason } from '../common/contracts/mqtt.ts';
import { parseMessage, type ParseOutcome } from './core/parse-message.ts';
import type { Journal, JournalRecord } from './core/journal.ts';
import {
  JournalDrainer,
  type EventRecord,
  type ReadingRecord,
  type StatusRecord,
} from './core/journal-drainer.ts';
import { journalRecordsFor } from './core/journal-records.ts';
import { DeadLetterCap, summaryRecord, type CapSummary } from './core/dead-letter-cap.ts';
import { emitIngested, SeenIngested } from './adapters/ingested-relay.ts';
import type { AssetDirectory } from './adapters/asset-directory.ts';
import type { RejectStore } from './adapters/reject-store.ts';
import type { EventStore } from './adapters/event-store.ts';
import type { ConnectivityStore } from './adapters/connectivity-store.ts';

/**
 * Announces what a worker stored to the platform (adapters/ingested-relay.ts: MqttAnnouncer). Resolves once the
 * announcement is acknowledged; the journal is checkpointed only then, so a crash before replays and re-announces.
 */
export interface IngestedAnnouncer {
  announce(readings: ReadingRecord[], statuses: StatusRecord[], events: EventRecord[]): Promise<void>;
}

export interface IngestOptions {
  mqttUrl: string;
  username?: string;
  password?: string;
  clientId: string;
  /** MQTT 5 shared-subscription group (`$share/<group>/...`), for several workers on Mosquitto or EMQX. */
  shareGroup?: string;
  store: TelemetryStore;
  journal: Journal;
  /** Above this many bytes waiting in the journal, acknowledgements to the broker are held back. */
  journalMaxBytes: number;
  directory: AssetDirectory;
  rejects: RejectStore;
  /** Equipment error codes (`t/{tenant}/a/{asset}/events`). */
  events: EventStore;
  connectivity: ConnectivityStore;
  bus: PlatformBus;
  /** A worker's announcer; without one, stored readings go on `bus` (each (asset, ts) once). */
  announcer?: IngestedAnnouncer;
  clock: Clock;
  log: Logger;
  /** Records per store write. */
  maxBatch?: number;
  /** Longest a store write of a drained batch may take before it counts as failed and is retried (STORE_TIMEOUT_MS). */
  storeTimeoutMs?: number;
  /** Health is degraded when the journal holds records and nothing was stored for this long (INGEST_STALL_SECONDS). */
  stallMs?: number;
  /**
   * Refused messages of one device stored in full per minute (DEAD_LETTERS_PER_DEVICE_PER_MINUTE); the rest are
   * counted into one summary dead letter per device and minute. 0 or absent: no cap.
   */
  deadLettersPerDevicePerMinute?: number;
  /** How often the summaries of minutes that are over are written (default 2 s). */
  capTickMs?: number;
}

class StoreTimeoutError extends Error {
  readonly code = 'INGEST_STORE_TIMEOUT';
}

/**
 * Runs one store write of a drained batch, failing it after `timeoutMs` (the write may still land later: store
 * writes are idempotent, and the drainer retries the batch), and records its duration and outcome.
 */
async function guarded(target: string, timeoutMs: number, write: () => Promise<void>): Promise<void> {
  const end = ingestMetrics.writeSeconds.startTimer({ target });
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      write(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new StoreTimeoutError(`${target} write did not finish within ${timeoutMs} ms`)),
          timeoutMs,
        );
      }),
    ]);
    end({ outcome: 'ok' });
  } catch (err) {
    const kind = err instanceof StoreTimeoutError ? 'timeout' : 'error';
    end({ outcome: kind });
    ingestMetrics.writeFailures.inc({ target, kind });
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

export class IngestService {
  private client: MqttClient | undefined;
  private readonly drainer: JournalDrainer;
  private readonly rejectCounts: Partial<Record<RejectReason, number>> = {};
  private accepted = 0;
  /** Readings accepted since the counter metric was last updated (it is updated once per journal write). */
  private acceptedUncounted = 0;
  private acceptedEvents = 0;
  private backPressureSince: number | undefined;
  private journalBroken = false;
  private stopped = false;
  /** Records of messages taken but not yet in the journal (their PUBACKs wait in the corked socket). */
  private pending: JournalRecord[] = [];
  /** About how much `pending` adds to the journal, so a burst cannot overshoot its limit. */
  private pendingBytes = 0;
  private flushTimer: NodeJS.Immediate | NodeJS.Timeout | undefined;
  private corked: MqttClient['stream'] | undefined;
  private flushWaiters: (() => void)[] = [];
  private offScrape: (() => void) | undefined;
  private readonly cap: DeadLetterCap;
  private capTimer: NodeJS.Timeout | undefined;
  /** Refused messages counted, not stored in full (beyond the per-device cap). */
  private notStored = 0;

  constructor(private readonly o: IngestOptions) {
    useMetrics('ingest');
    this.cap = new DeadLetterCap(o.deadLettersPerDevicePerMinute ?? 0);
    const seen = new SeenIngested();
    const announcer = o.announcer;
    const timeoutMs = o.storeTimeoutMs ?? 15_000;
    this.drainer = new JournalDrainer({
      journal: o.journal,
      maxBatch: o.maxBatch,
      targets: {
        points: (points) => {
          ingestMetrics.batchPoints.observe(points.length);
          return guarded('points', timeoutMs, () => o.store.write(points));
        },
        rejects: (records) => guarded('rejects', timeoutMs, () => o.rejects.addMany(records)),
        statuses: (records) =>
          guarded('statuses', timeoutMs, async () => {
            for (const s of records)
              await o.connectivity.record(s.assetId, s.online, new Date(s.at), {
                condition: s.condition,
                receivedAt: s.receivedAt === undefined ? undefined : new Date(s.receivedAt),
              });
          }),
        events: (records) => guarded('events', timeoutMs, () => o.events.addMany(records)),
        ...(announcer ? { announce: (r, s, e) => announcer.announce(r, s, e) } : {}),
      },
      onStored: (readings, statuses, events) => {
        ingestMetrics.stored.inc(readings.length);
        if (!announcer) emitIngested(o.bus, seen, { readings, statuses, events });
      },
      onRetry: (err, attempt, delayMs, stage) => {
        // the first failures are transient; a store down for a while (~30 s) needs a person
        const level = attempt === 8 ? 'error' : 'warn';
        o.log[level](
          { err, attempt, delayMs, backlog: o.journal.backlogRecords },
          stage === 'announce'
            ? 'announcement to the platform not acknowledged; readings wait in the journal'
            : 'store write failed; readings wait in the journal',
        );
      },
      onRecovered: (attempts) =>
        o.log.info(
          { attempts, backlog: o.journal.backlogRecords },
          'stores reachable again; draining the journal',
        ),
    });
  }

  async start(): Promise<void> {
    const o = this.o;
    if (o.journal.backlogRecords > 0)
      o.log.info({ records: o.journal.backlogRecords }, 'replaying journal records not yet stored');
    this.drainer.start();
    this.offScrape ??= onScrape(() => this.observe());
    if (this.cap.perMinute > 0 && !this.capTimer) {
      this.capTimer = setInterval(
        () => this.writeSummaries(this.cap.due(o.clock.now().getTime())),
        o.capTickMs ?? 2_000,
      );
      this.capTimer.unref();
    }
    const client = mqtt.connect(o.mqttUrl, {
      clientId: o.clientId,
      clean: false,
      username: o.username || undefined,
      password: o.password || undefined,
      reconnectPeriod: 1_000,
      connectTimeout: 10_000,
      protocolVersion: o.shareGroup ? 5 : 4,
      ...(o.shareGroup ? { properties: { sessionExpiryInterval: 7 * 24 * 3600 } } : {}),
      ...mqttLog,
    });
    this.client = client;
    // MQTT.js sends the PUBACK when this callback is called, and reads the next packet only then.
    // Most messages are taken without waiting (no promise per message): `take` returns one only when this
    // message must wait (an unknown asset being looked up, a full or broken journal).
    client.handleMessage = (packet, done) => {
      let wait: Promise<void> | undefined;
      try {
        wait = this.take(packet);
      } catch (err) {
        done(err as Error);
        return;
      }
      if (!wait) done();
      else
        wait.then(
          () => done(),
          (err: unknown) => done(err as Error),
        );
    };
    client.on('error', (err) => o.log.warn({ err: err.message }, 'mqtt client error'));
    client.on('offline', () => o.log.warn('mqtt broker unreachable; reconnecting'));
    client.on('connect', (ack) => {
      o.log.info({ sessionPresent: ack.sessionPresent }, 'ingest connected to MQTT broker');
      const prefix = o.shareGroup ? `$share/${o.shareGroup}/` : '';
      client.subscribe(
        [prefix + topics.allTelemetry, prefix + topics.allStatus, prefix + topics.allEvents],
        { qos: 1 },
        (err) => {
          if (err) o.log.error({ err }, 'ingest could not subscribe');
        },
      );
    });
    await new Promise<void>((resolve, reject) => {
      client.once('connect', () => resolve());
      client.once('error', reject);
    });
  }

  /**
   * Takes one message; returns a promise only when MQTT.js must wait before it queues the acknowledgement
   * (otherwise it may queue it at once). Records wait in `pending` and the client's socket is corked until
   * `flush` has written them to the journal in one write, so no PUBACK leaves the process before its record is
   * on disk, and a burst of messages costs one journal write and one socket write instead of one of each per
   * message.
   */
  private take(packet: IPublishPacket): Promise<void> | undefined {
    const o = this.o;
    const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
    const outcome = parseMessage(packet.topic, payload, o.clock.now(), (id) => o.directory.get(id));
    if (!outcome.ok && outcome.reason === 'unknown_asset') {
      // perhaps an asset added since the directory was loaded: look it up, then decide
      const target = parseTopic(packet.topic);
      if (target && !o.directory.get(target.asset))
        return o.directory.ensure(target.asset).then(() => this.afterTake(packet, payload));
    }
    return this.accept(packet, payload, outcome);
  }

  private afterTake(packet: IPublishPacket, payload: Buffer): Promise<void> | undefined {
    const o = this.o;
    return this.accept(
      packet,
      payload,
      parseMessage(packet.topic, payload, o.clock.now(), (id) => o.directory.get(id)),
    );
  }

  private accept(packet: IPublishPacket, payload: Buffer, outcome: ParseOutcome): Promise<void> | undefined {
    const o = this.o;
    if (outcome.ok) {
      if (outcome.kind === 'telemetry') {
        this.accepted += outcome.readings.length;
        this.acceptedUncounted += outcome.readings.length;
      } else if (outcome.kind === 'events') this.acceptedEvents += outcome.events.length;
    } else {
      this.rejectCounts[outcome.reason] = (this.rejectCounts[outcome.reason] ?? 0) + 1;
      ingestMetrics.rejected.inc({ reason: outcome.reason });
      const capped = this.cap.admit(
        packet.topic,
        outcome.reason,
        payload.byteLength,
        o.clock.now().getTime(),
      );
      if (capped.summary) this.writeSummaries([capped.summary]);
      if (!capped.store) {
        // beyond the device's cap this minute: counted (its summary dead letter comes when the minute is over)
        this.notStored++;
        ingestMetrics.notStored.inc({ reason: outcome.reason });
        return this.journalBroken ? this.flushed().then(() => this.holdBackIfFull()) : this.holdBackIfFull();
      }
      o.log.debug({ topic: packet.topic, reason: outcome.reason }, 'message rejected');
    }
    const records = journalRecordsFor(outcome, packet.topic, payload, o.clock.now());
    for (const r of records) this.pending.push(r);
    this.pendingBytes += payload.length + 128 * records.length;
    this.scheduleFlush();
    // while the journal cannot be written, take the next message only once this one is on disk
    if (this.journalBroken) return this.flushed().then(() => this.holdBackIfFull());
    return this.holdBackIfFull();
  }

  /** Puts the summary dead letters of devices over their cap into the journal. */
  private writeSummaries(summaries: readonly CapSummary[]): void {
    if (summaries.length === 0) return;
    for (const s of summaries) {
      this.pending.push(summaryRecord(s, this.cap.perMinute));
      this.pendingBytes += 512;
      this.o.log.warn(
        { topic: s.topic, notStored: s.notStored, byReason: s.byReason },
        'a device sent more refused messages than are stored in a minute; the rest were counted',
      );
    }
    this.scheduleFlush();
  }

  private holdBackIfFull(): Promise<void> | undefined {
    const o = this.o;
    return o.journal.backlogBytes + this.pendingBytes >= o.journalMaxBytes ? this.holdBack() : undefined;
  }

  /** The journal is full: the acknowledgement (and the next message) waits until the stores catch up. */
  private async holdBack(): Promise<void> {
    const o = this.o;
    await this.flushed();
    this.backPressureSince = Date.now();
    o.log.warn(
      { backlogBytes: o.journal.backlogBytes },
      'ingest journal full: holding acknowledgements until the stores catch up',
    );
    await this.drainer.waitForSpace(o.journalMaxBytes * 0.9);
    o.log.info({ pausedMs: Date.now() - this.backPressureSince }, 'ingest journal has room again');
    this.backPressureSince = undefined;
  }

  private scheduleFlush(): void {
    if (this.flushTimer) return;
    const stream = this.client?.stream;
    if (stream && !stream.destroyed) {
      stream.cork();
      this.corked = stream;
    }
    this.flushTimer = setImmediate(() => this.flush());
  }

  /** Writes the pending records to the journal, then lets their acknowledgements go. */
  private flush(attempt = 0): void {
    this.flushTimer = undefined;
    const o = this.o;
    if (this.pending.length > 0) {
      try {
        o.journal.appendMany(this.pending);
      } catch (err) {
        // e.g. a full disk: hold the acknowledgements (the broker keeps the messages) and try again
        if (!this.journalBroken)
          o.log.error({ err }, 'cannot write the ingest journal; intake paused until it can');
        this.journalBroken = true;
        this.flushTimer = setTimeout(() => this.flush(attempt + 1), Math.min(5_000, 100 * 2 ** attempt));
        return;
      }
      this.pending = [];
      this.pendingBytes = 0;
      if (this.acceptedUncounted > 0) ingestMetrics.accepted.inc(this.acceptedUncounted);
      this.acceptedUncounted = 0;
      if (this.journalBroken) {
        this.journalBroken = false;
        o.log.info('ingest journal writable again; intake resumed');
      }
      this.drainer.notify();
    }
    const corked = this.corked;
    this.corked = undefined;
    if (corked && !corked.destroyed) corked.uncork();
    const waiters = this.flushWaiters;
    this.flushWaiters = [];
    for (const w of waiters) w();
  }

  /** Resolves once everything pending now is in the journal. */
  private flushed(): Promise<void> {
    if (this.pending.length === 0 && !this.flushTimer) return Promise.resolve();
    return new Promise((resolve) => this.flushWaiters.push(resolve));
  }

  /** How long the journal has held records without a batch being stored (0: none waiting, or progressing). */
  stalledForMs(now = Date.now()): number {
    return this.o.journal.backlogRecords > 0 ? Math.max(0, now - this.drainer.lastProgressAt) : 0;
  }

  /** Sets the scrape-time gauges from what the service keeps. */
  private observe(): void {
    const j = this.o.journal;
    ingestMetrics.backlogRecords.set(j.backlogRecords);
    ingestMetrics.backlogBytes.set(j.backlogBytes);
    ingestMetrics.journalMaxBytes.set(this.o.journalMaxBytes);
    ingestMetrics.backPressure.set(this.backPressureSince !== undefined ? 1 : 0);
    ingestMetrics.lastStored.set(this.drainer.lastProgressAt / 1000);
    mqttMetrics.connected.set({ client: 'ingest' }, this.client?.connected ? 1 : 0);
  }

  health(): ComponentHealth {
    const connected = this.client?.connected ?? false;
    const stalledForMs = this.stalledForMs();
    // a write that hangs raises no error until it times out: a journal that only grows says it too
    const stalled = stalledForMs >= (this.o.stallMs ?? 30_000);
    const degraded =
      this.drainer.failing || stalled || this.backPressureSince !== undefined || this.journalBroken;
    const failing = this.drainer.failingStage;
    return {
      status: !connected ? 'down' : degraded ? 'degraded' : 'up',
      detail: {
        broker: connected ? 'connected' : 'disconnected',
        store: failing && failing !== 'announce' ? 'failing' : stalled ? 'stalled' : 'ok',
        ...(stalledForMs > 0 ? { nothingStoredForMs: stalledForMs } : {}),
        ...(this.o.announcer ? { announce: failing === 'announce' ? 'failing' : 'ok' } : {}),
        accepted: this.accepted,
        acceptedEvents: this.acceptedEvents,
        stored: this.drainer.stored,
        journal: {
          records: this.o.journal.backlogRecords,
          bytes: this.o.journal.backlogBytes,
          maxBytes: this.o.journalMaxBytes,
          backPressure: this.backPressureSince !== undefined,
        },
        rejected: { ...this.rejectCounts },
        ...(this.cap.perMinute > 0
          ? { deadLetters: { perDevicePerMinute: this.cap.perMinute, notStored: this.notStored } }
          : {}),
      },
    };
  }

  /** Stops intake, then drains the journal (what cannot be stored now is replayed at the next start). */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.offScrape?.();
    clearInterval(this.capTimer);
    // the counts of the minute under way go into the journal too
    if (!this.journalBroken) this.writeSummaries(this.cap.drain());
    if (this.journalBroken) {
      // what is not on disk must not be acknowledged: drop the connection, the broker redelivers it
      clearTimeout(this.flushTimer as NodeJS.Timeout);
      this.corked?.destroy();
      await this.client?.endAsync(true);
    } else {
      await this.flushed();
      await this.client?.endAsync();
    }
    await this.drainer.stop();
    const left = this.o.journal.backlogRecords;
    if (left > 0)
      this.o.log.warn(
        { records: left },
        'stopped with records still in the journal; they are stored at the next start',
      );
    this.o.journal.close();
  }
}
