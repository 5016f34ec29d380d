// Replay of run-to-failure histories (core/cmapss.ts) as assets of an equipment model: each unit is an asset's
// life, each cycle a reading, one cycle every `cycleMs` of real time; a unit's last cycle is its failure, after
// which the asset is down. With more units than assets, the units take turns: asset i replays units i, i+A, …,
// the next one starting `gapCycles` after the previous one failed (an engine exchanged). Readings carry the time
// their cycle fell due, so a replay that falls behind catches up with batches, never with gaps.
import type { EquipmentSpec } from './catalog.ts';
import type { CmapssUnit } from './cmapss.ts';
import type { GroundTruth } from './ground-truth.ts';

export interface ReplayOptions {
  /** Real time (epoch ms) of the first cycle. */
  start: number;
  /** Real milliseconds from one cycle of a unit to the next. */
  cycleMs: number;
  /** Cycles an asset stays down after a failure before its next unit starts (at least 1). */
  gapCycles?: number;
}

export interface ReplayReading {
  assetId: string;
  unit: number;
  cycle: number;
  ts: number;
  metrics: Record<string, number>;
}

export interface ReplayEvent {
  kind: 'started' | 'failed';
  assetId: string;
  unit: number;
  at: number;
}

interface Lane {
  assetId: string;
  units: CmapssUnit[];
  /** Index into units, index of the next cycle to send, and the real time of the unit's first cycle. */
  unit: number;
  cycle: number;
  unitStart: number;
}

export class Replay {
  private readonly lanes: Lane[];
  private readonly names: string[];
  private readonly truth: GroundTruth[] = [];
  private events: ReplayEvent[] = [];
  private readonly gap: number;
  private sent = 0;
  private failed = 0;
  private lastFailure: number | undefined;

  constructor(
    units: readonly CmapssUnit[],
    assets: readonly string[],
    private readonly spec: EquipmentSpec,
    private readonly o: ReplayOptions,
  ) {
    if (assets.length === 0) throw new Error('no assets to replay on');
    if (!(o.cycleMs > 0)) throw new Error('cycleMs must be positive');
    this.names = spec.metrics.map((m) => m.name);
    const width = units[0]?.values[0]?.length ?? 0;
    if (units.length > 0 && width !== this.names.length)
      throw new Error(
        `equipment model ${spec.key} has ${this.names.length} metrics; the data has ${width} values per cycle`,
      );
    this.gap = Math.max(1, o.gapCycles ?? 5);
    const laneCount = Math.min(assets.length, units.length);
    // lanes start a fraction of a cycle apart, so the assets do not all send at the same instant
    this.lanes = Array.from({ length: laneCount }, (_, i) => ({
      assetId: assets[i]!,
      units: units.filter((_, u) => u % laneCount === i),
      unit: 0,
      cycle: 0,
      unitStart: o.start + Math.floor((i * o.cycleMs) / laneCount),
    }));
  }

  /** Every cycle due by `now` (real time, epoch ms) not sent yet, in time order per asset. */
  due(now: number): ReplayReading[] {
    const out: ReplayReading[] = [];
    for (const lane of this.lanes) {
      for (;;) {
        const unit = lane.units[lane.unit];
        if (!unit) break;
        const ts = lane.unitStart + lane.cycle * this.o.cycleMs;
        if (ts > now) break;
        if (lane.cycle === 0) this.begin(lane, unit, ts);
        const values = unit.values[lane.cycle]!;
        const metrics: Record<string, number> = {};
        this.names.forEach((name, i) => (metrics[name] = values[i]!));
        out.push({ assetId: lane.assetId, unit: unit.unit, cycle: unit.cycles[lane.cycle]!, ts, metrics });
        this.sent++;
        lane.cycle++;
        if (lane.cycle === unit.cycles.length) {
          this.events.push({ kind: 'failed', assetId: lane.assetId, unit: unit.unit, at: ts });
          this.failed++;
          this.lastFailure = Math.max(this.lastFailure ?? ts, ts);
          lane.unit++;
          lane.cycle = 0;
          lane.unitStart = ts + this.gap * this.o.cycleMs;
        }
      }
    }
    return out;
  }

  private begin(lane: Lane, unit: CmapssUnit, ts: number): void {
    const failAt = ts + (unit.cycles.length - 1) * this.o.cycleMs;
    this.truth.push({
      assetId: lane.assetId,
      equipment: this.spec.key,
      failureMode: this.spec.failureModes[0]?.key ?? 'failure',
      kind: 'replay',
      onsetAt: new Date(ts).toISOString(),
      failAt: new Date(failAt).toISOString(),
      unit: unit.unit,
      failCycle: unit.cycles.at(-1)!,
    });
    this.events.push({ kind: 'started', assetId: lane.assetId, unit: unit.unit, at: ts });
  }

  /** Events since the last call: a unit started on an asset (it is up), a unit failed (it is down). */
  takeEvents(): ReplayEvent[] {
    const out = this.events;
    this.events = [];
    return out;
  }

  /** Assets in use: as many as there are units, at most one per asset given. */
  assets(): string[] {
    return this.lanes.map((l) => l.assetId);
  }

  /** Every unit has failed. */
  get done(): boolean {
    return this.lanes.every((l) => l.unit >= l.units.length);
  }

  /** Real time at which the last unit fails (or failed). */
  endsAt(): number {
    let end = this.lastFailure ?? this.o.start;
    for (const lane of this.lanes) {
      let t = lane.unitStart;
      for (let u = lane.unit; u < lane.units.length; u++) {
        const length = lane.units[u]!.cycles.length;
        t += (length - 1) * this.o.cycleMs;
        end = Math.max(end, t);
        t += this.gap * this.o.cycleMs;
      }
    }
    return end;
  }

  stats(): { units: number; started: number; failed: number; readings: number } {
    return {
      units: this.lanes.reduce((n, l) => n + l.units.length, 0),
      started: this.truth.length,
      failed: this.failed,
      readings: this.sent,
    };
  }

  /** Every unit started so far, by onset. */
  groundTruth(): GroundTruth[] {
    return [...this.truth].sort((a, b) => a.onsetAt.localeCompare(b.onsetAt));
  }
}
