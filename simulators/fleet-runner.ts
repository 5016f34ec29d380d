// Runs a Fleet against a broker as real equipment would: one MQTT connection per device with its own
// credentials, a retained birth message and last will on the status topic, telemetry at QoS 1.
import { writeFileSync } from 'node:fs';
import mqtt, { type MqttClient } from 'mqtt';
import { LIMITS, topics, type StatusMessage, type TelemetryReading } from '../common/contracts/mqtt.ts';
import type { Logger } from '../common/logger.ts';
import { Fleet, type FleetOptions } from './core/fleet.ts';

export interface DeviceCredentials {
  assetId: string;
  tenant: string;
  equipment: string;
  username: string;
  password: string;
}

export interface FleetRunnerOptions extends Omit<FleetOptions, 'start'> {
  mqttUrl: string;
  devices: DeviceCredentials[];
  intervalMs: number;
  /** Minutes of logged history each device uploads (in batches) when it first connects. */
  historyMinutes?: number;
  /** Where to write the ground truth (onset and time of every failure), kept current while running. */
  groundTruthFile?: string;
  log?: Logger;
}

export interface FleetStats {
  devices: number;
  connected: number;
  sent: number;
  failures: number;
  startedAt: string;
}

export class FleetRunner {
  readonly fleet: Fleet;
  private readonly clients = new Map<string, MqttClient>();
  private timer: NodeJS.Timeout | undefined;
  private sent = 0;
  private readonly startedAt = new Date();

  constructor(private readonly o: FleetRunnerOptions) {
    this.fleet = new Fleet(
      o.devices.map((d) => ({ id: d.assetId, equipment: d.equipment })),
      { ...o, start: this.startedAt },
    );
  }

  async start(): Promise<void> {
    await Promise.all(this.o.devices.map((d) => this.connect(d)));
    this.writeGroundTruth();
    this.timer = setInterval(() => this.tick(), this.o.intervalMs);
    this.o.log?.info({ devices: this.clients.size, intervalMs: this.o.intervalMs }, 'simulated fleet running');
  }

  private connect(d: DeviceCredentials): Promise<void> {
    const status = topics.status(d.tenant, d.assetId);
    const offline: StatusMessage = { state: 'offline', ts: Date.now() };
    const client = mqtt.connect(this.o.mqttUrl, {
      clientId: `sim-${d.assetId}`,
      username: d.username,
      password: d.password,
      reconnectPeriod: 2_000,
      will: { topic: status, payload: Buffer.from(JSON.stringify(offline)), qos: 1, retain: true },
    });
    this.clients.set(d.assetId, client);
    let uploaded = false;
    client.on('connect', () => {
      const birth: StatusMessage = { state: 'online', ts: Date.now() };
      client.publish(status, JSON.stringify(birth), { qos: 1, retain: true });
      if (!uploaded && this.o.historyMinutes) {
        uploaded = true;
        const history = this.fleet.history(d.assetId, this.o.historyMinutes);
        for (let i = 0; i < history.length; i += LIMITS.maxReadingsPerMessage) {
          const readings = history.slice(i, i + LIMITS.maxReadingsPerMessage).map((r) => ({ ts: r.ts, metrics: r.metrics }));
          client.publish(topics.telemetry(d.tenant, d.assetId), JSON.stringify({ readings }), { qos: 1 });
          this.sent += readings.length;
        }
      }
    });
    client.on('error', (err) => this.o.log?.warn({ assetId: d.assetId, err: err.message }, 'simulated device: mqtt error'));
    return new Promise((resolve) => {
      client.once('connect', () => resolve());
      client.once('error', () => resolve());
    });
  }

  private writeGroundTruth(): void {
    if (this.o.groundTruthFile) writeFileSync(this.o.groundTruthFile, JSON.stringify({ seed: this.o.seed, failures: this.fleet.groundTruth() }, null, 1));
  }

  private tick(): void {
    const known = this.fleet.groundTruth().length;
    const failed = this.fleet.failures;
    queueMicrotask(() => {
      if (this.fleet.groundTruth().length !== known || this.fleet.failures !== failed) this.writeGroundTruth();
    });
    const byAsset = new Map(this.o.devices.map((d) => [d.assetId, d]));
    for (const r of this.fleet.tick(new Date())) {
      const d = byAsset.get(r.assetId)!;
      const client = this.clients.get(r.assetId);
      if (!client?.connected) continue;
      const reading: TelemetryReading = { ts: r.ts, metrics: r.metrics };
      client.publish(topics.telemetry(d.tenant, d.assetId), JSON.stringify(reading), { qos: 1 });
      this.sent++;
    }
  }

  stats(): FleetStats {
    return {
      devices: this.clients.size,
      connected: [...this.clients.values()].filter((c) => c.connected).length,
      sent: this.sent,
      failures: this.fleet.failures,
      startedAt: this.startedAt.toISOString(),
    };
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all(
      [...this.clients.entries()].map(async ([assetId, c]) => {
        const d = this.o.devices.find((x) => x.assetId === assetId)!;
        const offline: StatusMessage = { state: 'offline', ts: Date.now() };
        if (c.connected) await c.publishAsync(topics.status(d.tenant, assetId), JSON.stringify(offline), { qos: 1, retain: true }).catch(() => undefined);
        await c.endAsync();
      }),
    );
  }
}
