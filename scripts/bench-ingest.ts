/**
 * `npm run --silent bench:ingest -- --json [--messages 200000] [--assets 1000] [--rate 5000] [--paced-seconds 10]
 *   [--rounds 3] [--connections 8] [--mqtt-url mqtt://…] [--database-url postgresql://…]`
 *
 * Publishes readings (one per message, QoS 1) from a separate load-generator process through a real broker:
 * 1. into a bare MQTT.js subscriber that only counts (the baseline),
 * 2. into the platform at full speed: throughput, lost and duplicated readings (ingest → store → event),
 *    (1 and 2 alternate `--rounds` times, as a 2-core machine's speed drifts; the medians are reported),
 * 3. into the platform at a steady `--rate`: latency from publish to stored, and to the live socket.io event.
 * Beside throughput, each process's CPU seconds per 100,000 readings (platform = this process, broker = the
 * private Mosquitto, database = the embedded PostgreSQL's processes, publisher = the load generator) and the
 * load average, as the machine may be shared.
 * Broker and database: see scripts/bench/harness.ts. Prints one JSON line last.
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import mqtt from 'mqtt';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../common/contracts/live.ts';
import { percentile, progress, publish, startBenchPlatform, type PublishJob } from './bench/harness.ts';
import { cpuMeter } from './bench/process-cpu.ts';
import { RecentReadings } from '../ingest/core/recent-readings.ts';

const { values: args } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    messages: { type: 'string', default: '200000' },
    assets: { type: 'string', default: '1000' },
    rate: { type: 'string', default: '5000' },
    'paced-seconds': { type: 'string', default: '10' },
    connections: { type: 'string', default: '8' },
    rounds: { type: 'string', default: '3' },
    'mqtt-url': { type: 'string' },
    'database-url': { type: 'string' },
  },
});
const num = (name: 'messages' | 'assets' | 'rate' | 'paced-seconds' | 'connections' | 'rounds') => {
  const n = Number(args[name]);
  if (!Number.isInteger(n) || n <= 0) {
    console.error(`bench:ingest: --${name} must be a positive integer, got "${args[name]}"`);
    process.exit(2);
  }
  return n;
};
const messages = num('messages');
const rate = num('rate');
const pacedSeconds = num('paced-seconds');
const connections = num('connections');
const rounds = num('rounds');
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const medianCpu = <K extends string>(xs: Record<K, number | null>[]) =>
  Object.fromEntries(
    (Object.keys(xs[0] ?? {}) as K[]).map((k) => {
      const v = xs.map((x) => x[k]).filter((n): n is number => n !== null);
      return [k, v.length ? median(v) : null];
    }),
  ) as Record<K, number | null>;
const say = (msg: string) => progress('bench:ingest', msg);
const waitUntil = async (done: () => boolean, idleSince: () => number, idleMs: number) => {
  while (!done() && Date.now() - idleSince() < idleMs) await new Promise((r) => setTimeout(r, 20));
};

const round2 = (x: number | undefined) => (x === undefined ? null : Math.round(x * 100) / 100);
/** CPU seconds of this process (the platform, or the bare subscriber in the baseline) since `start`. */
const selfMeter = () => {
  let base = process.cpuUsage();
  return {
    start: () => void (base = process.cpuUsage()),
    seconds: () => {
      const u = process.cpuUsage(base);
      return (u.user + u.system) / 1e6;
    },
  };
};
const loadAtStart = os.loadavg().map((l) => Math.round(l * 100) / 100);

