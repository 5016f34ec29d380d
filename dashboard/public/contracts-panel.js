// A tenant's service contracts on the Tenants & sites page (ADMIN): the table (tier, response time, in force,
// what they cover, excluded SKUs, assets under them) and the form that creates or edits one; a contract no asset
// uses can be deleted (one in use is kept: the API says why). Every asset is registered under a contract of its
// tenant (Devices → Register), so a new tenant needs one here first.
import { h, fill, table } from './dom.js';
import { date } from './format.js';

const TIERS = [
  ['CRITICAL', 'Critical'],
  ['STANDARD', 'Standard'],
];
const COVERS = [
  ['coversParts', 'Parts'],
  ['coversLabour', 'Labour'],
  ['coversTravel', 'Travel'],
  ['coversShipping', 'Shipping'],
];
/** As the API takes it (admin/core/contract-admin.ts RESPONSE_HOURS_MAX). */
const RESPONSE_HOURS_MAX = 720;

function field(label, input) {
  return h('label', {}, label, input);
}

/** A date input's value (YYYY-MM-DD) as the API's instant (midnight UTC); empty: open-ended. */
const instant = (v) => (v ? `${v}T00:00:00Z` : null);
const day = (iso) => (iso ? iso.slice(0, 10) : '');

const inForce = (c) =>
  c.startsAt || c.endsAt
    ? `${c.startsAt ? `from ${date(c.startsAt)}` : ''}${c.startsAt && c.endsAt ? ' ' : ''}${c.endsAt ? `until ${date(c.endsAt)}` : ''}`
    : 'open-ended';
const covers = (c) =>
  COVERS.filter(([k]) => c[k])
    .map(([, l]) => l)
    .join(', ') || 'nothing';

/**
 * The panel: `el` to place, `load(tenant)` to show a tenant's contracts ({ id, name } or null).
 * `run(status, what, fn)` performs a change and reports it in `status` (the page's, which reloads its lists);
 * it resolves to true when the change was made.
 */
