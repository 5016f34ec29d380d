// Sends the bad input of core/faults.ts at a set rate, over connections of its own: the faulty device (its own
// credentials, a second client id, no will), the spoofer (authenticated as itself, publishing to the victim's
// topic) and short-lived connections with credentials nobody issued. Counts what it sent and what the broker did.
import mqtt, { type MqttClient } from 'mqtt';
import { deviceClientId } from '../common/contracts/mqtt-broker-policy.ts';
import type { DeviceCredentials } from './core/devices.ts';
import { FAULT_KINDS, type FaultGenerator, type FaultKind, type FaultMessage } from './core/faults.ts';

export interface FaultSenderOptions {
  mqttUrl: string;
  generator: FaultGenerator;
  ratePerSecond: number;
  faulty: DeviceCredentials;
  spoofer: DeviceCredentials;
  /** Unknown-device connections open at once, at most. */
  maxUnknownConnections?: number;
}

export interface FaultKindStats {
  /** Published (or, for unknown devices, connections tried). */
  sent: number;
  /** Refused by the broker: connection refused (unknown device), connection closed after the publish (spoof). */
  refusedByBroker: number;
  /** Let through by the broker (an unknown device got a connection: a broker that does not check devices). */
  acceptedByBroker: number;
  /** Not sent: its connection was down (e.g. reconnecting after the broker closed it). */
  skipped: number;
}

export interface FaultStats {
  sent: number;
  byKind: Partial<Record<FaultKind, FaultKindStats>>;
}

export class FaultSender {
  private faulty: MqttClient | undefined;
  private spoofer: MqttClient | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly stats_: Record<FaultKind, FaultKindStats>;
  private sent = 0;
  private owed = 0;
  private last = 0;
  private lastSpoofAt = 0;
  private unknownOpen = 0;
  private readonly unknownClients = new Set<MqttClient>();

  constructor(private readonly o: FaultSenderOptions) {
    this.stats_ = Object.fromEntries(
      FAULT_KINDS.map((k) => [k, { sent: 0, refusedByBroker: 0, acceptedByBroker: 0, skipped: 0 }]),
    ) as Record<FaultKind, FaultKindStats>;
  }

  async start(): Promise<void> {
    const connect = (d: DeviceCredentials, role: string) =>
      mqtt.connect(this.o.mqttUrl, {
        clientId: deviceClientId(d.username, role),
        username: d.username,
        password: d.password,
        reconnectPeriod: 250,
        connectTimeout: 5_000,
      });
    this.faulty = connect(this.o.faulty, 'faults');
    this.spoofer = connect(this.o.spoofer, 'spoof');
    for (const c of [this.faulty, this.spoofer]) c.on('error', () => undefined);
    // a broker that checks topics closes the connection of a device publishing to another's (aedes does)
    this.spoofer.on('close', () => {
      if (Date.now() - this.lastSpoofAt < 2_000) this.stats_.spoofed_topic.refusedByBroker++;
      this.lastSpoofAt = 0;
    });
    // on to the first connect, or the first error (the counts then show what was skipped)
    await Promise.all(
      [this.faulty, this.spoofer].map(
        (c) =>
          new Promise<void>((resolve) => {
            c.once('connect', () => resolve());
            c.once('error', () => resolve());
          }),
      ),
    );
    this.last = Date.now();
    const everyMs = Math.max(20, Math.min(1000, 1000 / this.o.ratePerSecond));
    this.timer = setInterval(() => this.tick(), everyMs);
  }

  private tick(): void {
    const now = Date.now();
    this.owed += ((now - this.last) / 1000) * this.o.ratePerSecond;
    this.last = now;
    for (; this.owed >= 1; this.owed--) this.send(this.o.generator.next(now));
  }

  private send(f: FaultMessage): void {
    const s = this.stats_[f.kind];
    if (f.as === 'unknown') return this.tryUnknown(f, s);
    const client = f.as === 'faulty' ? this.faulty : this.spoofer;
    if (!client?.connected) {
      s.skipped++;
      return;
    }
    if (f.as === 'spoofer') this.lastSpoofAt = Date.now();
    // QoS 0 for the spoof: a refused QoS 1 message would be sent again after every reconnect
    client.publish(f.topic, Buffer.from(f.payload), { qos: f.as === 'spoofer' ? 0 : 1 });
    s.sent++;
    this.sent++;
  }

  private tryUnknown(f: FaultMessage, s: FaultKindStats): void {
    if (this.unknownOpen >= (this.o.maxUnknownConnections ?? 4)) {
      s.skipped++;
      return;
    }
    this.unknownOpen++;
    s.sent++;
    this.sent++;
    const client = mqtt.connect(this.o.mqttUrl, {
      clientId: deviceClientId(f.credentials!.username),
      username: f.credentials!.username,
      password: f.credentials!.password,
      reconnectPeriod: 0,
      connectTimeout: 5_000,
    });
    this.unknownClients.add(client);
    let settled = false;
    const done = (accepted: boolean) => {
      if (settled) return;
      settled = true;
      if (accepted) s.acceptedByBroker++;
      else s.refusedByBroker++;
      this.unknownOpen--;
      this.unknownClients.delete(client);
      client.end(true);
    };
    client.on('connect', () => {
      client.publish(f.topic, Buffer.from(f.payload), { qos: 1 }, () => done(true));
    });
    client.on('error', () => done(false));
    client.on('close', () => done(false));
  }

  stats(): FaultStats {
    const byKind: FaultStats['byKind'] = {};
    for (const k of FAULT_KINDS) {
      const s = this.stats_[k];
      if (s.sent + s.skipped > 0) byKind[k] = { ...s };
    }
    return { sent: this.sent, byKind };
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    for (const c of this.unknownClients) c.end(true);
    await Promise.all([this.faulty, this.spoofer].map((c) => c?.endAsync()));
  }
}
