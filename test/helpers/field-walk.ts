// Walks an accepted order through the field as it happens now: the desk reports the part's movements, the
// order's technician his own steps (en route, on site, complete) from his demo account.
import type { LiveOrder } from '../../common/contracts/live.ts';
import { TECHNICIAN_STEPS, type TechnicianStep } from '../../dispatch/core/field-steps.ts';
import { DEMO_TECHNICIAN_PASSWORD, demoTechnicianEmail } from '../../simulators/demo-world.ts';

interface Api {
  url: string;
  login(email: string, password: string): Promise<string>;
}

async function post<T>(api: Api, token: string, path: string, body: unknown): Promise<T> {
  const res = await fetch(`${api.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const out = (await res.json()) as T;
  if (!res.ok) throw new Error(`POST ${path}: ${res.status} ${JSON.stringify(out)}`);
  return out;
}

/** The order's technician's token (his demo account). */
export async function technicianToken(api: Api, order: Pick<LiveOrder, 'technician'>): Promise<string> {
  const code = order.technician?.split(' ')[0];
  if (!code) throw new Error('the order has no technician');
  return api.login(demoTechnicianEmail(code), DEMO_TECHNICIAN_PASSWORD);
}

/** Steps an accepted order to COMPLETED (or to `until`); returns the order as the desk then sees it. */
export async function walkOrder(
  api: Api,
  deskToken: string,
  orderId: string,
  complete: { removedSerial: string; note?: string },
  until = 'COMPLETED',
): Promise<LiveOrder> {
  const get = async () =>
    (await (
      await fetch(`${api.url}/api/orders/${orderId}`, { headers: { authorization: `Bearer ${deskToken}` } })
    ).json()) as LiveOrder;
  let o = await get();
  let tech: string | undefined;
  while (o.nextStatus && o.status !== until) {
    const step = (Object.keys(TECHNICIAN_STEPS) as TechnicianStep[]).find(
      (k) => TECHNICIAN_STEPS[k] === o.nextStatus,
    );
    if (!step) await post(api, deskToken, `/api/orders/${orderId}/status`, { status: o.nextStatus });
    else {
      tech ??= await technicianToken(api, o);
      await post(
        api,
        tech,
        `/api/me/jobs/${orderId}/${step}`,
        step === 'complete' ? { ...complete, fitted: [{ sku: o.part.sku, qty: o.part.qty }] } : {},
      );
    }
    o = await get();
  }
  return o;
}
