// Bad input on purpose (`npm run simulate -- --faults <rate/s>`): messages the platform must refuse while it keeps
// serving everyone else. Every kind says what should happen to it: a broker that checks device credentials and
// topics (the embedded one, Mosquitto with the generated passwd/acl files) refuses the connection or the publish;
// what reaches ingest is dead-lettered with the given reason (docs/telemetry.md, "What happens to bad input").
// Seeded: the same seed gives the same sequence of faults.
import { LIMITS, topics, type RejectReason } from '../../common/contracts/mqtt.ts';
import type { EquipmentSpec } from './catalog.ts';
import { shuffled, substream } from './random.ts';

export const FAULT_KINDS = [
  'not_json',
  'nan_literal',
  'wrong_types',
  'not_finite',
  'unknown_metric',
  'out_of_range',
  'too_old',
  'in_future',
  'too_large',
  'too_many_metrics',
  'bad_status',
  'unknown_asset',
  'spoofed_topic',
] as const;

export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultExpectation {
  /** What a broker that authenticates devices does: refuse the connection, or refuse (or drop) the publish. */
  broker?: 'bad_credentials' | 'not_authorized';
  /** The dead-letter reason when the message reaches ingest; none: ingest could not tell it from a good one. */
  ingest?: RejectReason;
}

export const FAULT_EXPECTATIONS: Record<FaultKind, FaultExpectation> = {
  not_json: { ingest: 'not_json' },
  nan_literal: { ingest: 'not_json' },
  wrong_types: { ingest: 'schema' },
  not_finite: { ingest: 'not_finite' },
  unknown_metric: { ingest: 'unknown_metric' },
  out_of_range: { ingest: 'out_of_range' },
  too_old: { ingest: 'too_old' },
  in_future: { ingest: 'in_future' },
  too_large: { ingest: 'too_large' },
  too_many_metrics: { ingest: 'too_many_metrics' },
  bad_status: { ingest: 'schema' },
  unknown_asset: { broker: 'bad_credentials', ingest: 'unknown_asset' },
  spoofed_topic: { broker: 'not_authorized' },
};

/** A device the faults use: its topics, and its equipment model for plausible metric names. */
export interface FaultDevice {
  tenant: string;
  assetId: string;
  equipment: EquipmentSpec;
}

export interface FaultMessage {
  kind: FaultKind;
  /**
   * Whose connection sends it: the faulty device (its own topics), the spoofer (authenticated as itself,
   * publishing to the victim's topic), or an unknown device (credentials the platform never issued).
   */
  as: 'faulty' | 'spoofer' | 'unknown';
  /** For `unknown`: the credentials it tries. */
  credentials?: { username: string; password: string };
  topic: string;
  payload: Uint8Array;
  expect: FaultExpectation;
}

export interface FaultRoles {
  faulty: FaultDevice;
  spoofer: FaultDevice;
  victim: FaultDevice;
}

/** Spoofed readings carry this age: inside the accepted window, older than anything an honest device here sends. */
export const SPOOF_AGE_MS = 5 * 86_400_000;

const encoder = new TextEncoder();
const bytes = (s: string) => encoder.encode(s);

export class FaultGenerator {
  private readonly rand: () => number;
  private round: FaultKind[] = [];
  private n = 0;

  constructor(
    private readonly roles: FaultRoles,
    seed: number,
    private readonly kinds: readonly FaultKind[] = FAULT_KINDS,
  ) {
    if (kinds.length === 0) throw new Error('no fault kinds');
    this.rand = substream(seed, 'faults');
  }

