// The dispatcher's map, the administration of tenants and sites and the technician's report, in a real browser
// (Debian's chromium) against the whole platform (issue 17): the map pans and zooms by buttons, wheel, drag and
// keys, its labels never overlap at the default zoom, each stock location carries a badge of its free
// serviceable units with the stock per part on click, and the legend explains every marker and line; an admin
// creates a tenant and edits its sites, each change in the page's audit log; the order detail shows the
// technician's report with his photo to the dispatcher and its customer-safe part to the customer.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveOrder } from '../../common/contracts/live.ts';
import { CHROMIUM, hasChromium, launchChromium, signedInPage } from '../helpers/browser.ts';
import { callApi } from '../helpers/api-client.ts';
import { demoPredictedOrder } from '../helpers/demo-order.ts';
import { technicianToken, walkOrder } from '../helpers/field-walk.ts';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.ts';

const SHOTS = path.resolve('test-results/screenshots');
const DISPATCHER = { email: 'dispatcher@preempt.demo', password: 'dispatcher-demo' };
const ADMIN = { email: 'admin@preempt.demo', password: 'admin-demo' };
const ACME = { email: 'customer@acme.demo', password: 'customer-demo' };
// a 1 × 1 PNG
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}
const overlap = (a: Box, b: Box) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe.skipIf(!hasChromium)(
  `the map, tenants and sites, the technician's report (needs ${CHROMIUM})`,
  () => {
    let p: TestPlatform;
    let browser: Browser;
    let desk = '';
    let orderId = '';
    const pageErrors: string[] = [];

    beforeAll(async () => {
      mkdirSync(SHOTS, { recursive: true });
      [p, browser] = await Promise.all([startTestPlatform({}, { fleet: false }), launchChromium()]);
      desk = await p.login(DISPATCHER.email, DISPATCHER.password);
      ({ orderId } = await demoPredictedOrder(p.db, { tenant: 'acme' }));
      expect((await callApi(p.url, desk, 'POST', '/api/dispatch/plan')).status).toBe(200);
      expect((await callApi(p.url, desk, 'POST', `/api/orders/${orderId}/accept`)).status).toBe(200);
    }, 60_000);
    afterAll(async () => {
      await browser?.close();
      await p?.stop();
    });

    const labelBoxes = (page: Page, selector = '[data-testid="map-label"]') =>
      page
        .locator(selector)
        .evaluateAll((els) =>
          els.map((e) => (e as SVGGraphicsElement).getBoundingClientRect().toJSON() as Box),
        );
    const zoom = async (page: Page) =>
      Number(await page.getByTestId('network-map').getAttribute('data-zoom'));
    const firstLoc = async (page: Page) => (await page.getByTestId('map-location').first().boundingBox())!;

    it('pans and zooms the map, keeps its labels apart, shows stock and explains every line', async () => {
      const net = (
        await callApi<{ locations: { code: string }[]; movements: unknown[] }>(
          p.url,
          desk,
          'GET',
          '/api/network',
        )
      ).body;
      expect(Array.isArray(net.movements)).toBe(true);
      const page = await signedInPage(browser, p.url, DISPATCHER, { pageErrors });
      await page.goto(`${p.url}/app.html#/dispatch`);
      const map = page.getByTestId('network-map');
      await map.waitFor();
      await expect.poll(() => page.getByTestId('map-route').count()).toBeGreaterThan(0);

      // a badge per location; labels overlap neither each other nor the grid's at the default zoom
      expect(await page.getByTestId('map-stock-badge').count()).toBe(net.locations.length);
      const boxes = await labelBoxes(page);
      const grid = await labelBoxes(page, '.map-grid-label');
      expect(boxes.length).toBeGreaterThan(5);
      for (let i = 0; i < boxes.length; i++)
        for (const other of [...boxes.slice(i + 1), ...grid])
          expect(overlap(boxes[i]!, other), `label ${i} overlaps`).toBe(false);

      await page.getByTestId('map-card').screenshot({ path: path.join(SHOTS, 'network-map.png') });
      // the legend names every marker and line style
      const legend = await page.getByTestId('map-legend').innerText();
      for (const text of [
        'Customer site',
        'Hub',
        'Field stock',
        'Pickup counter',
        'Repair depot',
        'Technician',
        'Technician route',
        'courier',
        'hub overnight',
        'Stock transfer',
        'Free serviceable units',
      ])
        expect(legend).toContain(text);

      // zoom by the buttons, the wheel and the keys; pan by dragging and by the arrows
      await page.getByTestId('map-zoom-in').click();
      await expect.poll(() => zoom(page)).toBeCloseTo(1.5);
      await map.scrollIntoViewIfNeeded();
      const before = await firstLoc(page);
      const mb = (await map.boundingBox())!;
      await page.mouse.move(mb.x + mb.width / 2, mb.y + mb.height / 2);
      await page.mouse.down();
      await page.mouse.move(mb.x + mb.width / 2 + 80, mb.y + mb.height / 2 + 40, { steps: 5 });
      await page.mouse.up();
      await expect.poll(async () => (await firstLoc(page)).x - before.x).toBeGreaterThan(30);
      await page.mouse.wheel(0, -400);
      await expect.poll(() => zoom(page)).toBeGreaterThan(1.5);
      await page.getByTestId('map-zoom-reset').click();
      await expect.poll(() => zoom(page)).toBe(1);
      await map.focus();
      await page.keyboard.press('+');
      await expect.poll(() => zoom(page)).toBeCloseTo(1.5);
      const still = await firstLoc(page);
      await page.keyboard.press('ArrowLeft');
      await expect.poll(async () => (await firstLoc(page)).x - still.x).toBeGreaterThan(10);
      await page.keyboard.press('0');
      await expect.poll(() => zoom(page)).toBe(1);

      // a location's stock per part, by click and by the keyboard
      await page.locator('[data-testid="map-location"].m-hub > rect').click();
      const detail = page.getByTestId('map-stock-detail');
      await expect.poll(() => detail.innerText()).toMatch(/free[\s\S]*reserved/i);
      await page.getByTestId('map-location').nth(1).focus();
      await page.keyboard.press('Enter');
      const code = await page.getByTestId('map-location').nth(1).getAttribute('data-code');
      await expect.poll(() => detail.innerText()).toContain(code!);
      expect(pageErrors).toEqual([]);
      await page.context().close();
    }, 30_000);

    it('lets an admin create a tenant and add, edit and remove its sites, each change in the audit log', async () => {
      const page = await signedInPage(browser, p.url, ADMIN, { pageErrors });
      page.setDefaultTimeout(8_000);
      await page.goto(`${p.url}/app.html#/tenants`);
      const create = page.getByTestId('tenant-create');
      await create.getByLabel('Slug').fill('initrode');
      await create.getByLabel('Tenant name').fill('Initrode');
      await create.getByRole('button').click();
      await expect.poll(() => page.getByTestId('site-tenant').innerText()).toBe('Sites of Initrode');

      const add = page.getByTestId('site-create');
      await add.getByLabel('Site name').fill('Initrode Works');
      await add.getByLabel('Address').fill('Werkstraße 5, 50667 Köln');
      await add.getByLabel('Latitude').fill('50.94');
      await add.getByLabel('Longitude').fill('6.96');
      await add.getByRole('button', { name: 'Add site' }).click();
      await expect.poll(() => page.getByTestId('site-row').count()).toBe(1);

      await page.getByTestId('site-edit-button').click();
      const edit = page.getByTestId('site-edit');
      await edit.getByLabel('Site name').fill('Initrode Works North');
      await edit.getByRole('button', { name: 'Save site' }).click();
      await expect.poll(() => page.getByTestId('site-row').innerText()).toContain('Initrode Works North');

      // a bad coordinate is refused by the API with its message, shown by the form
      await page.getByTestId('site-edit-button').click();
      await page.getByTestId('site-edit').evaluate((f) => f.setAttribute('novalidate', ''));
      await page.getByTestId('site-edit').getByLabel('Latitude').fill('95');
      await page.getByTestId('site-edit').getByRole('button', { name: 'Save site' }).click();
      await expect.poll(() => page.getByTestId('site-status').innerText()).toMatch(/lat|90/i);
      await page.getByRole('button', { name: 'Cancel' }).click();

      page.once('dialog', (d) => void d.accept());
      await page.getByTestId('site-remove').click();
      await expect.poll(() => page.getByTestId('site-row').count()).toBe(0);

      const actions = () =>
        page
          .getByTestId('tenant-audit-row')
          .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')));
      await expect.poll(actions).toEqual(['site.delete', 'site.update', 'site.create', 'tenant.create']);
      await page.screenshot({ path: path.join(SHOTS, 'tenants-sites.png'), fullPage: true });
      expect(await page.getByTestId('tenant-audit-row').nth(1).innerText()).toMatch(
        /admin@preempt\.demo[\s\S]*Initrode Works[\s\S]*Initrode Works North/,
      );
      expect(pageErrors).toEqual([]);
      await page.context().close();
    }, 30_000);

    it('keeps the Tenants, Devices and Users pages within a 1366 px window when a name is 200 characters with no break', async () => {
      const long = `Initrode${'X'.repeat(192)}`;
      const admin = await p.login(ADMIN.email, ADMIN.password);
      const created = await callApi<{ id: string }>(p.url, admin, 'POST', '/api/admin/tenants', {
        slug: 'initrode-long',
        name: long,
      });
      expect(created.status).toBe(201);
      const site = await callApi(p.url, admin, 'POST', `/api/admin/tenants/${created.body.id}/sites`, {
        name: long,
        address: long,
        lat: 50.94,
        lon: 6.96,
      });
      expect(site.status).toBe(201);
      // the Devices table names the asset, its tenant and its site (globex: the other tests' order is acme's;
      // the names are put back at the end)
      const asset = await p.db.asset.findFirstOrThrow({
        where: { tenant: { slug: 'globex' } },
        include: { tenant: true, site: true },
      });
      await p.db.asset.update({ where: { id: asset.id }, data: { name: long } });
      await p.db.tenant.update({ where: { id: asset.tenantId }, data: { name: `Globex${'Y'.repeat(194)}` } });
      await p.db.site.update({ where: { id: asset.siteId }, data: { name: `Site${'Z'.repeat(196)}` } });

      const page = await signedInPage(browser, p.url, ADMIN, {
        pageErrors,
        context: { viewport: { width: 1366, height: 768 } },
      });
      page.setDefaultTimeout(8_000);
      // the page itself never scrolls sideways (a table may still scroll inside its card)
      const overflow = () => page.evaluate(() => document.scrollingElement!.scrollWidth - window.innerWidth);
      await page.goto(`${p.url}/app.html#/tenants/${created.body.id}`);
      await expect.poll(() => page.getByTestId('admin-tenant-table').innerText()).toContain(long);
      await expect.poll(() => page.getByTestId('site-table').innerText()).toContain(long);
      expect(await overflow()).toBeLessThanOrEqual(0);
      await page.goto(`${p.url}/app.html#/devices`);
      await expect.poll(() => page.getByTestId('devices-table').innerText()).toContain(long);
      expect(await overflow()).toBeLessThanOrEqual(0);
      await page.screenshot({ path: path.join(SHOTS, 'devices-long-names.png'), fullPage: true });
      // the Users page offers every tenant by name (the new-user form's and each row's tenant select)
      await page.goto(`${p.url}/app.html#/users`);
      await expect.poll(() => page.getByTestId('user-row').count()).toBeGreaterThan(0);
      expect(await overflow()).toBeLessThanOrEqual(0);
      expect(pageErrors).toEqual([]);
      await page.context().close();
      await p.db.asset.update({ where: { id: asset.id }, data: { name: asset.name } });
      await p.db.tenant.update({ where: { id: asset.tenantId }, data: { name: asset.tenant.name } });
      await p.db.site.update({ where: { id: asset.siteId }, data: { name: asset.site.name } });
    }, 30_000);

    it("shows the technician's report on the order detail: all of it to the desk, the customer-safe part to the customer", async () => {
      const o = await walkOrder(p, desk, orderId, { removedSerial: 'unused' }, 'ON_SITE');
      const tech = await technicianToken(p, o as LiveOrder);
      const form = new FormData();
      form.append('photo', new Blob([PNG], { type: 'image/png' }), 'pump.png');
      const up = await fetch(`${p.url}/api/me/jobs/${orderId}/photos`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tech}` },
        body: form,
      });
      expect(up.status).toBe(201);
      const done = await callApi(p.url, tech, 'POST', `/api/me/jobs/${orderId}/complete`, {
        removedSerial: 'SN-REMOVED-7',
        fitted: [{ sku: o.part.sku, qty: o.part.qty }],
        note: 'seal worn, replaced; customer informed',
      });
      expect(done.status).toBe(200);

      const page = await signedInPage(browser, p.url, DISPATCHER, { pageErrors });
      await page.goto(`${p.url}/app.html#/orders/${orderId}`);
      const report = page.getByTestId('report-card');
      await report.waitFor();
      const text = await report.innerText();
      expect(text).toContain('SN-REMOVED-7');
      expect(text).toContain('seal worn, replaced');
      expect(text).toContain(o.part.sku);
      expect(text).toMatch(/as staged/i);
      await expect
        .poll(() =>
          page
            .getByTestId('job-photo')
            .locator('img')
            .evaluate((img) => (img as HTMLImageElement).naturalWidth),
        )
        .toBe(1);
      await report.screenshot({ path: path.join(SHOTS, 'technician-report.png') });
      await page.context().close();

      const customer = await signedInPage(browser, p.url, ACME, { pageErrors });
      await customer.goto(`${p.url}/app.html#/orders/${orderId}`);
      const safe = customer.getByTestId('report-card');
      await safe.waitFor();
      const seen = await safe.innerText();
      expect(seen).toContain('SN-REMOVED-7');
      expect(seen).toContain(o.part.sku);
      expect(seen).not.toContain('seal worn');
      expect(seen).not.toMatch(/t-\d\d@/);
      expect(await customer.getByTestId('job-photo').count()).toBe(0);
      expect(pageErrors).toEqual([]);
      await customer.context().close();
    }, 40_000);
  },
);
