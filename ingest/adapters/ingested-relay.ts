// Carries `reading.ingested` and `asset.connectivity` between processes over the broker, for ingest workers
// that run apart from the platform (`npm run ingest`; docs/scale-out.md). QoS 1, batched every 50 ms.
import mqtt, { type MqttClient } from 'mqtt';
import { INGESTED_TOPIC, type IngestedAnnouncement } from '../../common/contracts/mqtt.ts';
import type { PlatformBus } from '../../common/events.ts';
import type { Logger } from '../../common/logger.ts';

export interface RelayConnection {
  url: string;
  username?: string;
  password?: string;
  clientId: string;
}

const connect = (c: RelayConnection, clean: boolean) =>
  mqtt.connectAsync(c.url, {
    clientId: c.clientId,
    clean,
    username: c.username || undefined,
    password: c.password || undefined,
    reconnectPeriod: 1_000,
  });

/** Worker side: announces what this worker stored. */
export async function announceIngested(
  bus: PlatformBus,
  c: RelayConnection,
  log: Logger,
): Promise<() => Promise<void>> {
  const client: MqttClient = await connect(c, true);
  let batch: IngestedAnnouncement = { readings: [], statuses: [] };
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    timer = undefined;
    const out = batch;
    batch = { readings: [], statuses: [] };
    if (out.readings.length + out.statuses.length === 0) return Promise.resolve();
    return client.publishAsync(INGESTED_TOPIC, JSON.stringify(out), { qos: 1 }).then(
      () => undefined,
      (err: unknown) => log.warn({ err }, 'could not announce stored readings to the platform'),
    );
  };
  const later = () => (timer ??= setTimeout(() => void flush(), 50));
  const offReading = bus.on('reading.ingested', (r) => {
    batch.readings.push({ assetId: r.assetId, tenantId: r.tenantId, ts: r.ts.getTime(), metrics: r.metrics });
    later();
  });
  const offStatus = bus.on('asset.connectivity', (s) => {
    batch.statuses.push({ assetId: s.assetId, tenantId: s.tenantId, online: s.online, at: s.at.getTime() });
    later();
  });
  return async () => {
    offReading();
    offStatus();
    clearTimeout(timer);
    await flush();
    await client.endAsync();
  };
}

/** Platform side: puts what the workers stored on this process's bus. */
export async function receiveIngested(
  bus: PlatformBus,
  c: RelayConnection,
  log: Logger,
): Promise<() => Promise<void>> {
  const client = await connect(c, false);
  client.on('message', (_topic, payload) => {
    let a: IngestedAnnouncement;
    try {
      a = JSON.parse(payload.toString()) as IngestedAnnouncement;
    } catch (err) {
      log.warn({ err }, 'unreadable announcement from an ingest worker');
      return;
    }
    for (const r of a.readings ?? []) bus.emit('reading.ingested', { ...r, ts: new Date(r.ts) });
    for (const s of a.statuses ?? []) bus.emit('asset.connectivity', { ...s, at: new Date(s.at) });
  });
  await client.subscribeAsync(INGESTED_TOPIC, { qos: 1 });
  return () => client.endAsync();
}
