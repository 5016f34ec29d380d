// Notification outbox throughput: N webhook deliveries queued at once, drained by W workers (each with its own
// connection pool, as separate processes would be) to a local HTTP receiver; prints JSON (sent, received, lost,
// duplicates, ms, per second). PostgreSQL: --database-url (an empty, migrated or new database), else embedded.
//   npm run --silent bench:notify -- --deliveries 2000 --workers 2
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { systemClock } from '../common/clock.ts';
import { createDb } from '../common/db.ts';
import { startEmbeddedPostgres } from '../common/embedded/postgres.ts';
import { createLogger } from '../common/logger.ts';
import { migrate } from '../common/migrate.ts';
import { PrismaOutbox } from '../notify/adapters/outbox-store.ts';
import { HttpWebhook } from '../notify/adapters/webhook-sender.ts';
import { OutboxWorker } from '../notify/outbox-worker.ts';
import { freePort } from '../test/helpers/ports.ts';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const N = Number(arg('deliveries') ?? 2000);
const W = Number(arg('workers') ?? 1);

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'preempt-notify-'));
let url = arg('database-url');
const pg = url
  ? undefined
  : await startEmbeddedPostgres({ dataDir, port: await freePort(), persistent: false });
url ??= pg!.url;
await migrate(url);
const db = createDb(url);

const seen = new Map<string, number>();
const receiver = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    const id = String(req.headers['x-preempt-delivery']);
    seen.set(id, (seen.get(id) ?? 0) + 1);
    res.writeHead(204).end();
  });
});
await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));

const tag = randomBytes(4).toString('hex');
const tenant = await db.tenant.create({ data: { slug: `bench-${tag}`, name: 'Bench' } });
const user = await db.user.create({
  data: {
    email: `bench-${tag}@bench.invalid`,
    name: 'bench',
    passwordHash: '-',
    role: 'CUSTOMER',
    tenantId: tenant.id,
  },
});
const sub = await db.notifySubscription.create({
  data: {
    userId: user.id,
    channel: 'WEBHOOK',
    target: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`,
    secret: randomBytes(32).toString('base64url'),
    events: ['order.planned'],
    tenantId: tenant.id,
  },
});
const payload = {
  event: 'order.planned' as const,
  occurredAt: new Date().toISOString(),
  order: {
    id: 'bench',
    number: 1,
    status: 'PLANNED',
    asset: { id: 'a', name: 'Asset', site: 'Site' },
    failureMode: 'wear',
    etaAt: null,
    eta: null,
    technician: 'T',
  },
};
await new PrismaOutbox(db).enqueue(
  Array.from({ length: N }, (_, i) => ({
    subscriptionId: sub.id,
    eventKey: `bench:${i}`,
    kind: 'order.planned',
    orderId: 'bench',
    tenantId: tenant.id,
    payload,
  })),
  new Date(Date.now() - 1_000),
);

const pools = Array.from({ length: W }, () => createDb(url));
const workers = pools.map(
  (pool) =>
    new OutboxWorker({
      outbox: new PrismaOutbox(pool),
      email: { enabled: false, send: () => Promise.reject(new Error('no e-mail in this benchmark')) },
      webhook: new HttpWebhook({ allowPrivate: true }),
      clock: systemClock,
      log: createLogger({ level: 'warn' }),
      retry: { maxAttempts: 5, baseMs: 1_000, maxDelayMs: 10_000 },
      pollMs: 60_000,
    }),
);
const t0 = performance.now();
await Promise.all(workers.map((w) => w.kick()));
const ms = performance.now() - t0;
const sent = await db.notifyDelivery.count({ where: { subscriptionId: sub.id, status: 'SENT' } });
console.log(
  JSON.stringify({
    deliveries: N,
    workers: W,
    sent,
    received: seen.size,
    lost: N - seen.size,
    duplicates: [...seen.values()].filter((n) => n > 1).length,
    ms: Math.round(ms),
    perSecond: Math.round((N / ms) * 1000),
  }),
);
await Promise.all(workers.map((w) => w.stop()));
await db.notifySubscription.delete({ where: { id: sub.id } });
await db.user.delete({ where: { id: user.id } });
await db.tenant.delete({ where: { id: tenant.id } });
await Promise.all([db, ...pools].map((d) => d.$disconnect()));
receiver.close();
await pg?.stop();
rmSync(dataDir, { recursive: true, force: true });
