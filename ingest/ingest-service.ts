// The ingest pipeline: MQTT (QoS 1, persistent session) → validate → batch → TelemetryStore → `reading.ingested`.
import mqtt, { type MqttClient } from 'mqtt';
import type { PlatformBus } from '../common/events.ts';
import type { Clock } from '../common/clock.ts';
import type { ComponentHealth } from '../common/health.ts';
import type { Logger } from '../common/logger.ts';
import type { TelemetryPoint, TelemetryStore } from '../common/telemetry-store.ts';
import { topics, type RejectReason } from '../common/contracts/mqtt.ts';
import { parseMessage, type ParsedReading, type AssetInfo } from './core/parse-message.ts';
import { WriteBatcher } from './core/write-batcher.ts';
import type { AssetDirectory } from './adapters/asset-directory.ts';
import type { RejectStore } from './adapters/reject-store.ts';
import type { ConnectivityStore } from './adapters/connectivity-store.ts';

export interface IngestOptions {
  mqttUrl: string;
  username?: string;
  password?: string;
  clientId: string;
  /** MQTT 5 shared-subscription group (`$share/<group>/...`), for several workers on Mosquitto or EMQX. */
  shareGroup?: string;
  store: TelemetryStore;
  directory: AssetDirectory;
  rejects: RejectStore;
  connectivity: ConnectivityStore;
  bus: PlatformBus;
  clock: Clock;
  log: Logger;
}

interface Stored {
  asset: AssetInfo;
  reading: ParsedReading;
}

export class IngestService {
  private client: MqttClient | undefined;
  private readonly batcher: WriteBatcher;
  private readonly rejectCounts: Partial<Record<RejectReason, number>> = {};
  private accepted = 0;
  private storedReadings = 0;
  private storeFailing = false;

  constructor(private readonly o: IngestOptions) {
    this.batcher = new WriteBatcher({
      write: async (points) => {
        await o.store.write(points);
        if (this.storeFailing) o.log.info('telemetry store reachable again');
        this.storeFailing = false;
      },
      onStored: (items) => {
        for (const { asset, reading } of items as Stored[]) {
          this.storedReadings++;
          o.bus.emit('reading.ingested', { assetId: asset.assetId, tenantId: asset.tenantId, ts: reading.ts, metrics: reading.metrics });
        }
      },
      onRetry: (err, attempt, delayMs) => {
        this.storeFailing = true;
        const log = attempt === 5 ? o.log.error.bind(o.log) : o.log.warn.bind(o.log);
        log({ err, attempt, delayMs, pending: this.batcher.pending }, 'telemetry store write failed; retrying');
      },
    });
  }

  async start(): Promise<void> {
    const o = this.o;
    const client = mqtt.connect(o.mqttUrl, {
      clientId: o.clientId,
      clean: false,
      username: o.username || undefined,
      password: o.password || undefined,
      reconnectPeriod: 1_000,
      connectTimeout: 10_000,
      protocolVersion: o.shareGroup ? 5 : 4,
      ...(o.shareGroup ? { properties: { sessionExpiryInterval: 7 * 24 * 3600 } } : {}),
    });
    this.client = client;
    client.on('message', (topic, payload) => void this.handle(topic, payload));
    client.on('error', (err) => o.log.warn({ err: err.message }, 'mqtt client error'));
    client.on('offline', () => o.log.warn('mqtt broker unreachable; reconnecting'));
    client.on('connect', (ack) => {
      o.log.info({ sessionPresent: ack.sessionPresent }, 'ingest connected to MQTT broker');
      const prefix = o.shareGroup ? `$share/${o.shareGroup}/` : '';
      client.subscribe([prefix + topics.allTelemetry, prefix + topics.allStatus], { qos: 1 }, (err) => {
        if (err) o.log.error({ err }, 'ingest could not subscribe');
      });
    });
    await new Promise<void>((resolve, reject) => {
      client.once('connect', () => resolve());
      client.once('error', reject);
    });
  }

  private async handle(topic: string, payload: Buffer): Promise<void> {
    const o = this.o;
    const outcome = parseMessage(topic, payload, o.clock.now(), (id) => o.directory.get(id));
    if (!outcome.ok) {
      this.rejectCounts[outcome.reason] = (this.rejectCounts[outcome.reason] ?? 0) + 1;
      o.log.debug({ topic, reason: outcome.reason }, 'message rejected');
      await o.rejects.add({ topic, reason: outcome.reason, detail: outcome.detail, raw: payload }).catch((err: unknown) => {
        o.log.warn({ err, topic }, 'could not store a dead letter');
      });
      return;
    }
    if (outcome.kind === 'status') {
      await o.connectivity.record(outcome.asset.assetId, outcome.online, outcome.at).catch((err: unknown) => {
        o.log.warn({ err }, 'could not record connectivity');
      });
      o.bus.emit('asset.connectivity', { assetId: outcome.asset.assetId, tenantId: outcome.asset.tenantId, online: outcome.online, at: outcome.at });
      return;
    }
    for (const reading of outcome.readings) {
      this.accepted++;
      const points: TelemetryPoint[] = Object.entries(reading.metrics).map(([metric, value]) => ({
        assetId: outcome.asset.assetId,
        metric,
        ts: reading.ts,
        value,
      }));
      this.batcher.add(points, { asset: outcome.asset, reading } satisfies Stored);
    }
  }

  health(): ComponentHealth {
    const connected = this.client?.connected ?? false;
    return {
      status: !connected ? 'down' : this.storeFailing ? 'degraded' : 'up',
      detail: {
        broker: connected ? 'connected' : 'disconnected',
        store: this.storeFailing ? 'failing' : 'ok',
        accepted: this.accepted,
        stored: this.storedReadings,
        pending: this.batcher.pending,
        rejected: { ...this.rejectCounts },
      },
    };
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => (this.client ? this.client.end(false, {}, () => r()) : r()));
    await this.batcher.close();
  }
}
