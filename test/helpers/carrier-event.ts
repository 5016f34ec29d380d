// A carrier's webhook call as the carrier sends it: POST /api/carriers/{carrier}/events, timestamped and signed
// with the carrier's secret (dispatch/core/carrier.ts). Options send a wrong secret, an old timestamp, a forged
// signature or a body other than the one signed.
import { sign } from '../../dispatch/core/carrier.ts';

export async function postCarrierEvent(
  url: string,
  body: unknown,
  o: { secret: string; carrier?: string; ts?: number; signature?: string; raw?: string },
) {
  const raw = o.raw ?? JSON.stringify(body);
  const ts = String(o.ts ?? Math.floor(Date.now() / 1000));
  const res = await fetch(`${url}/api/carriers/${o.carrier ?? 'fastfreight'}/events`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-carrier-timestamp': ts,
      'x-carrier-signature': o.signature ?? `sha256=${sign(o.secret, ts, raw)}`,
    },
    body: raw,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}
