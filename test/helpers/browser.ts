// The browser of the e2e tests: Debian's chromium through playwright-core (never a downloaded browser), launched
// with the flags this machine needs, and a page signed in through the login form.
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

export interface SignInOptions {
  /** The context's screen and device (default a 1440 × 900 desktop). */
  context?: BrowserContextOptions;
  /** Collects the page's uncaught errors. */
  pageErrors?: string[];
}

/** A new browser context and page, signed in with the login form and landed on the app. */
export async function signedInPage(
  browser: Browser,
  baseUrl: string,
  account: { email: string; password: string },
  opts: SignInOptions = {},
): Promise<Page> {
  const context = await browser.newContext(opts.context ?? { viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  if (opts.pageErrors) page.on('pageerror', (err) => opts.pageErrors!.push(err.message));
  await page.goto(`${baseUrl}/`);
  await page.getByTestId('login-email').fill(account.email);
  await page.getByTestId('login-password').fill(account.password);
  await page.getByTestId('login-submit').click();
  await page.waitForURL('**/app.html**');
  return page;
}
