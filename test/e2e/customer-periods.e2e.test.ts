// The customer's asset page in a real browser (Debian's chromium) against the whole platform without the fleet:
// 30 days of readings in the PostgreSQL store; the period tabs drive the availability figure and the charts (the
// page asks GET /api/assets/{id}/series for the period and gets the store's buckets, never raw readings); in a
// de-DE browser numbers, dates and chart axes are German; on a 390 × 844 phone nothing scrolls sideways and every
// order row shows its ETA.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, hasChromium, launchChromium, signedInPage } from '../helpers/browser.ts';
import { demoPredictedOrder } from '../helpers/demo-order.ts';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.ts';

const SHOTS = path.resolve('test-results/screenshots');
const ACME = { email: 'customer@acme.demo', password: 'customer-demo' };
const MIN = 60_000;
const DAY = 24 * 60 * MIN;

interface SeriesAnswer {
  bucketMs: number;
  maxPoints: number;
  series: { metric: string; points: unknown[] }[];
}

describe.skipIf(!hasChromium)(`customer asset page in a browser (needs ${CHROMIUM})`, () => {
  let p: TestPlatform;
  let browser: Browser;
  let assetId = '';
  let metric = '';
  const pageErrors: string[] = [];

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    [p, browser] = await Promise.all([startTestPlatform({}, { fleet: false }), launchChromium()]);
    // an Acme order with a plan (so an ETA); its asset is the one the page opens first
    const made = await demoPredictedOrder(p.db, { tenant: 'acme' });
    assetId = made.asset.id;
    const model = await p.db.equipmentModel.findUniqueOrThrow({
      where: { id: made.asset.equipmentModelId },
      include: { metrics: true },
    });
    metric = model.metrics[0]!.name;
    const end = Math.floor(Date.now() / MIN) * MIN;
    const points = [];
    for (let t = end - 30 * DAY; t <= end; t += 5 * MIN)
      points.push({ assetId, metric, ts: new Date(t), value: 20.25 + Math.sin(t / DAY) });
    await p.store.write(points);
    const token = await p.login('dispatcher@preempt.demo', 'dispatcher-demo');
    const res = await fetch(`${p.url}/api/dispatch/plan`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await p?.stop();
  });

  const chart = (page: Page) => page.locator(`[data-testid=telemetry-chart][data-metric="${metric}"]`);

  it('the period tabs ask the store for 24 h, then 30 days, in buckets, and redraw the charts', async () => {
    const asked: string[] = [];
    const page = await signedInPage(browser, p.url, ACME, { pageErrors });
    page.on('request', (r) => r.url().includes('/series') && asked.push(r.url()));
    await page.goto(`${p.url}/app.html#/assets/${assetId}`);
    await expect.poll(() => chart(page).getAttribute('data-bucket-ms')).toBe(String(5 * MIN));
    const day = Number(await chart(page).getAttribute('data-points'));
    expect(day).toBeGreaterThan(280);
    expect(day).toBeLessThanOrEqual(289);
    expect(await page.getByTestId('availability-24h').getAttribute('data-selected')).toBe('true');

    const answer = page.waitForResponse((r) => r.url().includes('/series') && r.url().includes('period=30d'));
    await page.getByTestId('period-tabs').getByRole('tab', { name: '30 days' }).click();
    const body = (await (await answer).json()) as SeriesAnswer;
    expect(body.bucketMs).toBe(2 * 60 * MIN);
    for (const s of body.series) expect(s.points.length).toBeLessThanOrEqual(body.maxPoints);
    expect(body.series.find((s) => s.metric === metric)!.points.length).toBeGreaterThan(355);
    await expect.poll(() => chart(page).getAttribute('data-bucket-ms')).toBe(String(2 * 60 * MIN));
    expect(await chart(page).getAttribute('data-period-ms')).toBe(String(30 * DAY));
    expect(Number(await chart(page).getAttribute('data-points'))).toBeLessThanOrEqual(body.maxPoints);
    expect(await page.getByTestId('availability-30d').getAttribute('data-selected')).toBe('true');
    await expect
      .poll(() => page.getByTestId('availability-timeline').getAttribute('data-window'))
      .toBe('30d');
    expect(asked.some((u) => u.includes('period=24h'))).toBe(true);
    expect(asked.at(-1)).toContain('period=30d');
    await page.screenshot({ path: path.join(SHOTS, 'customer-30d.png'), fullPage: true });
    await page.context().close();
    expect(pageErrors).toEqual([]);
  }, 30_000);

  it('on a German phone: decimal commas, German dates, no sideways scrolling, an ETA on every order', async () => {
    const page = await signedInPage(browser, p.url, ACME, {
      pageErrors,
      context: {
        viewport: { width: 390, height: 844 },
        deviceScaleFactor: 2,
        isMobile: true,
        hasTouch: true,
        locale: 'de-DE',
        timezoneId: 'Europe/Berlin',
      },
    });
    await page.goto(`${p.url}/app.html#/assets/${assetId}`);
    await expect.poll(() => chart(page).getAttribute('data-bucket-ms')).toBe(String(5 * MIN));
    // numbers: "20,8" — a decimal comma in the latest value (none when it rounds to a whole "21"), never a point
    await expect.poll(() => chart(page).getByTestId('chart-latest').textContent()).toMatch(/^\d+(,\d+)?\s/);
    expect(await chart(page).getByTestId('chart-latest').textContent()).not.toMatch(/\d\.\d/);
    // dates: the 24 h timeline starts yesterday, "3. Dez., 16:05"
    expect(await page.locator('.timeline-axis span').first().textContent()).toMatch(
      /^\d{1,2}\. \p{L}+\.?,? \d{2}:\d{2}$/u,
    );
    // chart axes: the page's own axis labels in the page's locale
    // (a string: vitest would rewrite a dynamic import() in a function)
    const ticks = await page.evaluate(`(async () => {
      const m = await import('/chart-axes.js');
      const t = Date.UTC(2026, 11, 3, 12) / 1000; // 13:00 in Berlin
      return {
        time: m.timeTicks(null, [t, t + 3600], 0, 0, 3600),
        days: m.timeTicks(null, [t], 0, 0, 86400),
        values: m.valueAxis(2).values(null, [1234.5]),
      };
    })()`);
    expect(ticks).toEqual({ time: ['13:00\n3. Dez.', '14:00'], days: ['3. Dez.'], values: ['1.234,5'] });

    // the phone: no horizontal scrolling, each order row's ETA on screen
    const rows = page.getByTestId('order-row');
    await expect.poll(() => rows.count()).toBeGreaterThan(0);
    expect(await page.evaluate(() => document.scrollingElement!.scrollWidth)).toBeLessThanOrEqual(390);
    for (const row of await rows.all()) {
      const eta = row.getByTestId('eta');
      expect(await eta.isVisible()).toBe(true);
      const box = (await eta.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(390);
    }
    await page.screenshot({ path: path.join(SHOTS, 'customer-phone-de.png'), fullPage: true });
    // the customer's other pages too
    for (const view of ['history', 'billing', 'notifications']) {
      await page.getByTestId(`nav-${view}`).click();
      await page.locator(`#view[data-ready=${view}]`).waitFor();
      const width = await page.evaluate(() => document.scrollingElement!.scrollWidth);
      expect(width, view).toBeLessThanOrEqual(390);
    }
    await page.context().close();
    expect(pageErrors).toEqual([]);
  }, 30_000);
});
