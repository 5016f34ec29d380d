// The webhook signature: HMAC-SHA256 over "<timestamp>.<body>" with the subscription's secret, sent as
// `X-Preempt-Signature: sha256=<hex>` with `X-Preempt-Timestamp: <unix seconds>`. A receiver recomputes it, compares
// in constant time, and rejects timestamps too far from its own clock (replays).
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-preempt-signature';
export const TIMESTAMP_HEADER = 'x-preempt-timestamp';
export const DELIVERY_HEADER = 'x-preempt-delivery';
export const EVENT_HEADER = 'x-preempt-event';

export function signWebhook(secret: string, timestamp: number, body: string): string {
  return 'sha256=' + createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/** The receiver's check: the signature matches and the timestamp is within `toleranceSeconds` of `nowSeconds`. */
export function verifyWebhook(
  secret: string,
  headers: { signature: string | undefined; timestamp: string | undefined },
  body: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean {
  const ts = Number(headers.timestamp);
  if (!headers.signature || !Number.isInteger(ts)) return false;
  if (Math.abs(nowSeconds - ts) > toleranceSeconds) return false;
  const want = Buffer.from(signWebhook(secret, ts, body));
  const got = Buffer.from(headers.signature);
  return want.length === got.length && timingSafeEqual(want, got);
}
