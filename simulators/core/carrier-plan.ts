// The carrier's side of a shipment, for `npm run simulate -- --carrier <name>` (docs/simulators.md): when it is
// picked up, in transit, and delivered on time, late or not at all (an exception). Pure: the randomness is passed in.

export type CarrierEventKind = 'PICKED_UP' | 'IN_TRANSIT' | 'DELIVERED' | 'EXCEPTION';

export interface CarrierShipment {
  id: string;
  shipAt: Date;
  readyAt: Date;
}

export interface PlannedCarrierEvent {
  eventId: string;
  shipmentId: string;
  kind: CarrierEventKind;
  at: Date;
  detail?: string;
}

export interface CarrierBehaviour {
  /** Share of shipments that end in an exception (lost, damaged, refused), 0-1. */
  exceptions: number;
  /** Share of the others delivered after their readyAt, 0-1. */
  late: number;
}

export const CARRIER_DEFAULTS: CarrierBehaviour = { exceptions: 0.05, late: 0.15 };

export const EXCEPTION_DETAILS = [
  'damaged in transit',
  'lost in the sorting centre',
  'refused at the counter',
];

const MIN = 60_000;

/**
 * The events of one shipment: picked up 5-30 min after its shipAt, in transit 10 min later; then an exception half-way
 * to its readyAt, a delivery 30-180 min late, or a delivery 0-30 min early (never before it is in transit).
 */
export function planCarrierEvents(
  s: CarrierShipment,
  rand: () => number,
  b: CarrierBehaviour = CARRIER_DEFAULTS,
): PlannedCarrierEvent[] {
  const ev = (kind: CarrierEventKind, at: number, detail?: string): PlannedCarrierEvent => ({
    eventId: `${s.id}:${kind}`,
    shipmentId: s.id,
    kind,
    at: new Date(at),
    ...(detail ? { detail } : {}),
  });
  const pickedUp = s.shipAt.getTime() + (5 + rand() * 25) * MIN;
  const transit = pickedUp + 10 * MIN;
  const out = [ev('PICKED_UP', pickedUp), ev('IN_TRANSIT', transit)];
  const fate = rand();
  if (fate < b.exceptions) {
    const at = Math.max(transit + MIN, (transit + s.readyAt.getTime()) / 2);
    out.push(ev('EXCEPTION', at, EXCEPTION_DETAILS[Math.floor(rand() * EXCEPTION_DETAILS.length)]));
  } else if (fate < b.exceptions + (1 - b.exceptions) * b.late) {
    out.push(ev('DELIVERED', s.readyAt.getTime() + (30 + rand() * 150) * MIN));
  } else {
    out.push(ev('DELIVERED', Math.max(transit + MIN, s.readyAt.getTime() - rand() * 30 * MIN)));
  }
  return out;
}

/** A share option (0-1), or why not. */
export function parseShare(name: string, raw: string | undefined, fallback: number): number | string {
  if (raw === undefined) return fallback;
  const v = Number(raw);
  return Number.isFinite(v) && v >= 0 && v <= 1 && raw.trim() !== ''
    ? v
    : `--${name} takes a share from 0 to 1`;
}

export const CARRIER_OPTION_NAMES = ['carrier', 'exceptions', 'late', 'platform-url'] as const;

export const CARRIER_USAGE = `
Play a carrier instead of the fleet (docs/simulators.md):
  npm run simulate -- --carrier <name> [--exceptions 0.05] [--late 0.15] [--platform-url URL]
  --carrier NAME         the carrier, with its secret in CARRIER_SECRETS (name=secret)
  --exceptions SHARE     share of shipments ending in an exception (default 0.05)
  --late SHARE           share of the others delivered after the part is due (default 0.15)
  --platform-url URL     the platform (default http://127.0.0.1:PORT)
It follows the shipments of open orders (as the demo dispatcher) and posts each event, signed, when it is due on the
wall clock; a JSON summary on stdout at Ctrl-C or SIGTERM.
`;
