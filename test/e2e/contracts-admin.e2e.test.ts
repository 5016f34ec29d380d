// A tenant created in the admin UI gets its first asset, in a real browser (Debian's chromium) against the whole
// platform: the admin creates tenant umbrella and a site; Devices → Register says the tenant has no service
// contract and where to create one (no empty list, no browser "select an item"); the admin follows the link, adds
// a contract with the keyboard, edits it, and registers the device under it; a contract in use is kept.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi } from '../helpers/api-client.ts';
import { CHROMIUM, hasChromium, launchChromium, signedInPage } from '../helpers/browser.ts';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.ts';

const SHOTS = path.resolve('test-results/screenshots');
const ADMIN = { email: 'admin@preempt.demo', password: 'admin-demo' };

describe.skipIf(!hasChromium)(`service contracts in the admin UI (needs ${CHROMIUM})`, () => {
  let p: TestPlatform;
  let browser: Browser;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    [p, browser] = await Promise.all([startTestPlatform({}, { fleet: false }), launchChromium()]);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await p?.stop();
  });

  const focused = (page: Page) =>
    page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.getAttribute('name') ?? '');

  it('takes a new tenant to its first registered device: tenant, site, contract, register', async () => {
    const page = await signedInPage(browser, p.url, ADMIN, { pageErrors });
    page.setDefaultTimeout(8_000);
    await page.goto(`${p.url}/app.html#/tenants`);
    const create = page.getByTestId('tenant-create');
    await create.getByLabel('Slug').fill('umbrella');
    await create.getByLabel('Tenant name').fill('Umbrella');
    await create.getByRole('button').click();
    await expect.poll(() => page.getByTestId('site-tenant').innerText()).toBe('Sites of Umbrella');
    await expect
      .poll(() => page.getByTestId('contract-tenant').innerText())
      .toBe('Service contracts of Umbrella');
    expect(await page.getByTestId('contract-none').innerText()).toMatch(/No service contract yet/);
    const site = page.getByTestId('site-create');
    await site.getByLabel('Site name').fill('Raccoon City Plant');
    await site.getByLabel('Latitude').fill('51.3');
    await site.getByLabel('Longitude').fill('9.5');
    await site.getByRole('button', { name: 'Add site' }).click();
    await expect.poll(() => page.getByTestId('site-row').count()).toBe(1);

    // Devices → Register: the tenant has a site but no contract, and the form says so
    await page.goto(`${p.url}/app.html#/devices`);
    const form = page.getByTestId('register-form');
    await form.getByLabel('Customer').selectOption({ label: 'Umbrella' });
    const note = page.getByTestId('reg-missing-note');
    await expect.poll(() => note.innerText()).toMatch(/This tenant \(Umbrella\) has no service contract/);
    expect(await note.innerText()).not.toMatch(/no site/);
    expect(await page.getByTestId('reg-submit').isDisabled()).toBe(true);
    expect(await page.getByTestId('reg-contract').isDisabled()).toBe(true);

    // the link leads to the tenant's contracts
    await page.getByTestId('reg-tenant-link').click();
    await expect
      .poll(() => page.getByTestId('contract-tenant').innerText())
      .toBe('Service contracts of Umbrella');

    // the contract form by keyboard: its fields in order, Enter submits
    const add = page.getByTestId('contract-create');
    await add.getByLabel('Contract name').focus();
    await page.keyboard.type('Standard next day');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('tier');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('responseHours');
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type('24');
    for (const name of [
      'startsAt',
      'endsAt',
      'coversParts',
      'coversLabour',
      'coversTravel',
      'coversShipping',
    ]) {
      // a date input holds three segments (day, month, year) a Tab moves through
      for (let i = 0; i < 4 && (await focused(page)) !== name; i++) await page.keyboard.press('Tab');
      expect(await focused(page)).toBe(name);
    }
    await page.keyboard.press('Space'); // shipping not covered
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('excludedSkus');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('contract-row').count()).toBe(1);
    const row = page.getByTestId('contract-row');
    expect(await row.innerText()).toMatch(/Standard next day[\s\S]*standard[\s\S]*24 h[\s\S]*open-ended/);
    expect(await row.innerText()).toMatch(/Parts, Labour, Travel\b/);
    expect(await row.innerText()).not.toMatch(/Shipping/);

    // a bad response time is refused by the API with its message, shown by the panel
    await page.getByTestId('contract-edit-button').click();
    const edit = page.getByTestId('contract-edit');
    await edit.evaluate((f) => f.setAttribute('novalidate', ''));
    await edit.getByLabel('Response time (hours)').fill('0');
    await edit.getByRole('button', { name: 'Save contract' }).click();
    await expect.poll(() => page.getByTestId('contract-status').innerText()).toMatch(/responseHours|1/);
    await edit.getByLabel('Response time (hours)').fill('8');
    await edit.getByLabel('Tier').selectOption('CRITICAL');
    await edit.getByRole('button', { name: 'Save contract' }).click();
    await expect.poll(() => page.getByTestId('contract-row').innerText()).toMatch(/critical[\s\S]*8 h/);

    // an ended contract (created over the API) is offered after the others, marked
    const umbrella = await p.db.tenant.findUniqueOrThrow({ where: { slug: 'umbrella' } });
    const old = await callApi(
      p.url,
      await p.login(ADMIN.email, ADMIN.password),
      'POST',
      `/api/admin/tenants/${umbrella.id}/contracts`,
      { name: 'Old terms', tier: 'STANDARD', responseHours: 48, endsAt: '2020-01-01T00:00:00Z' },
    );
    expect(old.status).toBe(201);

    // Devices → Register: the contract is offered and the device registered under it
    await page.goto(`${p.url}/app.html#/devices`);
    await form.getByLabel('Customer').selectOption({ label: 'Umbrella' });
    await expect.poll(() => page.getByTestId('reg-missing-note').count()).toBe(0);
    expect(await page.getByTestId('reg-submit').isDisabled()).toBe(false);
    expect(
      await page
        .getByTestId('reg-contract')
        .locator('option')
        .evaluateAll((os) => os.map((o) => o.textContent)),
    ).toEqual(['Standard next day (CRITICAL)', expect.stringMatching(/^Old terms \(STANDARD\) — ended \S/)]);
    await form.getByLabel('Serial').fill('UMB-T-0001');
    await form.getByLabel('Name').fill('Umbrella pump 1');
    await page.getByTestId('reg-submit').click();
    await expect.poll(() => page.getByTestId('secret-value').count()).toBe(1);
    await expect
      .poll(() => page.locator('[data-testid="device-row"][data-serial="UMB-T-0001"]').count())
      .toBe(1);
    const asset = await p.db.asset.findUniqueOrThrow({
      where: { serial: 'UMB-T-0001' },
      include: { contract: true, tenant: true },
    });
    expect([asset.tenant.slug, asset.contract.name, asset.contract.responseHours]).toEqual([
      'umbrella',
      'Standard next day',
      8,
    ]);

    // the contract in use is kept, with the API's reason; the unused one is deleted; the changes are in the
    // page's audit log
    await page.goto(`${p.url}/app.html#/tenants/${asset.tenantId}`);
    const inUse = page.getByTestId('contract-row').filter({ hasText: 'Standard next day' });
    await expect.poll(() => inUse.innerText()).toMatch(/\b1\b/);
    page.once('dialog', (d) => void d.accept());
    await inUse.getByTestId('contract-remove').click();
    await expect.poll(() => page.getByTestId('contract-status').innerText()).toMatch(/1 asset/);
    expect(await page.getByTestId('contract-row').count()).toBe(2);
    page.once('dialog', (d) => void d.accept());
    await page
      .getByTestId('contract-row')
      .filter({ hasText: 'Old terms' })
      .getByTestId('contract-remove')
      .click();
    await expect.poll(() => page.getByTestId('contract-row').count()).toBe(1);
    expect(await page.getByTestId('contract-status').innerText()).toBe('Contract Old terms deleted.');
    const actions = () =>
      page
        .getByTestId('tenant-audit-row')
        .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')));
    await expect
      .poll(actions)
      .toEqual([
        'contract.delete',
        'contract.create',
        'contract.update',
        'contract.create',
        'site.create',
        'tenant.create',
      ]);
    await page.screenshot({ path: path.join(SHOTS, 'tenant-contracts.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
    await page.context().close();
  }, 60_000);
});