const bench = await startBenchPlatform({
  assets: num('assets'),
  mqttUrl: args['mqtt-url'],
  databaseUrl: args['database-url'],
});
try {
  const { platform, db, assets, broker } = bench;
  const job = (topic: string, n: number, r: number): PublishJob => ({
    ...broker,
    topic,
    assets,
    messages: n,
    rate: r,
    connections,
    window: 100,
  });

  // every (asset, ts) the bus carried, kept as sorted numbers per asset: the bench's own bookkeeping runs in the
  // platform's process and must cost little beside it (a Set of 600,000 strings cost ~5 % of its CPU)
  const seenReadings = new RecentReadings({ windowMs: 365 * 86_400_000, maxPerAsset: 10_000_000 });
  const seen = { size: 0 };
  let duplicates = 0;
  let storedLast = 0;
  let latencies: number[] = [];
  platform.bus.on('reading.ingested', (r) => {
    const ts = r.ts.getTime();
    if (seenReadings.check(r.assetId, ts) === 'repeat') duplicates++;
    else seen.size++;
    storedLast = Date.now();
    latencies.push(storedLast - ts);
  });
  type Cpu = Record<'platform' | 'broker' | 'database' | 'publisher', number | null>;
  const perRound: {
    baselineThroughput: number;
    throughput: number;
    ratio: number;
    /** CPU seconds per 100,000 readings through the platform, per process. */
    cpuPer100k: Cpu;
    /** The same for the baseline (platform = the bare subscriber). */
    baselineCpuPer100k: Cpu;
  }[] = [];
  const self = selfMeter();
  const brokerCpu = cpuMeter(() => (bench.brokerPid ? [bench.brokerPid] : undefined));
  const dbCpu = cpuMeter(bench.dbPids);
  const startMeters = () => [self, brokerCpu, dbCpu].forEach((m) => m.start());
  const per100k = (n: number, publisherSeconds: number): Cpu => {
    const f = (s: number | undefined) => round2(s === undefined ? undefined : (s / n) * 100_000);
    return {
      platform: f(self.seconds()),
      broker: f(brokerCpu.seconds()),
      database: f(dbCpu.seconds()),
      publisher: f(publisherSeconds),
    };
  };
  let fullAcked = 0;
  for (let round = 1; round <= rounds; round++) {
    // 1. baseline: a subscriber that only counts, on topics ingest does not subscribe to
    say(`round ${round}/${rounds} baseline: ${messages} messages to a bare subscriber`);
    const bare = await mqtt.connectAsync(broker.url, {
      ...broker,
      clientId: `bench-bare-${process.pid}`,
      clean: true,
    });
    let bareCount = 0;
    let bareLast = 0;
    bare.on('message', () => {
      bareCount++;
      bareLast = Date.now();
    });
    await bare.subscribeAsync('bench/+/telemetry', { qos: 1 });
    startMeters();
    const base = await publish(job('bench/{asset}/telemetry', messages, 0));
    await waitUntil(
      () => bareCount >= base.acked,
      () => Math.max(bareLast, base.lastAckAt),
      5_000,
    );
    const baselineCpuPer100k = per100k(bareCount, base.cpuSeconds);
    await bare.endAsync();
    const baselineThroughput = bareCount / ((bareLast - base.firstAt) / 1000);

    // 2. throughput through the platform
    say(`round ${round}/${rounds} platform: ${messages} messages at full speed`);
    const before = seen.size;
    startMeters();
    const full = await publish(job('t/bench/a/{asset}/telemetry', messages, 0));
    fullAcked += full.acked;
    await waitUntil(
      () => seen.size - before >= full.acked,
      () => Math.max(storedLast, full.lastAckAt),
      10_000,
    );
    const throughput = (seen.size - before) / ((storedLast - full.firstAt) / 1000);
    perRound.push({
      baselineThroughput: Math.round(baselineThroughput),
      throughput: Math.round(throughput),
      ratio: Math.round((throughput / baselineThroughput) * 100) / 100,
      cpuPer100k: per100k(seen.size - before, full.cpuSeconds),
      baselineCpuPer100k,
    });
  }
  const rowsAfterFull = await db.telemetryPoint.count();

  // 3. latency at a steady rate, to the store and to a live socket.io client watching some assets
  const paced = rate * pacedSeconds;
  say(`platform: ${paced} messages at ${rate}/s`);
  const live: Socket<ServerToClientEvents, ClientToServerEvents> = io(platform.url, {
    auth: { token: await bench.token() },
    transports: ['websocket'],
  });
  await new Promise<void>((r) => live.once('connect', () => r()));
  for (const a of assets.slice(0, 50)) await live.timeout(5_000).emitWithAck('asset:watch', a);
  const liveLatencies: number[] = [];
  live.on('reading', (r) => liveLatencies.push(Date.now() - Date.parse(r.ts)));
  latencies = [];
  const before = seen.size;
  const steady = await publish(job('t/bench/a/{asset}/telemetry', paced, rate));
  await waitUntil(
    () => seen.size - before >= steady.acked,
    () => Math.max(storedLast, steady.lastAckAt),
    10_000,
  );
  live.close();
  const sorted = latencies.sort((a, b) => a - b);
  const liveSorted = liveLatencies.sort((a, b) => a - b);
  const rows = await db.telemetryPoint.count();

  const cpu = medianCpu(perRound.map((r) => r.cpuPer100k));
  const baselineCpu = medianCpu(perRound.map((r) => r.baselineCpuPer100k));
  const cpuTotal = (c: Cpu) =>
    Object.values(c).every((v) => v !== null) ? Object.values(c).reduce((a, b) => a! + b!, 0)! : undefined;
  console.log(
    JSON.stringify({
      messages: messages * rounds,
      messagesPerRound: messages,
      stored: rowsAfterFull,
      lost: fullAcked + steady.acked - rows,
      duplicates,
      throughput: median(perRound.map((r) => r.throughput)),
      baselineThroughput: median(perRound.map((r) => r.baselineThroughput)),
      ratio: median(perRound.map((r) => r.ratio)),
      cpuSecondsPer100k: cpu,
      baselineCpuSecondsPer100k: baselineCpu,
      // the ratio a machine whose cores are all busy would give: the CPU both paths need, side by side
      cpuRatio:
        cpuTotal(cpu) && cpuTotal(baselineCpu) ? round2(cpuTotal(baselineCpu)! / cpuTotal(cpu)!) : null,
      loadAverage: { start: loadAtStart, end: os.loadavg().map((l) => Math.round(l * 100) / 100) },
      rounds: perRound,
      p50LatencyMs: percentile(sorted, 50),
      p99LatencyMs: percentile(sorted, 99),
      live: {
        events: liveSorted.length,
        p50LatencyMs: percentile(liveSorted, 50),
        p99LatencyMs: percentile(liveSorted, 99),
      },
      paced: {
        rate,
        messages: steady.acked,
        achievedRate: Math.round(steady.acked / ((steady.lastAckAt - steady.firstAt) / 1000)),
      },
      broker: bench.brokerKind,
      telemetryStore: platform.store.kind,
    }),
  );
} finally {
  await bench.close();
}
