// One simulated device's MQTT connection, as real equipment would hold it: its own credentials, a retained birth
// message and last will on its status topic, telemetry at QoS 1 on its own telemetry topic.
import mqtt, { type MqttClient } from 'mqtt';
import {
  type EventsMessage,
  type MachineCondition,
  topics,
  type StatusMessage,
  type TelemetryMessage,
  type TelemetryReading,
} from '../common/contracts/mqtt.ts';
import { deviceClientId } from '../common/contracts/mqtt-broker-policy.ts';
import type { Logger } from '../common/logger.ts';
import type { DeviceCredentials } from './core/devices.ts';

export interface DeviceLinkOptions {
  mqttUrl: string;
  /** A role after the username in the client id (`<username>-<role>`); none: the username alone, as the fleet. */
  clientIdRole?: string;
  /** The machine's condition to announce with the birth of every (re)connect: a failed machine's says down. */
  condition?: () => MachineCondition;
  /** Called after the birth message of every (re)connect. */
  onConnect?: (link: DeviceLink, first: boolean) => void;
  log?: Logger;
}

export class DeviceLink {
  readonly client: MqttClient;
  private readonly telemetryTopic: string;
  private readonly statusTopic: string;
  private readonly eventsTopic: string;
  private connects = 0;
  /** The last connection problem (bad credentials, broker unreachable), cleared on connect. */
  lastError: string | undefined;

  constructor(
    readonly device: DeviceCredentials,
    o: DeviceLinkOptions,
  ) {
    this.telemetryTopic = topics.telemetry(device.tenant, device.assetId);
    this.statusTopic = topics.status(device.tenant, device.assetId);
    this.eventsTopic = topics.events(device.tenant, device.assetId);
    const will: StatusMessage = { state: 'offline', ts: Date.now() };
    this.client = mqtt.connect(o.mqttUrl, {
      // a broker accepts only the device's own client id (common/contracts/mqtt-broker-policy.ts)
      clientId: deviceClientId(device.username, o.clientIdRole),
      username: device.username,
      password: device.password,
      reconnectPeriod: 2_000,
      connectTimeout: 10_000,
      will: { topic: this.statusTopic, payload: Buffer.from(JSON.stringify(will)), qos: 1, retain: true },
    });
    this.client.on('connect', () => {
      this.lastError = undefined;
      this.status('online', o.condition?.());
      o.onConnect?.(this, this.connects++ === 0);
    });
    this.client.on('error', (err) => {
      this.lastError = err.message;
      o.log?.warn({ assetId: device.assetId, err: err.message }, 'simulated device: mqtt error');
    });
  }

  /** Resolves once connected, or false at the first error (bad credentials, broker unreachable). */
  ready(): Promise<boolean> {
    if (this.client.connected) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (ok: boolean) => {
        this.client.off('connect', onConnect);
        this.client.off('error', onError);
        resolve(ok);
      };
      const onConnect = () => done(true);
      const onError = () => done(false);
      this.client.once('connect', onConnect);
      this.client.once('error', onError);
    });
  }

  get connected(): boolean {
    return this.client.connected;
  }

  /** Publishes one reading or a batch; false (nothing sent) while disconnected. */
  telemetry(message: TelemetryReading | TelemetryMessage): boolean {
    if (!this.client.connected) return false;
    this.client.publish(this.telemetryTopic, JSON.stringify(message), { qos: 1 });
    return true;
  }

  /** Publishes error codes (one message); false (nothing sent) while disconnected. */
  events(message: EventsMessage): boolean {
    if (!this.client.connected) return false;
    this.client.publish(this.eventsTopic, JSON.stringify(message), { qos: 1 });
    return true;
  }

  /** Publishes the device's status (retained): its connection and, if given, the machine's condition. */
  status(state: StatusMessage['state'], condition?: MachineCondition): void {
    if (!this.client.connected) return;
    const message: StatusMessage = { state, ...(condition ? { condition } : {}), ts: Date.now() };
    this.client.publish(this.statusTopic, JSON.stringify(message), { qos: 1, retain: true });
  }

  /**
   * Says offline (retained), then disconnects cleanly. `sayOffline: false` disconnects without it (and without
   * the last will): the platform's in-process demo fleet stopping with the platform is the platform's gap, not
   * the devices' (docs/adr/0028).
   */
  async close({ sayOffline = true }: { sayOffline?: boolean } = {}): Promise<void> {
    if (sayOffline && this.client.connected) {
      const offline: StatusMessage = { state: 'offline', ts: Date.now() };
      await this.client
        .publishAsync(this.statusTopic, JSON.stringify(offline), { qos: 1, retain: true })
        .catch(() => undefined);
    }
    await this.client.endAsync(!this.client.connected);
  }
}

/**
 * Connects devices in waves of `wave` at a time, each wave once connected (or refused): a broker verifying
 * hundreds of device secrets at once (scrypt) answers some too late, and they would time out and retry.
 */
export async function openLinks(
  devices: readonly DeviceCredentials[],
  options: (d: DeviceCredentials) => DeviceLinkOptions,
  into: Map<string, DeviceLink>,
  wave = 25,
): Promise<void> {
  for (let i = 0; i < devices.length; i += wave) {
    const links = devices.slice(i, i + wave).map((d) => {
      const link = new DeviceLink(d, options(d));
      into.set(d.assetId, link);
      return link;
    });
    await Promise.all(links.map((l) => l.ready()));
  }
}
