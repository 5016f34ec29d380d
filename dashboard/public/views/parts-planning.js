// Parts planning (admins and dispatchers; docs/parts-planning.md): the reviews and what became of their plans;
// one plan per location, current against target stock with the at-risk assets each unit is there for; expected
// fill within SLA per contract tier, inventory value and costs against keeping today's stock; the proposed
// transfers, approval (all or nothing) and the transfers in transit with their shipping documents; a transfer the
// carrier lost or damaged (written off on its exception) with the carrier's reason and a Re-send for the desk
// (POST /api/parts/consignments/{ref}/resend, docs/reverse-logistics.md).
import { badge, card, empty, errorBox, fill, h, kpi, table } from '../dom.js';
import { failedPanel } from '../panel-load.js';
import { dateTime, inUnit, number, percent } from '../format.js';

const money = (v) => number(v, 0);

export async function mount(root, { api, live, user, param, setParam }) {
  const canAct = user.role === 'ADMIN' || user.role === 'DISPATCHER';
  const history = h('div', { 'data-testid': 'parts-reviews' });
  const detail = h('div', { 'data-testid': 'parts-plan' });
  const transfers = h('div', { 'data-testid': 'parts-transfers' });
  const message = h('div', { 'data-testid': 'parts-message', role: 'status' });
  let current = param ?? null;

  const runButton = canAct
    ? h(
        'button',
        {
          class: 'btn btn-primary',
          'data-testid': 'parts-run-review',
          onclick: async (e) => {
            e.target.disabled = true;
            fill(message, 'Reviewing the network…');
            try {
              const r = await api('/api/parts/reviews', { method: 'POST' });
              current = r.id;
              setParam(r.id);
              fill(message);
              await load();
            } catch (err) {
              fill(message, errorBox(err));
            } finally {
              e.target.disabled = false;
            }
          },
        },
        'Review now',
      )
    : null;

  function reviewsTable(rows) {
    if (!rows.length) return empty('No review yet: the nightly review runs before the hub’s cut-off.');
    return table(
      [
        { label: '#', cell: (r) => h('a', { href: `#/parts/${r.id}` }, `#${r.number}`) },
        { label: 'When', cell: (r) => dateTime(r.reviewedAt) },
        { label: 'Trigger', cell: (r) => (r.trigger === 'SCHEDULED' ? 'nightly' : r.requestedBy) },
        {
          label: 'Status',
          cell: (r) =>
            badge(r.status, r.status === 'APPLIED' ? 'ok' : r.status === 'STALE' ? 'warn' : 'muted'),
        },
        { label: 'Transfers', class: 'num', cell: (r) => r.proposedTransfers },
        {
          label: 'Fill within SLA',
          class: 'num',
          cell: (r) => `${percent(r.today.fillWithinSla)} → ${percent(r.plan.fillWithinSla)}`,
        },
        {
          label: 'Inventory value',
          class: 'num',
          cell: (r) => `${money(r.today.inventoryValue)} → ${money(r.plan.inventoryValue)}`,
        },
        { label: 'Decision', cell: (r) => (r.decidedBy ? `${r.decidedBy}: ${r.decisionNote ?? ''}` : '—') },
      ],
      rows,
      { testid: 'parts-review-list', rowAttrs: (r) => ({ 'data-status': r.status, 'data-id': r.id }) },
    );
  }

  function atRiskList(list) {
    if (!list.length) return h('span', { class: 'muted' }, '—');
    return h(
      'ul',
      { class: 'plain' },
      list.map((a) =>
        h(
          'li',
          { 'data-source': a.source },
          // asset names repeat across customers ("Pump PX-50 #06" of two tenants): the customer says which
          `${a.assetName}${a.tenant ? ` · ${a.tenant}` : ''} (${a.failureModeKey}, ${a.tier.toLowerCase()}): ${percent(a.pFail)}`,
          a.source === 'PREDICTION'
            ? ` — predicted ${a.expectedFailureAt ? dateTime(a.expectedFailureAt) : ''}, confidence ${percent(a.confidence)}`
            : a.source === 'RESERVED'
              ? ` — base rate: its open order already holds the part${a.expectedFailureAt ? ` (predicted ${dateTime(a.expectedFailureAt)})` : ''}`
              : ' — base rate',
        ),
      ),
    );
  }

  function costTable(s) {
    const rows = [
      ['Holding', 'holding'],
      ['Positioning', 'positioning'],
      ['Expected service', 'service'],
      ['Total', 'total'],
      ['Inventory value', 'inventoryValue'],
    ].map(([labelText, key]) => ({ labelText, today: s.today[key], plan: s.plan[key] }));
    const tiers = ['CRITICAL', 'STANDARD'].map((t) => ({
      labelText: `Fill within SLA, ${t.toLowerCase()} (${s.tierAssets[t]})`,
      today: s.today.fillByTier[t],
      plan: s.plan.fillByTier[t],
      pct: true,
    }));
    return table(
      [
        { label: '', cell: (r) => r.labelText },
        { label: 'Keep today', class: 'num', cell: (r) => (r.pct ? percent(r.today) : money(r.today)) },
        { label: 'Plan', class: 'num', cell: (r) => (r.pct ? percent(r.plan) : money(r.plan)) },
      ],
      [...tiers, ...rows],
      { testid: 'parts-costs' },
    );
  }

  function planView(r) {
    const s = r.summary;
    const approve =
      canAct && r.status === 'PROPOSED'
        ? h(
            'button',
            {
              class: 'btn btn-primary',
              'data-testid': 'parts-approve',
              onclick: async (e) => {
                e.target.disabled = true;
                try {
                  await api(`/api/parts/reviews/${r.id}/approve`, { method: 'POST' });
                  fill(message, `Plan #${r.number} applied: its transfers are created.`);
                } catch (err) {
                  fill(message, errorBox(err));
                }
                await load();
              },
            },
            `Approve plan #${r.number}`,
          )
        : null;
    const locations = s.locations
      .filter((l) => l.rows.length)
      .map((l) =>
        card(
          `${l.code} (${l.kind})`,
          { testid: `parts-location-${l.code}`, className: 'card-compact' },
          table(
            [
              { label: 'Part', cell: (x) => x.sku },
              { label: 'Now', class: 'num', cell: (x) => x.current },
              { label: 'Target', class: 'num', cell: (x) => h('strong', {}, x.target) },
              { label: 'Expected need', class: 'num', cell: (x) => number(x.expectedDemand, 2) },
              { label: 'There for', cell: (x) => atRiskList(x.atRisk) },
            ],
            l.rows,
            { rowAttrs: (x) => ({ 'data-sku': x.sku, 'data-target': x.target, 'data-current': x.current }) },
          ),
        ),
      );
    return [
      h(
        'div',
        { class: 'kpis' },
        kpi(
          'Fill within SLA',
          `${percent(s.today.fillWithinSla)} → ${percent(s.plan.fillWithinSla)}`,
          null,
          'parts-kpi-fill',
        ),
        kpi(
          'Inventory value',
          `${money(s.today.inventoryValue)} → ${money(s.plan.inventoryValue)}`,
          null,
          'parts-kpi-value',
        ),
        kpi('Expected cost', `${money(s.today.total)} → ${money(s.plan.total)}`, null, 'parts-kpi-cost'),
        kpi('Assets with a live prediction', `${s.predicted} of ${s.assets}`, null, 'parts-kpi-predicted'),
      ),
      card(
        `Plan #${r.number}, ${dateTime(r.reviewedAt)}`,
        {
          testid: 'parts-plan-card',
          subtitle: `${r.status.toLowerCase()}${r.decisionNote ? ` — ${r.decisionNote}` : ''}; horizon ${inUnit(r.horizonDays, 'day')}`,
          actions: approve,
        },
        costTable(s),
        s.transfers.length
          ? table(
              [
                { label: 'From', cell: (t) => t.from },
                { label: 'To', cell: (t) => t.to },
                { label: 'Part', cell: (t) => t.sku },
                { label: 'Qty', class: 'num', cell: (t) => t.qty },
                {
                  label: 'How',
                  cell: (t) => (t.mode === 'COURIER' ? 'courier' : 'overnight at the cut-off'),
                },
                { label: 'Due', cell: (t) => dateTime(t.etaAt) },
                {
                  label: 'Why',
                  cell: (t) => (t.purpose === 'EXCESS' ? 'excess back to the hub' : 'restock'),
                },
              ],
              s.transfers,
              { testid: 'parts-proposed-transfers' },
            )
          : empty('No transfer needed: today’s stock is the plan.'),
        Object.keys(s.hubPlannerTarget ?? {}).length
          ? h(
              'p',
              { class: 'muted', 'data-testid': 'parts-hub-target' },
              `The planner would hold at the hub: ${Object.entries(s.hubPlannerTarget)
                .map(([sku, q]) => `${q} × ${sku}`)
                .join(', ')}. Transfers do not buy or dispose; the hub's target above is what stays there.`,
            )
          : null,
        s.shortfall.length
          ? h(
              'p',
              { class: 'muted' },
              `The hub lacks ${s.shortfall.map((x) => `${x.qty} × ${x.sku} for ${x.location}`).join(', ')}.`,
            )
          : null,
      ),
      h('div', { class: 'grid' }, locations),
    ];
  }

  /** Re-sends a written-off consignment as a new transfer; says which, or why not (409: not lost, no stock). */
  async function resend(e, t) {
    e.target.disabled = true;
    fill(message, `Re-sending ${t.code}…`);
    try {
      const r = await api(`/api/parts/consignments/${encodeURIComponent(t.code)}/resend`, { method: 'POST' });
      fill(
        message,
        h(
          'p',
          { role: 'status', 'data-testid': 'parts-resent', 'data-code': r.transfer.code },
          `${t.code} ${r.created ? 're-sent' : 'was already re-sent'} as ${r.transfer.code} ` +
            `(${r.transfer.qty} × ${r.transfer.sku}, ${r.transfer.from} → ${r.transfer.to}, due ${dateTime(r.transfer.etaAt)}).`,
        ),
      );
    } catch (err) {
      fill(message, errorBox(err));
      e.target.disabled = false;
    }
    await load();
  }

  /** The State cell: a written-off transfer with when and why, and what re-sent it (or the Re-send button). */
  function stateCell(t, rows) {
    if (t.status !== 'WRITTEN_OFF') return badge(t.status, t.status === 'RECEIVED' ? 'ok' : 'info');
    const again = rows.find((x) => x.resendOf === t.id);
    return h(
      'div',
      { 'data-testid': `parts-written-off-${t.code}` },
      badge('WRITTEN OFF', 'bad'),
      h(
        'div',
        { class: 'small muted' },
        `${dateTime(t.writtenOffAt)}: ${t.writeOffReason ?? 'carrier exception'}`,
      ),
      again
        ? h('div', { class: 'small' }, `re-sent as ${again.code}`)
        : t.purpose === 'EXCESS'
          ? h('div', { class: 'small muted' }, 'excess for the hub: nothing to re-send')
          : canAct
            ? h(
                'button',
                {
                  class: 'btn btn-small',
                  'data-testid': `parts-resend-${t.code}`,
                  'data-mutates': true,
                  title: 'Send the same units to the same destination as a new transfer',
                  onclick: (e) => resend(e, t),
                },
                'Re-send',
              )
            : null,
    );
  }

  function transfersTable(rows) {
    if (!rows.length) return empty('No transfers yet.');
    return table(
      [
        { label: 'Transfer', cell: (t) => t.code },
        { label: 'From → to', cell: (t) => `${t.from} → ${t.to}` },
        { label: 'Part', cell: (t) => `${t.qty} × ${t.sku}` },
        { label: 'How', cell: (t) => (t.mode === 'COURIER' ? 'courier' : 'overnight') },
        { label: 'Due', cell: (t) => dateTime(t.etaAt) },
        { label: 'State', cell: (t) => stateCell(t, rows) },
        {
          label: 'Tracking',
          cell: (t) => [
            badge(
              t.trackingState,
              t.trackingState === 'EXCEPTION' ? 'bad' : t.trackingState === 'DELIVERED' ? 'ok' : 'info',
            ),
            t.carrier ? ` ${t.carrier}` : '',
          ],
        },
        {
          label: 'Why',
          cell: (t) =>
            t.purpose === 'RETURN'
              ? `returned unit: ${t.routeReason ?? ''}`
              : t.purpose === 'RESEND'
                ? (t.routeReason ?? 're-send of a lost consignment') // names the lost one and why this source
                : t.purpose === 'EXCESS'
                  ? 'excess back to the hub'
                  : `plan #${t.reviewNumber}`,
        },
        {
          label: '',
          cell: (t) => [
            h('a', { href: '#', onclick: (e) => openDocument(e, t) }, 'Shipping document'),
            canAct && t.status === 'IN_TRANSIT'
              ? h(
                  'button',
                  {
                    class: 'btn btn-small',
                    'data-testid': `parts-receive-${t.code}`,
                    onclick: async () => {
                      try {
                        await api(`/api/parts/transfers/${t.id}/receive`, { method: 'POST' });
                      } catch (err) {
                        fill(message, errorBox(err));
                      }
                      await load();
                    },
                  },
                  'Received',
                )
              : null,
          ],
        },
      ],
      rows,
      { testid: 'parts-transfer-list', rowAttrs: (t) => ({ 'data-status': t.status }) },
    );
  }

  async function openDocument(e, t) {
    e.preventDefault();
    const html = await api(`/api/parts/transfers/${t.id}/document`);
    const win = window.open('', '_blank');
    if (!win) return;
    win.document.open();
    win.document.write(html);
    win.document.close();
  }

  async function load() {
    try {
      const [reviews, moving] = await Promise.all([
        api('/api/parts/reviews', { query: { limit: 30 } }),
        api('/api/parts/transfers', { query: { limit: 100 } }),
      ]);
      fill(history, reviewsTable(reviews));
      fill(transfers, transfersTable(moving));
      const id = current ?? reviews[0]?.id;
      if (id) {
        const r = await api(`/api/parts/reviews/${id}`);
        fill(detail, planView(r));
        root.dataset.plan = r.status;
      } else fill(detail);
      root.dataset.ready = 'true';
    } catch (err) {
      fill(detail, failedPanel(err, load));
    }
  }

  root.append(
    h(
      'div',
      { class: 'page-head' },
      h(
        'div',
        {},
        h('h1', {}, 'Parts planning'),
        h('p', { class: 'muted' }, 'Stock where the predicted failures of the next two weeks will need it.'),
      ),
      runButton,
    ),
    message,
    detail,
    card(
      'Reviews',
      {
        testid: 'parts-history',
        subtitle: 'Newest first; a newer review supersedes a plan not yet approved.',
      },
      history,
    ),
    card(
      'Transfers',
      { testid: 'parts-transfers-card', subtitle: 'Units in transit are out of their source’s stock.' },
      transfers,
    ),
  );
  // a carrier's exception on a transfer or a return shipment: announced here at once
  const off = live?.on('consignment', (p) => {
    fill(
      message,
      h(
        'p',
        { class: 'error-box', role: 'alert', 'data-testid': 'parts-consignment-problem' },
        `${p.code} (${p.qty} × ${p.sku}, ${p.from} → ${p.to}): ${p.reason}`,
      ),
    );
    void load();
  });
  await load();
  return () => off?.();
}
