/**
 * `npm run --silent bench:soak -- [--minutes 10] [--rate 5000] [--assets 1000] [--sample-seconds 10]
 *   [--mqtt-url mqtt://…] [--database-url postgresql://…]`
 *
 * Drives the platform at a steady rate for a long time and prints, as JSON, throughput, latency percentiles
 * (publish → stored) and the platform process's memory per interval, and whether memory kept growing: the
 * heap after each interval's collection is compared between the first and last thirds of the run.
 */
import { parseArgs } from 'node:util';
import { percentile, progress, publish, startBenchPlatform } from './bench/harness.ts';

const { values: args } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    rate: { type: 'string', default: '5000' },
    assets: { type: 'string', default: '1000' },
    'sample-seconds': { type: 'string', default: '10' },
    connections: { type: 'string', default: '8' },
    'mqtt-url': { type: 'string' },
    'database-url': { type: 'string' },
  },
});
const positive = (name: 'minutes' | 'rate' | 'assets' | 'sample-seconds' | 'connections') => {
  const n = Number(args[name]);
  if (!(n > 0)) {
    console.error(`bench:soak: --${name} must be a positive number, got "${args[name]}"`);
    process.exit(2);
  }
  return n;
};
const minutes = positive('minutes');
const rate = Math.round(positive('rate'));
const sampleMs = positive('sample-seconds') * 1000;
const mb = (n: number) => Math.round((n / 1024 / 1024) * 10) / 10;

const bench = await startBenchPlatform({
  assets: Math.round(positive('assets')),
  mqttUrl: args['mqtt-url'],
  databaseUrl: args['database-url'],
});
try {
  const { platform, assets, broker } = bench;
  const messages = Math.round(rate * minutes * 60);
  let stored = 0;
  let window: number[] = [];
  platform.bus.on('reading.ingested', (r) => {
    stored++;
    window.push(Date.now() - r.ts.getTime());
  });
  const samples: {
    atS: number;
    storedPerS: number;
    p50Ms: number;
    p99Ms: number;
    rssMb: number;
    heapUsedMb: number;
  }[] = [];
  const started = Date.now();
  let last = { at: started, stored: 0 };
  const timer = setInterval(() => {
    const now = Date.now();
    const sorted = window.sort((a, b) => a - b);
    window = [];
    global.gc?.();
    const mem = process.memoryUsage();
    const s = {
      atS: Math.round((now - started) / 1000),
      storedPerS: Math.round(((stored - last.stored) * 1000) / (now - last.at)),
      p50Ms: percentile(sorted, 50),
      p99Ms: percentile(sorted, 99),
      rssMb: mb(mem.rss),
      heapUsedMb: mb(mem.heapUsed),
    };
    samples.push(s);
    last = { at: now, stored };
    progress(
      'bench:soak',
      `${s.atS}s stored/s=${s.storedPerS} p99=${s.p99Ms}ms rss=${s.rssMb}MB heap=${s.heapUsedMb}MB`,
    );
  }, sampleMs);
  const result = await publish({
    ...broker,
    topic: 't/bench/a/{asset}/telemetry',
    assets,
    messages,
    rate,
    connections: Math.round(positive('connections')),
    window: 100,
  });
  while (stored < result.acked && Date.now() - result.lastAckAt < 15_000)
    await new Promise((r) => setTimeout(r, 50));
  clearInterval(timer);
  const third = Math.max(1, Math.floor(samples.length / 3));
  const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const early = avg(samples.slice(0, third).map((s) => s.heapUsedMb));
  const late = avg(samples.slice(-third).map((s) => s.heapUsedMb));
  const all = samples
    .flatMap((s) => [s.p99Ms])
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  console.log(
    JSON.stringify({
      minutes,
      rate,
      published: result.acked,
      stored,
      lost: result.acked - stored,
      throughput: Math.round(stored / ((Date.now() - started) / 1000)),
      p99LatencyMsWorstInterval: all.at(-1) ?? null,
      heapUsedMb: { firstThird: Math.round(early * 10) / 10, lastThird: Math.round(late * 10) / 10 },
      memoryBounded: late <= early * 1.25 + 16,
      broker: bench.brokerKind,
      samples,
    }),
  );
} finally {
  await bench.close();
}
