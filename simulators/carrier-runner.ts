// `npm run simulate -- --carrier <name>`: plays a carrier against the platform. It follows the shipments of open
// orders over the API (as the demo dispatcher: the carrier's booking list) and posts their tracking events to
// POST /api/carriers/{carrier}/events when they are due, signed with the carrier's secret (CARRIER_SECRETS) — picked
// up, in transit, delivered on time or late, or an exception (simulators/core/carrier-plan.ts).
import type { Config } from '../common/config.ts';
import { sign } from '../dispatch/core/carrier.ts';
import {
  CARRIER_DEFAULTS,
  parseShare,
  planCarrierEvents,
  type CarrierBehaviour,
  type PlannedCarrierEvent,
} from './core/carrier-plan.ts';
import { substream } from './core/random.ts';
import { DEMO_ACCOUNTS } from './demo-world.ts';

interface DetailShipment {
  id: string;
  status: string;
  tracking: string;
  shipAt: string;
  readyAt: string;
}

export interface CarrierSummary {
  carrier: string;
  shipments: number;
  sent: Record<string, number>;
  duplicates: number;
  refused: number;
}

export async function runCarrier(o: {
  url: string;
  carrier: string;
  secret: string;
  behaviour: CarrierBehaviour;
  seed: number;
  pollMs: number;
  say: (line: string) => void;
  stop: AbortSignal;
}): Promise<CarrierSummary> {
  const dispatcher = DEMO_ACCOUNTS.find((a) => a.role === 'DISPATCHER')!;
  const login = await fetch(`${o.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: dispatcher.email, password: dispatcher.password }),
  });
  if (!login.ok) throw new Error(`login as ${dispatcher.email} failed (${login.status})`);
  const { token } = (await login.json()) as { token: string };
  const get = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${o.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    if (!res.ok) throw new Error(`GET ${path}: ${res.status}`);
    return (await res.json()) as T;
  };

  const planned = new Set<string>();
  const due: PlannedCarrierEvent[] = [];
  const summary: CarrierSummary = { carrier: o.carrier, shipments: 0, sent: {}, duplicates: 0, refused: 0 };

  const post = async (e: PlannedCarrierEvent) => {
    const body = JSON.stringify({ ...e, at: e.at.toISOString() });
    const ts = String(Math.floor(Date.now() / 1000));
    const res = await fetch(`${o.url}/api/carriers/${o.carrier}/events`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-carrier-timestamp': ts,
        'x-carrier-signature': `sha256=${sign(o.secret, ts, body)}`,
      },
      body,
    });
    const out = (await res.json().catch(() => ({}))) as { duplicate?: boolean; message?: string };
    if (!res.ok) {
      summary.refused++;
      o.say(`${e.eventId}: refused ${res.status} ${out.message ?? ''}`);
    } else if (out.duplicate) summary.duplicates++;
    else summary.sent[e.kind] = (summary.sent[e.kind] ?? 0) + 1;
    if (res.ok && !out.duplicate) o.say(`${e.kind} ${e.shipmentId}${e.detail ? ` (${e.detail})` : ''}`);
  };

  while (!o.stop.aborted) {
    try {
      const orders = await get<{ id: string }[]>(
        '/api/orders?status=PLANNED,PARTS_IN_TRANSIT,PARTS_STAGED&limit=1000',
      );
      for (const order of orders) {
        const d = await get<{ shipments: DetailShipment[] }>(`/api/orders/${order.id}/detail`);
        for (const s of d.shipments) {
          if (planned.has(s.id) || s.status === 'CANCELLED' || s.tracking === 'DELIVERED') continue;
          planned.add(s.id);
          summary.shipments++;
          due.push(
            ...planCarrierEvents(
              { id: s.id, shipAt: new Date(s.shipAt), readyAt: new Date(s.readyAt) },
              substream(o.seed, s.id),
              o.behaviour,
            ),
          );
        }
      }
      due.sort((a, b) => a.at.getTime() - b.at.getTime());
      while (due.length > 0 && due[0]!.at.getTime() <= Date.now()) await post(due.shift()!);
    } catch (err) {
      o.say(`carrier: ${(err as Error).message}`);
    }
    await new Promise((r) => setTimeout(r, o.pollMs));
  }
  return summary;
}

/** The CLI of the carrier mode: checks the options and the secret, runs until Ctrl-C or SIGTERM, prints the summary. */
export async function carrierMain(
  raw: Record<string, string | undefined>,
  config: Config,
  fail: (message: string) => never,
): Promise<never> {
  const carrier = raw.carrier ?? '';
  if (!/^[a-z0-9-]{1,40}$/.test(carrier)) fail('--carrier takes a carrier name (a-z, 0-9, -)');
  const secret = config.carrierSecrets[carrier];
  if (!secret) fail(`no secret for ${carrier} in CARRIER_SECRETS (name=secret, at least 16 characters)`);
  const exceptions = parseShare('exceptions', raw.exceptions, CARRIER_DEFAULTS.exceptions);
  const late = parseShare('late', raw.late, CARRIER_DEFAULTS.late);
  if (typeof exceptions === 'string') fail(exceptions);
  if (typeof late === 'string') fail(late);
  const stop = new AbortController();
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => stop.abort());
  try {
    const summary = await runCarrier({
      url: raw['platform-url'] ?? `http://127.0.0.1:${config.port}`,
      carrier,
      secret: secret!,
      behaviour: { exceptions: exceptions as number, late: late as number },
      seed: config.simulatorSeed,
      pollMs: 2_000,
      say: (line) => process.stderr.write(`${line}\n`),
      stop: stop.signal,
    });
    process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
    process.exit(0);
  } catch (err) {
    fail((err as Error).message);
  }
}
