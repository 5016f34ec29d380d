// Admin view: platform health and read-only lists of tenants, users, assets, stock locations and technicians.
/* global setInterval, clearInterval, fetch */
import { badge, card, fill, empty, errorBox, h, kpi, onlineDot, table } from '../dom.js';
import { ago, dateTime, number } from '../format.js';
import { session } from '../api.js';
import { tenantColumns } from '../tenant-columns.js';

const HEALTH_EVERY_MS = 10_000;

async function health() {
  // /api/health answers 503 with the same report when a component is down; the components only with a staff token
  const s = session();
  const res = await fetch('/api/health', s ? { headers: { authorization: `Bearer ${s.token}` } } : {});
  const report = await res.json();
  return { ...report, components: report.components ?? {} };
}

function healthList(report) {
  return h(
    'ul',
    { class: 'health', 'data-testid': 'health', 'data-status': report.status },
    Object.entries(report.components).map(([name, c]) =>
      h(
        'li',
        {
          class: 'health-item',
          'data-testid': 'health-component',
          'data-component': name,
          title: c.detail ? JSON.stringify(c.detail, null, 2) : undefined,
        },
        h('span', { class: 'health-name' }, name.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()),
        badge(c.status),
      ),
    ),
  );
}

const list = (items) =>
  h(
    'span',
    { class: 'chips' },
    items.map((s) => h('span', { class: 'chip' }, s)),
  );

