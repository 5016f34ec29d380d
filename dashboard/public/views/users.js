// Administration of user accounts (ADMIN): create an account, disable or enable it, reset its password, change
// its role (a TECHNICIAN account is linked to one technician and sees only his jobs); and the audit log of those
// changes. Every change ends the account's sessions where it must (the API
// revokes its tokens); the audit log shows who changed what, when, before and after.
import { badge, card, fill, h, table } from '../dom.js';
import { dateTime } from '../format.js';
import { meta } from '../meta.js';
import { loadInto } from '../panel-load.js';

const select = (name, options, attrs = {}) =>
  h(
    'select',
    { name, class: 'select', ...attrs },
    options.map(([value, label]) => h('option', { value }, label)),
  );

const diff = (x) =>
  x
    ? Object.entries(x)
        .map(([k, v]) => `${k}: ${v === null ? '—' : String(v)}`)
        .join(', ')
    : '—';

export async function mount(root, { api, user }) {
  const [tenants, technicians, { roles }] = await Promise.all([
    api('/api/admin/tenants'),
    api('/api/admin/technicians'),
    meta(),
  ]);
  const ROLES = roles.all;
  const technicianOptions = [
    ['', 'No technician'],
    ...technicians.map((t) => [t.code, `${t.code} ${t.name}`]),
  ];
  const tenantName = new Map(tenants.map((t) => [t.id, t.name]));
  const tenantOptions = [['', 'No tenant (staff)'], ...tenants.map((t) => [t.id, t.name])];
  const status = h('p', { class: 'muted small', role: 'status', 'data-testid': 'users-status' });
  const usersBody = h('div', { class: 'table-wrap' });
  const auditBody = h('div', { class: 'table-wrap' });

  const report = (text, err) => {
    status.textContent = text;
    status.classList.toggle('error-box', Boolean(err));
  };
  async function run(what, fn) {
    try {
      await fn();
      report(what);
      await refresh();
    } catch (err) {
      report(err.message, true);
    }
  }

  function actions(u) {
    const self = u.id === user.id;
    const role = select(
      'role',
      ROLES.map((r) => [r, r]),
      { 'aria-label': `Role of ${u.email}`, 'data-testid': 'user-role' },
    );
    role.value = u.role;
    const tenant = select('tenantId', tenantOptions, {
      'aria-label': `Tenant of ${u.email}`,
      'data-testid': 'user-tenant',
    });
    tenant.value = u.tenantId ?? '';
    const technician = select('technician', technicianOptions, {
      'aria-label': `Technician of ${u.email}`,
      'data-testid': 'user-technician',
    });
    technician.value = u.technician ?? '';
    const password = h('input', {
      type: 'password',
      minlength: 8,
      placeholder: 'new password',
      autocomplete: 'new-password',
      'aria-label': `New password for ${u.email}`,
      'data-testid': 'user-password',
    });
    return h(
      'div',
      { class: 'row-actions' },
      h(
        'button',
        {
          type: 'button',
          class: 'btn btn-small',
          disabled: self,
          'data-testid': u.disabled ? 'user-enable' : 'user-disable',
          onclick: () =>
            run(`${u.email} ${u.disabled ? 'enabled' : 'disabled'}`, () =>
              api(`/api/admin/users/${encodeURIComponent(u.id)}/${u.disabled ? 'enable' : 'disable'}`, {
                method: 'POST',
              }),
            ),
        },
        u.disabled ? 'Enable' : 'Disable',
      ),
      role,
      tenant,
      technician,
      h(
        'button',
        {
          type: 'button',
          class: 'btn btn-small',
          'data-testid': 'user-change-role',
          onclick: () =>
            run(`${u.email} is now ${role.value}`, () =>
              api(`/api/admin/users/${encodeURIComponent(u.id)}/role`, {
                method: 'POST',
                body: {
                  role: role.value,
                  tenantId: tenant.value || null,
                  technician: technician.value || null,
                },
              }),
            ),
        },
        'Change role',
      ),
      password,
      h(
        'button',
        {
          type: 'button',
          class: 'btn btn-small',
          'data-testid': 'user-reset-password',
          onclick: () =>
            run(`password of ${u.email} reset`, () =>
              api(`/api/admin/users/${encodeURIComponent(u.id)}/password`, {
                method: 'POST',
                body: { password: password.value },
              }),
            ),
        },
        'Reset password',
      ),
    );
  }

  async function refresh() {
    const [users, audit] = await Promise.all([api('/api/admin/users'), api('/api/admin/audit')]);
    fill(
      usersBody,
      table(
        [
          { label: 'E-mail', cell: (u) => u.email },
          { label: 'Name', cell: (u) => u.name },
          { label: 'Role', cell: (u) => badge(u.role, 'role') },
          { label: 'Tenant', cell: (u) => u.tenant ?? '—' },
          { label: 'Technician', cell: (u) => u.technician ?? '—' },
          { label: 'State', cell: (u) => (u.disabled ? badge('disabled', 'bad') : badge('active', 'ok')) },
          { label: 'Change', cell: actions },
        ],
        users,
        {
          testid: 'user-table',
          caption: 'User accounts',
          rowAttrs: (u) => ({
            'data-testid': 'user-row',
            'data-email': u.email,
            'data-disabled': String(u.disabled),
          }),
        },
      ),
    );
    fill(
      auditBody,
      table(
        [
          { label: 'When', cell: (a) => dateTime(a.at) },
          { label: 'Who', cell: (a) => a.actor },
          { label: 'What', cell: (a) => a.action },
          { label: 'Account', cell: (a) => a.target },
          { label: 'Before', cell: (a) => diff(a.before) },
          { label: 'After', cell: (a) => diff(a.after) },
        ],
        audit,
        {
          testid: 'audit-table',
          caption: 'Audit log',
          rowAttrs: (a) => ({ 'data-testid': 'audit-row', 'data-action': a.action }),
        },
      ),
    );
  }

  const form = h(
    'form',
    { class: 'filters', 'data-testid': 'user-create' },
    h('input', {
      name: 'email',
      type: 'email',
      required: true,
      placeholder: 'e-mail',
      'aria-label': 'E-mail',
    }),
    h('input', { name: 'name', required: true, placeholder: 'name', 'aria-label': 'Name' }),
    select(
      'role',
      ROLES.map((r) => [r, r]),
      { 'aria-label': 'Role' },
    ),
    select('tenantId', tenantOptions, { 'aria-label': 'Tenant' }),
    select('technician', technicianOptions, { 'aria-label': 'Technician (TECHNICIAN accounts)' }),
    h('input', {
      name: 'password',
      type: 'password',
      required: true,
      minlength: 8,
      placeholder: 'password (8+)',
      autocomplete: 'new-password',
      'aria-label': 'Password',
    }),
    h('button', { type: 'submit', class: 'btn btn-primary' }, 'Create account'),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const f = form.elements;
    void run(`${f.email.value} created`, async () => {
      await api('/api/admin/users', {
        method: 'POST',
        body: {
          email: f.email.value,
          name: f.name.value,
          role: f.role.value,
          tenantId: f.tenantId.value || null,
          technician: f.technician.value || null,
          password: f.password.value,
        },
      });
      form.reset();
    });
  });

  root.append(
    h(
      'div',
      { class: 'page-head' },
      h('div', {}, h('h1', {}, 'Users'), h('p', { class: 'muted' }, `${tenantName.size} tenants`)),
    ),
    card(
      'New account',
      {
        testid: 'user-create-card',
        subtitle: 'A customer belongs to a tenant; staff to none; a technician account to one technician.',
      },
      form,
      status,
    ),
    card(
      'Accounts',
      {
        testid: 'users-card',
        subtitle: 'Disabling, a reset password or a new role ends the account\u2019s sessions at once.',
      },
      usersBody,
    ),
    card(
      'Audit log',
      { testid: 'audit-card', subtitle: 'Every change of an account, newest first.' },
      auditBody,
    ),
  );
  await loadInto(usersBody, refresh);
}
