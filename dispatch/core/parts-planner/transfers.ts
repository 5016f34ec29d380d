/**
 * A parts plan turned into transfer orders (docs/adr/0013-stock-transfers.md), and the check that the stock it
 * was made from still holds when it is applied. Pure.
 *
 * Per sku: each FSL or counter below its target gets units from the hub (most urgent first: a destination backing
 * an asset predicted to fail within `courierWithinDays` goes by courier when it is within the courier's range,
 * the rest at the hub's next cut-off by overnight freight); each above its target sends the excess back to the
 * hub overnight. Only units on the shelf and not reserved move: units in transit towards a location count towards
 * its target but cannot be sent on. What the hub cannot supply is reported as a shortfall (to buy), never as a
 * transfer.
 */
import { roadKm } from '../planner/geo.ts';
import {
  DAY_MS,
  HOUR_MS,
  MINUTE_MS,
  nextClockAtOrAfter,
  overnightReadyMs,
  parseHhmm,
} from '../planner/time.ts';

export interface TransferLocation {
  code: string;
  kind: 'HUB' | 'FSL' | 'COUNTER';
  lat: number;
  lon: number;
}

export interface TransferShipping {
  roadFactor: number;
  courier: { speedKmh: number; handlingMinutes: number; baseCost: number; costPerKm: number; maxKm: number };
  overnight: { cutoffUtc: string; deliverUtc: string; cost: number };
  /** A destination backing an asset predicted to fail this soon gets its units by courier. */
  courierWithinDays: number;
}

export interface TransferInput {
  now: Date;
  hub: string;
  locations: TransferLocation[];
  /** Units on the shelf, not reserved: what may move. By location code, then sku. */
  available: Record<string, Record<string, number>>;
  /** Units in transit towards a location (they count towards its target). */
  inbound: Record<string, Record<string, number>>;
  target: Record<string, Record<string, number>>;
  /** Earliest predicted failure (days from now) of an asset a location's units of a sku are there for. */
  earliestNeedDays: Record<string, Record<string, number>>;
}

export interface TransferLine {
  from: string;
  to: string;
  sku: string;
  qty: number;
  mode: 'COURIER' | 'OVERNIGHT';
  shipAt: Date;
  etaAt: Date;
  cost: number;
  purpose: 'RESTOCK' | 'EXCESS';
}

export interface TransferProposal {
  transfers: TransferLine[];
  /** Units the plan wants that the hub does not have (to buy or to leave unfilled). */
  shortfall: { location: string; sku: string; qty: number }[];
}

const get = (m: Record<string, Record<string, number>>, loc: string, sku: string): number =>
  m[loc]?.[sku] ?? 0;

export function proposeTransfers(input: TransferInput, ship: TransferShipping): TransferProposal {
  const nowMs = input.now.getTime();
  const byCode = new Map(input.locations.map((l) => [l.code, l]));
  const hub = byCode.get(input.hub);
  if (!hub) throw new Error(`hub ${input.hub} is not among the locations`);
  const skus = new Set<string>();
  for (const m of [input.available, input.inbound, input.target])
    for (const row of Object.values(m)) for (const sku of Object.keys(row)) skus.add(sku);

  const cutoff = parseHhmm(ship.overnight.cutoffUtc);
  const deliver = parseHhmm(ship.overnight.deliverUtc);
  const overnight = (
    from: string,
    to: string,
    sku: string,
    qty: number,
    purpose: TransferLine['purpose'],
  ): TransferLine => ({
    from,
    to,
    sku,
    qty,
    mode: 'OVERNIGHT',
    shipAt: new Date(nextClockAtOrAfter(nowMs, cutoff)),
    etaAt: new Date(overnightReadyMs(nowMs, cutoff, deliver)),
    cost: ship.overnight.cost,
    purpose,
  });

  const transfers: TransferLine[] = [];
  const shortfall: TransferProposal['shortfall'] = [];
  for (const sku of [...skus].sort()) {
    let hubLeft = get(input.available, hub.code, sku);
    const needs: { loc: TransferLocation; qty: number; soon: number }[] = [];
    for (const loc of input.locations) {
      if (loc.code === hub.code) continue;
      const have = get(input.available, loc.code, sku) + get(input.inbound, loc.code, sku);
      const want = get(input.target, loc.code, sku);
      if (want > have)
        needs.push({ loc, qty: want - have, soon: input.earliestNeedDays[loc.code]?.[sku] ?? Infinity });
      else if (have > want) {
        const excess = Math.min(have - want, get(input.available, loc.code, sku));
        if (excess > 0) transfers.push(overnight(loc.code, hub.code, sku, excess, 'EXCESS'));
      }
    }
    needs.sort((a, b) => a.soon - b.soon || b.qty - a.qty || a.loc.code.localeCompare(b.loc.code));
    for (const n of needs) {
      const qty = Math.min(n.qty, hubLeft);
      if (qty < n.qty) shortfall.push({ location: n.loc.code, sku, qty: n.qty - qty });
      if (qty === 0) continue;
      hubLeft -= qty;
      const km = roadKm(hub, n.loc, ship.roadFactor);
      const c = ship.courier;
      if (n.soon <= ship.courierWithinDays && km <= c.maxKm) {
        const eta = nowMs + c.handlingMinutes * MINUTE_MS + (km / c.speedKmh) * HOUR_MS;
        transfers.push({
          from: hub.code,
          to: n.loc.code,
          sku,
          qty,
          mode: 'COURIER',
          shipAt: new Date(nowMs),
          etaAt: new Date(Math.round(eta)),
          cost: Math.round((c.baseCost + c.costPerKm * km) * 100) / 100,
          purpose: 'RESTOCK',
        });
      } else transfers.push(overnight(hub.code, n.loc.code, sku, qty, 'RESTOCK'));
    }
  }
  return { transfers, shortfall };
}

/**
 * The (location, sku) pairs whose available stock differs from the basis the plan was made from, among those its
 * transfers touch. Any at all: the plan is stale and refused whole.
 */
export function staleCells(
  basis: Record<string, Record<string, number>>,
  current: Record<string, Record<string, number>>,
  transfers: readonly Pick<TransferLine, 'from' | 'to' | 'sku'>[],
): { location: string; sku: string; planned: number; now: number }[] {
  const seen = new Set<string>();
  const out: { location: string; sku: string; planned: number; now: number }[] = [];
  for (const t of transfers)
    for (const loc of [t.from, t.to]) {
      const key = `${loc}\u0000${t.sku}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const planned = get(basis, loc, t.sku);
      const now = get(current, loc, t.sku);
      if (planned !== now) out.push({ location: loc, sku: t.sku, planned, now });
    }
  return out;
}

/** The next review instant at or after `afterMs` at "HH:MM" UTC, or null when reviews are off. */
export function nextReviewAt(afterMs: number, at: string | null): number | null {
  return at === null ? null : nextClockAtOrAfter(afterMs, parseHhmm(at));
}

export { DAY_MS };
