// Runs a Fleet against a broker as real equipment would: one MQTT connection per device with its own
// credentials (device-link.ts), telemetry every interval at QoS 1. A device whose machine fails reports its
// condition down and goes quiet; when the machine is restored it reports up again. Devices of replayed equipment are left out.
import type { Logger } from '../common/logger.ts';
import { batchReadings } from './core/batches.ts';
import { isSimulated } from './core/catalog.ts';
import type { DeviceCredentials } from './core/devices.ts';
import { Fleet, type FleetOptions } from './core/fleet.ts';
import { openLinks, type DeviceLink } from './device-link.ts';
import { writeGroundTruth } from './ground-truth-file.ts';

export type { DeviceCredentials } from './core/devices.ts';

export interface FleetRunnerOptions extends Omit<FleetOptions, 'start'> {
  mqttUrl: string;
  devices: DeviceCredentials[];
  intervalMs: number;
  /** Minutes of logged history each device uploads (in batches) when it first connects, one reading every
   *  `historyStepMs` (default a minute). */
  historyMinutes?: number;
  historyStepMs?: number;
  /** Where to write the ground truth (onset and time of every failure), kept current while running. */
  groundTruthFile?: string;
  log?: Logger;
}

export interface FleetStats {
  devices: number;
  connected: number;
  /** Readings published (history and duplicates included), and readings dropped while a device was disconnected. */
  sent: number;
  unsent: number;
  duplicates: number;
  missing: number;
  /** Failures injected (ground-truth entries) and failures that happened (assets down). */
  injected: number;
  failures: number;
  down: number;
  /** Error codes published (core/error-codes.ts). */
  codes: number;
  startedAt: string;
}

export class FleetRunner {
  readonly fleet: Fleet;
  private readonly devices: DeviceCredentials[];
  private readonly links = new Map<string, DeviceLink>();
  private timer: NodeJS.Timeout | undefined;
  private sent = 0;
  private unsent = 0;
  private down = 0;
  private codesSent = 0;
  private readonly startedAt = new Date();

  constructor(private readonly o: FleetRunnerOptions) {
    this.devices = o.devices.filter((d) => isSimulated(d.equipment));
    this.fleet = new Fleet(
      this.devices.map((d) => ({ id: d.assetId, equipment: d.equipment })),
      { ...o, start: this.startedAt },
    );
  }

  async start(): Promise<void> {
    await openLinks(
      this.devices,
      (d) => ({
        mqttUrl: this.o.mqttUrl,
        log: this.o.log,
        condition: () => (this.fleet.isDown(d.assetId) ? 'down' : 'up'),
        onConnect: (link, first) => {
          if (first && this.o.historyMinutes) this.uploadHistory(link);
        },
      }),
      this.links,
    );
    this.writeGroundTruth();
    this.timer = setInterval(() => this.tick(), this.o.intervalMs);
    this.o.log?.info({ devices: this.links.size, intervalMs: this.o.intervalMs }, 'simulated fleet running');
  }

  private uploadHistory(link: DeviceLink): void {
    const history = this.fleet.history(link.device.assetId, this.o.historyMinutes!, this.o.historyStepMs);
    for (const readings of batchReadings(history.map((r) => ({ ts: r.ts, metrics: r.metrics })))) {
      if (link.telemetry({ readings })) this.sent += readings.length;
    }
  }

  private writeGroundTruth(endedAt?: Date): void {
    if (!this.o.groundTruthFile) return;
    writeGroundTruth(this.o.groundTruthFile, {
      source: 'fleet',
      seed: this.o.seed,
      speed: this.o.speed ?? 1,
      startedAt: this.startedAt.toISOString(),
      ...(endedAt ? { endedAt: endedAt.toISOString() } : {}),
      failures: this.fleet.groundTruth(),
    });
  }

  private tick(): void {
    for (const r of this.fleet.tick(new Date())) {
      if (this.links.get(r.assetId)?.telemetry({ ts: r.ts, metrics: r.metrics })) this.sent++;
      else this.unsent++;
    }
    const byAsset = new Map<string, { code: string; severity: 'warning' | 'error'; ts: number }[]>();
    for (const c of this.fleet.takeCodes()) {
      const list = byAsset.get(c.assetId) ?? [];
      list.push({ code: c.code, severity: c.severity, ts: c.ts });
      byAsset.set(c.assetId, list);
    }
    for (const [assetId, list] of byAsset)
      if (this.links.get(assetId)?.events({ events: list })) this.codesSent += list.length;
    const events = this.fleet.takeEvents();
    for (const e of events) {
      if (e.kind === 'failed') this.down++;
      if (e.kind === 'restored') this.down--;
      if (e.kind !== 'onset')
        this.links.get(e.assetId)?.status('online', e.kind === 'failed' ? 'down' : 'up');
    }
    if (events.length > 0) this.writeGroundTruth();
  }

  stats(): FleetStats {
    const c = this.fleet.stats();
    return {
      devices: this.links.size,
      connected: [...this.links.values()].filter((l) => l.connected).length,
      sent: this.sent,
      unsent: this.unsent,
      duplicates: c.duplicates,
      missing: c.missing,
      injected: c.injected,
      failures: c.failures,
      down: this.down,
      codes: this.codesSent,
      startedAt: this.startedAt.toISOString(),
    };
  }

  /** Connection problems of the devices now, each once ("Connection refused: Not authorized", "connect ECONNREFUSED …"). */
  errors(): string[] {
    return [...new Set([...this.links.values()].flatMap((l) => (l.lastError ? [l.lastError] : [])))];
  }

  /** `sayOffline: false`: the devices disconnect without saying offline (the platform's own shutdown). */
  async stop({ sayOffline = true }: { sayOffline?: boolean } = {}): Promise<void> {
    clearInterval(this.timer);
    this.writeGroundTruth(new Date());
    await Promise.all([...this.links.values()].map((l) => l.close({ sayOffline })));
  }
}
