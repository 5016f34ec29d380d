// Issue 17, "Everywhere", in a real browser (Debian's chromium) against the whole platform, on a 1280 × 720
// laptop: the dispatcher's board fits with every action inside the screen; a panel whose request fails shows
// the error and a Retry that loads it again; offline, a banner says so and a change is refused; a new tab is
// signed in (until the stated end) and a logout ends it; the keyboard reaches everything (skip link, arrow keys
// in tab lists, a panel that takes the focus, closes on Escape and gives it back); an unknown path is an HTML 404.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, hasChromium, launchChromium, signedInPage } from '../helpers/browser.ts';
import { demoPredictedOrder } from '../helpers/demo-order.ts';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.ts';

const SHOTS = path.resolve('test-results/screenshots');
const DISPATCHER = { email: 'dispatcher@preempt.demo', password: 'dispatcher-demo' };
const ADMIN = { email: 'admin@preempt.demo', password: 'admin-demo' };
const LAPTOP = { width: 1280, height: 720 };

describe.skipIf(!hasChromium)(`the dashboard everywhere (needs ${CHROMIUM})`, () => {
  let p: TestPlatform;
  let browser: Browser;
  let page: Page;
  let orderId = '';
  const pageErrors: string[] = [];

  const board = async (pg: Page) => {
    await pg.goto(`${p.url}/app.html#/dispatch`);
    await pg.waitForSelector('#view[data-ready="dispatch"]');
  };

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    [p, browser] = await Promise.all([
      startTestPlatform({ DEMO_ASSETS: '6' }, { fleet: false }),
      launchChromium(),
    ]);
    const token = await p.login(DISPATCHER.email, DISPATCHER.password);
    orderId = (await demoPredictedOrder(p.db)).orderId;
    await demoPredictedOrder(p.db);
    await fetch(`${p.url}/api/dispatch/plan`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    page = await signedInPage(browser, p.url, DISPATCHER, { context: { viewport: LAPTOP }, pageErrors });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await p?.stop();
  });

  it('fits the board on a 1280 × 720 laptop with every action inside the screen', async () => {
    // the administrator's board has the longest navigation and the most actions per row (Override…)
    const admin = await signedInPage(browser, p.url, ADMIN, { context: { viewport: LAPTOP }, pageErrors });
    for (const [who, pg] of [
      ['dispatcher', page],
      ['admin', admin],
    ] as const) {
      await board(pg);
      await pg.locator('[data-testid="job-row"]').first().waitFor();
      await pg.screenshot({ path: path.join(SHOTS, `board-1280x720-${who}.png`) });
      const fit = await fits(pg);
      expect(fit.scrollWidth, who).toBeLessThanOrEqual(LAPTOP.width);
      expect(fit.buttons, who).toBeGreaterThan(5);
      expect(fit.out, who).toEqual([]);
    }
    await admin.context().close();
  });

  /** No horizontal scrolling, and every visible button inside the screen and not cut off by its containers. */
  const fits = (pg: Page) =>
    pg.evaluate(() => {
      const width = document.documentElement.clientWidth;
      const out: string[] = [];
      const buttons = Array.from(
        document.querySelectorAll<HTMLElement>('#view button, #view a.btn, .topbar button'),
      );
      for (const b of buttons) {
        const r = b.getBoundingClientRect();
        if (r.width === 0 && r.height === 0) continue; // hidden
        // inside the screen, and not cut off by a scrolling or clipping ancestor
        let clipped = r.left < 0 || r.right > width;
        for (let el = b.parentElement; el && !clipped; el = el.parentElement) {
          const s = getComputedStyle(el);
          if (s.overflowX === 'visible') continue;
          const c = el.getBoundingClientRect();
          clipped = r.left < c.left - 1 || r.right > c.right + 1;
        }
        if (clipped)
          out.push(`${b.dataset.testid ?? b.textContent} at ${Math.round(r.left)}–${Math.round(r.right)}`);
      }
      return { scrollWidth: document.documentElement.scrollWidth, width, buttons: buttons.length, out };
    });

  it('shows a failed panel with a Retry that loads just that panel again', async () => {
    // the whole view's load (the network) fails once with a 500
    let failNetwork = true;
    await page.route('**/api/network', (route) =>
      failNetwork
        ? route.fulfill({ status: 500, json: { code: 'INTERNAL', message: 'the network is down (test)' } })
        : route.continue(),
    );
    // the returns panel fails on a network error while the rest of the board loads
    let failReturns = true;
    await page.route(/\/api\/returns\?/, (route) => (failReturns ? route.abort('failed') : route.continue()));
    // a new load of the page (the same address with its hash would not load it again)
    await page.goto('about:blank');
    await page.goto(`${p.url}/app.html#/dispatch`);
    await page.getByTestId('view-error').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('view-error').textContent()).toContain('the network is down (test)');
    failNetwork = false;
    await page.getByTestId('view-error').getByTestId('panel-retry').click();
    await page.waitForSelector('#view[data-ready="dispatch"]');
    const returns = page.getByTestId('returns-card');
    await returns.getByTestId('panel-retry').waitFor({ timeout: 10_000 });
    expect(await returns.getByTestId('panel-error').textContent()).toContain('could not be reached');
    expect(await page.locator('[data-testid="job-row"]').count()).toBeGreaterThan(0);
    failReturns = false;
    await returns.getByTestId('panel-retry').click();
    await returns.getByTestId('panel-error').waitFor({ state: 'detached' });
    await page.unrouteAll();
  });

  it('says so when offline, disables the changes and refuses one', async () => {
    await board(page);
    const plan = page.getByTestId('plan-now');
    expect(await plan.isEnabled()).toBe(true);
    await page.context().setOffline(true);
    const banner = page.getByTestId('offline-banner');
    await banner.waitFor();
    expect(await banner.textContent()).toContain('You are offline');
    // on screen and on top, wherever the board is scrolled
    await page.getByTestId('action-accept').first().scrollIntoViewIfNeeded();
    expect(
      await banner.evaluate((el) => {
        const r = el.getBoundingClientRect();
        return document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2) === el;
      }),
    ).toBe(true);
    expect(await plan.isDisabled()).toBe(true);
    expect(await page.getByTestId('action-accept').first().isDisabled()).toBe(true);
    // the filter tabs still work offline
    expect(await page.getByTestId('filter-critical').isEnabled()).toBe(true);
    // a change attempted anyway is refused with a message, and not sent
    let sent = 0;
    page.on('request', (r) => void (r.method() === 'POST' && r.url().includes('/api/') && sent++));
    const refused = await page.evaluate(`(async () => {
      const { api } = await import('/api.js');
      try { await api('/api/dispatch/plan', { method: 'POST' }); return 'sent'; } catch (e) { return e.message; }
    })()`);
    expect(refused).toMatch(/^You are offline — .* was not sent\.$/);
    expect(await banner.textContent()).toBe(refused);
    expect(sent).toBe(0);
    await page.screenshot({ path: path.join(SHOTS, 'board-offline.png') });
    await page.context().setOffline(false);
    await banner.waitFor({ state: 'hidden' });
    expect(await plan.isEnabled()).toBe(true);
  });

  it('is signed in in a new tab until the stated end, and a logout ends every tab', async () => {
    const until = page.getByTestId('session-until');
    const expiresAt = Date.parse((await until.getAttribute('data-expires-at'))!);
    // TOKEN_TTL_MINUTES: 12 h by default
    expect(Math.abs(expiresAt - Date.now() - 12 * 3_600_000)).toBeLessThan(10 * 60_000);
    // "12 hr" in the page's locale (a string: vitest would rewrite a dynamic import())
    const lasts = await page.evaluate<string>(`import('/format.js').then((f) => f.duration(12 * 3_600_000))`);
    expect(lasts).toMatch(/^12\D+$/);
    expect(await until.getAttribute('title')).toContain(`a sign-in lasts ${lasts};`);
    const tab = await page.context().newPage();
    await tab.goto(`${p.url}/app.html#/schedule`);
    await tab.waitForSelector('#view[data-ready="schedule"]');
    expect(await tab.getByTestId('current-user').textContent()).toContain(DISPATCHER.email);
    // a logout revokes the token on the server (ADR 6) and ends the other tab at once
    await tab.getByTestId('logout').click();
    await tab.waitForURL((u) => !u.pathname.endsWith('/app.html'));
    await page.waitForURL(/reason=signed-out/);
    await page.getByTestId('login-email').waitFor();
    await tab.close();
  });

  it('works from the keyboard: skip link, arrow keys in the tabs, a panel that takes and gives back the focus', async () => {
    page = await signedInPage(browser, p.url, DISPATCHER, { context: { viewport: LAPTOP }, pageErrors });
    await board(page);
    // the first Tab reaches the skip link; it moves the focus to the main content, the address unchanged
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('skip-link');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('view');
    expect(page.url()).toMatch(/#\/dispatch$/);

    // one tab stop per tab list; the arrow keys, Home and End move focus and selection
    const focused = () => page.evaluate(() => document.activeElement?.getAttribute('data-testid'));
    const selected = () =>
      page.evaluate(() =>
        document.querySelector('[role=tab][aria-selected=true]')?.getAttribute('data-testid'),
      );
    expect(await page.locator('[data-testid^="filter-"][tabindex="0"]').count()).toBe(1);
    await page.getByTestId('filter-all').focus();
    await page.keyboard.press('ArrowRight');
    expect([await focused(), await selected()]).toEqual(['filter-predicted', 'filter-predicted']);
    await page.keyboard.press('End');
    expect([await focused(), await selected()]).toEqual(['filter-cleared', 'filter-cleared']);
    await page.keyboard.press('ArrowRight');
    expect(await selected()).toBe('filter-all');
    await page.keyboard.press('ArrowLeft');
    expect(await selected()).toBe('filter-cleared');
    await page.keyboard.press('Home');
    expect([await focused(), await selected()]).toEqual(['filter-all', 'filter-all']);
    // a control focused before the next frame keeps the focus: the tabs take it back only when a redraw lost it
    const kept = await page.evaluate(
      () =>
        new Promise<string | undefined>((resolve) => {
          const tab = document.querySelector<HTMLElement>('[data-testid="filter-all"]')!;
          tab.dispatchEvent(new KeyboardEvent('keydown', { key: 'End', bubbles: true }));
          document.getElementById('view')!.focus();
          requestAnimationFrame(() => requestAnimationFrame(() => resolve(document.activeElement?.id)));
        }),
    );
    expect(kept).toBe('view');
    await page.getByTestId('filter-cleared').focus();
    await page.keyboard.press('Home');
    expect([await focused(), await selected()]).toEqual(['filter-all', 'filter-all']);

    // a panel takes the focus, keeps it on Tab, closes on Escape and gives the focus back to its button
    const row = page.locator(`[data-testid="job-row"][data-order-id="${orderId}"]`);
    const opener = row.getByTestId('action-cancel');
    await opener.focus();
    // a live update draws the board anew: the focus stays on the same button of the same row
    await row.evaluate((el) => el.setAttribute('data-drawn-before', ''));
    const { tenantId } = await p.db.serviceOrder.findUniqueOrThrow({ where: { id: orderId } });
    p.bus.emit('order.updated', { orderId, tenantId });
    await page.waitForFunction(
      (id) => !document.querySelector(`[data-order-id="${id}"][data-drawn-before]`),
      orderId,
    );
    expect(
      await page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        return [el?.dataset.testid, el?.closest<HTMLElement>('[data-order-id]')?.dataset.orderId];
      }),
    ).toEqual(['action-cancel', orderId]);
    await page.keyboard.press('Enter');
    const panel = page.getByTestId('order-action-panel');
    await panel.getByTestId('cancel-reason').waitFor();
    const inPanel = () =>
      page.evaluate(
        () =>
          !!document.querySelector('[data-testid="order-action-panel"]')?.contains(document.activeElement),
      );
    expect(await inPanel()).toBe(true);
    for (let i = 0; i < 8; i++) await page.keyboard.press('Tab');
    expect(await inPanel()).toBe(true);
    await page.keyboard.press('Escape');
    expect(await panel.isHidden()).toBe(true);
    expect(
      await page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        return [el?.dataset.testid, el?.closest<HTMLElement>('[data-order-id]')?.dataset.orderId];
      }),
    ).toEqual(['action-cancel', orderId]);

    // the schedule board's move panel too: opened from a booking, closed on Escape, the focus back on the booking
    await page.goto(`${p.url}/app.html#/schedule`);
    await page.waitForSelector('#view[data-ready="schedule"]');
    const booking = page.locator(`[data-testid="booking"][data-order-id="${orderId}"]`);
    await booking.focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('move-technician').waitFor();
    expect(
      await page.evaluate(
        () => !!document.querySelector('[data-testid="move-panel"]')?.contains(document.activeElement),
      ),
    ).toBe(true);
    await page.keyboard.press('Escape');
    expect(await page.getByTestId('move-panel').isHidden()).toBe(true);
    expect(
      await page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        return [el?.dataset.testid, el?.dataset.orderId];
      }),
    ).toEqual(['booking', orderId]);
    expect(pageErrors).toEqual([]);
  });

  it('offers units in transit to a staging location in the restage form', async () => {
    // the planned order's pickup has no free unit on its shelf, but one is on its way there by stock transfer
    const o = await p.db.serviceOrder.findUniqueOrThrow({
      where: { id: orderId },
      include: { failureMode: true, pickupLocation: true },
    });
    const pickup = o.pickupLocation!;
    const { partId, partQty } = o.failureMode;
    const level = await p.db.stockLevel.findUnique({
      where: { locationId_partId: { locationId: pickup.id, partId } },
    });
    if (level)
      await p.db.stockLevel.update({
        where: { locationId_partId: { locationId: pickup.id, partId } },
        data: { onHand: level.reserved, refurbished: Math.min(level.refurbished, level.reserved) },
      });
    const hub = await p.db.stockLocation.findFirstOrThrow({ where: { kind: 'HUB' } });
    const etaAt = new Date(Date.now() + 3_600_000);
    await p.db.stockTransfer.create({
      data: {
        fromLocationId: hub.id,
        toLocationId: pickup.id,
        partId,
        qty: partQty,
        mode: 'COURIER',
        cost: 10,
        shipAt: new Date(),
        etaAt,
      },
    });
    const pg = await signedInPage(browser, p.url, DISPATCHER, { context: { viewport: LAPTOP }, pageErrors });
    await board(pg);
    await pg
      .locator(`[data-testid="job-row"][data-order-id="${orderId}"]`)
      .getByTestId('action-restage')
      .click();
    const option = pg.getByTestId('restage-source').locator(`option[data-in-transit="${pickup.code}"]`);
    await option.waitFor({ state: 'attached' });
    // preselected "Stage at": on time from its own stock whenever some location can do that (it was the first
    // location by code, which could make the order late before the dispatcher chose anything)
    const token = await p.login(DISPATCHER.email, DISPATCHER.password);
    const { stagings } = (await (
      await fetch(`${p.url}/api/orders/${orderId}/choices`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as {
      stagings: { pickup: string; source: string; mode: string; current: boolean; onTime: boolean }[];
    };
    const ownStock = stagings.filter((s) => s.mode === 'stock' && !s.current && s.pickup === s.source);
    const chosen = await pg.getByTestId('restage-location').inputValue();
    if (ownStock.some((s) => s.onTime))
      expect(ownStock.find((s) => s.pickup === chosen)?.onTime, `preselected ${chosen}`).toBe(true);
    // "ready 14:05", or with the day when that is not today ("ready Dec 5, 12:17 AM")
    expect(await option.textContent()).toMatch(
      new RegExp(`^in transit to ${pickup.code}, ready (.+, )?\\d{1,2}:\\d{2}`),
    );
    // chosen, it stages there against the transfer (inTransit: true)
    await pg.getByTestId('restage-source').selectOption({ label: (await option.textContent())! });
    await pg.getByTestId('action-confirm').click();
    await expect
      .poll(() => pg.getByTestId('action-message').textContent())
      .toContain('from units in transit');
    expect(
      await p.db.reservation.count({ where: { orderId, status: 'HELD', transferId: { not: null } } }),
    ).toBeGreaterThan(0);
    await pg.context().close();
  });

  it('answers an unknown path with an HTML 404 for a browser and JSON for the API', async () => {
    const res = await page.goto(`${p.url}/no/such/page`);
    expect(res?.status()).toBe(404);
    expect(res?.headers()['content-type']).toContain('text/html');
    expect(await page.locator('h1').textContent()).toBe('Page not found');
    const api = await fetch(`${p.url}/api/no-such-route`, { headers: { accept: 'text/html' } });
    expect(api.status).toBe(404);
    expect(api.headers.get('content-type')).toContain('application/json');
  });
});