  /** The next fault at real time `now` (epoch ms): every kind once per round, in a shuffled order. */
  next(now: number): FaultMessage {
    if (this.round.length === 0) this.round = shuffled(this.kinds, this.rand);
    const kind = this.round.shift()!;
    this.n++;
    return { kind, expect: FAULT_EXPECTATIONS[kind], ...this.build(kind, now) };
  }

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.rand() * items.length)]!;
  }

  /** A valid reading of `device` at `ts` (the part a fault does not break). */
  private reading(device: FaultDevice, ts: number): { ts: number; metrics: Record<string, number> } {
    const metrics: Record<string, number> = {};
    for (const m of device.equipment.metrics) metrics[m.name] = m.base;
    return { ts, metrics };
  }

  private build(kind: FaultKind, now: number): Omit<FaultMessage, 'kind' | 'expect'> {
    const { faulty, victim } = this.roles;
    const telemetry = topics.telemetry(faulty.tenant, faulty.assetId);
    const own = (payload: string): Omit<FaultMessage, 'kind' | 'expect'> => ({
      as: 'faulty',
      topic: telemetry,
      payload: bytes(payload),
    });
    const metric = this.pick(faulty.equipment.metrics);
    switch (kind) {
      case 'not_json': {
        const good = JSON.stringify(this.reading(faulty, now));
        return own(
          this.pick([
            good.slice(0, Math.max(1, Math.floor(good.length / 2))), // cut off mid-message
            `${metric.name}=${metric.base}`,
            'NOT JSON \u0000\u0001\u0002',
          ]),
        );
      }
      case 'nan_literal':
        return own(`{"ts":${now},"metrics":{"${metric.name}":NaN}}`);
      case 'wrong_types':
        return own(
          this.pick([
            `{"ts":"yesterday","metrics":{"${metric.name}":${metric.base}}}`,
            `{"ts":${now},"metrics":{"${metric.name}":"high"}}`,
            `{"ts":${now},"metrics":[${metric.base}]}`,
            `{"readings":{"ts":${now}}}`,
          ]),
        );
      case 'not_finite':
        return own(`{"ts":${now},"metrics":{"${metric.name}":${this.pick(['1e999', '-1e999'])}}}`);
      case 'unknown_metric':
        return own(JSON.stringify({ ts: now, metrics: { warp_core_temp: 451 } }));
      case 'out_of_range':
        return own(
          JSON.stringify({
            ts: now,
            metrics: { [metric.name]: metric.maxValid + (metric.maxValid - metric.minValid) },
          }),
        );
      case 'too_old':
        return own(JSON.stringify(this.reading(faulty, now - LIMITS.maxAgeMs - 86_400_000)));
      case 'in_future':
        return own(JSON.stringify(this.reading(faulty, now + LIMITS.maxFutureMs + 3_600_000)));
      case 'too_large': {
        const padding = LIMITS.maxPayloadBytes + 1 + Math.floor(this.rand() * 8192);
        return own(JSON.stringify({ ...this.reading(faulty, now), note: 'x'.repeat(padding) }));
      }
      case 'too_many_metrics': {
        const metrics: Record<string, number> = {};
        for (let i = 0; i <= LIMITS.maxMetricsPerReading; i++) metrics[`m${i}`] = i;
        return own(JSON.stringify({ ts: now, metrics }));
      }
      case 'bad_status':
        return {
          as: 'faulty',
          topic: topics.status(faulty.tenant, faulty.assetId),
          payload: bytes(JSON.stringify({ state: this.pick(['asleep', 'ON', '']), ts: now })),
        };
      case 'unknown_asset': {
        const id = `ghost-${this.n.toString(36)}-${Math.floor(this.rand() * 1e9).toString(36)}`;
        return {
          as: 'unknown',
          credentials: { username: id, password: `not-a-secret-${Math.floor(this.rand() * 1e9)}` },
          topic: topics.telemetry(faulty.tenant, id),
          payload: bytes(JSON.stringify(this.reading(faulty, now))),
        };
      }
      case 'spoofed_topic':
        return {
          as: 'spoofer',
          topic: topics.telemetry(victim.tenant, victim.assetId),
          payload: bytes(JSON.stringify(this.reading(victim, now - SPOOF_AGE_MS))),
        };
    }
    const unknown: never = kind;
    throw new Error(`unknown fault kind ${String(unknown)}`);
  }
}

/** Three different devices of the run (two when that is all there is: then the faulty device is the victim). */
export function pickFaultRoles<T extends { assetId: string }>(
  devices: readonly T[],
  seed: number,
): {
  faulty: T;
  spoofer: T;
  victim: T;
} {
  if (devices.length < 2) throw new Error('--faults needs at least 2 devices (one spoofs the other)');
  const [a, b, c] = shuffled(devices, substream(seed, 'fault-roles'));
  return { faulty: a!, spoofer: b!, victim: c ?? a! };
}
