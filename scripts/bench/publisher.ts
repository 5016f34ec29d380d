// The load generator of `npm run bench:ingest`, in a process of its own so it does not share the platform's
// event loop. Publishes one reading per message at QoS 1 over several connections, at full speed or a set
// rate; every reading's `ts` is its publish time (strictly increasing per asset) so the receiver can time it.
import mqtt, { type MqttClient } from 'mqtt';

export interface PublishJob {
  url: string;
  username?: string;
  password?: string;
  /** Topic per asset; `{asset}` is replaced. */
  topic: string;
  assets: string[];
  messages: number;
  /** Messages per second; 0 = as fast as the broker acknowledges. */
  rate: number;
  connections: number;
  /** Unacknowledged publishes allowed per connection. */
  window: number;
}

export interface PublishResult {
  published: number;
  acked: number;
  firstAt: number;
  lastAckAt: number;
  /** CPU seconds this load generator used. */
  cpuSeconds: number;
}

async function run(job: PublishJob): Promise<PublishResult> {
  const cpu = process.cpuUsage();
  const clients: MqttClient[] = await Promise.all(
    Array.from({ length: job.connections }, (_, i) =>
      mqtt.connectAsync(job.url, {
        clientId: `bench-pub-${process.pid}-${i}`,
        username: job.username,
        password: job.password,
        clean: true,
        reconnectPeriod: 1_000,
      }),
    ),
  );
  const lastTs = new Map<string, number>();
  const inflight = new Array<number>(clients.length).fill(0);
  const waiters: (() => void)[][] = clients.map(() => []);
  let published = 0;
  let acked = 0;
  let completed = 0;
  let lastAckAt = 0;
  const firstAt = Date.now();

  const send = async (i: number) => {
    const c = i % clients.length;
    while (inflight[c]! >= job.window) await new Promise<void>((r) => waiters[c]!.push(r));
    const asset = job.assets[i % job.assets.length]!;
    const ts = Math.max(Date.now(), (lastTs.get(asset) ?? 0) + 1);
    lastTs.set(asset, ts);
    inflight[c]!++;
    published++;
    clients[c]!.publish(
      job.topic.replace('{asset}', asset),
      JSON.stringify({ ts, metrics: { vibration: 1 + (i % 90) } }),
      { qos: 1 },
      (err) => {
        inflight[c]!--;
        completed++;
        if (!err) acked++;
        lastAckAt = Date.now();
        waiters[c]!.shift()?.();
      },
    );
  };

  if (job.rate > 0) {
    const tickMs = 10;
    for (let sent = 0; sent < job.messages;) {
      const due = Math.min(job.messages, Math.floor(((Date.now() - firstAt + tickMs) / 1000) * job.rate));
      const batch: Promise<void>[] = [];
      for (; sent < due; sent++) batch.push(send(sent));
      await Promise.all(batch);
      await new Promise((r) => setTimeout(r, tickMs));
    }
  } else {
    const lanes = clients.length * job.window;
    let next = 0;
    await Promise.all(
      Array.from({ length: lanes }, async () => {
        while (next < job.messages) await send(next++);
      }),
    );
  }
  while (completed < published) await new Promise((r) => setTimeout(r, 5));
  await Promise.all(clients.map((c) => c.endAsync()));
  const used = process.cpuUsage(cpu);
  return { published, acked, firstAt, lastAckAt, cpuSeconds: (used.user + used.system) / 1e6 };
}

process.on('message', (job: PublishJob) => {
  run(job).then(
    (result) => process.send!({ ok: true, result }, () => process.exit(0)),
    (err: unknown) => process.send!({ ok: false, error: String(err) }, () => process.exit(1)),
  );
});
