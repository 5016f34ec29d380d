// Notifications end to end (issue 17) on real PostgreSQL, a real SMTP server of the test's own (smtp-server) and
// real local HTTP receivers: an order planned for Acme reaches the Acme customer by e-mail and by a signed
// webhook; a failing receiver is retried with back-off until it answers; Globex's subscriber gets nothing; a row
// left SENDING by a crashed worker is sent once its lease runs out. Attacks: another tenant's asset or tenant,
// SSRF targets, huge and malformed bodies, wrong roles, someone else's subscription.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpWebhook } from '../../notify/adapters/webhook-sender.ts';
import { verifyWebhook } from '../../notify/core/signature.ts';
import { demoPredictedOrder } from '../helpers/demo-order.ts';
import { eventually, startTestPlatform, type TestPlatform } from '../helpers/platform.ts';

interface Hook {
  path: string;
  at: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}
interface Mail {
  to: string[];
  raw: string;
}

describe('notifications: e-mail and signed webhooks from order events', () => {
  let p: TestPlatform;
  let smtp: SMTPServer;
  let receiver: http.Server;
  let hookBase = '';
  const mails: Mail[] = [];
  const hooks: Hook[] = [];
  let flakyFailures = 2;
  const tokens: Record<string, string> = {};

  const call = async <T = unknown>(who: string | null, method: string, url: string, body?: unknown) => {
    const headers: Record<string, string> = who ? { authorization: `Bearer ${tokens[who]}` } : {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${p.url}${url}`, {
      method,
      headers,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
  };

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, session, cb) {
        let raw = '';
        stream.on('data', (c: Buffer) => (raw += c.toString()));
        stream.on('end', () => {
          mails.push({ to: session.envelope.rcptTo.map((r) => r.address), raw });
          cb();
        });
      },
    });
    await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
    const smtpPort = (smtp.server.address() as AddressInfo).port;

    receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        hooks.push({ path: req.url ?? '', at: Date.now(), headers: req.headers, body });
        if (req.url === '/flaky' && flakyFailures-- > 0) res.writeHead(503).end('down for maintenance');
        else res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    hookBase = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;

    p = await startTestPlatform(
      {
        NOTIFY_SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
        NOTIFY_MAIL_FROM: 'Preempt <notify@preempt.test>',
        NOTIFY_WEBHOOK_ALLOW_PRIVATE: 'true',
        NOTIFY_RETRY_BASE_MS: '200',
        NOTIFY_RETRY_MAX_MS: '1000',
        NOTIFY_MAX_ATTEMPTS: '5',
        NOTIFY_POLL_MS: '50',
      },
      { fleet: false },
    );
    for (const [who, email, password] of [
      ['acme', 'customer@acme.demo', 'customer-demo'],
      ['globex', 'customer@globex.demo', 'customer-demo'],
      ['dispatcher', 'dispatcher@preempt.demo', 'dispatcher-demo'],
      ['engineer', 'engineer@preempt.demo', 'engineer-demo'],
    ] as const)
      tokens[who] = await p.login(email, password);
  }, 90_000);

  afterAll(async () => {
    await p?.stop();
    await new Promise<void>((r) => (smtp ? smtp.close(() => r()) : r()));
    await new Promise((r) => receiver?.close(r));
  });

  it('refuses what it must: roles, other tenants, SSRF targets, huge and malformed bodies', async () => {
    const S = '/api/notifications/subscriptions';
    const globexAsset = await p.db.asset.findFirstOrThrow({ where: { tenant: { slug: 'globex' } } });
    const ok = { channel: 'WEBHOOK', url: `${hookBase}/x`, events: ['order.planned'] };
    expect((await call('engineer', 'POST', S, ok)).status).toBe(403);
    expect((await call(null, 'POST', S, ok)).status).toBe(401);
    // another tenant's asset or tenant: "no such" — not even its existence is told
    expect(await call('acme', 'POST', S, { ...ok, assetId: globexAsset.id })).toMatchObject({
      status: 404,
      body: { code: 'NOT_FOUND' },
    });
    expect((await call('acme', 'POST', S, { ...ok, tenantId: globexAsset.tenantId })).status).toBe(404);
    for (const url of [
      'file:///etc/passwd',
      'ftp://127.0.0.1/x',
      'gopher://127.0.0.1:6379/_FLUSHALL',
      'http://u:p@example.com/',
    ])
      expect(await call('acme', 'POST', S, { ...ok, url })).toMatchObject({
        status: 400,
        body: { code: 'NOTIFY_INVALID_TARGET' },
      });
    expect(
      (await call('acme', 'POST', S, { ...ok, url: 'https://example.com/' + 'a'.repeat(400_000) })).status,
    ).toBe(413);
    expect(
      (await call('acme', 'POST', S, { ...ok, url: 'https://example.com/' + 'a'.repeat(5_000) })).status,
    ).toBe(400);
    expect((await call('acme', 'POST', S, { ...ok, events: Array(1000).fill('order.planned') })).status).toBe(
      400,
    );
    expect((await call('acme', 'POST', S, { ...ok, events: ['order.deleted'] })).status).toBe(400);
    expect((await call('acme', 'POST', S, { ...ok, events: [] })).status).toBe(400);
    expect((await call('acme', 'POST', S, { ...ok, userId: 'someone-else' })).status).toBe(400);
    expect((await call('acme', 'POST', S, '{"channel":')).status).toBe(400);
    expect(
      (await call('acme', 'POST', S, { channel: 'EMAIL', url: `${hookBase}/x`, events: ['order.planned'] }))
        .status,
    ).toBe(400);
    expect((await call('acme', 'POST', S, { channel: 'WEBHOOK', events: ['order.planned'] })).status).toBe(
      400,
    );
    expect((await call<unknown[]>('acme', 'GET', S)).body).toEqual([]);

    // with NOTIFY_WEBHOOK_ALLOW_PRIVATE off, the sender itself refuses loopback, by address and by name
    const strict = new HttpWebhook({ allowPrivate: false });
    const before = hooks.length;
    await expect(strict.post(`${hookBase}/ssrf`, {}, '{}')).rejects.toThrow(/internal address/);
    await expect(strict.post(hookBase.replace('127.0.0.1', 'localhost') + '/ssrf', {}, '{}')).rejects.toThrow(
      /internal address/,
    );
    expect(hooks.length).toBe(before);
  });

  it('an order event produces an e-mail and a signed webhook; a failing receiver is retried; other tenants get nothing', async () => {
    const S = '/api/notifications/subscriptions';
    const mail = await call<{ id: string; target: string; secret: null }>('acme', 'POST', S, {
      channel: 'EMAIL',
      events: ['order.planned', 'order.completed'],
    });
    expect(mail).toMatchObject({ status: 201, body: { target: 'customer@acme.demo', secret: null } });
    const hook = await call<{ id: string; secret: string }>('acme', 'POST', S, {
      channel: 'WEBHOOK',
      url: `${hookBase}/acme`,
      events: ['order.planned', 'order.eta_changed', 'order.en_route', 'order.completed'],
    });
    expect(hook.status).toBe(201);
    expect(hook.body.secret.length).toBeGreaterThanOrEqual(40);
    const flaky = await call<{ id: string; secret: string }>('acme', 'POST', S, {
      channel: 'WEBHOOK',
      url: `${hookBase}/flaky`,
      events: ['order.planned'],
    });
    const globex = await call<{ id: string }>('globex', 'POST', S, {
      channel: 'WEBHOOK',
      url: `${hookBase}/globex`,
      events: ['order.planned', 'order.eta_changed', 'order.en_route', 'order.completed'],
    });
    expect(globex.status).toBe(201);
    // the secret is shown once: never in the list
    const listed = await call<Record<string, unknown>[]>('acme', 'GET', S);
    expect(listed.body.map((s) => s.id).sort()).toEqual([mail.body.id, hook.body.id, flaky.body.id].sort());
    expect(JSON.stringify(listed.body)).not.toContain(hook.body.secret);
    // someone else's subscription is not there to delete
    expect((await call('globex', 'DELETE', `${S}/${hook.body.id}`)).status).toBe(404);

    const { orderId } = await demoPredictedOrder(p.db, { tenant: 'acme' });
    expect((await call('dispatcher', 'POST', '/api/dispatch/plan')).status).toBe(200);
    const order = await p.db.serviceOrder.findUniqueOrThrow({
      where: { id: orderId },
      include: { asset: true, technician: true },
    });
    expect(order.status).toBe('PLANNED');

    // e-mail, through the SMTP server
    const m = await eventually(async () =>
      mails.find((x) => x.raw.includes(`Order #${order.number} planned`)),
    );
    expect(m.to).toEqual(['customer@acme.demo']);
    expect(m.raw).toContain(order.asset.name);
    expect(m.raw).toContain(order.technician!.name);

    // the signed webhook
    const h = await eventually(async () => hooks.find((x) => x.path === '/acme'));
    const body = JSON.parse(h.body) as { id: string; event: string; order: Record<string, unknown> };
    const now = Math.floor(Date.now() / 1000);
    expect(
      verifyWebhook(
        hook.body.secret,
        {
          signature: h.headers['x-preempt-signature'] as string,
          timestamp: h.headers['x-preempt-timestamp'] as string,
        },
        h.body,
        now,
      ),
    ).toBe(true);
    expect(h.headers['x-preempt-delivery']).toBe(body.id);
    expect(body).toMatchObject({
      event: 'order.planned',
      order: {
        id: orderId,
        number: order.number,
        technician: order.technician!.name,
        etaAt: order.etaAt!.toISOString(),
      },
    });
    expect(String(body.order.eta)).toMatch(/\d{4}, \d{2}:\d{2} UTC$/);
    expect(h.body).not.toContain(order.tenantId);

    // the flaky receiver: two 503s, then delivered; the log says so
    const log = await eventually(async () => {
      const r = await call<
        { subscriptionId: string; status: string; attempts: number; lastError: string | null }[]
      >('acme', 'GET', `/api/notifications/deliveries?subscriptionId=${flaky.body.id}`);
      return r.body.find((d) => d.status === 'SENT');
    });
    expect(log).toMatchObject({ attempts: 3, lastError: null });
    const tries = hooks.filter((x) => x.path === '/flaky');
    expect(tries.length).toBe(3);
    expect(new Set(tries.map((t) => t.headers['x-preempt-delivery'])).size).toBe(1);
    // back-off: at least half of base·2^(n−1) between tries (equal jitter)
    expect(tries[1]!.at - tries[0]!.at).toBeGreaterThanOrEqual(100);
    expect(tries[2]!.at - tries[1]!.at).toBeGreaterThanOrEqual(200);

    // the technician on the way and the job completed (dispatch's events on the bus)
    p.bus.emit('order.en-route', { orderId, tenantId: order.tenantId, at: new Date() });
    p.bus.emit('order.closed', {
      orderId,
      tenantId: order.tenantId,
      assetId: order.assetId,
      failureModeId: order.failureModeId,
      status: 'COMPLETED',
      at: new Date(),
    });
    await eventually(async () => hooks.filter((x) => x.path === '/acme').length === 3);
    const events = hooks
      .filter((x) => x.path === '/acme')
      .map((x) => (JSON.parse(x.body) as { event: string }).event);
    expect(events.sort()).toEqual(['order.completed', 'order.en_route', 'order.planned']);
    await eventually(async () => mails.some((x) => x.raw.includes(`Order #${order.number} completed`)));

    // Globex's subscriber: nothing, in its receiver or its log
    await p.bus.drain();
    expect(hooks.filter((x) => x.path === '/globex')).toEqual([]);
    expect((await call<unknown[]>('globex', 'GET', '/api/notifications/deliveries')).body).toEqual([]);
    // a receiver has a message a moment before its worker marks the delivery SENT: wait for the log to say so
    const deliveries = () => call<{ status: string }[]>('acme', 'GET', '/api/notifications/deliveries');
    await eventually(async () => {
      const r = await deliveries();
      return r.body.length === 6 && r.body.every((d) => d.status === 'SENT');
    }).catch(() => undefined); // the assertions below then say what is missing
    const acmeLog = await deliveries();
    expect(acmeLog.body.length).toBe(6);
    expect(acmeLog.body.map((d) => d.status)).toEqual(Array(6).fill('SENT'));
  });

  it('a delivery left SENDING by a crashed worker is sent again once its lease runs out (at least once)', async () => {
    const sub = await p.db.notifySubscription.findFirstOrThrow({ where: { target: `${hookBase}/acme` } });
    const sent = await p.db.notifyDelivery.findFirstOrThrow({ where: { subscriptionId: sub.id } });
    const row = await p.db.notifyDelivery.create({
      data: {
        subscriptionId: sub.id,
        eventKey: 'crash-test',
        kind: 'order.planned',
        orderId: sent.orderId,
        tenantId: sent.tenantId,
        payload: sent.payload as object,
        status: 'SENDING',
        attempts: 1,
        nextAttemptAt: new Date(Date.now() - 60_000),
        leaseUntil: new Date(Date.now() - 1_000),
      },
    });
    const h = await eventually(async () => hooks.find((x) => x.headers['x-preempt-delivery'] === row.id));
    expect(h.path).toBe('/acme');
    const after = await p.db.notifyDelivery.findUniqueOrThrow({ where: { id: row.id } });
    expect(after).toMatchObject({ status: 'SENT', attempts: 2 });
    // unsubscribing removes the subscription and its log
    expect((await call('acme', 'DELETE', `/api/notifications/subscriptions/${sub.id}`)).status).toBe(204);
    expect(await p.db.notifyDelivery.count({ where: { subscriptionId: sub.id } })).toBe(0);
  });
});
