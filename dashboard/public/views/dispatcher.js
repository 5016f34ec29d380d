// Dispatcher view: the live job board of predicted and open orders by due-by (countdown to the predicted failure,
// SLA tier, staging location, parts status, technician, ETA) with the dispatcher's actions on each (accept or
// keep, reassign, change staging, cancel, report field progress; see ../order-actions.js), a planning round now,
// the returns of completed jobs (../returns.js) and the network map.
/* global setTimeout, clearTimeout */
import { badge, card, fill, countdownEl, empty, errorBox, h, kpi, table, ticker } from '../dom.js';
import { networkMap } from '../map.js';
import { meta } from '../meta.js';
import { redrawKeepingFocus } from '../keyboard.js';
import { orderActions } from '../order-actions.js';
import { byDueBy, etaVerdictCell, isOpen, partsBadge, partsStatus, stagingCell } from '../orders.js';
import { returnsCard } from '../returns.js';

const HOUR = 3_600_000;
const FRESH_MS = 6_000;

const FILTERS = [
  { key: 'all', label: 'All open', test: () => true },
  { key: 'predicted', label: 'Awaiting plan', test: (o) => o.status === 'PREDICTED' },
  { key: 'critical', label: 'Critical', test: (o) => o.slaTier === 'CRITICAL' },
  { key: 'late', label: 'ETA late', test: (o) => o.etaAt && o.etaAt > o.dueBy },
  { key: 'escalated', label: 'Escalated', test: (o) => o.escalated },
  { key: 'cleared', label: 'Risk cleared', test: (o) => o.riskCleared },
];

