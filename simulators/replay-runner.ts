// Runs a Replay (core/replay.ts) against a broker: one MQTT connection per replaying asset with its own
// credentials; the cycles due since the last tick go as one message (or a few, within the contract's limits).
// An asset whose unit failed reports its condition down until its next unit starts.
import type { Logger } from '../common/logger.ts';
import { batchReadings } from './core/batches.ts';
import type { EquipmentSpec } from './core/catalog.ts';
import type { CmapssUnit } from './core/cmapss.ts';
import type { DeviceCredentials } from './core/devices.ts';
import { Replay, type ReplayReading } from './core/replay.ts';
import { openLinks, type DeviceLink } from './device-link.ts';
import { writeGroundTruth } from './ground-truth-file.ts';

export interface ReplayRunnerOptions {
  mqttUrl: string;
  devices: DeviceCredentials[];
  units: CmapssUnit[];
  spec: EquipmentSpec;
  /** Real milliseconds between two cycles, cycles down between units, how often devices send. */
  cycleMs: number;
  gapCycles: number;
  intervalMs: number;
  seed: number;
  speed: number;
  groundTruthFile?: string;
  /** Called once when the last unit has failed. */
  onDone?: () => void;
  log?: Logger;
}

export interface ReplayStats {
  devices: number;
  connected: number;
  sent: number;
  unsent: number;
  units: number;
  started: number;
  failed: number;
  endsAt: string;
}

export class ReplayRunner {
  private replay: Replay | undefined;
  private readonly links = new Map<string, DeviceLink>();
  private readonly down = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private sent = 0;
  private unsent = 0;
  private finished = false;
  private startedAt = new Date();

  constructor(private readonly o: ReplayRunnerOptions) {}

  /** Connects the devices the units need (one per unit, at most all), then starts the first cycles. */
  async start(): Promise<void> {
    const inUse = this.o.devices.slice(0, Math.min(this.o.devices.length, this.o.units.length));
    await openLinks(
      inUse,
      (d) => ({
        mqttUrl: this.o.mqttUrl,
        log: this.o.log,
        condition: () => (this.down.has(d.assetId) ? 'down' : 'up'),
      }),
      this.links,
    );
    this.startedAt = new Date();
    this.replay = new Replay(
      this.o.units,
      inUse.map((d) => d.assetId),
      this.o.spec,
      { start: this.startedAt.getTime(), cycleMs: this.o.cycleMs, gapCycles: this.o.gapCycles },
    );
    this.writeGroundTruth();
    this.timer = setInterval(() => this.tick(), this.o.intervalMs);
    setImmediate(() => this.tick());
  }

  private tick(): void {
    if (!this.replay || this.finished) return;
    const due = this.replay.due(Date.now());
    const byAsset = new Map<string, ReplayReading[]>();
    for (const r of due) {
      const list = byAsset.get(r.assetId) ?? [];
      list.push(r);
      byAsset.set(r.assetId, list);
    }
    // an asset's readings go before its events: the failing cycle is sent, then the device reports down
    for (const [assetId, readings] of byAsset) {
      const link = this.links.get(assetId);
      for (const batch of batchReadings(readings.map((r) => ({ ts: r.ts, metrics: r.metrics })))) {
        const message = batch.length === 1 ? batch[0]! : { readings: batch };
        if (link?.telemetry(message)) this.sent += batch.length;
        else this.unsent += batch.length;
      }
    }
    const events = this.replay.takeEvents();
    for (const e of events) {
      if (e.kind === 'failed') this.down.add(e.assetId);
      else this.down.delete(e.assetId);
      this.links.get(e.assetId)?.status('online', e.kind === 'failed' ? 'down' : 'up');
    }
    if (events.length > 0) this.writeGroundTruth();
    if (this.replay.done && !this.finished) {
      this.finished = true;
      clearInterval(this.timer);
      this.o.onDone?.();
    }
  }

  private writeGroundTruth(endedAt?: Date): void {
    if (!this.o.groundTruthFile || !this.replay) return;
    writeGroundTruth(this.o.groundTruthFile, {
      source: 'replay',
      seed: this.o.seed,
      speed: this.o.speed,
      startedAt: this.startedAt.toISOString(),
      ...(endedAt ? { endedAt: endedAt.toISOString() } : {}),
      failures: this.replay.groundTruth(),
    });
  }

  stats(): ReplayStats {
    const s = this.replay?.stats() ?? { units: this.o.units.length, started: 0, failed: 0 };
    return {
      devices: this.links.size,
      connected: [...this.links.values()].filter((l) => l.connected).length,
      sent: this.sent,
      unsent: this.unsent,
      units: s.units,
      started: s.started,
      failed: s.failed,
      endsAt: this.replay ? new Date(this.replay.endsAt()).toISOString() : '',
    };
  }

  /** Connection problems of the devices now, each once ("Connection refused: Not authorized", "connect ECONNREFUSED …"). */
  errors(): string[] {
    return [...new Set([...this.links.values()].flatMap((l) => (l.lastError ? [l.lastError] : [])))];
  }

  async stop(): Promise<void> {
    this.finished = true;
    clearInterval(this.timer);
    this.writeGroundTruth(new Date());
    await Promise.all([...this.links.values()].map((l) => l.close()));
  }
}
