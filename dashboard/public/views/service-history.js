// Service history of the organisation (a customer: their own; staff: every tenant): completed and cancelled
// jobs, filtered by the close date and status.
import { card, fill, h } from '../dom.js';
import { historyTable } from '../service-history.js';
import { loadInto } from '../panel-load.js';

export async function mount(root, { api, user }) {
  const body = h('div', { 'data-testid': 'service-history' });
  const from = h('input', {
    type: 'date',
    name: 'from',
    'data-testid': 'history-from',
    'aria-label': 'Closed from',
  });
  const to = h('input', {
    type: 'date',
    name: 'to',
    'data-testid': 'history-to',
    'aria-label': 'Closed until',
  });
  const status = h(
    'select',
    { name: 'status', 'data-testid': 'history-status-filter', 'aria-label': 'Status' },
    h('option', { value: '' }, 'Completed and cancelled'),
    h('option', { value: 'COMPLETED' }, 'Completed'),
    h('option', { value: 'CANCELLED' }, 'Cancelled'),
  );
  const form = h(
    'form',
    { class: 'filters', 'data-testid': 'history-filters' },
    h('label', {}, 'From ', from),
    h('label', {}, 'To ', to),
    status,
    h('button', { type: 'submit', class: 'btn' }, 'Show'),
  );
  async function load() {
    await loadInto(body, async () => {
      const rows = await api('/api/service-history', {
        query: {
          from: from.value || undefined,
          // the whole "to" day
          to: to.value ? `${to.value}T23:59:59.999Z` : undefined,
          status: status.value || undefined,
        },
      });
      fill(body, historyTable(rows));
      root.dataset.rows = String(rows.length);
    });
  }
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void load();
  });
  root.append(
    h(
      'div',
      { class: 'page-head' },
      h(
        'div',
        {},
        h('h1', {}, 'Service history'),
        h('p', { class: 'muted' }, user.role === 'CUSTOMER' ? 'Your organisation' : 'All organisations'),
      ),
    ),
    card('Completed and cancelled jobs', { testid: 'history-card', subtitle: 'Newest first.' }, form, body),
  );
  await load();
}
