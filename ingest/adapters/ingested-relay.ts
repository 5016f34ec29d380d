// Carries `reading.ingested`, `asset.connectivity` and `event.ingested` (equipment error codes) between processes
// over the broker, for ingest workers that run apart from the platform (`npm run ingest`; docs/scale-out.md).
// At-least-once: a worker announces each stored batch at QoS 1 and its journal advances only on the broker's
// PUBACK; the platform subscribes with a persistent session (fixed client id, QoS 1) and drops repeats — readings
// by (asset, ts), codes by (asset, code, ts) — before its bus.
import mqtt, { type MqttClient } from 'mqtt';
import { INGESTED_TOPIC, LIMITS, type IngestedAnnouncement } from '../../common/contracts/mqtt.ts';
import type { PlatformBus } from '../../common/events.ts';
import type { Logger } from '../../common/logger.ts';
import { mqttLog } from '../../common/mqtt-log.ts';
import { mqttMetrics, onScrape } from '../../common/metrics.ts';
import type { EventRecord, ReadingRecord, StatusRecord } from '../core/journal-drainer.ts';
import { RecentCodes } from '../core/recent-codes.ts';
import { RecentReadings } from '../core/recent-readings.ts';

export interface RelayConnection {
  url: string;
  username?: string;
  password?: string;
  clientId: string;
}

const open = (c: RelayConnection, clean: boolean) =>
  mqtt.connect(c.url, {
    clientId: c.clientId,
    clean,
    username: c.username || undefined,
    password: c.password || undefined,
    reconnectPeriod: 1_000,
    ...mqttLog,
  });

/** Resolves on the first CONNACK; on an error first, ends the client and rejects (as `mqtt.connectAsync`). */
const connected = (client: MqttClient) =>
  new Promise<void>((resolve, reject) => {
    const onConnect = () => {
      client.off('error', onError);
      resolve();
    };
    const onError = (err: Error) => {
      client.off('connect', onConnect);
      client.end(true);
      reject(err);
    };
    client.once('connect', onConnect);
    client.once('error', onError);
  });

/** What went on the bus recently: readings by (asset, ts), error codes by (asset, code, ts), both bounded per asset. */
export class SeenIngested {
  constructor(
    readonly readings = new RecentReadings(),
    readonly events = new RecentCodes(),
  ) {}
}

/**
 * Puts stored readings, connectivity changes and error codes on a bus, each reading and code once: repeats are
 * dropped (`seen` remembers a bounded window of reading times and of (code, ts) pairs per asset). Both paths use it: in-process
 * ingest and the relay.
 */
export function emitIngested(bus: PlatformBus, seen: SeenIngested, a: IngestedAnnouncement): void {
  // codes first: a step decided on a reading counts the codes stored with it (the ALARM kind's windows)
  for (const e of a.events ?? []) {
    if (seen.events.check(e.assetId, e.code, e.ts) === 'repeat') continue;
    bus.emit('event.ingested', {
      assetId: e.assetId,
      tenantId: e.tenantId,
      ts: new Date(e.ts),
      code: e.code,
      severity: e.severity,
    });
  }
  for (const r of a.readings ?? []) {
    if (seen.readings.check(r.assetId, r.ts) === 'repeat') continue;
    bus.emit('reading.ingested', {
      assetId: r.assetId,
      tenantId: r.tenantId,
      ts: new Date(r.ts),
      metrics: r.metrics,
    });
  }
  for (const s of a.statuses ?? [])
    bus.emit('asset.connectivity', {
      assetId: s.assetId,
      tenantId: s.tenantId,
      online: s.online,
      at: new Date(s.at),
    });
}

/**
 * Bytes of statuses, codes and readings per announcement message: a drained batch (up to 5,000 records) goes out in
 * several, each well under the brokers' packet limit (MAX_PACKET_BYTES). A message holds at least one record, and
 * a single one came in a device payload of at most LIMITS.maxPayloadBytes, so none goes over the limit.
 */
const ANNOUNCEMENT_BYTES = LIMITS.maxPayloadBytes;

/**
 * A stored batch as announcement payloads (IngestedAnnouncement JSON), in order: statuses, error codes, then
 * readings (a step decided on a reading counts the codes stored with it), each message within the budget. The
 * statuses are split like the rest: a batch may hold thousands (every device reconnecting after a broker restart),
 * and all of them in the first message went over the broker's packet limit, which refused it every time.
 */
