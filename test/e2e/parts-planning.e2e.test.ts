// The Parts planning view in a real browser (Debian's chromium, playwright-core) against the whole platform: a
// dispatcher opens it from the navigation, runs a review, sees current against target stock per location with
// the assets behind it and the costs per tier, approves the plan and sees its transfers in transit; one the
// carrier loses is written off and re-sent from the page.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, hasChromium, launchChromium, signedInPage } from '../helpers/browser.ts';
import { rmaCode } from '../../dispatch/core/returns.ts';
import { transferCode } from '../../dispatch/core/transfer-document.ts';
import { postCarrierEvent } from '../helpers/carrier-event.ts';
import { demoCompletedOrder } from '../helpers/demo-order.ts';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.ts';

const SHOTS = path.resolve('test-results/screenshots');
const SECRET = 'fastfreight-test-secret-0123456789';

describe.skipIf(!hasChromium)(`parts planning in a browser (needs ${CHROMIUM})`, () => {
  let p: TestPlatform;
  let browser: Browser;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    [p, browser] = await Promise.all([
      startTestPlatform(
        { PARTS_REVIEW_AT: 'off', PARTS_PLAN_MS: '1000', CARRIER_SECRETS: `fastfreight=${SECRET}` },
        { fleet: false },
      ),
      launchChromium(),
    ]);
    // far more X-ray tubes at Hamburg than any plan keeps there: the plan sends the excess back to the hub
    const loc = await p.db.stockLocation.findUniqueOrThrow({ where: { code: 'FSL-HH' } });
    const part = await p.db.part.findUniqueOrThrow({ where: { sku: 'CT-TUBE-9' } });
    await p.db.stockLevel.upsert({
      where: { locationId_partId: { locationId: loc.id, partId: part.id } },
      create: { locationId: loc.id, partId: part.id, onHand: 30 },
      update: { onHand: 30, reserved: 0 },
    });
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await p?.stop();
  });

  it('runs a review, shows the plan and approves it', async () => {
    const page = await signedInPage(
      browser,
      p.url,
      { email: 'dispatcher@preempt.demo', password: 'dispatcher-demo' },
      { pageErrors },
    );

    await page.getByTestId('nav-parts').click();
    await page.getByText('No review yet').waitFor();
    await page.getByTestId('parts-run-review').click();
    const approve = page.getByTestId('parts-approve');
    await approve.waitFor({ timeout: 30_000 });

    const hamburg = page.getByTestId('parts-location-FSL-HH').locator('tr[data-sku="CT-TUBE-9"]');
    expect(await hamburg.getAttribute('data-current')).toBe('30');
    expect(Number(await hamburg.getAttribute('data-target'))).toBeLessThan(30);
    await expect
      .poll(() => page.getByTestId('parts-costs').textContent())
      .toContain('Fill within SLA, critical');
    await expect
      .poll(() => page.getByTestId('parts-proposed-transfers').textContent())
      .toContain('excess back to the hub');
    // the assets behind the hub's stock, each with its probability
    await expect.poll(() => page.getByTestId('parts-location-HUB-KS').textContent()).toMatch(/\d+%/);

    await approve.click();
    await page.locator('.view-host[data-plan="APPLIED"]').waitFor();
    await expect.poll(() => page.getByTestId('parts-message').textContent()).toContain('applied');
    const moving = page.getByTestId('parts-transfer-list').locator('tr[data-status="IN_TRANSIT"]');
    expect(await moving.count()).toBeGreaterThan(0);
    expect(await page.getByTestId('parts-review-list').locator('tr[data-status="APPLIED"]').count()).toBe(1);

    // the carrier loses two: the plan's excess going back to the hub is written off and not re-sent (nothing is
    // missing anywhere), a transfer to a field location is written off and re-sent from the page
    const excess = await p.db.stockTransfer.findFirstOrThrow({
      where: { status: 'IN_TRANSIT', toLocation: { kind: 'HUB' } },
      orderBy: { number: 'asc' },
    });
    const lost = await p.db.stockTransfer.create({
      data: {
        reviewId: excess.reviewId,
        fromLocationId: excess.toLocationId,
        toLocationId: excess.fromLocationId,
        partId: excess.partId,
        qty: 1,
        mode: excess.mode,
        cost: 0,
        shipAt: new Date(),
        etaAt: new Date(Date.now() + 24 * 3_600_000),
      },
    });
    // the hub has the unit to send again
    await p.db.$executeRaw`UPDATE "StockLevel" SET "onHand" = "onHand" + 1
      WHERE "locationId" = ${lost.fromLocationId} AND "partId" = ${lost.partId}`;
    const code = transferCode(lost.number);
    for (const t of [excess, lost])
      for (const [kind, detail] of [
        ['PICKED_UP', undefined],
        ['EXCEPTION', 'parcel crushed in the sorting hub'],
      ] as const)
        expect(
          await postCarrierEvent(
            p.url,
            {
              eventId: `e2e-${t.number}-${kind}`,
              shipmentId: transferCode(t.number),
              kind,
              at: new Date().toISOString(),
              ...(detail ? { detail } : {}),
            },
            { secret: SECRET },
          ),
        ).toMatchObject({ status: 200 });
    await page.reload();
    const resend = page.getByTestId(`parts-resend-${code}`);
    await resend.waitFor({ timeout: 10_000 });
    expect(await page.getByTestId(`parts-written-off-${code}`).textContent()).toContain(
      'parcel crushed in the sorting hub',
    );
    expect(
      await page.getByTestId(`parts-written-off-${transferCode(excess.number)}`).textContent(),
    ).toContain('nothing to re-send');
    await resend.click();
    const resent = page.getByTestId('parts-resent');
    await resent.waitFor();
    const again = await p.db.stockTransfer.findUniqueOrThrow({ where: { resendOf: lost.id } });
    expect(await resent.getAttribute('data-code')).toBe(transferCode(again.number));
    await page.evaluate(() => window.scrollTo(0, 0)); // the sticky top bar where it belongs in the shot
    await page.screenshot({ path: path.join(SHOTS, 'parts-planning.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
  }, 90_000);

  it('re-sends a lost unused return from the Returns card', async () => {
    const { order, fm } = await demoCompletedOrder(p.db);
    const [fsl, hub] = await Promise.all([
      p.db.stockLocation.findUniqueOrThrow({ where: { code: 'FSL-HH' } }),
      p.db.stockLocation.findFirstOrThrow({ where: { kind: 'HUB' } }),
    ]);
    // the hub has a unit to send again
    await p.db.stockLevel.upsert({
      where: { locationId_partId: { locationId: hub.id, partId: fm.partId } },
      create: { locationId: hub.id, partId: fm.partId, onHand: 1 },
      update: { onHand: { increment: 1 } },
    });
    const now = new Date();
    const ret = await p.db.returnAuthorization.create({
      data: {
        orderId: order.id,
        partId: fm.partId,
        serial: 'SN-E2E',
        reason: 'UNUSED',
        toLocationId: fsl.id,
      },
    });
    const rma = rmaCode(ret.number);
    const lost = await postCarrierEvent(
      p.url,
      {
        eventId: `e2e-${rma}`,
        shipmentId: rma,
        kind: 'EXCEPTION',
        at: now.toISOString(),
        detail: 'van stolen',
      },
      { secret: SECRET },
    );
    expect(lost).toMatchObject({ status: 200 });

    // signed in only now: the Returns card loads once the return is written off
    const page = await signedInPage(
      browser,
      p.url,
      { email: 'dispatcher@preempt.demo', password: 'dispatcher-demo' },
      { pageErrors },
    );
    await page.getByTestId('nav-dispatch').click();
    const row = page.locator(`[data-testid="return-row"][data-return-id="${ret.id}"]`);
    await row.waitFor({ timeout: 10_000 });
    expect(await row.getByTestId('return-written-off').textContent()).toContain('van stolen');
    await row.getByTestId('return-resend').click();
    const message = page.getByTestId('returns-message');
    await page.waitForFunction(
      (code) => document.querySelector('[data-testid="returns-message"]')?.textContent?.includes(code),
      rma,
    );
    const again = await p.db.stockTransfer.findUniqueOrThrow({ where: { resendOf: ret.id } });
    expect(await message.textContent()).toContain(`re-sent as ${transferCode(again.number)}`);
    // the refreshed row says what re-sent it, with no button left
    await row.getByText(`re-sent as ${transferCode(again.number)}`).waitFor();
    expect(await row.getByTestId('return-resend').count()).toBe(0);
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
