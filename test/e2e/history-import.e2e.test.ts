// Importing a run-to-failure history from the engineer's Models view in a real browser (Debian's chromium driven
// by playwright-core) against the whole platform: the file is uploaded as it is, the import's progress shows, and
// the history appears in the list; a malformed file ends with the line at fault and imports nothing.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.ts';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
const FD001 = path.resolve('../shared/datasets/cmapss/train_FD001.txt');

describe.skipIf(!hasChromium)(`importing a history in the browser (needs ${CHROMIUM})`, () => {
  let p: TestPlatform;
  let browser: Browser;
  let page: Page;
  let dir: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'history-e2e-'));
    [p, browser] = await Promise.all([
      startTestPlatform({}, { fleet: false }),
      chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] }),
    ]);
    page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    page.on('pageerror', (err) => pageErrors.push(err.message));
    await page.goto(`${p.url}/`);
    await page.getByTestId('login-email').fill('engineer@preempt.demo');
    await page.getByTestId('login-password').fill('engineer-demo');
    await page.getByTestId('login-submit').click();
    await page.waitForURL('**/app.html**');
    await page.waitForSelector('#view[data-ready="models"]');
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await p?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('uploads a C-MAPSS file, shows the progress and lists the history', async () => {
    const file = path.join(dir, 'train_FD001.txt');
    writeFileSync(file, readFileSync(FD001));
    await page.getByTestId('history-file').setInputFiles(file);
    await page.getByTestId('history-name').fill('FD001 from the browser');
    await page.getByTestId('history-import').click();
    // the upload's or the job's progress, then the result
    await expect
      .poll(() => page.getByTestId('history-status').textContent(), { timeout: 5_000 })
      .toMatch(/Uploading|checking the file|writing runs|imported/);
    await expect
      .poll(() => page.getByTestId('history-status').textContent(), { timeout: 60_000 })
      .toBe('FD001 from the browser: 100 units, 20631 cycles imported.');
    await expect
      .poll(() => page.getByTestId('history-row').filter({ hasText: 'FD001 from the browser' }).count())
      .toBe(1);
    expect(await p.db.equipmentHistory.count({ where: { name: 'FD001 from the browser' } })).toBe(1);
  }, 90_000);

  it('shows the line at fault for a malformed file and imports nothing', async () => {
    const lines = readFileSync(FD001, 'utf8').split('\n');
    lines[2999] = lines[2999]!.replace(/^(\S+\s+\S+\s+)\S+/, '$1oops');
    const file = path.join(dir, 'broken.txt');
    writeFileSync(file, lines.join('\n'));
    await page.getByTestId('history-file').setInputFiles(file);
    await page.getByTestId('history-name').fill('broken from the browser');
    await page.getByTestId('history-import').click();
    await expect
      .poll(() => page.getByTestId('histories-card').textContent(), { timeout: 60_000 })
      .toMatch(
        /broken from the browser line 3000: column 3 is not a finite number: "oops" \(nothing was imported\)/,
      );
    expect(await p.db.equipmentHistory.count({ where: { name: 'broken from the browser' } })).toBe(0);
    expect(pageErrors).toEqual([]);
  }, 90_000);

  it('imports a fleet history CSV file from the Models view, bad rows with their lines', async () => {
    const rows = Array.from(
      { length: 200 },
      (_, i) => `2026-01-01 ${String(i % 24).padStart(2, '0')}:00:00,m${i % 4},e${i % 3}`,
    );
    rows[9] = '2026-13-45 00:00:00,m1,e1'; // line 11
    const file = path.join(dir, 'errors.csv');
    writeFileSync(file, ['datetime,machineID,errorID', ...rows].join('\n'));
    await page.getByTestId('fleet-file').setInputFiles(file);
    await page.getByTestId('fleet-kind').selectOption('events');
    await page.getByTestId('fleet-tenant').fill('acme');
    await page.getByTestId('fleet-name').fill('plant from the browser');
    await page.getByTestId('fleet-import').click();
    await expect
      .poll(() => page.getByTestId('fleet-status').textContent(), { timeout: 60_000 })
      .toMatch(/plant from the browser: 199 events rows imported .*, 1 bad\./);
    expect(await page.getByTestId('fleet-bad-rows').textContent()).toMatch(/line 11: .*not a time/);
    expect(pageErrors).toEqual([]);
  }, 90_000);
});