export function announcementPayloads(
  readings: readonly ReadingRecord[],
  statuses: readonly StatusRecord[],
  events: readonly EventRecord[] = [],
  budget = ANNOUNCEMENT_BYTES,
): string[] {
  const payloads: string[] = [];
  let parts: string[] = [];
  let codes: string[] = [];
  let states: string[] = [];
  // the message's frame around its lists
  const frame = '{"events":[],"readings":[],"statuses":[]}'.length;
  let size = frame;
  const count = () => parts.length + codes.length + states.length;
  const flush = () => {
    payloads.push(
      `{"events":[${codes.join(',')}],"readings":[${parts.join(',')}],"statuses":[${states.join(',')}]}`,
    );
    parts = [];
    codes = [];
    states = [];
    size = frame;
  };
  const add = (into: () => string[], json: string) => {
    if (count() > 0 && size + json.length + 1 > budget) flush();
    into().push(json);
    size += json.length + 1;
  };
  for (const { assetId, tenantId, online, at } of statuses)
    add(() => states, JSON.stringify({ assetId, tenantId, online, at }));
  for (const e of events)
    add(
      () => codes,
      JSON.stringify({
        assetId: e.assetId,
        tenantId: e.tenantId,
        ts: e.ts,
        code: e.code,
        severity: e.severity,
      }),
    );
  for (const r of readings)
    add(
      () => parts,
      JSON.stringify({ assetId: r.assetId, tenantId: r.tenantId, ts: r.ts, metrics: r.metrics }),
    );
  if (count() > 0 || payloads.length === 0) flush();
  return payloads;
}

/**
 * Worker side: announces each stored batch and resolves once the broker has acknowledged it (PUBACK), so the
 * journal is checkpointed only then. MQTT.js keeps an unacknowledged publish and sends it again after a
 * reconnect; a retry of the same batch waits for that publish instead of sending another copy.
 */
export class MqttAnnouncer {
  private readonly inflight = new WeakMap<object, Promise<void>>();

  private constructor(
    private readonly client: MqttClient,
    private readonly log: Logger,
    private readonly ackTimeoutMs: number,
  ) {}

  static async connect(c: RelayConnection, log: Logger, ackTimeoutMs = 5_000): Promise<MqttAnnouncer> {
    const client = open(c, true);
    await connected(client);
    client.on('error', (err) => log.warn({ err: err.message }, 'announcement client error'));
    return new MqttAnnouncer(client, log, ackTimeoutMs);
  }

  async announce(
    readings: ReadingRecord[],
    statuses: StatusRecord[],
    events: EventRecord[] = [],
  ): Promise<void> {
    let sent = this.inflight.get(readings);
    if (!sent) {
      sent = this.publish(readings, statuses, events);
      this.inflight.set(readings, sent);
      // a publish that failed is sent again on the next try
      sent.catch(() => this.inflight.delete(readings));
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`announcement not acknowledged by the broker within ${this.ackTimeoutMs} ms`)),
        this.ackTimeoutMs,
      );
    });
    try {
      await Promise.race([sent, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async publish(
    readings: ReadingRecord[],
    statuses: StatusRecord[],
    events: EventRecord[],
  ): Promise<void> {
    await Promise.all(
      announcementPayloads(readings, statuses, events).map((m) =>
        this.client.publishAsync(INGESTED_TOPIC, m, { qos: 1 }),
      ),
    );
  }

  /** After the drainer stopped. Unacknowledged announcements stay in the journal for the next start. */
  async close(): Promise<void> {
    if (!this.client.connected)
      this.log.warn('closing the announcement client while the broker is unreachable');
    await this.client.endAsync(!this.client.connected);
  }
}

/**
 * Platform side: puts what the workers stored on this process's bus, each reading once. The subscription is a
 * persistent session (fixed client id, clean session off, QoS 1): what is announced while the platform is down
 * or reconnecting waits at the broker.
 */
export async function receiveIngested(
  bus: PlatformBus,
  c: RelayConnection,
  log: Logger,
  seen: SeenIngested = new SeenIngested(),
): Promise<() => Promise<void>> {
  const client = open(c, false);
  // the handler is in place before the session's queued announcements arrive
  client.on('message', (_topic, payload) => {
    let a: IngestedAnnouncement;
    try {
      a = JSON.parse(payload.toString()) as IngestedAnnouncement;
    } catch (err) {
      log.warn({ err }, 'unreadable announcement from an ingest worker');
      return;
    }
    const repeats = seen.readings.counts.repeat + seen.events.counts.repeat;
    emitIngested(bus, seen, a);
    const dropped = seen.readings.counts.repeat + seen.events.counts.repeat - repeats;
    if (dropped > 0) log.debug({ repeats: dropped }, 'dropped readings or codes announced more than once');
  });
  await connected(client);
  client.on('error', (err) => log.warn({ err: err.message }, 'relay client error'));
  await client.subscribeAsync(INGESTED_TOPIC, { qos: 1 });
  const off = onScrape(() => mqttMetrics.connected.set({ client: 'relay' }, client.connected ? 1 : 0));
  return () => {
    off();
    return client.endAsync();
  };
}
