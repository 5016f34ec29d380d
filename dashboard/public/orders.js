// Service orders as the views show them: open or closed, where the part stands, whether the ETA is late.
import { badge, h } from './dom.js';
import { dateTime, duration, time } from './format.js';

const CLOSED = ['COMPLETED', 'CANCELLED'];
const STAGED = ['PARTS_STAGED', 'TECHNICIAN_EN_ROUTE', 'ON_SITE'];

export const isOpen = (o) => !CLOSED.includes(o.status);

export const byDueBy = (a, b) => a.dueBy.localeCompare(b.dueBy) || a.number - b.number;

/**
 * Where the order's part stands: none (nothing reserved yet), reserved (held at the staging location),
 * in transit (shipping from the source to the staging location), staged (ready for pickup), used or released.
 */
export function partsStatus(o, now = Date.now()) {
  if (o.reservationStatus === 'CONSUMED' || o.status === 'COMPLETED') return 'used';
  if (o.reservationStatus === 'RELEASED' || o.status === 'CANCELLED') return 'released';
  if (STAGED.includes(o.status)) return 'staged';
  if (o.status === 'PARTS_IN_TRANSIT') return 'in transit';
  if (o.reservationStatus !== 'HELD') return 'none';
  const shipping = o.source && o.pickup && o.source !== o.pickup;
  if (shipping && o.partsReadyAt && new Date(o.partsReadyAt).getTime() > now) return 'in transit';
  return shipping ? 'staged' : 'reserved';
}

const PARTS_KIND = {
  none: 'muted',
  reserved: 'info',
  'in transit': 'warn',
  staged: 'ok',
  used: 'muted',
  released: 'muted',
};

export function partsBadge(o) {
  const status = partsStatus(o);
  const title = o.partsReadyAt
    ? `${o.part.qty} × ${o.part.sku}, ready at the pickup ${time(o.partsReadyAt)}`
    : `${o.part.qty} × ${o.part.sku}`;
  return badge(status, PARTS_KIND[status], { 'data-testid': 'parts-status', 'data-parts': status, title });
}

/** The technician's arrival; flagged when it falls after the due-by (late) or after the predicted failure. */
export function etaCell(o) {
  if (!o.etaAt) return h('span', { class: 'muted' }, '—');
  const eta = new Date(o.etaAt).getTime();
  const late =
    eta > new Date(o.expectedFailureAt).getTime()
      ? 'after failure'
      : eta > new Date(o.dueBy).getTime()
        ? 'late'
        : null;
  return h(
    'span',
    {
      class: `eta ${late ? 'eta-late' : ''}`.trim(),
      'data-testid': 'eta',
      title: dateTime(o.etaAt),
    },
    time(o.etaAt),
    late ? badge(late, late === 'late' ? 'warn' : 'bad') : null,
  );
}

/** Staging location (pickup), with the source when the part ships from elsewhere. */
export function stagingCell(o) {
  if (!o.pickup) return h('span', { class: 'muted' }, 'not planned');
  return h(
    'span',
    { class: 'staging', 'data-testid': 'staging' },
    h('strong', {}, o.pickup),
    o.source && o.source !== o.pickup ? h('span', { class: 'muted small' }, ` from ${o.source}`) : null,
  );
}

/**
 * The plan's on-time verdict (dispatch/core/verdict.ts): on time, or how much later than the expected failure
 * the technician arrives and why (the reason for dispatchers only); for an order no plan can serve, why not.
 */
export function verdictCell(o, { customer = false } = {}) {
  if (o.onTime === null || o.onTime === undefined) return null;
  if (o.onTime)
    return h(
      'span',
      { class: 'verdict verdict-ok small', 'data-testid': 'verdict', 'data-on-time': 'true' },
      'before the expected failure',
    );
  const late = o.etaAt
    ? `later than the expected failure${o.lateByMinutes ? ` (by ${duration(o.lateByMinutes * 60_000)})` : ''}`
    : customer
      ? 'no service can be booked before the expected failure yet — we are on it'
      : 'cannot be planned';
  return h(
    'span',
    { class: 'verdict verdict-late small', 'data-testid': 'verdict', 'data-on-time': 'false' },
    late,
    !customer && o.verdictReason
      ? h('span', { class: 'verdict-reason', 'data-testid': 'verdict-reason' }, `: ${o.verdictReason}`)
      : null,
  );
}

/** The ETA with its verdict underneath. */
export function etaVerdictCell(o, opts) {
  return h('div', { class: 'cell-stack' }, etaCell(o), verdictCell(o, opts));
}
