// The customer's availability panel in a real browser (Debian's chromium) says what counts as downtime (ADR 28): an
// asset whose device was offline for two hours and whose machine reported itself down for three shows one failure
// (MTTR 3 hours), and the two hours apart, as "not reporting", with its own timeline segment and legend entry.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, hasChromium, launchChromium, signedInPage } from '../helpers/browser.ts';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.ts';

const ACME = { email: 'customer@acme.demo', password: 'customer-demo' };
const HOUR = 3_600_000;

describe.skipIf(!hasChromium)(`customer downtime and not reporting (needs ${CHROMIUM})`, () => {
  let p: TestPlatform;
  let browser: Browser;
  let assetId = '';
  const pageErrors: string[] = [];

  beforeAll(async () => {
    [p, browser] = await Promise.all([startTestPlatform({}, { fleet: false }), launchChromium()]);
    const tenant = await p.db.tenant.findUniqueOrThrow({ where: { slug: 'acme' } });
    const asset = await p.db.asset.findFirstOrThrow({
      where: { tenantId: tenant.id, decommissionedAt: null },
      orderBy: { id: 'asc' },
    });
    assetId = asset.id;
    const now = Date.now();
    const at = (hoursAgo: number) => new Date(now - hoursAgo * HOUR);
    await p.db.assetStateEvent.deleteMany({ where: { assetId } });
    await p.db.assetStateEvent.createMany({
      data: [
        { assetId, at: at(40 * 24), kind: 'connectivity', value: 'online' },
        { assetId, at: at(20), kind: 'connectivity', value: 'offline' },
        { assetId, at: at(18), kind: 'connectivity', value: 'online' },
        { assetId, at: at(10), kind: 'condition', value: 'down' },
        { assetId, at: at(7), kind: 'condition', value: 'up' },
      ],
    });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await p?.stop();
  });

  it('shows a reported failure as downtime and a device offline apart, as not reporting', async () => {
    const page = await signedInPage(browser, p.url, ACME, { pageErrors });
    await page.goto(`${p.url}/app.html#/assets/${assetId}`);
    await expect.poll(() => page.getByTestId('mttr').textContent()).toMatch(/^3 hr/);
    expect(await page.getByTestId('mtbf').textContent()).not.toMatch(/no failures/);
    await expect.poll(() => page.getByTestId('not-reporting').textContent()).toMatch(/^2 hr/);
    expect(await page.getByTestId('not-reporting').textContent()).toContain('Not reporting (30 days)');

    const states = await page
      .getByTestId('availability-timeline')
      .locator('[data-state]')
      .evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.state));
    expect(states).toEqual(['up', 'not_reporting', 'up', 'down', 'up']);
    const legend = await page.locator('.timeline-legend').textContent();
    expect(legend).toContain('Down (reported failure)');
    expect(legend).toContain('Not reporting (offline)');
    // the 24 h figure leaves the two hours out: 19 of 22 known hours up
    expect(await page.getByTestId('availability-24h').textContent()).toMatch(/^86/);
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
