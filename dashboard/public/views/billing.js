// Billing and reuse (issue 18): invoice lines of the orders completed in a period — what the warranty or contract
// covers and what is billed — with a CSV download for the ERP, and the sustainability figures of the returned units
// (reused share, recycled, scrapped, CO2e avoided). A customer sees their own tenant; an administrator every tenant.
/* global URL, URLSearchParams, fetch */
import { session } from '../api.js';
import { card, empty, fill, h, kpi, table } from '../dom.js';
import { failedPanel } from '../panel-load.js';
import { dateTime, label, number, percent } from '../format.js';

const DAY = 86_400_000;
const day = (d) => d.toISOString().slice(0, 10);

export async function mount(root, { api, user }) {
  const staff = user.role !== 'CUSTOMER';
  const now = new Date();
  const from = h('input', {
    type: 'date',
    name: 'from',
    value: day(new Date(now.getTime() - 30 * DAY)),
    'data-testid': 'billing-from',
    'aria-label': 'Completed from',
  });
  const to = h('input', {
    type: 'date',
    name: 'to',
    value: day(now),
    'data-testid': 'billing-to',
    'aria-label': 'Until',
  });
  const status = h('p', { 'aria-live': 'polite', 'data-testid': 'billing-status' });
  const csv = h('button', { type: 'button', class: 'btn', 'data-testid': 'billing-csv' }, 'Download CSV');
  const form = h(
    'form',
    { class: 'filters', 'data-testid': 'billing-filters' },
    h('label', {}, 'From ', from),
    h('label', {}, 'To ', to),
    h('button', { type: 'submit', class: 'btn' }, 'Show'),
    csv,
  );
  const reuse = h('div', { 'data-testid': 'billing-sustainability' });
  const lines = h('div', { 'data-testid': 'billing-lines' });

  /** [from, to) of the form: the whole "to" day. */
  const period = () => ({
    from: `${from.value}T00:00:00.000Z`,
    to: new Date(Date.parse(`${to.value}T00:00:00.000Z`) + DAY).toISOString(),
  });

  function renderReuse(s, names) {
    const t = s.total;
    const figures = h(
      'div',
      { class: 'kpis' },
      kpi('Returned units', t.units, null, 'kpi-returned-units'),
      kpi('Reused', percent(t.reusedShare), t.reusedShare === null ? null : 'ok', 'kpi-reused-share'),
      kpi('kg CO2e avoided', number(t.co2eAvoidedKg, 1), null, 'kpi-co2e-avoided'),
      kpi('Recycled', t.recycled, null, 'kpi-recycled'),
      kpi('Scrapped', t.scrapped, null, 'kpi-scrapped'),
      kpi('Returned to vendor', t.returnedToVendor, null, 'kpi-rtv'),
    );
    const perTenant =
      staff && s.tenants.length > 0
        ? table(
            [
              { label: 'Customer', cell: (r) => names.get(r.tenantId) ?? r.tenantId.slice(0, 8) },
              { label: 'Units', cell: (r) => r.units, class: 'num' },
              { label: 'Restocked', cell: (r) => r.restocked, class: 'num' },
              { label: 'Refurbished', cell: (r) => r.refurbished, class: 'num' },
              { label: 'Reused', cell: (r) => percent(r.reusedShare), class: 'num' },
              { label: 'Recycled', cell: (r) => r.recycled, class: 'num' },
              { label: 'Scrapped', cell: (r) => r.scrapped, class: 'num' },
              { label: 'kg CO2e avoided', cell: (r) => number(r.co2eAvoidedKg, 1), class: 'num' },
            ],
            s.tenants,
            { testid: 'billing-sustainability-tenants', caption: 'Sustainability per customer' },
          )
        : null;
    fill(
      reuse,
      card(
        'Reuse and CO2e',
        {
          subtitle: staff ? 'The network and each customer' : 'Your returned parts',
          testid: 'billing-reuse-card',
        },
        figures,
        perTenant,
        h(
          'p',
          { class: 'muted' },
          'Reused: restocked or refurbished. CO2e avoided by reuse against buying new, from per-part factors ' +
            '(spend-based estimates unless the supplier states them).',
        ),
      ),
    );
  }

  function renderLines(inv) {
    const t = inv.totals;
    fill(
      lines,
      card(
        'Invoice lines',
        { subtitle: `${t.orders} completed order${t.orders === 1 ? '' : 's'}`, testid: 'billing-lines-card' },
        h(
          'div',
          { class: 'kpis' },
          kpi('Cost to serve', number(t.total), null, 'kpi-cost-total'),
          kpi('Covered', number(t.covered), 'ok', 'kpi-covered'),
          kpi('Billable', number(t.billable), t.billable > 0 ? 'warn' : null, 'kpi-billable'),
        ),
        inv.lines.length === 0
          ? empty('No order completed in this period.')
          : table(
              [
                { label: 'Line', cell: (l) => l.invoiceLine },
                ...(staff ? [{ label: 'Customer', cell: (l) => l.tenant }] : []),
                { label: 'Asset', cell: (l) => l.assetSerial },
                { label: 'Completed', cell: (l) => dateTime(l.serviceDate) },
                { label: 'Kind', cell: (l) => label(l.kind).toLowerCase() },
                { label: 'Description', cell: (l) => l.description },
                { label: 'Qty', cell: (l) => number(l.qty), class: 'num' },
                { label: 'Amount', cell: (l) => number(l.amount), class: 'num' },
                { label: 'Covered', cell: (l) => number(l.covered), class: 'num' },
                { label: 'Billable', cell: (l) => number(l.billable), class: 'num' },
                { label: 'Covered by', cell: (l) => l.coveredBy ?? '—' },
              ],
              inv.lines,
              {
                testid: 'billing-lines-table',
                caption: 'Invoice lines',
                rowAttrs: (l) => ({ 'data-line': l.invoiceLine }),
              },
            ),
      ),
    );
  }

  async function load() {
    status.textContent = 'Loading…';
    try {
      const q = period();
      const [inv, sus] = await Promise.all([
        api('/api/invoices', { query: { ...q, format: 'json' } }),
        api('/api/sustainability', { query: q }),
      ]);
      const names = new Map(inv.lines.map((l) => [l.tenantId, l.tenant]));
      renderLines(inv);
      renderReuse(sus, names);
      status.textContent = '';
    } catch (err) {
      status.textContent = '';
      fill(lines, failedPanel(err, load));
    }
  }

  // the CSV comes with the bearer token, so it is fetched and handed to the browser as a file
  csv.addEventListener('click', async () => {
    const q = new URLSearchParams({ ...period(), format: 'csv' });
    try {
      const res = await fetch(`/api/invoices?${q}`, {
        headers: { authorization: `Bearer ${session()?.token ?? ''}` },
      });
      if (!res.ok) throw new Error(`the CSV could not be made (${res.status})`);
      const href = URL.createObjectURL(await res.blob());
      const a = h('a', { href, download: `invoice-lines-${from.value}-${to.value}.csv` });
      document.body.append(a);
      a.click();
      a.remove();
      URL.revokeObjectURL(href);
    } catch (err) {
      status.textContent = err.message;
    }
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void load();
  });

  fill(
    root,
    h(
      'div',
      { class: 'page-head' },
      h(
        'div',
        {},
        h('h1', {}, staff ? 'Billing and reuse' : 'Invoices and reuse'),
        h('p', { class: 'muted' }, staff ? 'All organisations' : 'Your organisation'),
      ),
    ),
    card(
      'Period',
      { testid: 'billing-period', subtitle: 'Orders completed, units disposed of' },
      form,
      status,
    ),
    lines,
    reuse,
  );
  await load();
  return () => undefined;
}