export function contractsPanel({ api, run }) {
  const el = h('div', {});
  const status = h('p', { class: 'muted small', role: 'status', 'data-testid': 'contract-status' });
  let tenant = null;
  let contracts = [];
  let editing = null;
  const base = () => `/api/admin/tenants/${encodeURIComponent(tenant.id)}/contracts`;
  // the page's run reloads its lists, this panel's among them
  const change = (what, fn) => run(status, what, fn);

  function form() {
    const c = editing;
    const select = h(
      'select',
      { name: 'tier', class: 'select', required: true, 'aria-label': 'Tier' },
      TIERS.map(([v, l]) => h('option', { value: v, selected: (c?.tier ?? 'STANDARD') === v }, l)),
    );
    return h(
      'form',
      {
        class: 'site-form contract-form',
        'data-testid': c ? 'contract-edit' : 'contract-create',
        onsubmit: async (e) => {
          e.preventDefault();
          const f = e.target;
          const body = {
            name: f.name.value,
            tier: f.tier.value,
            responseHours: Number(f.responseHours.value),
            startsAt: instant(f.startsAt.value),
            endsAt: instant(f.endsAt.value),
            ...Object.fromEntries(COVERS.map(([k]) => [k, f[k].checked])),
            excludedSkus: f.excludedSkus.value.split(/[\s,;]+/).filter(Boolean),
          };
          const name = body.name.trim();
          const ok = await change(c ? `Contract ${name} saved.` : `Contract ${name} created.`, () =>
            c
              ? api(`${base()}/${encodeURIComponent(c.id)}`, { method: 'PATCH', body })
              : api(base(), { method: 'POST', body }),
          );
          if (ok) {
            editing = null;
            render();
          }
        },
      },
      field(
        'Name',
        h('input', {
          name: 'name',
          required: true,
          maxlength: 200,
          value: c?.name ?? '',
          'aria-label': 'Contract name',
        }),
      ),
      field('Tier', select),
      field(
        'Response time (hours)',
        h('input', {
          name: 'responseHours',
          type: 'number',
          min: 1,
          max: RESPONSE_HOURS_MAX,
          step: 1,
          required: true,
          value: c?.responseHours ?? 24,
          'aria-label': 'Response time (hours)',
          title: `The SLA: hours from a failure to a technician on site, 1 to ${RESPONSE_HOURS_MAX}`,
        }),
      ),
      field(
        'Starts',
        h('input', { name: 'startsAt', type: 'date', value: day(c?.startsAt), 'aria-label': 'Starts' }),
      ),
      field(
        'Ends',
        h('input', {
          name: 'endsAt',
          type: 'date',
          value: day(c?.endsAt),
          'aria-label': 'Ends',
          title: 'Empty: open-ended. In force until the start of that day (UTC).',
        }),
      ),
      h(
        'fieldset',
        { class: 'contract-covers' },
        h('legend', {}, 'Covers'),
        COVERS.map(([k, l]) =>
          h('label', {}, h('input', { type: 'checkbox', name: k, checked: c ? c[k] : true }), ` ${l}`),
        ),
      ),
      field(
        'Excluded SKUs',
        h('input', {
          name: 'excludedSkus',
          value: (c?.excludedSkus ?? []).join(', '),
          placeholder: 'e.g. BRG-1, SEAL-2',
          'aria-label': 'Excluded SKUs',
          title: 'Parts the contract does not pay for (wear parts, consumables), comma-separated',
        }),
      ),
      h(
        'div',
        { class: 'actions' },
        h('button', { type: 'submit', class: 'btn btn-primary' }, c ? 'Save contract' : 'Add contract'),
        c
          ? h(
              'button',
              {
                type: 'button',
                class: 'btn',
                onclick: () => {
                  editing = null;
                  render();
                },
              },
              'Cancel',
            )
          : null,
      ),
    );
  }

  function render() {
    if (!tenant) {
      fill(el, h('p', { class: 'muted' }, 'No tenant yet: create one above.'), status);
      return;
    }
    fill(
      el,
      h('h3', { class: 'small', 'data-testid': 'contract-tenant' }, `Service contracts of ${tenant.name}`),
      contracts.length
        ? h(
            'div',
            { class: 'table-wrap' },
            table(
              [
                { label: 'Contract', cell: (c) => h('strong', {}, c.name) },
                { label: 'Tier', cell: (c) => c.tier.toLowerCase() },
                { label: 'Response', cell: (c) => `${c.responseHours} h`, class: 'num' },
                { label: 'In force', cell: inForce },
                { label: 'Covers', cell: covers },
                {
                  label: 'Excluded SKUs',
                  cell: (c) => c.excludedSkus.join(', ') || h('span', { class: 'muted' }, '—'),
                },
                { label: 'Assets', cell: (c) => String(c.assets), class: 'num' },
                {
                  label: 'Actions',
                  cell: (c) =>
                    h(
                      'div',
                      { class: 'actions' },
                      h(
                        'button',
                        {
                          type: 'button',
                          class: 'btn btn-small',
                          'data-testid': 'contract-edit-button',
                          'aria-label': `Edit ${c.name}`,
                          onclick: () => {
                            editing = c;
                            render();
                            el.querySelector('[data-testid="contract-edit"] input')?.focus();
                          },
                        },
                        'Edit',
                      ),
                      h(
                        'button',
                        {
                          type: 'button',
                          class: 'btn btn-small btn-danger',
                          'data-testid': 'contract-remove',
                          'aria-label': `Delete ${c.name}`,
                          title: c.assets
                            ? 'A contract with assets is kept: end it (Ends) instead'
                            : undefined,
                          onclick: () => {
                            if (!window.confirm(`Delete the contract ${c.name}?`)) return;
                            void change(`Contract ${c.name} deleted.`, () =>
                              api(`${base()}/${encodeURIComponent(c.id)}`, { method: 'DELETE' }),
                            );
                          },
                        },
                        'Delete',
                      ),
                    ),
                },
              ],
              contracts,
              {
                testid: 'contract-table',
                caption: `Service contracts of ${tenant.name}`,
                rowAttrs: (c) => ({ 'data-testid': 'contract-row', 'data-contract-id': c.id }),
              },
            ),
          )
        : h(
            'p',
            { class: 'muted names-wrap', 'data-testid': 'contract-none' },
            `No service contract yet: ${tenant.name}'s assets are registered under one, so add it before the first.`,
          ),
      h('h3', { class: 'small' }, editing ? `Edit ${editing.name}` : 'Add a contract'),
      form(),
      status,
    );
  }

  async function load(t) {
    if (t?.id !== tenant?.id) editing = null;
    tenant = t ?? null;
    contracts = tenant ? await api(base()) : [];
    render();
    return true;
  }

  return { el, load };
}
