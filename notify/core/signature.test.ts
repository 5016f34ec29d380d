import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhook } from './signature.ts';

describe('webhook signature', () => {
  const secret = 'a-secret-of-the-subscription';
  const body = '{"id":"d1","event":"order.planned"}';

  it('is HMAC-SHA256 over "<timestamp>.<body>", hex, prefixed sha256=', () => {
    const want = createHmac('sha256', secret).update(`1764756000.${body}`).digest('hex');
    expect(signWebhook(secret, 1764756000, body)).toBe(`sha256=${want}`);
  });

  it('verifies, and refuses a changed body, another secret, a changed timestamp and a replay', () => {
    const ts = 1764756000;
    const h = { signature: signWebhook(secret, ts, body), timestamp: String(ts) };
    expect(verifyWebhook(secret, h, body, ts + 10)).toBe(true);
    expect(verifyWebhook(secret, h, body.replace('planned', 'completed'), ts)).toBe(false);
    expect(verifyWebhook('another-secret', h, body, ts)).toBe(false);
    expect(verifyWebhook(secret, { ...h, timestamp: String(ts + 1) }, body, ts)).toBe(false);
    expect(verifyWebhook(secret, h, body, ts + 3_600)).toBe(false);
    expect(verifyWebhook(secret, { signature: undefined, timestamp: String(ts) }, body, ts)).toBe(false);
  });
});
