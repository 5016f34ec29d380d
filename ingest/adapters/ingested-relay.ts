// Carries `reading.ingested` and `asset.connectivity` between processes over the broker, for ingest workers
// that run apart from the platform (`npm run ingest`; docs/scale-out.md). At-least-once: a worker announces each
// stored batch at QoS 1 and its journal advances only on the broker's PUBACK; the platform subscribes with a
// persistent session (fixed client id, QoS 1) and drops repeats by (asset, ts) before its bus.
import mqtt, { type MqttClient } from 'mqtt';
import { INGESTED_TOPIC, LIMITS, type IngestedAnnouncement } from '../../common/contracts/mqtt.ts';
import type { PlatformBus } from '../../common/events.ts';
import type { Logger } from '../../common/logger.ts';
import { mqttLog } from '../../common/mqtt-log.ts';
import { mqttMetrics, onScrape } from '../../common/metrics.ts';
import type { ReadingRecord, StatusRecord } from '../core/journal-drainer.ts';
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

/**
 * Puts stored readings and connectivity changes on a bus, each reading once: repeats by (asset, ts) are
 * dropped (`seen` remembers a bounded window per asset). Both paths use it: in-process ingest and the relay.
 */
export function emitIngested(bus: PlatformBus, seen: RecentReadings, a: IngestedAnnouncement): void {
  for (const r of a.readings ?? []) {
    if (seen.check(r.assetId, r.ts) === 'repeat') continue;
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
 * Bytes of readings per announcement message: a drained batch (up to 5,000 readings) goes out in several, each
 * well under the brokers' packet limit (MAX_PACKET_BYTES). A message holds at least one reading, and a single
 * reading came in a device payload of at most LIMITS.maxPayloadBytes, so none goes over the limit.
 */
const ANNOUNCEMENT_BYTES = LIMITS.maxPayloadBytes;

/** A stored batch as announcement payloads (IngestedAnnouncement JSON); the statuses go with the first. */
export function announcementPayloads(
  readings: readonly ReadingRecord[],
  statuses: readonly StatusRecord[],
  budget = ANNOUNCEMENT_BYTES,
): string[] {
  const payloads: string[] = [];
  let statusJson = JSON.stringify(
    statuses.map(({ assetId, tenantId, online, at }) => ({ assetId, tenantId, online, at })),
  );
  let parts: string[] = [];
  let size = statusJson.length;
  const flush = () => {
    payloads.push(`{"readings":[${parts.join(',')}],"statuses":${statusJson}}`);
    statusJson = '[]';
    parts = [];
    size = 2;
  };
  for (const r of readings) {
    const json = JSON.stringify({ assetId: r.assetId, tenantId: r.tenantId, ts: r.ts, metrics: r.metrics });
    if (parts.length > 0 && size + json.length + 1 > budget) flush();
    parts.push(json);
    size += json.length + 1;
  }
  if (parts.length > 0 || payloads.length === 0) flush();
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

  async announce(readings: ReadingRecord[], statuses: StatusRecord[]): Promise<void> {
    let sent = this.inflight.get(readings);
    if (!sent) {
      sent = this.publish(readings, statuses);
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

  private async publish(readings: ReadingRecord[], statuses: StatusRecord[]): Promise<void> {
    await Promise.all(
      announcementPayloads(readings, statuses).map((m) =>
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
  seen: RecentReadings = new RecentReadings(),
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
    const repeats = seen.counts.repeat;
    emitIngested(bus, seen, a);
    if (seen.counts.repeat > repeats)
      log.debug({ repeats: seen.counts.repeat - repeats }, 'dropped readings announced more than once');
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
