// Devices (administrators): every asset with its device — active, revoked or none — and its connection; register
// an asset and its device (the secret is shown once), rotate or revoke a device's secret, decommission an asset
// (its history stays). Each change is in the audit log (Users page). On the embedded broker a change takes effect
// within seconds; on Mosquitto after `npm run mosquitto:auth` and a reload (docs/operations.md).
/* global confirm */
import { badge, card, empty, errorBox, fill, h, onlineDot, table } from '../dom.js';
import { ago, date, dateTime } from '../format.js';
import { failedPanel } from '../panel-load.js';

const DEVICE_KIND = { active: 'ok', revoked: 'bad', none: 'muted' };
const ended = (c) => c.endsAt !== null && Date.parse(c.endsAt) <= Date.now();

export async function mount(root, { api }) {
  const [catalog] = await Promise.all([api('/api/admin/asset-catalog')]);
  const list = h('div', { class: 'table-wrap' });
  const secretBox = h('div', { 'data-testid': 'device-secret', 'aria-live': 'polite' });
  const note = h('p', { class: 'muted small', role: 'status', 'data-testid': 'devices-status' });
  let showDecommissioned = false;

  root.append(
    h(
      'div',
      { class: 'page-head' },
      h(
        'div',
        {},
        h('h1', {}, 'Devices'),
        h(
          'p',
          { class: 'muted' },
          'Register assets and their devices, rotate or revoke device secrets, decommission assets.',
        ),
      ),
    ),
    card(
      'Register an asset',
      {
        testid: 'register-card',
        subtitle: 'The device secret is shown once, right after registering: put it on the device then.',
      },
      registerForm(),
      secretBox,
    ),
    card(
      'Assets and devices',
      {
        testid: 'devices-card',
        subtitle:
          'Embedded broker: a change takes effect within seconds. Mosquitto: run `npm run mosquitto:auth` and reload it.',
        actions: [
          h(
            'label',
            { class: 'small' },
            h('input', {
              type: 'checkbox',
              'data-testid': 'show-decommissioned',
              onchange: (e) => {
                showDecommissioned = e.target.checked;
                void refresh();
              },
            }),
            ' show decommissioned',
          ),
        ],
      },
      note,
      list,
    ),
  );

  function registerForm() {
    const tenant = h(
      'select',
      {
        id: 'reg-tenant',
        class: 'select',
        required: true,
        'data-testid': 'reg-tenant',
        onchange: () => syncTenant(),
      },
      catalog.tenants.map((t) => h('option', { value: t.id }, t.name)),
    );
    const site = h('select', { id: 'reg-site', class: 'select', required: true, 'data-testid': 'reg-site' });
    const contract = h('select', {
      id: 'reg-contract',
      class: 'select',
      required: true,
      'data-testid': 'reg-contract',
    });
    const model = h(
      'select',
      { id: 'reg-model', class: 'select', required: true, 'data-testid': 'reg-model' },
      catalog.equipmentModels.map((m) => h('option', { value: m.key }, m.name)),
    );
    const serial = h('input', {
      id: 'reg-serial',
      type: 'text',
      required: true,
      maxlength: 100,
      // the server's pattern; "/" escaped: Chromium compiles pattern with the v flag, where an unescaped "/" in a
      // class is a syntax error, and the browser then ignores the pattern (and logs an error)
      pattern: '[A-Za-z0-9._\\/\\-]+',
      'data-testid': 'reg-serial',
    });
    const name = h('input', {
      id: 'reg-name',
      type: 'text',
      required: true,
      maxlength: 200,
      'data-testid': 'reg-name',
    });
    const err = h('div', {});
    const submit = h(
      'button',
      { type: 'submit', class: 'btn btn-primary', 'data-testid': 'reg-submit' },
      'Register',
    );
    // what the tenant lacks before an asset can be registered (a site, a service contract), said in words with
    // the way to it, instead of an empty list the browser answers with its own "select an item"
    const missing = h('div', { 'data-testid': 'reg-missing', 'aria-live': 'polite' });
    function syncTenant() {
      const t = catalog.tenants.find((x) => x.id === tenant.value);
      fill(
        site,
        (t?.sites ?? []).map((s) => h('option', { value: s.id }, s.name)),
      );
      fill(
        contract,
        // an ended contract is still offered (an asset may be recorded for history), marked and after the others
        [...(t?.contracts ?? [])]
          .sort((a, b) => Number(ended(a)) - Number(ended(b)))
          .map((c) =>
            h(
              'option',
              { value: c.id },
              `${c.name} (${c.tier})${ended(c) ? ` — ended ${date(c.endsAt)}` : ''}`,
            ),
          ),
      );
      const lacks = [
        t?.sites.length ? null : 'no site',
        t?.contracts.length ? null : 'no service contract',
      ].filter(Boolean);
      site.disabled = !t?.sites.length;
      contract.disabled = !t?.contracts.length;
      submit.disabled = !t || lacks.length > 0;
      const lead = !t
        ? 'There is no customer yet: create a tenant, a site and a service contract under '
        : lacks.length
          ? `This tenant (${t.name}) has ${lacks.join(' and ')}: create ${lacks.length > 1 ? 'them' : 'one'} under `
          : null;
      fill(
        missing,
        lead
          ? h(
              'p',
              { class: 'notice names-wrap', role: 'alert', 'data-testid': 'reg-missing-note' },
              lead,
              h(
                'a',
                {
                  href: `#/tenants${t ? `/${encodeURIComponent(t.id)}` : ''}`,
                  'data-testid': 'reg-tenant-link',
                },
                'Tenants & sites',
              ),
              ', then register the asset here.',
            )
          : null,
      );
    }
    syncTenant();
    const field = (id, label, input) => h('div', { class: 'field' }, h('label', { for: id }, label), input);
    return h(
      'form',
      {
        class: 'form-row',
        'data-testid': 'register-form',
        onsubmit: async (e) => {
          e.preventDefault();
          fill(err);
          try {
            const issued = await api('/api/assets', {
              method: 'POST',
              body: {
                tenantId: tenant.value,
                siteId: site.value,
                contractId: contract.value,
                equipmentModel: model.value,
                serial: serial.value.trim(),
                name: name.value.trim(),
              },
            });
            showSecret(`Registered ${name.value.trim()}.`, issued);
            serial.value = '';
            name.value = '';
            await refresh();
          } catch (error) {
            fill(err, errorBox(error));
          }
        },
      },
      field('reg-tenant', 'Customer', tenant),
      field('reg-site', 'Site', site),
      field('reg-contract', 'Contract', contract),
      field('reg-model', 'Equipment model', model),
      field('reg-serial', 'Serial', serial),
      field('reg-name', 'Name', name),
      submit,
      missing,
      err,
    );
  }

  function showSecret(title, issued) {
    fill(
      secretBox,
      h(
        'div',
        { class: 'notice', role: 'alert' },
        h('strong', {}, title),
        ' MQTT username ',
        h('code', {}, issued.username),
        ', secret (shown this once, copy it now):',
        h('p', { class: 'secret-once', 'data-testid': 'secret-value' }, issued.secret),
        h('button', { type: 'button', class: 'btn', onclick: () => fill(secretBox) }, 'I have copied it'),
      ),
    );
  }

  async function act(row, what) {
    const label = `${row.name} (${row.serial})`;
    const question = {
      rotate: `Issue ${label} a new secret? The old one stops working.`,
      revoke: `Revoke the device secret of ${label}? It is disconnected and cannot connect again until rotated.`,
      decommission: `Decommission ${label}? Its history stays; its device is revoked and it stops counting.`,
    }[what];
    if (!confirm(question)) return;
    try {
      if (what === 'decommission') {
        await api(`/api/assets/${encodeURIComponent(row.assetId)}/decommission`, { method: 'POST' });
        note.textContent = `${label} decommissioned.`;
      } else {
        const r = await api(`/api/assets/${encodeURIComponent(row.assetId)}/device/${what}`, {
          method: 'POST',
        });
        if (what === 'rotate') showSecret(`New secret for ${label}.`, r);
        note.textContent = what === 'rotate' ? `${label}: new secret issued.` : `${label}: secret revoked.`;
      }
      await refresh();
    } catch (error) {
      fill(note, errorBox(error));
    }
  }

  async function refresh() {
    let rows;
    try {
      rows = await api('/api/admin/devices');
    } catch (error) {
      fill(list, failedPanel(error, refresh));
      return;
    }
    const shown = rows.filter((r) => showDecommissioned || !r.decommissionedAt);
    const button = (row, what, text, kind = '') =>
      h(
        'button',
        {
          type: 'button',
          class: `btn btn-small ${kind}`.trim(),
          'data-testid': `device-${what}`,
          onclick: () => void act(row, what),
        },
        text,
      );
    fill(
      list,
      shown.length
        ? table(
            [
              {
                label: 'Asset',
                cell: (r) =>
                  h(
                    'div',
                    { class: 'cell-stack' },
                    h('strong', {}, r.name),
                    h('span', { class: 'muted small' }, `${r.serial} · ${r.equipmentModel}`),
                  ),
              },
              {
                label: 'Customer',
                cell: (r) =>
                  h('div', { class: 'cell-stack' }, r.tenant, h('span', { class: 'muted small' }, r.site)),
              },
              {
                label: 'Device',
                cell: (r) =>
                  h(
                    'div',
                    { class: 'cell-stack' },
                    badge(r.device, DEVICE_KIND[r.device], { 'data-testid': 'device-state' }),
                    r.username ? h('code', { class: 'small' }, r.username) : null,
                  ),
              },
              {
                label: 'Connection',
                cell: (r) =>
                  h(
                    'span',
                    {},
                    onlineDot(r.online),
                    // lastSeenAt is the last online/offline report, not the last reading: for a device online
                    // it is when it connected (it reports every few seconds since), not when it was last seen
                    r.lastSeenAt
                      ? r.online
                        ? ` connected ${ago(r.lastSeenAt)}`
                        : ` last seen ${ago(r.lastSeenAt)}`
                      : ' never seen',
                  ),
              },
              {
                label: 'Status',
                cell: (r) =>
                  r.decommissionedAt
                    ? badge(`decommissioned ${dateTime(r.decommissionedAt)}`, 'muted', {
                        'data-testid': 'decommissioned',
                      })
                    : badge('in service', 'ok'),
              },
              {
                label: 'Actions',
                cell: (r) =>
                  r.decommissionedAt
                    ? h('span', { class: 'muted small' }, 'history kept')
                    : h(
                        'div',
                        { class: 'row-actions' },
                        button(r, 'rotate', r.device === 'none' ? 'Issue secret' : 'Rotate'),
                        r.device === 'active' ? button(r, 'revoke', 'Revoke') : null,
                        button(r, 'decommission', 'Decommission', 'btn-danger'),
                      ),
              },
            ],
            shown,
            {
              testid: 'devices-table',
              caption: 'Assets and their devices',
              rowAttrs: (r) => ({
                'data-testid': 'device-row',
                'data-asset-id': r.assetId,
                'data-serial': r.serial,
              }),
            },
          )
        : empty('No assets.'),
    );
  }

  await refresh();
}
