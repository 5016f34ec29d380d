// Customer view: the tenant's own assets (state, connectivity, model, site, SLA tier); for the selected asset its
// availability (24 h / 7 d / 30 d, MTBF, MTTR, timeline) and telemetry over the same period (the store's
// downsampled buckets from GET /api/assets/{id}/series, then live readings folded in); and the tenant's open
// service orders with their ETA. #/assets/<assetId> selects an asset. The period tabs drive the figure and charts.
/* global setTimeout, clearTimeout */
import { availabilityPanel } from '../availability.js';
import { liveChart } from '../charts.js';
import {
  badge,
  card,
  fill,
  countdownEl,
  empty,
  errorBox,
  h,
  humanise,
  kpi,
  onlineDot,
  table,
  ticker,
} from '../dom.js';
import { ago, time } from '../format.js';
import { byDueBy, etaVerdictCell, isOpen, partsBadge } from '../orders.js';
import { historyTable } from '../service-history.js';
import { failedPanel } from '../panel-load.js';

const HOUR = 3_600_000;

export async function mount(root, { api, live, param, setParam }) {
  const [assets, orderList] = await Promise.all([api('/api/assets'), api('/api/orders')]);
  const byId = new Map(assets.map((a) => [a.id, a]));
  const orders = new Map(orderList.map((o) => [o.id, o]));
  const fresh = new Set();
  let selected;
  let charts = [];
  let panel;
  let chartToken = 0;
  let availabilityTimer;
  let period = '24h';

  const kpis = h('div', { class: 'kpis' });
  const tiles = h('div', { class: 'asset-grid', 'data-testid': 'asset-list' });
  const detail = h('div', { class: 'detail' });
  const orderBody = h('div', {});

  root.append(
    h(
      'div',
      { class: 'page-head' },
      h(
        'div',
        {},
        h('h1', {}, 'My assets'),
        h('p', { class: 'muted', 'data-testid': 'tenant-name' }, assets[0]?.tenant ?? 'Your organisation'),
      ),
      kpis,
    ),
    card(
      'Assets',
      { testid: 'assets-card', subtitle: 'Select an asset for its availability and live telemetry.' },
      tiles,
    ),
    card(
      'Asset detail',
      {
        testid: 'telemetry-card',
        subtitle:
          'Availability from what the machine reports: down is a reported failure until its repair; a device offline is “not reporting”, shown apart and not counted as down. Telemetry over the chosen period, then live.',
      },
      detail,
    ),
    card(
      'Open service orders',
      {
        testid: 'customer-orders',
        subtitle: 'Pre-emptive service and when the technician arrives, against the predicted failure.',
      },
      orderBody,
    ),
  );

  const openOrders = () => [...orders.values()].filter(isOpen).sort(byDueBy);
  // closed in the last day: a cancelled or completed job stays in the list a while, with why it closed
  const recentlyClosed = () =>
    [...orders.values()]
      .filter((o) => !isOpen(o) && o.closedAt && Date.now() - new Date(o.closedAt).getTime() < 24 * HOUR)
      .sort((a, b) => b.closedAt.localeCompare(a.closedAt));
  const orderFor = (assetId) => openOrders().find((o) => o.assetId === assetId);

  function renderKpis() {
    const open = openOrders();
    fill(
      kpis,
      kpi('Assets', assets.length),
      kpi('Online', `${assets.filter((a) => a.online).length}/${assets.length}`, 'ok'),
      kpi('Open orders', open.length, open.length ? 'warn' : undefined),
    );
  }

  function tile(a) {
    const o = orderFor(a.id);
    return h(
      'button',
      {
        type: 'button',
        class: `asset-tile ${a.id === selected ? 'selected' : ''} ${o ? 'at-risk' : ''}`,
        'data-testid': 'asset-card',
        'data-asset-id': a.id,
        'aria-pressed': String(a.id === selected),
        onclick: () => select(a.id),
      },
      h(
        'div',
        { class: 'tile-head' },
        h('span', { class: 'tile-name' }, a.name),
        badge(a.state, undefined, { 'data-testid': 'asset-state' }),
      ),
      h('div', { class: 'tile-meta' }, a.equipmentModel, ' · ', a.site),
      h(
        'div',
        { class: 'tile-foot' },
        onlineDot(a.online),
        badge(a.slaTier, undefined, { title: 'SLA tier' }),
        a.online
          ? null
          : h('span', { class: 'muted small', title: a.lastSeenAt ?? '' }, `last seen ${ago(a.lastSeenAt)}`),
      ),
      o
        ? h(
            'div',
            { class: 'tile-risk' },
            `${o.failureMode}: service ${o.etaAt ? `ETA ${time(o.etaAt)}` : 'being planned'}` +
              (o.onTime === false && o.etaAt ? ', later than the expected failure' : ''),
          )
        : null,
    );
  }

  const renderTiles = () => fill(tiles, assets.length ? assets.map(tile) : empty('No assets.'));

  function renderOrders() {
    const rows = [...openOrders(), ...recentlyClosed()];
    fill(
      orderBody,
      rows.length
        ? table(
            [
              {
                label: 'Order',
                cell: (o) =>
                  h(
                    'a',
                    { href: `#/orders/${encodeURIComponent(o.id)}`, 'data-testid': 'order-link' },
                    `#${o.number}`,
                  ),
              },
              { label: 'Asset', cell: (o) => o.assetName },
              { label: 'Predicted issue', cell: (o) => o.failureMode },
              {
                label: 'Expected failure',
                cell: (o) => countdownEl(o.expectedFailureAt, { warnMs: 2 * HOUR }),
              },
              {
                label: 'Status',
                // as the customer sees it: "risk cleared – under review", "cancelled – risk cleared"
                cell: (o) => {
                  const risk = o.customerStatus?.includes('risk');
                  const b = badge(o.status, risk ? 'warn' : undefined, {
                    'data-testid': 'order-status',
                    'data-status': o.status,
                  });
                  if (o.customerStatus) b.textContent = humanise(o.customerStatus);
                  return b;
                },
              },
              { label: 'Parts', cell: partsBadge },
              {
                label: 'Technician',
                cell: (o) => o.technician ?? h('span', { class: 'muted' }, 'being assigned'),
              },
              { label: 'ETA', cell: (o) => etaVerdictCell(o, { customer: true }) },
            ],
            rows,
            {
              testid: 'order-table',
              caption: 'Open service orders',
              rowAttrs: (o) => ({
                'data-testid': 'order-row',
                'data-order-id': o.id,
                class: fresh.has(o.id) ? 'row-new' : undefined,
              }),
            },
          )
        : empty('No open service orders: your equipment is running within its predicted limits.'),
    );
  }

  function clearDetail() {
    chartToken++;
    charts.forEach((c) => c.destroy());
    charts = [];
    panel = undefined;
    if (selected) live.unwatch(selected);
    selected = undefined;
  }

  async function select(assetId) {
    if (selected === assetId) return;
    const a = byId.get(assetId);
    clearDetail();
    if (!a) {
      // another tenant's asset or none at all: nothing is asked of the API or the live channel
      renderTiles();
      fill(
        detail,
        h(
          'p',
          { class: 'error-box', role: 'alert', 'data-testid': 'asset-not-found' },
          `No asset “${assetId}” in your organisation.`,
        ),
      );
      return;
    }
    selected = assetId;
    setParam(assetId);
    renderTiles();
    const token = chartToken;
    panel = availabilityPanel({ api, assetId, period, onPeriod: (p) => void loadSeries(p) });
    charts = a.metrics.map((m, i) => ({
      ...liveChart({ metric: m.name, unit: m.unit, index: i }),
      metric: m.name,
    }));
    fill(
      detail,
      h(
        'div',
        { class: 'detail-head', 'data-testid': 'asset-detail', 'data-asset-id': a.id },
        h('h3', {}, a.name),
        h('span', { class: 'muted' }, `${a.serial} · ${a.equipmentModel} · ${a.site}`),
        badge(a.state),
        onlineDot(a.online),
      ),
      panel.el,
      h(
        'div',
        { class: 'chart-grid' },
        charts.map((c) => c.el),
      ),
    );
    charts.forEach((c) => c.fit());
    const history = h('div', { 'data-testid': 'asset-history' }, h('p', { class: 'loading' }, 'Loading…'));
    detail.append(h('h4', {}, 'Service history'), history);
    const loadHistory = () =>
      api(`/api/assets/${encodeURIComponent(assetId)}/history`)
        .then((rows) => token === chartToken && fill(history, historyTable(rows, { showAsset: false })))
        .catch((err) => token === chartToken && fill(history, failedPanel(err, loadHistory)));
    void loadHistory();
    // live first, so no reading falls between the history and the subscription
    const watch = live.watch(assetId);
    await loadSeries(period);
    const res = await watch;
    if (!res.ok && token === chartToken)
      detail.append(errorBox(new Error(`Live telemetry unavailable: ${res.error ?? 'refused'}`)));
  }

  /** The selected asset's telemetry over a period, downsampled by the store, into the charts. */
  let seriesToken = 0;
  async function loadSeries(p) {
    period = p;
    const token = chartToken;
    const mine = ++seriesToken;
    const assetId = selected;
    seriesStatus.remove();
    try {
      const res = await api(`/api/assets/${encodeURIComponent(assetId)}/series`, { query: { period: p } });
      if (token !== chartToken || mine !== seriesToken) return;
      for (const c of charts) {
        c.setWindow({ periodMs: Date.parse(res.to) - Date.parse(res.from), bucketMs: res.bucketMs });
        c.seed(res.series.find((s) => s.metric === c.metric)?.points ?? [], res.to);
      }
    } catch (err) {
      if (token === chartToken && mine === seriesToken) {
        fill(
          seriesStatus,
          failedPanel(err, () => loadSeries(p)),
        );
        panel?.el.after(seriesStatus);
      }
    }
  }
  const seriesStatus = h('div', { 'data-testid': 'series-error' });

  const offs = [
    live.on('reading', (r) => {
      if (r.assetId !== selected) return;
      const at = new Date(r.ts).getTime();
      for (const c of charts) if (c.metric in r.metrics) c.push(at, r.metrics[c.metric]);
      const a = byId.get(r.assetId);
      if (a) a.lastSeenAt = r.ts;
    }),
    live.on('asset', (ev) => {
      const a = byId.get(ev.assetId);
      if (!a) return;
      // connectivity only: the event's state is not (yet) the asset's health state
      a.online = ev.online;
      a.lastSeenAt = ev.at;
      renderTiles();
      renderKpis();
      if (ev.assetId === selected) {
        clearTimeout(availabilityTimer);
        availabilityTimer = setTimeout(() => panel?.refresh(), 1000);
      }
    }),
    live.on('order', (o) => {
      if (!byId.has(o.assetId)) return;
      if (!orders.has(o.id)) fresh.add(o.id);
      orders.set(o.id, o);
      renderOrders();
      renderTiles();
      renderKpis();
    }),
  ];

  renderKpis();
  renderTiles();
  renderOrders();
  const atRisk = assets.find((a) => orderFor(a.id));
  const first = param ?? (atRisk ?? assets[0])?.id;
  if (first) void select(first);
  else detail.append(empty('No assets.'));
  const stop = ticker(root);

  return () => {
    stop();
    clearTimeout(availabilityTimer);
    offs.forEach((off) => off());
    clearDetail();
  };
}
