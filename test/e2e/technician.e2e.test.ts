// The technician on his phone (390 × 844, Chromium): he logs in and lands on "My jobs", sees where to collect the
// part with the counter's hours and the way there, and walks the job en route → on site → complete (serial, the
// parts fitted prefilled from the staged ones, a note and a photo) — with no horizontal scrolling on the way.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveOrder } from '../../common/contracts/live.ts';
import { DEMO_TECHNICIAN_PASSWORD, demoTechnicianEmail } from '../../simulators/demo-world.ts';
import { CHROMIUM, hasChromium, launchChromium, signedInPage } from '../helpers/browser.ts';
import { demoPredictedOrder } from '../helpers/demo-order.ts';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.ts';

const SHOTS = path.resolve('test-results/screenshots');
const DISPATCHER = { email: 'dispatcher@preempt.demo', password: 'dispatcher-demo' };
const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.alloc(200, 1),
]);

describe.skipIf(!hasChromium)(`the technician's phone view (needs ${CHROMIUM})`, () => {
  let p: TestPlatform;
  let browser: Browser;
  let token = '';
  const pageErrors: string[] = [];

  const call = async <T>(method: string, url: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${p.url}${url}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    expect(res.status, `${method} ${url}`).toBe(200);
    return (await res.json()) as T;
  };
  const noSideScroll = (page: Page) =>
    page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    [p, browser] = await Promise.all([startTestPlatform({}, { fleet: false }), launchChromium()]);
    token = await p.login(DISPATCHER.email, DISPATCHER.password);
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await p?.stop();
  });

  it('walks his job en route → on site → complete at 390 × 844', async () => {
    const { orderId } = await demoPredictedOrder(p.db, { tenant: 'acme' });
    await call('POST', '/api/dispatch/plan');
    let o = await call<LiveOrder>('POST', `/api/orders/${orderId}/accept`);
    while (o.nextStatus !== 'TECHNICIAN_EN_ROUTE')
      o = await call<LiveOrder>('POST', `/api/orders/${orderId}/status`, { status: o.nextStatus });
    const code = o.technician!.split(' ')[0]!;

    const page = await signedInPage(
      browser,
      p.url,
      { email: demoTechnicianEmail(code), password: DEMO_TECHNICIAN_PASSWORD },
      {
        context: {
          viewport: { width: 390, height: 844 },
          deviceScaleFactor: 2,
          isMobile: true,
          hasTouch: true,
        },
        pageErrors,
      },
    );
    // he lands on his jobs; the job's day (today unless the ETA falls after midnight UTC)
    await page.waitForSelector('#view[data-ready="jobs"]');
    expect(page.url()).toContain('#/jobs');
    await page.goto(`${p.url}/app.html#/jobs/${o.etaAt!.slice(0, 10)}`);
    const job = page.locator(`[data-testid="job"][data-order="${orderId}"]`);
    await job.waitFor();
    expect(await job.getByTestId('pickup-hours').textContent()).toMatch(/^Open .*(UTC|around the clock)/);
    expect(await job.getByTestId('job-parts').textContent()).toContain(o.part.sku);
    expect(await job.getByTestId('nav-site').getAttribute('href')).toMatch(
      /^https:\/\/www\.openstreetmap\.org\/directions\?/,
    );
    expect(await noSideScroll(page)).toBe(true);
    await page.screenshot({ path: path.join(SHOTS, 'technician-jobs.png'), fullPage: true });

    await job.getByTestId('step-en-route').click();
    await expect.poll(() => job.getAttribute('data-status')).toBe('TECHNICIAN_EN_ROUTE');
    await job.getByTestId('step-on-site').click();
    await expect.poll(() => job.getAttribute('data-status')).toBe('ON_SITE');

    // the completion form: the serial is required; fitted parts come prefilled from the staged ones
    const form = job.getByTestId('complete-form');
    expect(await form.locator('.fitted-sku').first().inputValue()).toBe(o.part.sku);
    expect(await noSideScroll(page)).toBe(true);
    await job.getByTestId('step-complete').click();
    expect(await job.getByTestId('complete-status').textContent()).toMatch(/serial/);
    expect(await job.getAttribute('data-status')).toBe('ON_SITE');
    await job.getByTestId('removed-serial').fill('SN-PHONE-7');
    await job.getByTestId('job-note').fill('bearing replaced, runs quiet');
    await job
      .getByTestId('job-photos')
      .setInputFiles({ name: 'after.png', mimeType: 'image/png', buffer: PNG });
    await page.screenshot({ path: path.join(SHOTS, 'technician-complete.png'), fullPage: true });

    // offline (issue 17): the photo upload is refused like every other change, with the same message, and
    // nothing is sent — not the photo, not the completion
    const posts: string[] = [];
    const onRequest = (r: { method(): string; url(): string }) =>
      r.method() === 'POST' && r.url().includes('/api/') && posts.push(r.url());
    page.on('request', onRequest);
    await page.context().setOffline(true);
    await page.getByTestId('offline-banner').waitFor();
    expect(await job.getByTestId('step-complete').isDisabled()).toBe(true);
    // a submit that happens anyway (the form sent by other means than its disabled button)
    await form.evaluate((f: HTMLFormElement) => f.requestSubmit());
    await expect
      .poll(() => job.getByTestId('complete-status').textContent())
      .toMatch(/^You are offline — .* was not sent\.$/);
    expect(await page.getByTestId('offline-banner').textContent()).toBe(
      await job.getByTestId('complete-status').textContent(),
    );
    expect(posts).toEqual([]);
    await page.context().setOffline(false);
    await page.getByTestId('offline-banner').waitFor({ state: 'hidden' });
    // online, the network failing under the upload: refused, and the completion not sent after it
    await page.route('**/photos', (route) => route.abort('internetdisconnected'));
    await job.getByTestId('step-complete').click();
    await expect
      .poll(() => job.getByTestId('complete-status').textContent())
      .toMatch(/^The network failed — “Complete job” may not have been sent\./);
    await page.unroute('**/photos');
    page.off('request', onRequest);
    expect(posts.map((u) => new URL(u).pathname)).toEqual([`/api/me/jobs/${orderId}/photos`]);
    expect(await job.getAttribute('data-status')).toBe('ON_SITE');
    expect(await p.db.jobPhoto.count({ where: { orderId } })).toBe(0);

    await job.getByTestId('step-complete').click();
    await expect.poll(() => job.getAttribute('data-status'), { timeout: 10_000 }).toBe('COMPLETED');
    expect(await job.getByTestId('job-done').textContent()).toContain('SN-PHONE-7');

    const done = await p.db.serviceOrder.findUniqueOrThrow({
      where: { id: orderId },
      include: { report: { include: { fitted: true } }, photos: { select: { size: true } } },
    });
    expect(done.status).toBe('COMPLETED');
    expect(done.report).toMatchObject({
      removedSerial: 'SN-PHONE-7',
      flagged: false,
      note: 'bearing replaced, runs quiet',
    });
    expect(done.photos).toEqual([{ size: PNG.length }]);
    expect(await noSideScroll(page)).toBe(true);
    expect(pageErrors).toEqual([]);
    await page.context().close();
  }, 90_000);
});
