// Malformed MQTT payloads for the fuzz drill: every case is invalid by construction (so every one must be
// refused), drawn from a seeded generator so a failing run can be repeated.
import { LIMITS } from '../../common/contracts/mqtt.ts';
import { seededRandom } from '../../simulators/core/random.ts';

export interface FuzzMessage {
  kind: string;
  topic: string;
  payload: Buffer;
}

export function fuzzMessages(opts: {
  seed: number;
  tenant: string;
  asset: string;
  metric: string;
}): () => FuzzMessage {
  const rand = seededRandom(opts.seed);
  const int = (n: number) => Math.floor(rand() * n);
  const own = `t/${opts.tenant}/a/${opts.asset}/telemetry`;
  const now = () => Date.now();
  const good = () => ({ ts: now(), metrics: { [opts.metric]: 1 + int(50) } });
  const json = (v: unknown) => Buffer.from(JSON.stringify(v));
  const cases: [string, () => Omit<FuzzMessage, 'kind'>][] = [
    [
      'random-bytes',
      () => ({
        topic: own,
        payload: Buffer.from(Array.from({ length: 1 + int(300) }, () => int(256))).fill(0xff, 0, 1),
      }),
    ],
    [
      'truncated-json',
      () => {
        const s = JSON.stringify(good());
        return { topic: own, payload: Buffer.from(s.slice(0, 1 + int(s.length - 2))) };
      },
    ],
    [
      'deeply-nested',
      () => ({ topic: own, payload: Buffer.from('['.repeat(500 + int(2000)) + ']'.repeat(500 + int(2000))) }),
    ],
    [
      'huge-number',
      () => ({
        topic: own,
        payload: Buffer.from(`{"ts":${now()},"metrics":{"${opts.metric}":1e${309 + int(1000)}}}`),
      }),
    ],
    [
      'nan-literal',
      () => ({ topic: own, payload: Buffer.from(`{"ts":${now()},"metrics":{"${opts.metric}":NaN}}`) }),
    ],
    [
      'wrong-type',
      () => ({ topic: own, payload: json({ ts: now(), metrics: { [opts.metric]: String(int(9)) } }) }),
    ],
    [
      'wrong-shape',
      () => ({ topic: own, payload: json([[good()], int(5), 'x', null, { readings: [] }][int(5)]) }),
    ],
    [
      'unknown-asset',
      () => ({ topic: `t/${opts.tenant}/a/ghost-${int(1e6)}/telemetry`, payload: json(good()) }),
    ],
    [
      'spoofed-tenant',
      () => ({ topic: `t/other-${int(100)}/a/${opts.asset}/telemetry`, payload: json(good()) }),
    ],
    [
      'unknown-metric',
      () => ({ topic: own, payload: json({ ts: now(), metrics: { [`m${int(1e6)}`]: 1 } }) }),
    ],
    [
      'too-old',
      () => ({
        topic: own,
        payload: json({ ts: now() - LIMITS.maxAgeMs - 60_000 - int(1e9), metrics: { [opts.metric]: 1 } }),
      }),
    ],
    [
      'in-future',
      () => ({
        topic: own,
        payload: json({ ts: now() + LIMITS.maxFutureMs + 60_000 + int(1e9), metrics: { [opts.metric]: 1 } }),
      }),
    ],
    [
      'too-many-metrics',
      () => ({
        topic: own,
        payload: json({
          ts: now(),
          metrics: Object.fromEntries(
            Array.from({ length: LIMITS.maxMetricsPerReading + 1 + int(20) }, (_, i) => [`m${i}`, 1]),
          ),
        }),
      }),
    ],
    ['empty', () => ({ topic: own, payload: Buffer.alloc(0) })],
  ];
  let n = 0;
  return () => {
    n++;
    if (n % 2_000 === 0)
      return {
        kind: 'oversized',
        topic: own,
        payload: Buffer.alloc(LIMITS.maxPayloadBytes + 1 + int(1000), 0x20),
      };
    const [kind, make] = cases[int(cases.length)]!;
    return { kind, ...make() };
  };
}
