// Re-sending what a carrier lost or damaged (docs/reverse-logistics.md, issue 18): a stock transfer or an unused
// part's return shipment written off on a carrier exception is replaced by a new stock transfer to the same
// destination, from the nearest location with an unreserved unit above its parts-plan target, else from the hub.
// Pure: the candidates, the plan's targets and the clock are passed in.
import { roadKm } from './planner/geo.ts';
import { HOUR_MS, MINUTE_MS, nextClockAtOrAfter, overnightReadyMs, parseHhmm } from './planner/time.ts';
import type { PlanPolicy } from './policy.ts';

/** What was lost: a written-off stock transfer, or a written-off return shipment (an unused or a defective part). */
export interface LostConsignment {
  code: string;
  writtenOff: boolean;
  /** A defective part's return: nothing serviceable was lost, nothing to replace. */
  defective: boolean;
  to: string;
  qty: number;
}

export interface ResendCandidate {
  code: string;
  kind: 'HUB' | 'FSL' | 'COUNTER' | 'REPAIR_DEPOT';
  lat: number;
  lon: number;
  /** Serviceable units on the shelf not reserved. */
  available: number;
  /** The latest applied parts plan's target for the part here; null: no plan sets one. */
  target: number | null;
}

export type ResendDecision =
  | {
      ok: true;
      from: string;
      mode: 'COURIER' | 'OVERNIGHT';
      shipAt: Date;
      etaAt: Date;
      cost: number;
      reason: string;
    }
  | {
      ok: false;
      code: 'PARTS_RESEND_NOT_LOST' | 'PARTS_RESEND_NO_STOCK' | 'PARTS_RESEND_NOT_NEEDED';
      why: string;
    };

/**
 * The source of the re-send: among the locations other than the destination (no repair depot), the nearest to the
 * destination whose unreserved units above its target cover the quantity (a location without a target has none to
 * spare: its shelf is not stripped blind); none → the hub if it has the units unreserved (the plan's reserve);
 * otherwise refused. Units bound for the hub (excess going back, a return to the reserve) are not re-sent. Shipped by courier when within the courier's reach, overnight at the next cut-off otherwise.
 */
export function decideResend(
  lost: LostConsignment,
  candidates: readonly ResendCandidate[],
  now: Date,
  policy: Pick<PlanPolicy, 'shipping' | 'travel'>,
): ResendDecision {
  if (lost.defective)
    return {
      ok: false,
      code: 'PARTS_RESEND_NOT_LOST',
      why: `${lost.code} carried a defective part: nothing to replace`,
    };
  if (!lost.writtenOff)
    return {
      ok: false,
      code: 'PARTS_RESEND_NOT_LOST',
      why: `${lost.code} is not written off (not lost or damaged)`,
    };
  const dest = candidates.find((c) => c.code === lost.to);
  if (!dest) throw new Error(`destination ${lost.to} is not among the candidates`);
  if (dest.kind === 'HUB')
    return {
      ok: false,
      code: 'PARTS_RESEND_NOT_NEEDED',
      why: `${lost.code} was bound for the hub ${dest.code}: units going back to the reserve, none needed there; the next parts review re-plans the hub`,
    };
  const km = (c: ResendCandidate) => roadKm(c, dest, policy.travel.roadFactor);
  const others = candidates.filter((c) => c.code !== lost.to && c.kind !== 'REPAIR_DEPOT');
  const spare = others
    .filter((c) => c.target !== null && c.available - c.target >= lost.qty)
    .map((c) => ({ c, km: km(c) }))
    .sort((a, b) => a.km - b.km || a.c.code.localeCompare(b.c.code))[0];
  const hub = others
    .filter((c) => c.kind === 'HUB' && c.available >= lost.qty)
    .sort((a, b) => a.code.localeCompare(b.code))[0];
  const pick = spare
    ? {
        c: spare.c,
        reason: `re-sends ${lost.code}: ${spare.c.code} holds ${spare.c.available} unreserved, above its target of ${spare.c.target}`,
      }
    : hub
      ? { c: hub, reason: `re-sends ${lost.code}: no location above its target, from the hub ${hub.code}` }
      : null;
  if (!pick)
    return {
      ok: false,
      code: 'PARTS_RESEND_NO_STOCK',
      why: `no location has ${lost.qty} unreserved above its target and the hub has too few to re-send ${lost.code}`,
    };
  const d = km(pick.c);
  const c = policy.shipping.courier;
  const nowMs = now.getTime();
  if (d <= c.maxKm)
    return {
      ok: true,
      from: pick.c.code,
      mode: 'COURIER',
      shipAt: now,
      etaAt: new Date(Math.round(nowMs + c.handlingMinutes * MINUTE_MS + (d / c.speedKmh) * HOUR_MS)),
      cost: Math.round((c.baseCost + c.costPerKm * d) * 100) / 100,
      reason: pick.reason,
    };
  const o = policy.shipping.overnight;
  return {
    ok: true,
    from: pick.c.code,
    mode: 'OVERNIGHT',
    shipAt: new Date(nextClockAtOrAfter(nowMs, parseHhmm(o.cutoffUtc))),
    etaAt: new Date(overnightReadyMs(nowMs, parseHhmm(o.cutoffUtc), parseHhmm(o.deliverUtc))),
    cost: o.cost,
    reason: pick.reason,
  };
}