export async function mount(root, { api, live }) {
  const [tenants, users, assets, network, technicians, report] = await Promise.all([
    api('/api/admin/tenants'),
    api('/api/admin/users'),
    api('/api/assets'),
    api('/api/network'),
    api('/api/admin/technicians'),
    health(),
  ]);
  const assetById = new Map(assets.map((a) => [a.id, a]));
  let tenantFilter = '';

  const kpis = h('div', { class: 'kpis' });
  const healthBody = h('div', {}, healthList(report));
  const assetBody = h('div', { class: 'table-wrap table-scroll' });
  const tenantSelect = h(
    'select',
    {
      class: 'select',
      'aria-label': 'Tenant',
      'data-testid': 'asset-tenant-filter',
      onchange: (e) => {
        tenantFilter = e.target.value;
        renderAssets();
      },
    },
    h('option', { value: '' }, 'All tenants'),
    tenants.map((t) => h('option', { value: t.id }, t.name)),
  );

  root.append(
    h(
      'div',
      { class: 'page-head' },
      h(
        'div',
        {},
        h('h1', {}, 'Platform'),
        h(
          'p',
          { class: 'muted' },
          'Health, tenants, people, equipment and the service network at a glance; change them in their own views.',
        ),
      ),
      kpis,
    ),
    card(
      'Health',
      { testid: 'health-card', subtitle: 'Every component of the platform, refreshed every 10 s.' },
      healthBody,
    ),
    h(
      'div',
      { class: 'grid-2' },
      card(
        'Tenants',
        {
          testid: 'tenants-card',
          actions: h(
            'a',
            { href: '#/tenants', class: 'btn btn-small', 'data-testid': 'tenants-admin-link' },
            'Edit tenants & sites',
          ),
        },
        table(
          [
            ...tenantColumns('Name'),
            { label: 'Open orders', cell: (t) => String(t.openOrders), class: 'num' },
          ],
          tenants,
          {
            testid: 'tenant-table',
            caption: 'Tenants',
            rowAttrs: (t) => ({ 'data-testid': 'tenant-row', 'data-tenant-id': t.id }),
          },
        ),
      ),
      card(
        'Users',
        { testid: 'users-card' },
        table(
          [
            {
              label: 'User',
              cell: (u) =>
                h(
                  'div',
                  { class: 'cell-stack' },
                  h('strong', {}, u.name),
                  h('span', { class: 'muted small' }, u.email),
                ),
            },
            { label: 'Role', cell: (u) => badge(u.role, 'info') },
            { label: 'Tenant', cell: (u) => u.tenant ?? h('span', { class: 'muted' }, 'staff') },
            { label: 'Created', cell: (u) => h('span', { title: dateTime(u.createdAt) }, ago(u.createdAt)) },
          ],
          users,
          { testid: 'user-table', caption: 'Users', rowAttrs: () => ({ 'data-testid': 'user-row' }) },
        ),
      ),
    ),
    card(
      'Stock locations',
      { testid: 'locations-card', subtitle: 'On hand, and reserved for open orders, per part.' },
      h(
        'div',
        { class: 'table-wrap' },
        table(
          [
            { label: 'Code', cell: (l) => h('strong', {}, l.code) },
            { label: 'Name', cell: (l) => l.name },
            { label: 'Kind', cell: (l) => badge(l.kind) },
            { label: 'Hours (UTC)', cell: (l) => (l.openUtc ? `${l.openUtc}–${l.closeUtc}` : 'always') },
            { label: 'Position', cell: (l) => `${number(l.lat, 2)}, ${number(l.lon, 2)}`, class: 'num' },
            {
              label: 'Stock (reserved / on hand)',
              cell: (l) =>
                l.stock.length
                  ? list(l.stock.map((s) => `${s.sku} ${s.reserved}/${s.onHand}`))
                  : h('span', { class: 'muted' }, 'none'),
            },
          ],
          network.locations,
          {
            testid: 'location-table',
            caption: 'Stock locations',
            rowAttrs: () => ({ 'data-testid': 'location-row' }),
          },
        ),
      ),
    ),
    card(
      'Technicians',
      { testid: 'technicians-card' },
      h(
        'div',
        { class: 'table-wrap' },
        table(
          [
            { label: 'Code', cell: (t) => h('strong', {}, t.code) },
            { label: 'Name', cell: (t) => t.name },
            { label: 'Skills', cell: (t) => list(t.skills) },
            { label: 'Shift (UTC)', cell: (t) => `${t.shiftStartUtc}–${t.shiftEndUtc}` },
            { label: 'Position', cell: (t) => `${number(t.lat, 2)}, ${number(t.lon, 2)}`, class: 'num' },
            { label: 'Open orders', cell: (t) => String(t.openOrders), class: 'num' },
          ],
          technicians,
          {
            testid: 'technician-table',
            caption: 'Technicians',
            rowAttrs: () => ({ 'data-testid': 'technician-row' }),
          },
        ),
      ),
    ),
    card(
      'Assets',
      { testid: 'admin-assets-card', subtitle: 'Connectivity updates live.', actions: tenantSelect },
      assetBody,
    ),
  );

  function renderKpis() {
    fill(
      kpis,
      kpi('Tenants', tenants.length),
      kpi('Users', users.length),
      kpi('Assets online', `${assets.filter((a) => a.online).length}/${assets.length}`, 'ok'),
      kpi('Stock locations', network.locations.length),
      kpi('Technicians', technicians.length),
    );
  }

  function renderAssets() {
    const rows = assets.filter((a) => !tenantFilter || a.tenantId === tenantFilter);
    fill(
      assetBody,
      rows.length
        ? table(
            [
              {
                label: 'Asset',
                cell: (a) =>
                  h(
                    'div',
                    { class: 'cell-stack' },
                    h('strong', {}, a.name),
                    h('code', { class: 'muted small' }, a.id),
                  ),
              },
              { label: 'Tenant', cell: (a) => a.tenant },
              { label: 'Site', cell: (a) => a.site },
              { label: 'Model', cell: (a) => a.equipmentModel },
              { label: 'SLA', cell: (a) => badge(a.slaTier) },
              { label: 'State', cell: (a) => badge(a.state) },
              {
                label: 'Connectivity',
                cell: (a) =>
                  h(
                    'span',
                    { class: 'cell-stack' },
                    onlineDot(a.online),
                    a.online
                      ? null
                      : h(
                          'span',
                          { class: 'muted small', title: a.lastSeenAt ?? '' },
                          `last seen ${ago(a.lastSeenAt)}`,
                        ),
                  ),
              },
            ],
            rows,
            {
              testid: 'asset-table',
              caption: 'Assets',
              rowAttrs: (a) => ({ 'data-testid': 'asset-row', 'data-asset-id': a.id }),
            },
          )
        : empty('No assets.'),
    );
  }

  const poll = setInterval(async () => {
    try {
      fill(healthBody, healthList(await health()));
    } catch (err) {
      fill(healthBody, errorBox(err));
    }
  }, HEALTH_EVERY_MS);
  const offs = [
    live.on('asset', (ev) => {
      const a = assetById.get(ev.assetId);
      if (!a) return;
      a.online = ev.online;
      a.lastSeenAt = ev.at;
      renderAssets();
      renderKpis();
    }),
  ];

  renderKpis();
  renderAssets();
  return () => {
    clearInterval(poll);
    offs.forEach((off) => off());
  };
}
