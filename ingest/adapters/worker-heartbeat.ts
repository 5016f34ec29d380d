// Ingest workers tell the platform they are alive (docs/scale-out.md): every few seconds a heartbeat with their
// health and journal backlog on the platform-only topic WORKER_HEARTBEAT_TOPIC (QoS 0, fresh or nothing), and a
// last will that says `gone` when the connection drops without a goodbye. The platform keeps a roster
// (core/worker-roster.ts) and reports it as the health component `ingestWorkers`.
import mqtt, { type MqttClient } from 'mqtt';
import { WORKER_HEARTBEAT_TOPIC, type WorkerHeartbeat } from '../../common/contracts/mqtt.ts';
import type { HealthRegistry } from '../../common/health.ts';
import type { Logger } from '../../common/logger.ts';
import { mqttMetrics, onScrape, useMetrics, workerMetrics } from '../../common/metrics.ts';
import { WorkerRoster, parseHeartbeat } from '../core/worker-roster.ts';
import type { RelayConnection } from './ingested-relay.ts';

export const HEARTBEAT_EVERY_MS = 5_000;

type State = Omit<WorkerHeartbeat, 'worker' | 'at' | 'everyMs'>;

const connect = (c: RelayConnection, will?: { payload: string }) =>
  mqtt.connect(c.url, {
    clientId: c.clientId,
    clean: true,
    username: c.username || undefined,
    password: c.password || undefined,
    reconnectPeriod: 1_000,
    ...(will ? { will: { topic: WORKER_HEARTBEAT_TOPIC, payload: Buffer.from(will.payload), qos: 1 } } : {}),
  });

/** Worker side: sends `state()` every `everyMs` (the first at once); `stop` says goodbye (`gone`). */
export function startHeartbeat(
  c: RelayConnection & { worker: string },
  state: () => Promise<State>,
  log: Logger,
  everyMs = HEARTBEAT_EVERY_MS,
): { stop(): Promise<void> } {
  const message = (s: State): string =>
    JSON.stringify({ worker: c.worker, at: Date.now(), everyMs, ...s } satisfies WorkerHeartbeat);
  const client: MqttClient = connect(c, { payload: message({ status: 'gone' }) });
  client.on('error', (err) => log.warn({ err: err.message }, 'heartbeat client error'));
  const beat = async () => {
    if (!client.connected) return;
    try {
      client.publish(WORKER_HEARTBEAT_TOPIC, message(await state()), { qos: 0 });
    } catch (err) {
      log.warn({ err }, 'heartbeat not sent');
    }
  };
  client.on('connect', () => void beat());
  const timer = setInterval(() => void beat(), everyMs);
  timer.unref();
  const off = onScrape(() => mqttMetrics.connected.set({ client: 'heartbeat' }, client.connected ? 1 : 0));
  return {
    async stop() {
      clearInterval(timer);
      off();
      if (client.connected)
        await client
          .publishAsync(WORKER_HEARTBEAT_TOPIC, message({ status: 'gone' }), { qos: 1 })
          .catch(() => {});
      await client.endAsync(!client.connected);
    },
  };
}

/**
 * Platform side: listens to the workers' heartbeats and registers the health component `ingestWorkers`:
 * degraded when no worker is alive (or a live one is not up), with each worker's state and backlog.
 */
export function watchWorkers(
  health: HealthRegistry,
  c: RelayConnection,
  log: Logger,
  roster = new WorkerRoster(),
): () => Promise<void> {
  useMetrics('workers');
  const client = connect(c);
  client.on('message', (_topic, payload) => {
    const hb = parseHeartbeat(payload.toString());
    if (hb) roster.heard(hb, Date.now());
    else log.debug('unreadable worker heartbeat');
  });
  client.on('connect', () => {
    client.subscribe(WORKER_HEARTBEAT_TOPIC, { qos: 1 }, (err) => {
      if (err) log.warn({ err: err.message }, 'could not subscribe to worker heartbeats');
    });
  });
  client.on('error', (err) => log.warn({ err: err.message }, 'heartbeat listener error'));
  health.register('ingestWorkers', () => {
    const r = roster.report(Date.now());
    return {
      status: r.status,
      detail: {
        alive: r.alive,
        workers: r.workers,
        ...(client.connected ? {} : { broker: 'disconnected' }),
      },
    };
  });
  const off = onScrape(() => {
    workerMetrics.alive.set(roster.aliveCount(Date.now()));
    mqttMetrics.connected.set({ client: 'heartbeat' }, client.connected ? 1 : 0);
  });
  return async () => {
    off();
    await client.endAsync();
  };
}
