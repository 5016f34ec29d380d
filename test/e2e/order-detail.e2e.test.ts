// Order detail and service history in a real browser (Debian's chromium, playwright-core) against the whole
// platform: the dispatcher opens an order's detail from the job board (prediction, the metric's trend chart
// toward its failure level, plan, timeline); a deep link to an order survives the login; the customer sees the
// completed job in their organisation's service history and in the asset's; an admin creates and disables an
// account and sees both in the audit log; an unknown page is an HTML 404.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveOrder } from '../../common/contracts/live.ts';
import { CHROMIUM, hasChromium, launchChromium } from '../helpers/browser.ts';
import { demoPredictedOrder } from '../helpers/demo-order.ts';
import { walkOrder } from '../helpers/field-walk.ts';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.ts';

const SHOTS = path.resolve('test-results/screenshots');
const ACME = { email: 'customer@acme.demo', password: 'customer-demo' };
const DISPATCHER = { email: 'dispatcher@preempt.demo', password: 'dispatcher-demo' };
const ADMIN = { email: 'admin@preempt.demo', password: 'admin-demo' };

describe.skipIf(!hasChromium)(`order detail and service history in a browser (needs ${CHROMIUM})`, () => {
  let p: TestPlatform;
  let browser: Browser;
  let dispatcherToken = '';
  let orderId = '';
  let assetId = '';
  const pageErrors: string[] = [];

  const call = async <T>(method: string, url: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${p.url}${url}`, {
      method,
      headers: {
        authorization: `Bearer ${dispatcherToken}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    expect(res.status, `${method} ${url}`).toBe(200);
    return (await res.json()) as T;
  };

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    page.on('pageerror', (err) => pageErrors.push(err.message));
    return page;
  }

  async function logIn(page: Page, account: { email: string; password: string }) {
    await page.getByTestId('login-email').fill(account.email);
    await page.getByTestId('login-password').fill(account.password);
    await page.getByTestId('login-submit').click();
    await page.waitForURL('**/app.html**');
  }

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    [p, browser] = await Promise.all([startTestPlatform({}, { fleet: false }), launchChromium()]);
    dispatcherToken = await p.login(DISPATCHER.email, DISPATCHER.password);

    // a predicted order on an Acme asset, with two hours of its watched metric rising in the store
    const now = Date.now();
    const made = await demoPredictedOrder(p.db, {
      tenant: 'acme',
      raisedAt: new Date(now - 3_600_000),
      confidence: 0.85,
      evidence: { metric: 'e2e_wear', failureLevel: 100, slopePerHour: 3 },
    });
    const asset = made.asset;
    assetId = asset.id;
    await p.store.write(
      Array.from({ length: 240 }, (_, i) => ({
        assetId: asset.id,
        metric: 'e2e_wear',
        ts: new Date(now - 2 * 3_600_000 + i * 30_000),
        value: 40 + i / 6,
      })),
    );
    orderId = made.orderId;
    await call('POST', '/api/dispatch/plan');
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await p?.stop();
  });

  it("opens an order's detail from the dispatcher's board, with the metric's trend toward its failure level", async () => {
    const page = await newPage();
    await page.goto(`${p.url}/`);
    await logIn(page, DISPATCHER);
    await page.waitForSelector('#view[data-ready="dispatch"]');
    const row = page.locator(`[data-testid="job-row"][data-order-id="${orderId}"]`);
    await row.getByTestId('order-link').click();
    await page.waitForSelector('#view[data-ready="orders"]');
    expect(page.url()).toContain(`#/orders/${orderId}`);
    const detail = page.getByTestId('order-detail');
    expect(await detail.getAttribute('data-order-id')).toBe(orderId);
    // whose machine: asset names repeat across customers, so the page names the customer and the site
    expect(await page.getByTestId('order-subtitle').textContent()).toMatch(/ · Acme Hospitals · .+ · /);
    const chart = page.getByTestId('trend-chart');
    expect(Number(await chart.getAttribute('data-points'))).toBeGreaterThan(10);
    expect(await chart.getAttribute('data-failure-level')).toBe('100');
    expect(await chart.locator('canvas').count()).toBe(1);
    expect(await page.getByTestId('evidence').count()).toBe(1);
    expect(await page.getByTestId('plan-card').textContent()).toMatch(/Technician/);
    expect(await page.getByTestId('timeline-row').count()).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(SHOTS, 'order-detail.png'), fullPage: true });
    // the page follows the order live: accepting it adds to the timeline without a reload
    const before = await page.getByTestId('timeline-row').count();
    await call('POST', `/api/orders/${orderId}/accept`);
    await expect
      .poll(() => page.getByTestId('timeline-row').count(), { timeout: 10_000 })
      .toBeGreaterThan(before);
    // back to the board
    await page.getByTestId('back-link').click();
    await page.waitForSelector('#view[data-ready="dispatch"]');
    await page.context().close();
  });

  it("a deep link survives the login; the customer sees the job in the service history, the organisation's and the asset's", async () => {
    // the job is done
    let o = await call<LiveOrder>('GET', `/api/orders/${orderId}`); // accepted in the test before
    if (o.nextStatus)
      o = await walkOrder(p, dispatcherToken, orderId, {
        removedSerial: 'SN-E2E-1',
        note: 'bearing replaced',
      });
    expect(o.status).toBe('COMPLETED');

    const page = await newPage();
    await page.goto(`${p.url}/app.html#/orders/${orderId}`);
    await page.waitForURL((u) => !u.pathname.endsWith('app.html'));
    await logIn(page, ACME);
    await page.waitForSelector('#view[data-ready="orders"]');
    expect(page.url()).toContain(`#/orders/${orderId}`);
    expect(await page.getByTestId('order-detail').getAttribute('data-status')).toBe('COMPLETED');
    // customer-safe: no evidence, no model, no desk e-mail addresses
    expect(await page.getByTestId('evidence').count()).toBe(0);
    expect(await page.locator('#view').textContent()).not.toContain('@preempt.demo');
    expect(Number(await page.getByTestId('trend-chart').getAttribute('data-points'))).toBeGreaterThan(10);
    expect(await page.getByTestId('returns').textContent()).toContain('SN-E2E-1');

    await page.getByTestId('nav-history').click();
    await page.waitForSelector('#view[data-ready="history"]');
    const row = page.locator(`[data-testid="history-row"][data-order-id="${orderId}"]`);
    await row.waitFor();
    expect(await row.getAttribute('data-status')).toBe('COMPLETED');
    expect(await row.textContent()).toMatch(/Repaired/);
    await page.screenshot({ path: path.join(SHOTS, 'service-history.png'), fullPage: true });
    // a filter with no job in it
    await page.getByTestId('history-to').fill('2020-01-01');
    await page.locator('[data-testid="history-filters"] button[type=submit]').click();
    await expect.poll(() => page.getByTestId('history-row').count()).toBe(0);

    // the asset's own history in the customer view
    await page.goto(`${p.url}/app.html#/assets/${assetId}`);
    await page.waitForSelector('#view[data-ready="assets"]');
    await page
      .locator(`[data-testid="asset-history"] [data-testid="history-row"][data-order-id="${orderId}"]`)
      .waitFor();
    await page.context().close();
  });

  it('lets an admin create and disable an account, the audit log showing both', async () => {
    const page = await newPage();
    await page.goto(`${p.url}/app.html#/users`);
    await page.waitForURL((u) => !u.pathname.endsWith('app.html'));
    await logIn(page, ADMIN);
    await page.waitForSelector('#view[data-ready="users"]');
    const form = page.getByTestId('user-create');
    await form.locator('[name=email]').fill('e2e-user@acme.demo');
    await form.locator('[name=name]').fill('E2E User');
    await form.locator('[name=role]').selectOption('CUSTOMER');
    await form.locator('[name=tenantId]').selectOption({ label: 'Acme Hospitals' });
    await form.locator('[name=password]').fill('e2e-user-pass');
    await form.locator('button[type=submit]').click();
    const row = page.locator('[data-testid="user-row"][data-email="e2e-user@acme.demo"]');
    await row.waitFor();
    expect(await row.getAttribute('data-disabled')).toBe('false');
    await row.getByTestId('user-disable').click();
    await page
      .locator('[data-testid="user-row"][data-email="e2e-user@acme.demo"][data-disabled="true"]')
      .waitFor();
    await expect
      .poll(() =>
        page.getByTestId('audit-row').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.action)),
      )
      .toEqual(['user.disable', 'user.create']);
    await page.screenshot({ path: path.join(SHOTS, 'users.png'), fullPage: true });
    await page.context().close();
  });

  it('an unknown page is an HTML 404 page with a way back', async () => {
    const page = await newPage();
    const res = await page.goto(`${p.url}/no/such/page`);
    expect(res?.status()).toBe(404);
    expect(await page.locator('h1').textContent()).toBe('Page not found');
    expect(await page.locator('a[href="/"]').count()).toBe(1);
    await page.context().close();
    expect(pageErrors).toEqual([]);
  });
});
