// Building DOM safely: h('tag', { class, 'data-testid', onclick, ... }, ...children). Text is never parsed as HTML.
/* global Node, setInterval, clearInterval */
import { countdown, dateTime } from './format.js';

const SVG_NS = 'http://www.w3.org/2000/svg';

function build(el, attrs, children) {
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'style' && typeof value === 'object') Object.assign(el.style, value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export const h = (tag, attrs, ...children) => build(document.createElement(tag), attrs, children);
export const svg = (tag, attrs, ...children) => build(document.createElementNS(SVG_NS, tag), attrs, children);

export function clear(el) {
  el.replaceChildren();
  return el;
}

/** Replaces the children of el (arrays are flattened; null, undefined and false are skipped). */
export function fill(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

/** A card with a title, optional actions and a body. */
export function card(title, { actions, testid, className, subtitle } = {}, ...body) {
  return h(
    'section',
    { class: `card ${className ?? ''}`.trim(), 'data-testid': testid, 'aria-label': title },
    h(
      'header',
      { class: 'card-header' },
      h(
        'div',
        {},
        h('h2', { class: 'card-title' }, title),
        subtitle ? h('p', { class: 'card-subtitle' }, subtitle) : null,
      ),
      actions ? h('div', { class: 'card-actions' }, actions) : null,
    ),
    h('div', { class: 'card-body' }, body),
  );
}

const BADGE_KIND = {
  UP: 'ok',
  up: 'ok',
  ACTIVE: 'ok',
  HELD: 'ok',
  CONSUMED: 'muted',
  COMPLETED: 'ok',
  CONFIRMED: 'ok',
  DEGRADED: 'warn',
  degraded: 'warn',
  SHADOW: 'info',
  PENDING: 'muted',
  DRAFT: 'muted',
  RETIRED: 'muted',
  RELEASED: 'muted',
  CANCELLED: 'muted',
  REFUTED: 'warn',
  DOWN: 'bad',
  down: 'bad',
  CRITICAL: 'bad',
  STANDARD: 'muted',
  PREDICTED: 'warn',
  PLANNED: 'info',
  PARTS_IN_TRANSIT: 'info',
  PARTS_STAGED: 'accent',
  TECHNICIAN_EN_ROUTE: 'accent',
  ON_SITE: 'ok',
  HUB: 'accent',
  FSL: 'info',
  COUNTER: 'muted',
  REPAIR_DEPOT: 'muted',
  AUTHORIZED: 'warn',
  RECEIVED: 'info',
  CLOSED: 'muted',
  DEFECTIVE: 'bad',
  UNUSED: 'info',
  FAILURE_CONFIRMED: 'ok',
  NO_FAULT_FOUND: 'warn',
};

const ACRONYMS = new Set(['FSL', 'SLA', 'ETA', 'MTBF', 'MTTR']);

/** Codes read as words: "PARTS_STAGED" → "Parts staged", "in transit" → "In transit"; acronyms stay. */
export function humanise(code) {
  const text = String(code ?? '—');
  if (ACRONYMS.has(text)) return text;
  const words = (/^[A-Z][A-Z0-9_]*$/.test(text) ? text.toLowerCase() : text).replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function badge(text, kind, attrs = {}) {
  const label = String(text ?? '—');
  return h(
    'span',
    { class: `badge badge-${kind ?? BADGE_KIND[label] ?? 'muted'}`, ...attrs },
    humanise(label),
  );
}

export function onlineDot(online) {
  return h(
    'span',
    { class: `dot ${online ? 'dot-on' : 'dot-off'}`, 'data-testid': 'online', 'data-online': String(online) },
    online ? 'Online' : 'Offline',
  );
}

/** A key figure: a big value with a label under it; tone ok | warn | bad colours the value. */
export function kpi(label, value, tone, testid) {
  return h(
    'div',
    {
      class: `kpi ${tone ? `kpi-${tone}` : ''}`.trim(),
      'data-testid': testid ?? `kpi-${label.toLowerCase().replaceAll(' ', '-')}`,
    },
    h('span', { class: 'kpi-value' }, String(value)),
    h('span', { class: 'kpi-label' }, label),
  );
}

/** A form control with its label above it (a `.field`). */
export function labelled(label, control) {
  return h('label', { class: 'field' }, h('span', { class: 'muted small' }, label), control);
}

export function empty(text) {
  return h('p', { class: 'empty' }, text);
}

export function errorBox(err) {
  return h('p', { class: 'error-box', role: 'alert' }, err?.message ?? String(err));
}

/** A table; columns: [{ label, cell: (row) => node|text, class? }]. */
export function table(columns, rows, { testid, rowAttrs, caption } = {}) {
  return h(
    'table',
    { class: 'table', 'data-testid': testid },
    caption ? h('caption', { class: 'sr-only' }, caption) : null,
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        columns.map((c) => h('th', { scope: 'col', class: c.class }, c.label)),
      ),
    ),
    h(
      'tbody',
      {},
      rows.map((r) =>
        h(
          'tr',
          rowAttrs?.(r) ?? {},
          // data-label: the column's name, shown beside the cell where a phone stacks the row
          columns.map((c) => h('td', { class: c.class, 'data-label': c.label }, c.cell(r))),
        ),
      ),
    ),
  );
}

/** A span that shows "in 1 hr" / "5 min ago" (in the locale) for iso and is kept current by ticker(). */
export function countdownEl(iso, { warnMs = 3_600_000 } = {}) {
  const el = h('span', {
    class: 'countdown',
    'data-countdown': iso ?? '',
    'data-warn-ms': warnMs,
    title: iso ? dateTime(iso) : undefined,
  });
  tick(el, Date.now());
  return el;
}

function tick(el, now) {
  const iso = el.dataset.countdown;
  if (!iso) {
    el.textContent = '—';
    return;
  }
  const ms = new Date(iso).getTime() - now;
  el.textContent = countdown(iso, now);
  el.classList.toggle('countdown-past', ms < 0);
  el.classList.toggle('countdown-soon', ms >= 0 && ms < Number(el.dataset.warnMs));
}

/** Updates every countdown under root once a second; returns the stop function. */
export function ticker(root) {
  const id = setInterval(() => {
    const now = Date.now();
    for (const el of root.querySelectorAll('[data-countdown]')) tick(el, now);
  }, 1000);
  return () => clearInterval(id);
}
