// The service history as a table (the organisation's, or one asset's): closed jobs with what was done, the parts
// fitted, the technician and the times; each order number opens the order's detail.
import { badge, empty, h, table } from './dom.js';
import { dateTime } from './format.js';

export function historyTable(rows, { showAsset = true } = {}) {
  if (!rows.length) return empty('No completed or cancelled jobs in this period.');
  return table(
    [
      {
        label: 'Order',
        cell: (e) =>
          h(
            'a',
            { href: `#/orders/${encodeURIComponent(e.orderId)}`, 'data-testid': 'order-link' },
            `#${e.number}`,
          ),
      },
      ...(showAsset ? [{ label: 'Asset', cell: (e) => e.assetName }] : []),
      { label: 'Work', cell: (e) => e.work },
      { label: 'Status', cell: (e) => badge(e.status, undefined, { 'data-testid': 'history-status' }) },
      {
        label: 'Parts fitted',
        cell: (e) =>
          e.partsFitted.length
            ? e.partsFitted.map((p) => `${p.qty} × ${p.sku} ${p.name}`).join(', ')
            : h('span', { class: 'muted' }, '—'),
      },
      { label: 'Technician', cell: (e) => e.technician ?? h('span', { class: 'muted' }, '—') },
      { label: 'Raised', cell: (e) => dateTime(e.raisedAt) },
      { label: 'On site', cell: (e) => dateTime(e.onSiteAt) },
      { label: 'Closed', cell: (e) => dateTime(e.closedAt) },
    ],
    rows,
    {
      testid: 'history-table',
      caption: 'Service history',
      rowAttrs: (e) => ({
        'data-testid': 'history-row',
        'data-order-id': e.orderId,
        'data-status': e.status,
      }),
    },
  );
}