export async function mount(root, { api, live, user }) {
  const [orderList, network, assets] = await Promise.all([
    meta().then(({ orderStatuses }) =>
      api('/api/orders', { query: { status: orderStatuses.open.join(','), limit: 1000 } }),
    ),
    api('/api/network'),
    api('/api/assets'),
  ]);
  const orders = new Map(orderList.map((o) => [o.id, o]));
  const assetById = new Map(assets.map((a) => [a.id, a]));
  const tenants = new Map(assets.map((a) => [a.tenantId, a.tenant]));
  const fresh = new Map();
  let net = network;
  let filter = 'all';
  let mapTimer;
  let boardTimer;

  const kpis = h('div', { class: 'kpis' });
  const filters = h('div', { class: 'tabs', role: 'tablist', 'aria-label': 'Filter the job board' });
  const board = h('div', { class: 'table-wrap' });
  const mapBody = h('div', {});
  const note = h('span', { class: 'muted small', role: 'status', 'data-testid': 'plan-result' });
  const planButton = h(
    'button',
    { type: 'button', class: 'btn btn-primary', 'data-testid': 'plan-now', onclick: planNow },
    'Plan now',
  );
  const returns = returnsCard({ api });
  const actions = orderActions({
    api,
    user,
    onChanged: (o) => {
      orders.set(o.id, o);
      render();
      if (o.status === 'COMPLETED') void returns.refresh();
    },
  });

  root.append(
    h(
      'div',
      { class: 'page-head' },
      h(
        'div',
        {},
        h('h1', {}, 'Dispatch'),
        h('p', { class: 'muted' }, 'Predicted failures, staged parts and technicians, live.'),
      ),
      kpis,
    ),
    card(
      'Job board',
      {
        testid: 'job-board-card',
        subtitle: 'Open and predicted orders, earliest due-by first.',
        actions: [note, planButton],
      },
      filters,
      actions.el,
      board,
    ),
    returns.el,
    card(
      'Network',
      {
        testid: 'map-card',
        subtitle:
          'Customer sites, stock locations with their free stock, technicians, open orders\u2019 routes and parts on the move. Drag to pan, wheel or +/− to zoom.',
      },
      mapBody,
    ),
  );

  const open = () => [...orders.values()].filter(isOpen).sort(byDueBy);

  function renderKpis(list) {
    const count = (test) => list.filter(test).length;
    const late = count((o) => o.etaAt && o.etaAt > o.dueBy);
    const waiting = count((o) => o.status === 'PREDICTED');
    const critical = count((o) => o.slaTier === 'CRITICAL');
    fill(
      kpis,
      kpi('Open orders', list.length),
      kpi('Awaiting plan', waiting, waiting ? 'warn' : undefined),
      kpi('Critical', critical, critical ? 'bad' : undefined),
      kpi(
        'Parts in transit',
        count((o) => partsStatus(o) === 'in transit'),
      ),
      kpi('ETA late', late, late ? 'bad' : 'ok'),
      kpi(
        'Escalated',
        count((o) => o.escalated),
        count((o) => o.escalated) ? 'bad' : 'ok',
      ),
    );
  }

  function renderFilters(list) {
    fill(
      filters,
      FILTERS.map((f) =>
        h(
          'button',
          {
            type: 'button',
            role: 'tab',
            class: 'tab',
            'aria-selected': String(f.key === filter),
            'data-testid': `filter-${f.key}`,
            onclick: () => {
              filter = f.key;
              render();
            },
          },
          f.label,
          h('span', { class: 'tab-count' }, String(list.filter(f.test).length)),
        ),
      ),
    );
  }

  function assetCell(o) {
    const a = assetById.get(o.assetId);
    return h(
      'div',
      { class: 'cell-stack' },
      h(
        'span',
        {},
        h(
          'a',
          { href: `#/orders/${encodeURIComponent(o.id)}`, class: 'order-link', 'data-testid': 'order-link' },
          h('strong', {}, `#${o.number}`),
        ),
        ' ',
        o.assetName,
      ),
      h('span', { class: 'muted small' }, a ? `${a.tenant} · ${a.site}` : (tenants.get(o.tenantId) ?? '')),
    );
  }

  function statusCell(o) {
    return h(
      'div',
      { class: 'cell-stack' },
      badge(o.status, undefined, { 'data-testid': 'order-status' }),
      o.escalated
        ? badge('escalated', 'bad', {
            'data-testid': 'escalated',
            title: o.verdictReason ?? 'No plan reaches the site before the expected failure',
          })
        : null,
      o.riskCleared
        ? badge('risk cleared', 'warn', {
            'data-testid': 'risk-cleared',
            title: 'Predict no longer sees the failure coming: keep the job or cancel it',
          })
        : null,
      o.acceptedBy
        ? h('span', { class: 'muted small', 'data-testid': 'accepted-by' }, `accepted by ${o.acceptedBy}`)
        : null,
    );
  }

  function renderBoard(list) {
    const rows = list.filter(FILTERS.find((f) => f.key === filter).test);
    const now = Date.now();
    fill(
      board,
      rows.length
        ? table(
            [
              { label: 'Order', cell: assetCell },
              {
                label: 'Predicted failure',
                cell: (o) =>
                  h(
                    'div',
                    { class: 'cell-stack' },
                    o.failureMode,
                    countdownEl(o.expectedFailureAt, { warnMs: 2 * HOUR }),
                  ),
              },
              { label: 'Due by', cell: (o) => countdownEl(o.dueBy, { warnMs: HOUR }) },
              { label: 'SLA', cell: (o) => badge(o.slaTier, undefined, { 'data-testid': 'sla-tier' }) },
              { label: 'Status', cell: statusCell },
              { label: 'Staging', cell: stagingCell },
              {
                label: 'Parts',
                cell: (o) =>
                  h(
                    'div',
                    { class: 'cell-stack' },
                    partsBadge(o),
                    h('span', { class: 'muted small' }, `${o.part.qty} × ${o.part.sku}`),
                  ),
              },
              {
                label: 'Technician',
                cell: (o) => o.technician ?? h('span', { class: 'muted' }, 'unassigned'),
              },
              {
                label: 'ETA',
                cell: (o) =>
                  o.status === 'PREDICTED' && o.onTime == null
                    ? h(
                        'span',
                        { class: 'muted small', 'data-testid': 'verdict-reason' },
                        'not planned yet: waiting for the next planning round',
                      )
                    : etaVerdictCell(o),
              },
              { label: 'Actions', cell: actions.buttons },
            ],
            rows,
            {
              testid: 'job-board',
              caption: 'Job board',
              rowAttrs: (o) => ({
                'data-testid': 'job-row',
                'data-order-id': o.id,
                'data-status': o.status,
                class:
                  [
                    (fresh.get(o.id) ?? 0) > now - FRESH_MS ? 'row-new' : '',
                    o.slaTier === 'CRITICAL' ? 'row-critical' : '',
                    o.escalated ? 'row-escalated' : '',
                  ]
                    .join(' ')
                    .trim() || undefined,
              }),
            },
          )
        : h(
            'div',
            { 'data-testid': 'job-board' },
            empty(
              filter === 'all'
                ? 'No open orders. Predicted failures appear here as they are raised.'
                : 'No orders match this filter.',
            ),
          ),
    );
  }

  function renderMap(list) {
    const data = { network: net, assets, orders: list, tenants };
    // redrawn in place: the zoom, the pan and an open stock detail stay
    if (mapBody.firstElementChild?.update) mapBody.firstElementChild.update(data);
    else fill(mapBody, networkMap(data));
  }

  function render() {
    const list = open();
    redrawKeepingFocus(() => {
      renderKpis(list);
      renderFilters(list);
      renderBoard(list);
    });
    actions.sync(orders);
  }

  async function refreshMap() {
    try {
      net = await api('/api/network');
    } catch {
      // keep the last network; the board stays live
    }
    renderMap(open());
  }

  async function planNow() {
    planButton.disabled = true;
    note.textContent = 'Planning…';
    try {
      const res = await api('/api/dispatch/plan', { method: 'POST' });
      note.textContent = `Planning round ${res.rounds} done`;
    } catch (err) {
      note.textContent = '';
      note.append(errorBox(err));
    } finally {
      planButton.disabled = false;
    }
  }

  // new orders are announced: highlighted (row-new), counted in the tab title until the dispatcher is back at
  // the board, and read out by screen readers (aria-live)
  const baseTitle = document.title;
  let unseen = 0;
  const announcer = h('p', { class: 'sr-only', 'aria-live': 'polite', 'data-testid': 'new-order-announcer' });
  root.append(announcer);
  const setTitle = () => (document.title = unseen ? `(${unseen}) ${baseTitle}` : baseTitle);
  const seen = () => {
    if (!unseen || document.hidden) return;
    unseen = 0;
    setTitle();
  };
  const seenEvents = ['pointerdown', 'keydown'];
  for (const ev of seenEvents) root.addEventListener(ev, seen);
  document.addEventListener('visibilitychange', seen);

  const offs = [
    live.on('order', (o) => {
      if (!orders.has(o.id)) {
        unseen += 1;
        setTitle();
        announcer.textContent = `New order #${o.number}: ${o.assetName}, ${o.failureMode}${
          o.slaTier === 'CRITICAL' ? ' (critical)' : ''
        }.`;
      }
      fresh.set(o.id, Date.now());
      orders.set(o.id, o);
      render();
      if (o.status === 'COMPLETED') void returns.refresh();
      clearTimeout(mapTimer);
      mapTimer = setTimeout(refreshMap, 1500);
      // drop the highlight once it has faded
      clearTimeout(boardTimer);
      boardTimer = setTimeout(render, FRESH_MS + 100);
    }),
  ];

  render();
  renderMap(open());
  void returns.refresh();
  const stop = ticker(root);
  return () => {
    document.removeEventListener('visibilitychange', seen);
    document.title = baseTitle;
    stop();
    clearTimeout(mapTimer);
    clearTimeout(boardTimer);
    offs.forEach((off) => off());
  };
}
