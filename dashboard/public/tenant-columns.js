// The columns of a tenant row that the admin overview and the tenants view both show: its name with its slug,
// and how many sites, assets and users it has.
import { h } from './dom.js';

export function tenantColumns(nameLabel) {
  return [
    {
      label: nameLabel,
      cell: (t) =>
        h(
          'div',
          { class: 'cell-stack' },
          h('strong', {}, t.name),
          h('code', { class: 'muted small' }, t.slug),
        ),
    },
    { label: 'Sites', cell: (t) => String(t.sites), class: 'num' },
    { label: 'Assets', cell: (t) => String(t.assets), class: 'num' },
    { label: 'Users', cell: (t) => String(t.users), class: 'num' },
  ];
}
