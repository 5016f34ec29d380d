// The Notifications panel in a real browser (Debian's chromium, playwright-core) against the whole platform and a
// local webhook receiver: the Acme customer subscribes by webhook and sees the secret once; e-mail, not configured
// here, is refused with a clear message; an order planned for Acme shows up as SENT in the delivery log.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, hasChromium, launchChromium, signedInPage } from '../helpers/browser.ts';
import { demoPredictedOrder } from '../helpers/demo-order.ts';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.ts';

const SHOTS = path.resolve('test-results/screenshots');

describe.skipIf(!hasChromium)(`notifications panel in a browser (needs ${CHROMIUM})`, () => {
  let p: TestPlatform;
  let browser: Browser;
  let receiver: http.Server;
  const received: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    receiver = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        received.push(req.url ?? '');
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    [p, browser] = await Promise.all([
      startTestPlatform({ NOTIFY_WEBHOOK_ALLOW_PRIVATE: 'true', NOTIFY_POLL_MS: '100' }, { fleet: false }),
      launchChromium(),
    ]);
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await p?.stop();
    await new Promise((r) => receiver?.close(r));
  });

  it('a customer subscribes by webhook, sees the secret once, and reads the delivery log', async () => {
    const page = await signedInPage(
      browser,
      p.url,
      { email: 'customer@acme.demo', password: 'customer-demo' },
      { context: { viewport: { width: 1280, height: 720 } }, pageErrors },
    );
    await page.getByTestId('nav-notifications').click();
    await page.getByTestId('notify-create').waitFor();

    // e-mail is not configured on this platform: the panel says so
    await page.getByTestId('notify-create').getByRole('button', { name: 'Subscribe' }).click();
    await expect.poll(() => page.getByTestId('notify-status').textContent()).toContain('not configured');

    const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/acme`;
    await page.getByTestId('notify-channel').selectOption('WEBHOOK');
    await page.getByTestId('notify-url').fill(hookUrl);
    await page.getByTestId('notify-create').getByRole('button', { name: 'Subscribe' }).click();
    const secret = await page.getByTestId('notify-secret').locator('code').textContent();
    expect(secret?.length).toBeGreaterThanOrEqual(40);
    await expect.poll(() => page.getByTestId('notify-subscription').count()).toBe(1);
    expect(await page.getByTestId('notify-subscription-table').textContent()).toContain(hookUrl);

    const token = await p.login('dispatcher@preempt.demo', 'dispatcher-demo');
    await demoPredictedOrder(p.db, { tenant: 'acme' });
    const res = await fetch(`${p.url}/api/dispatch/plan`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    await expect.poll(() => received.length, { timeout: 20_000 }).toBe(1);
    await expect
      .poll(
        async () => {
          await page.getByTestId('notify-refresh').click();
          return page.locator('[data-testid="notify-delivery"][data-status="SENT"]').count();
        },
        { timeout: 20_000 },
      )
      .toBe(1);
    // the secret is not shown again after a reload
    await page.reload();
    await page
      .locator('#view[data-ready="notifications"]')
      .waitFor({ timeout: 60_000 })
      .catch(async (err: unknown) => {
        console.log(
          'notifications view not ready after reload:',
          page.url(),
          await page.locator('body').innerText(),
          pageErrors,
        );
        await page.screenshot({ path: path.join(SHOTS, 'notifications-debug.png'), fullPage: true });
        throw err;
      });
    expect(await page.getByTestId('notify-subscription').count()).toBe(1);
    expect(await page.getByTestId('notify-secret').count()).toBe(0);
    expect(await page.content()).not.toContain(secret!);
    await page.screenshot({ path: path.join(SHOTS, 'notifications.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
  }, 120_000);
});
