// Administration of tenants and their sites (ADMIN, #/tenants): create and rename tenants; a tenant's sites with
// their address and coordinates, created, edited and removed (a site with assets is kept: the API says why); its
// service contracts (contracts-panel.js), which its assets are registered under; and the audit log of those
// changes (who, what, when, before and after). The API refuses bad input with a message, shown where the change
// was made.
import { contractsPanel } from '../contracts-panel.js';
import { card, fill, h, table } from '../dom.js';
import { dateTime, number } from '../format.js';
import { loadInto } from '../panel-load.js';
import { tenantColumns } from '../tenant-columns.js';

const diff = (x) =>
  x
    ? Object.entries(x)
        .map(([k, v]) => `${k}: ${v === null ? '—' : String(v)}`)
        .join(', ')
    : '—';

const ADMIN_ACTIONS = /^(tenant|site|contract)\./;

function field(label, input) {
  return h('label', {}, label, input);
}

export async function mount(root, { api, param, setParam }) {
  let tenants = [];
  let sites = [];
  let current = param || '';
  let editing = null;

  const tenantBody = h('div', { class: 'table-wrap' });
  const siteBody = h('div', {});
  const auditBody = h('div', { class: 'table-wrap table-scroll' });
  const tenantStatus = h('p', { class: 'muted small', role: 'status', 'data-testid': 'tenant-status' });
  const siteStatus = h('p', { class: 'muted small', role: 'status', 'data-testid': 'site-status' });
  const say = (el, text, err) => {
    el.textContent = text;
    el.classList.toggle('error-box', Boolean(err));
  };

  async function run(status, what, fn) {
    try {
      await fn();
      say(status, what);
    } catch (err) {
      say(status, err.message, true);
      return false;
    }
    // the tenants first: the sites panel is drawn from the tenant list (a new tenant is not in the old one)
    await loadTenants();
    await Promise.all([loadSites(), loadContracts(), loadAudit()]);
    return true;
  }

  const contracts = contractsPanel({ api, run });
  const loadContracts = () => contracts.load(tenants.find((t) => t.id === current) ?? null);

  // --- tenants
  const tenantForm = h(
    'form',
    {
      class: 'filters',
      'data-testid': 'tenant-create',
      onsubmit: (e) => {
        e.preventDefault();
        const f = e.target;
        const body = { slug: f.slug.value.trim(), name: f.name.value };
        run(tenantStatus, `Tenant ${body.name.trim()} created.`, async () => {
          const t = await api('/api/admin/tenants', { method: 'POST', body });
          current = t.id;
          setParam?.(t.id);
          f.reset();
        });
      },
    },
    h('input', {
      name: 'slug',
      required: true,
      placeholder: 'slug, e.g. umbrella',
      pattern: '[a-z0-9][a-z0-9\\-]{1,39}',
      title: 'lower-case letters, digits and dashes',
      'aria-label': 'Slug',
    }),
    h('input', { name: 'name', required: true, placeholder: 'name', 'aria-label': 'Tenant name' }),
    h('button', { type: 'submit', class: 'btn btn-primary' }, 'Create tenant'),
  );

  function renameForm(t) {
    return h(
      'form',
      {
        class: 'inline-form',
        'data-testid': 'tenant-rename',
        onsubmit: (e) => {
          e.preventDefault();
          const name = e.target.name.value;
          run(tenantStatus, `Tenant renamed to ${name.trim()}.`, () =>
            api(`/api/admin/tenants/${encodeURIComponent(t.id)}`, { method: 'PATCH', body: { name } }),
          );
        },
      },
      h('input', { name: 'name', value: t.name, required: true, 'aria-label': `New name of ${t.name}` }),
      h('button', { type: 'submit', class: 'btn btn-small' }, 'Rename'),
    );
  }

  async function loadTenants() {
    tenants = await api('/api/admin/tenants');
    if (!tenants.some((t) => t.id === current)) current = tenants[0]?.id ?? '';
    fill(
      tenantBody,
      table(
        [
          ...tenantColumns('Tenant'),
          { label: 'Rename', cell: renameForm },
          {
            label: 'Sites',
            cell: (t) =>
              h(
                'button',
                {
                  type: 'button',
                  class: `btn btn-small ${t.id === current ? 'btn-primary' : ''}`,
                  'aria-pressed': String(t.id === current),
                  'data-testid': 'tenant-sites',
                  onclick: () => {
                    current = t.id;
                    editing = null;
                    setParam?.(t.id);
                    loadTenants();
                    loadInto(siteBody, loadSites);
                    loadInto(contracts.el, loadContracts);
                  },
                },
                'Sites',
              ),
          },
        ],
        tenants,
        {
          testid: 'admin-tenant-table',
          caption: 'Tenants',
          rowAttrs: (t) => ({ 'data-testid': 'admin-tenant-row', 'data-tenant-id': t.id }),
        },
      ),
    );
  }

  // --- sites of the current tenant
  function siteForm() {
    const s = editing;
    const num = (name, value, min, max, label) =>
      h('input', {
        name,
        type: 'number',
        step: 'any',
        min,
        max,
        required: true,
        value: value ?? '',
        'aria-label': label,
      });
    return h(
      'form',
      {
        class: 'site-form',
        'data-testid': s ? 'site-edit' : 'site-create',
        onsubmit: async (e) => {
          e.preventDefault();
          const f = e.target;
          const body = {
            name: f.name.value,
            address: f.address.value,
            lat: Number(f.lat.value),
            lon: Number(f.lon.value),
          };
          const base = `/api/admin/tenants/${encodeURIComponent(current)}/sites`;
          const ok = await run(
            siteStatus,
            s ? `Site ${body.name.trim()} saved.` : `Site ${body.name.trim()} created.`,
            () =>
              s
                ? api(`${base}/${encodeURIComponent(s.id)}`, { method: 'PATCH', body })
                : api(base, { method: 'POST', body }),
          );
          if (ok) {
            editing = null;
            renderSites();
          }
        },
      },
      field(
        'Name',
        h('input', { name: 'name', required: true, value: s?.name ?? '', 'aria-label': 'Site name' }),
      ),
      field(
        'Address',
        h('input', {
          name: 'address',
          value: s?.address ?? '',
          placeholder: 'street, postcode, town',
          'aria-label': 'Address',
        }),
      ),
      field('Latitude', num('lat', s?.lat, -90, 90, 'Latitude')),
      field('Longitude', num('lon', s?.lon, -180, 180, 'Longitude')),
      h(
        'div',
        { class: 'actions' },
        h('button', { type: 'submit', class: 'btn btn-primary' }, s ? 'Save site' : 'Add site'),
        s
          ? h(
              'button',
              {
                type: 'button',
                class: 'btn',
                onclick: () => {
                  editing = null;
                  renderSites();
                },
              },
              'Cancel',
            )
          : null,
      ),
    );
  }

  function renderSites() {
    const tenant = tenants.find((t) => t.id === current);
    if (!tenant) {
      fill(siteBody, h('p', { class: 'muted' }, 'No tenant yet: create one above.'));
      return;
    }
    fill(
      siteBody,
      h('h3', { class: 'small', 'data-testid': 'site-tenant' }, `Sites of ${tenant.name}`),
      sites.length
        ? h(
            'div',
            { class: 'table-wrap' },
            table(
              [
                { label: 'Site', cell: (s) => h('strong', {}, s.name) },
                { label: 'Address', cell: (s) => s.address ?? h('span', { class: 'muted' }, '—') },
                { label: 'Coordinates', cell: (s) => `${number(s.lat, 4)}, ${number(s.lon, 4)}` },
                { label: 'Assets', cell: (s) => String(s.assets), class: 'num' },
                {
                  label: 'Actions',
                  cell: (s) =>
                    h(
                      'div',
                      { class: 'actions' },
                      h(
                        'button',
                        {
                          type: 'button',
                          class: 'btn btn-small',
                          'data-testid': 'site-edit-button',
                          'aria-label': `Edit ${s.name}`,
                          onclick: () => {
                            editing = s;
                            renderSites();
                            siteBody.querySelector('[data-testid="site-edit"] input')?.focus();
                          },
                        },
                        'Edit',
                      ),
                      h(
                        'button',
                        {
                          type: 'button',
                          class: 'btn btn-small btn-danger',
                          'data-testid': 'site-remove',
                          'aria-label': `Remove ${s.name}`,
                          title: s.assets
                            ? 'A site with assets is kept (their history stays there)'
                            : undefined,
                          onclick: () => {
                            if (!window.confirm(`Remove the site ${s.name}?`)) return;
                            run(siteStatus, `Site ${s.name} removed.`, () =>
                              api(
                                `/api/admin/tenants/${encodeURIComponent(current)}/sites/${encodeURIComponent(s.id)}`,
                                { method: 'DELETE' },
                              ),
                            ).then(() => renderSites());
                          },
                        },
                        'Remove',
                      ),
                    ),
                },
              ],
              sites,
              {
                testid: 'site-table',
                caption: `Sites of ${tenant.name}`,
                rowAttrs: (s) => ({ 'data-testid': 'site-row', 'data-site-id': s.id }),
              },
            ),
          )
        : h('p', { class: 'muted' }, 'No sites yet.'),
      h('h3', { class: 'small' }, editing ? `Edit ${editing.name}` : 'Add a site'),
      siteForm(),
    );
  }

  async function loadSites() {
    sites = current ? await api(`/api/admin/tenants/${encodeURIComponent(current)}/sites`) : [];
    renderSites();
  }

  async function loadAudit() {
    const audit = (await api('/api/admin/audit', { query: { limit: 300 } })).filter((a) =>
      ADMIN_ACTIONS.test(a.action),
    );
    fill(
      auditBody,
      audit.length
        ? table(
            [
              { label: 'When', cell: (a) => dateTime(a.at) },
              { label: 'Who', cell: (a) => a.actor },
              { label: 'What', cell: (a) => a.action },
              { label: 'Tenant, site or contract', cell: (a) => a.target },
              { label: 'Before', cell: (a) => diff(a.before) },
              { label: 'After', cell: (a) => diff(a.after) },
            ],
            audit,
            {
              testid: 'tenant-audit-table',
              caption: 'Changes of tenants, sites and contracts',
              rowAttrs: (a) => ({ 'data-testid': 'tenant-audit-row', 'data-action': a.action }),
            },
          )
        : h('p', { class: 'muted' }, 'No change of a tenant, a site or a contract yet.'),
    );
  }

  root.append(
    h(
      'div',
      { class: 'page-head' },
      h(
        'div',
        {},
        h('h1', {}, 'Tenants, sites and contracts'),
        h(
          'p',
          { class: 'muted' },
          'Customer organisations, the sites where their equipment stands and the service contracts it is under. Every change is in the audit log.',
        ),
      ),
    ),
    card('Tenants', { testid: 'admin-tenants-card' }, tenantBody, tenantForm, tenantStatus),
    card(
      'Sites',
      { testid: 'sites-card', subtitle: 'Name, postal address and coordinates (WGS 84).' },
      siteBody,
      siteStatus,
    ),
    card(
      'Service contracts',
      {
        testid: 'contracts-card',
        subtitle:
          'SLA tier and response time the planners keep to, and what each contract pays for. Every asset is registered under one of its tenant’s contracts.',
      },
      contracts.el,
    ),
    card(
      'Changes',
      {
        testid: 'tenant-audit-card',
        subtitle: 'Who changed which tenant, site or contract, when, before and after; newest first.',
      },
      auditBody,
    ),
  );
  await loadInto(tenantBody, loadTenants);
  await Promise.all([
    loadInto(siteBody, loadSites),
    loadInto(contracts.el, loadContracts),
    loadInto(auditBody, loadAudit),
  ]);
}
