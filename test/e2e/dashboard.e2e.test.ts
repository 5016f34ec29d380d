// The web dashboard in a real browser (Debian's chromium driven by playwright-core) against the whole platform:
// every role signs in through the login form and sees its view; live telemetry reaches the customer's charts;
// a predicted order appears on the dispatcher's board live; the dispatcher accepts and cancels one through the
// page; and a customer sees nothing of another tenant, through the page, the API or a raw socket.io client.
// Screenshots of each view go to test-results/screenshots/.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientToServerEvents, LiveOrder, ServerToClientEvents } from '../../common/contracts/live.ts';
import { CHROMIUM, hasChromium, launchChromium } from '../helpers/browser.ts';
import { eventually, startTestPlatform, type TestPlatform } from '../helpers/platform.ts';
import { paramTemplate } from '../../predict/core/models/param-templates.ts';
import { MODEL_KINDS } from '../../predict/core/models/params.ts';

if (!hasChromium)
  console.warn(`dashboard e2e tests skipped: no browser at ${CHROMIUM} (apt-get install chromium)`);

const SHOTS = path.resolve('test-results/screenshots');
const ACME = { email: 'customer@acme.demo', password: 'customer-demo' };
const DISPATCHER = { email: 'dispatcher@preempt.demo', password: 'dispatcher-demo' };

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;
type Account = { email: string; password: string };

describe.skipIf(!hasChromium)(`the web dashboard in a browser (needs ${CHROMIUM})`, () => {
  let p: TestPlatform;
  let browser: Browser;
  let acmeTenant: string;
  const sockets: Client[] = [];
  const pageErrors: string[] = [];

  const api = async <T>(token: string, url: string): Promise<{ status: number; body: T }> => {
    const res = await fetch(`${p.url}${url}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, body: (await res.json()) as T };
  };

  /** Signs in through the login form in a fresh browser context and waits until `view` is mounted. */
  async function signIn(account: Account, view: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    page.on('pageerror', (err) => pageErrors.push(`${account.email}: ${err.message}`));
    await page.goto(`${p.url}/`);
    await page.getByTestId('login-email').fill(account.email);
    await page.getByTestId('login-password').fill(account.password);
    await page.getByTestId('login-submit').click();
    await page.waitForURL('**/app.html**');
    await page.waitForSelector(`#view[data-ready="${view}"]`);
    await expect
      .poll(() => page.getByTestId('live-status').getAttribute('data-state'), { timeout: 10_000 })
      .toBe('connected');
    return page;
  }

  const shoot = (page: Page, name: string) =>
    page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
  const navViews = (page: Page) =>
    page.locator('#nav .nav-link').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.view));

  const connect = (token: string) => {
    const s: Client = io(p.url, { auth: { token }, transports: ['websocket'], reconnection: false });
    sockets.push(s);
    return s;
  };

  /** A service order as dispatch would publish it, for one of the demo assets. */
  async function syntheticOrder(tenantSlug: string, patch: Partial<LiveOrder> = {}): Promise<LiveOrder> {
    const asset = await p.db.asset.findFirstOrThrow({
      where: { tenant: { slug: tenantSlug } },
      include: { contract: true },
    });
    const now = Date.now();
    return {
      id: `e2e-${tenantSlug}-${now}`,
      number: 900_000 + (now % 100_000),
      tenantId: asset.tenantId,
      assetId: asset.id,
      assetName: asset.name,
      failureMode: 'E2E bearing wear',
      status: 'PREDICTED',
      slaTier: 'CRITICAL',
      expectedFailureAt: new Date(now + 3 * 3_600_000).toISOString(),
      dueBy: new Date(now + 2 * 3_600_000).toISOString(),
      riskCleared: false,
      technician: null,
      pickup: null,
      source: null,
      partsReadyAt: null,
      etaAt: null,
      onTime: null,
      lateByMinutes: null,
      verdictReason: null,
      escalated: false,
      part: { sku: 'E2E-PART', qty: 1 },
      reservationStatus: null,
      acceptedBy: null,
      actions: ['accept', 'cancel'],
      nextStatus: null,
      closedAt: null,
      cancelReason: null,
      snoozeUntil: null,
      customerStatus: 'predicted',
      ...patch,
    };
  }

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    [p, browser] = await Promise.all([startTestPlatform(), launchChromium()]);
    acmeTenant = (await p.db.tenant.findUniqueOrThrow({ where: { slug: 'acme' } })).id;
  }, 60_000);

  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await browser?.close();
    await p?.stop();
  });

  it('shows a customer their own assets, availability and live telemetry', async () => {
    const page = await signIn(ACME, 'assets');
    expect(await navViews(page)).toEqual(['assets', 'history', 'billing', 'notifications']);

    const own = (await p.db.asset.findMany({ where: { tenantId: acmeTenant }, select: { id: true } }))
      .map((a) => a.id)
      .sort();
    const cards = await page
      .getByTestId('asset-card')
      .evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.assetId!));
    expect(cards.sort()).toEqual(own);

    // the selected asset's charts: seeded with history, then points arriving over socket.io
    const selected = await page.getByTestId('asset-detail').getAttribute('data-asset-id');
    expect(own).toContain(selected);
    await page.waitForFunction(
      () =>
        Array.from(document.querySelectorAll<HTMLElement>('[data-testid=telemetry-chart]')).some(
          (c) => Number(c.dataset.livePoints) > 0,
        ),
      undefined,
      { timeout: 15_000 },
    );
    // 24 h in the store's 5-minute buckets: a fresh platform's readings fill one or two
    const points = await page.getByTestId('telemetry-chart').first().getAttribute('data-points');
    expect(Number(points)).toBeGreaterThan(0);
    await expect
      .poll(() => page.getByTestId('availability-24h').textContent(), { timeout: 5_000 })
      .toMatch(/\d+%/);
    await expect
      .poll(() => page.getByTestId('availability-timeline').getAttribute('data-window'))
      .toBe('24h');

    await shoot(page, 'customer');
    await page.context().close();
  }, 40_000);

  it('puts predicted orders on the dispatcher board as they arrive', async () => {
    const dispatcher = await p.login(DISPATCHER.email, DISPATCHER.password);
    // the pipeline (simulated wear → prediction → order) has opened orders by now, or will shortly
    const orders = await eventually(async () => {
      const { body } = await api<LiveOrder[]>(dispatcher, '/api/orders');
      return body.length > 0 && body;
    }, 30_000);

    const page = await signIn(DISPATCHER, 'dispatch');
    expect(await navViews(page)).toEqual([
      'dispatch',
      'schedule',
      'parts',
      'models',
      'history',
      'notifications',
    ]);
    await page.locator(`[data-testid=job-row][data-order-id="${orders[0]!.id}"]`).waitFor();
    const network = await api<{ sites: unknown[]; technicians: unknown[]; locations: unknown[] }>(
      dispatcher,
      '/api/network',
    );
    await expect
      .poll(() => page.getByTestId('map-site').count(), { timeout: 5_000 })
      .toBe(network.body.sites.length);
    expect(await page.getByTestId('map-technician').count()).toBe(network.body.technicians.length);
    expect(await page.getByTestId('map-location').count()).toBe(network.body.locations.length);
    await shoot(page, 'dispatcher');

    // the one action the API offers: a planning round now
    await page.getByTestId('plan-now').click();
    await expect
      .poll(() => page.getByTestId('plan-result').textContent(), { timeout: 10_000 })
      .toMatch(/Planning round \d+ done/);

    // a new predicted order is pushed over socket.io and lands on the board without a reload
    const predicted = await syntheticOrder('initech');
    p.bus.emit('order.view', predicted);
    const row = page.locator(`[data-testid=job-row][data-order-id="${predicted.id}"]`);
    await expect.poll(() => row.getAttribute('data-status'), { timeout: 5_000 }).toBe('PREDICTED');
    expect(await row.getByTestId('sla-tier').textContent()).toBe('Critical');
    expect(await row.locator('[data-countdown]').first().textContent()).toMatch(/^in \d/);

    // planned: technician, staging location and parts show up in the same row
    p.bus.emit('order.view', {
      ...predicted,
      status: 'PLANNED',
      technician: 'T-01 Anna Becker',
      pickup: 'FSL-HH',
      source: 'FSL-HH',
      etaAt: new Date(Date.now() + 3_600_000).toISOString(),
      reservationStatus: 'HELD',
    });
    await expect.poll(() => row.getAttribute('data-status'), { timeout: 5_000 }).toBe('PLANNED');
    expect(await row.textContent()).toContain('T-01 Anna Becker');
    expect(await row.getByTestId('parts-status').getAttribute('data-parts')).toBe('reserved');
    expect(await row.getByTestId('staging').textContent()).toContain('FSL-HH');

    // planned late: the row is flagged escalated and says why (dispatch/core/verdict.ts)
    p.bus.emit('order.view', {
      ...predicted,
      status: 'PLANNED',
      etaAt: new Date(Date.parse(predicted.expectedFailureAt) + 90 * 60_000).toISOString(),
      onTime: false,
      lateByMinutes: 90,
      verdictReason: 'no hvac technician free before 16:00 UTC',
      escalated: true,
    });
    await row.getByTestId('escalated').waitFor({ timeout: 5_000 });
    expect(await row.getAttribute('class')).toContain('row-escalated');
    // the duration in the page's locale ("1 hr, 30 min"); a string: vitest would rewrite a dynamic import()
    const by = await page.evaluate<string>(`import('/format.js').then((f) => f.duration(90 * 60_000))`);
    expect(by).toMatch(/^1\D+30\D+$/);
    expect(await row.getByTestId('verdict').textContent()).toBe(
      `later than the expected failure (by ${by}): no hvac technician free before 16:00 UTC`,
    );

    // cancelled orders leave the board
    p.bus.emit('order.view', { ...predicted, status: 'CANCELLED' });
    await expect.poll(() => row.count(), { timeout: 5_000 }).toBe(0);
    await page.context().close();
  }, 45_000);

  it('lets the dispatcher accept and cancel an order on the board, and sees it update live', async () => {
    // a predicted order as predict opens it (no plan yet), for one of the demo assets
    const asset = await p.db.asset.findFirstOrThrow({
      where: { tenant: { slug: 'globex' } },
      include: { contract: true, equipmentModel: { include: { failureModes: true } } },
    });
    const now = Date.now();
    const order = await p.db.serviceOrder.create({
      data: {
        tenantId: asset.tenantId,
        assetId: asset.id,
        failureModeId: asset.equipmentModel.failureModes[0]!.id,
        slaTier: asset.contract.tier,
        expectedFailureAt: new Date(now + 5 * 3_600_000),
        dueBy: new Date(now + 4 * 3_600_000),
        events: { create: { status: 'PREDICTED', actor: 'e2e' } },
      },
    });
    const page = await signIn(DISPATCHER, 'dispatch');
    p.bus.emit('order.updated', { orderId: order.id, tenantId: order.tenantId });
    const row = page.locator(`[data-testid=job-row][data-order-id="${order.id}"]`);
    await row.waitFor();

    await row.getByTestId('action-accept').click();
    await expect
      .poll(() => row.getByTestId('accepted-by').textContent(), { timeout: 5_000 })
      .toBe(`accepted by ${DISPATCHER.email}`);
    expect(await row.getByTestId('action-accept').count()).toBe(0);

    await row.getByTestId('action-cancel').click();
    await page.getByTestId('cancel-reason').selectOption('CUSTOMER_DECLINED');
    await page.getByTestId('cancel-note').fill('e2e: customer postponed the visit');
    await shoot(page, 'dispatcher-cancel');
    await page.getByTestId('action-confirm').click();
    // cancelled orders leave the board, here and on every dispatcher's board (order.view over socket.io)
    await expect.poll(() => row.count(), { timeout: 5_000 }).toBe(0);
    await expect
      .poll(() => page.getByTestId('action-message').textContent(), { timeout: 5_000 })
      .toContain('cancelled');
    const saved = await p.db.serviceOrder.findUniqueOrThrow({
      where: { id: order.id },
      include: { events: { orderBy: { id: 'asc' } } },
    });
    expect(saved.status).toBe('CANCELLED');
    expect(saved.events.map((e) => [e.action, e.actor])).toEqual([
      ['status', 'e2e'],
      ['accept', DISPATCHER.email],
      ['cancel', DISPATCHER.email],
    ]);
    expect(saved.events.at(-1)?.note).toMatch(/^customer declined: e2e: customer postponed the visit/);
    expect(saved.cancelReason).toBe('CUSTOMER_DECLINED');
    await page.context().close();
  }, 40_000);

  it('shows the reliability engineer models, versions and predictions', async () => {
    const page = await signIn({ email: 'engineer@preempt.demo', password: 'engineer-demo' }, 'models');
    expect(await navViews(page)).toEqual(['models']);
    expect(await page.getByTestId('model').count()).toBe(await p.db.predictionModel.count());
    expect(await page.getByTestId('model-version').count()).toBe(await p.db.modelVersion.count());
    expect(await page.getByTestId('model-params').first().textContent()).toContain('horizonHours');
    // the new-model form's kinds and starting parameters are the server's (GET /api/meta), not a copy in the page
    const kind = page.getByTestId('new-model-kind');
    expect(await kind.locator('option').allTextContents()).toEqual([...MODEL_KINDS]);
    await kind.selectOption('ANOMALY');
    const params = JSON.parse(await page.getByTestId('new-model-params').inputValue());
    expect(params).toEqual(paramTemplate('ANOMALY', params.metrics[0]));
    await expect
      .poll(() => page.getByTestId('prediction-row').count(), { timeout: 10_000 })
      .toBeGreaterThan(0);
    await shoot(page, 'engineer');
    await page.context().close();
  });

  it('lets the engineer edit a version as a new one, backtest it and see the result plotted', async () => {
    const page = await signIn({ email: 'engineer@preempt.demo', password: 'engineer-demo' }, 'models');
    const model = page.locator('[data-testid=model][data-model-key="pump-px50/bearing/trend"]');
    const v1 = model.locator('[data-testid=model-version][data-version="1"]');
    await v1.getByTestId('version-edit').click();
    const editor = model.getByTestId('params-editor');
    await editor.locator('[data-param=confirmations]').fill('4');
    await editor.getByTestId('editor-note').fill('e2e: one more confirmation');
    await editor.getByTestId('editor-save').click();
    const v2 = model.locator('[data-testid=model-version][data-version="2"]');
    await expect.poll(() => v2.getAttribute('data-status'), { timeout: 5_000 }).toBe('DRAFT');
    const saved = await p.db.modelVersion.findFirstOrThrow({
      where: { model: { key: 'pump-px50/bearing/trend' }, version: 2 },
    });
    expect(saved).toMatchObject({
      author: 'engineer@preempt.demo',
      basedOn: 1,
      note: 'e2e: one more confirmation',
    });
    expect((saved.params as { confirmations: number }).confirmations).toBe(4);

    await v2.getByTestId('version-backtest').click();
    await model.getByTestId('backtest-run').click();
    const report = model.getByTestId('backtest-report');
    await expect.poll(() => report.getAttribute('data-status'), { timeout: 20_000 }).toBe('DONE');
    expect(await report.getByTestId('report-recall').textContent()).toMatch(/Recall/);
    expect(await report.getByTestId('report-precision').textContent()).toMatch(/Precision/);
    expect(await report.getByTestId('backtest-lead-histogram').count()).toBe(1);
    const run = await p.db.backtestRun.findFirstOrThrow({
      where: { id: (await report.getAttribute('data-run-id'))! },
    });
    expect(run).toMatchObject({ status: 'DONE', modelVersionId: saved.id, author: 'engineer@preempt.demo' });
    await expect.poll(() => v2.getByTestId('version-backtest-summary').textContent()).toMatch(/precision/);
    await shoot(page, 'engineer-backtest');

    // side by side with the active version: the changed parameter is marked
    await model.getByTestId('compare-run').click();
    const changed = model.locator('[data-testid=compare-param][data-changed=true]');
    await expect
      .poll(() => changed.evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.key)))
      .toEqual(['confirmations']);
    await page.context().close();
  }, 45_000);

  it('shows the admin health and read-only lists', async () => {
    const page = await signIn({ email: 'admin@preempt.demo', password: 'admin-demo' }, 'admin');
    expect(await navViews(page)).toEqual([
      'admin',
      'users',
      'tenants',
      'devices',
      'deadletters',
      'dispatch',
      'schedule',
      'parts',
      'models',
      'history',
      'billing',
      'notifications',
    ]);
    expect(await page.getByTestId('tenant-row').count()).toBe(await p.db.tenant.count());
    expect(await page.getByTestId('user-row').count()).toBe(await p.db.user.count());
    expect(await page.getByTestId('asset-row').count()).toBe(await p.db.asset.count());
    expect(await page.getByTestId('location-row').count()).toBe(await p.db.stockLocation.count());
    expect(await page.getByTestId('technician-row').count()).toBe(await p.db.technician.count());
    expect(await page.getByTestId('health-component').count()).toBeGreaterThanOrEqual(5);
    expect(await page.content()).not.toContain('scrypt$');
    await shoot(page, 'admin');
    await page.context().close();
  });

  it("keeps a customer out of another tenant's data: page, API and socket.io", async () => {
    const foreign = await p.db.asset.findFirstOrThrow({
      where: { NOT: { tenantId: acmeTenant } },
      include: { tenant: true },
    });
    const page = await signIn(ACME, 'assets');

    // the page: a link to a foreign asset shows nothing of it, and staff views are not reachable
    await page.evaluate((id) => (location.hash = `#/assets/${id}`), foreign.id);
    await page.getByTestId('asset-not-found').waitFor();
    expect(await page.getByTestId('telemetry-chart').count()).toBe(0);
    expect(await page.locator(`[data-asset-id="${foreign.id}"]`).count()).toBe(0);
    await shoot(page, 'customer-foreign-asset');
    await page.evaluate(() => (location.hash = '#/dispatch'));
    await page.waitForURL(/#\/assets/);
    await page.waitForSelector('#view[data-ready="assets"]');
    expect(await navViews(page)).toEqual(['assets', 'history', 'billing', 'notifications']);

    // the API, with the page's own session
    const statuses = await page.evaluate(
      async ({ id }) => {
        const token = localStorage.getItem('preempt.token');
        const get = async (url: string) =>
          (await fetch(url, { headers: { authorization: `Bearer ${token}` } })).status;
        return {
          telemetry: await get(`/api/assets/${id}/telemetry?metric=flow`),
          availability: await get(`/api/assets/${id}/availability`),
          network: await get('/api/network'),
          predictions: await get('/api/predictions'),
          models: await get('/api/models'),
          users: await get('/api/admin/users'),
          tenants: await get('/api/admin/tenants'),
        };
      },
      { id: foreign.id },
    );
    expect(statuses).toEqual({
      telemetry: 404,
      availability: 404,
      network: 403,
      predictions: 403,
      models: 403,
      users: 403,
      tenants: 403,
    });
    const customer = await p.login(ACME.email, ACME.password);
    const assets = await api<{ id: string; tenantId: string }[]>(customer, '/api/assets');
    expect(assets.body.every((a) => a.tenantId === acmeTenant)).toBe(true);
    const orders = await api<LiveOrder[]>(customer, '/api/orders');
    expect(orders.body.every((o) => o.tenantId === acmeTenant)).toBe(true);
    const foreignOrder = await p.db.serviceOrder.findFirst({ where: { NOT: { tenantId: acmeTenant } } });
    if (foreignOrder) expect((await api(customer, `/api/orders/${foreignOrder.id}`)).status).toBe(404);

    // the page's live channel: watching a foreign asset is refused
    // (a string, so the test's bundler leaves the browser's dynamic import alone)
    const watch = await page.evaluate(`(async () => {
      const { connectLive } = await import('/live.js');
      const live = connectLive(localStorage.getItem('preempt.token'));
      const res = await live.watch(${JSON.stringify(foreign.id)});
      live.close();
      return res;
    })()`);
    expect(watch).toEqual({ ok: false, error: 'not found' });

    // a raw socket.io client: refused for the foreign asset; a foreign order reaches staff but not the customer
    const own = (await p.db.asset.findFirstOrThrow({ where: { tenantId: acmeTenant } })).id;
    const mine = connect(customer);
    const staff = connect(await p.login(DISPATCHER.email, DISPATCHER.password));
    const seen = {
      readings: new Set<string>(),
      orders: [] as LiveOrder[],
      assets: new Set<string>(),
      predictions: new Set<string>(),
    };
    mine.on('reading', (r) => seen.readings.add(r.assetId));
    mine.on('order', (o) => seen.orders.push(o));
    mine.on('asset', (a) => seen.assets.add(a.assetId));
    mine.on('prediction', (pr) => seen.predictions.add(pr.assetId));
    const staffOrders: string[] = [];
    staff.on('order', (o) => staffOrders.push(o.id));
    expect(await mine.timeout(5_000).emitWithAck('asset:watch', foreign.id)).toEqual({
      ok: false,
      error: 'not found',
    });
    expect(await mine.timeout(5_000).emitWithAck('asset:watch', own)).toEqual({ ok: true });
    await eventually(async () => staff.connected && seen.readings.has(own), 10_000, 50);

    const foreignLive = await syntheticOrder(foreign.tenant.slug);
    p.bus.emit('order.view', foreignLive);
    await eventually(async () => staffOrders.includes(foreignLive.id), 5_000, 50);
    await new Promise((r) => setTimeout(r, 300));

    expect(seen.orders.map((o) => o.id)).not.toContain(foreignLive.id);
    expect(seen.orders.every((o) => o.tenantId === acmeTenant)).toBe(true);
    expect([...seen.readings]).toEqual([own]);
    const acmeAssets = new Set(assets.body.map((a) => a.id));
    expect([...seen.assets, ...seen.predictions].every((id) => acmeAssets.has(id))).toBe(true);
    await page.context().close();
  }, 40_000);

  it('raised no uncaught errors in any page', () => {
    expect(pageErrors).toEqual([]);
  });
});
