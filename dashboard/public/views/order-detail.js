// One order in full (#/orders/<id>): why it was predicted (band, confidence, model, evidence) with the watched
// metric's trend toward its failure level, the plan and its on-time verdict, the timeline of who did what and
// when, the parts' movements and the return. Customers get the customer-safe detail from the API.
/* global setTimeout, clearTimeout */
import { badge, card, empty, fill, h, humanise, table } from '../dom.js';
import { dateTime, number, percent, quantity } from '../format.js';
import { verdictCell } from '../orders.js';
import { trendChart } from '../trend-chart.js';
import { jobReportCard } from '../job-report.js';

const fields = (pairs) =>
  h(
    'dl',
    { class: 'fields' },
    pairs
      .filter(([, v]) => v !== undefined)
      .flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v ?? h('span', { class: 'muted' }, '—'))]),
  );

export async function mount(root, { api, live, user, param }) {
  const customer = user.role === 'CUSTOMER';
  const back = h(
    'a',
    { href: customer ? '#/assets' : '#/dispatch', class: 'back-link', 'data-testid': 'back-link' },
    customer ? '← My assets' : '← Job board',
  );
  if (!param) {
    root.append(back, empty('No order selected.'));
    return;
  }
  let d;
  try {
    d = await api(`/api/orders/${encodeURIComponent(param)}/detail`);
  } catch (err) {
    // a server or network failure: the shell shows it with a Retry (panel-load.js); a refusal is answered here
    if (!err.status || err.status >= 500) throw err;
    root.append(
      back,
      h(
        'p',
        { class: 'error-box', role: 'alert', 'data-testid': 'order-not-found' },
        err.status === 404 ? `No order “${param}”.` : err.message,
      ),
    );
    return;
  }
  // whose machine and where: the order names only the asset, whose name repeats across customers ("Pump PX-50
  // #06" of Globex and of Initech); the asset list (the user's own, staff: all) has its customer and site
  let where = '';
  try {
    const a = (await api('/api/assets')).find((x) => x.id === d.order.assetId);
    if (a) where = `${a.tenant} · ${a.site}`;
  } catch {
    // the order still shows, without them
  }
  let chart;
  /** Draws the detail; called again when the order changes live. */
  function render() {
    chart?.destroy();
    const o = d.order;
    const p = d.prediction;
    chart = d.trend ? trendChart(d.trend) : null;

    const why = p
      ? [
          fields([
            ['Expected failure', dateTime(p.expectedFailureAt)],
            ['Band', `${dateTime(p.earliestAt)} – ${dateTime(p.latestAt)}`],
            ['Confidence', percent(p.confidence)],
            ['Watched metric', p.metric ? humanise(p.metric) : null],
            ['Failure level', p.failureLevel !== null ? quantity(p.failureLevel, d.trend?.unit, 2) : null],
            ['Raised', dateTime(p.raisedAt)],
            ...(p.model ? [['Model', `${p.model.name} (${p.model.key}) v${p.model.version}`]] : []),
            ['Outcome', humanise(p.outcome)],
          ]),
          p.evidence
            ? h(
                'details',
                { class: 'evidence', 'data-testid': 'evidence' },
                h('summary', {}, 'Evidence'),
                fields(
                  Object.entries(p.evidence).map(([k, v]) => [
                    k,
                    typeof v === 'number'
                      ? number(v, 3)
                      : typeof v === 'object'
                        ? JSON.stringify(v)
                        : String(v),
                  ]),
                ),
              )
            : null,
          chart ? chart.el : null,
        ]
      : [empty('This order was not raised by a prediction.')];

    const plan = d.plan;
    const planBody = fields([
      ['Technician', plan.technician],
      ['Pickup', plan.pickup],
      ['Source', plan.source],
      [
        'Shipment',
        plan.shipment
          ? `${plan.shipment.qty} × ${plan.shipment.sku} ${plan.shipment.from} → ${plan.shipment.to}, ${humanise(plan.shipment.mode)}, ready ${dateTime(plan.shipment.readyAt)} (${humanise(plan.shipment.status)})`
          : null,
      ],
      ['Parts ready', dateTime(plan.partsReadyAt)],
      ['ETA', dateTime(plan.etaAt)],
      ['Verdict', verdictCell(o, { customer }) ?? h('span', { class: 'muted' }, 'not judged yet')],
    ]);

    const timeline = d.timeline.length
      ? table(
          [
            { label: 'When', cell: (e) => dateTime(e.at) },
            { label: 'What', cell: (e) => humanise(e.action) },
            { label: 'Status', cell: (e) => badge(e.status) },
            { label: 'Who', cell: (e) => e.actor },
            { label: 'Note', cell: (e) => e.note ?? '' },
          ],
          d.timeline,
          { testid: 'timeline', caption: 'Timeline', rowAttrs: () => ({ 'data-testid': 'timeline-row' }) },
        )
      : empty('Nothing has happened yet.');

    const movements = [
      d.reservations.length
        ? table(
            [
              { label: 'Reserved at', cell: (r) => r.location },
              { label: 'Part', cell: (r) => `${r.qty} × ${r.sku}` },
              { label: 'Status', cell: (r) => badge(r.status) },
              { label: 'When', cell: (r) => dateTime(r.at) },
            ],
            d.reservations,
            { testid: 'reservations', caption: 'Reservations' },
          )
        : empty('No part reserved yet.'),
      d.shipments.length
        ? table(
            [
              { label: 'Shipment', cell: (s) => `${s.from} → ${s.to}` },
              { label: 'Part', cell: (s) => `${s.qty} × ${s.sku}` },
              { label: 'Mode', cell: (s) => humanise(s.mode) },
              { label: 'Ships', cell: (s) => dateTime(s.shipAt) },
              { label: 'Ready', cell: (s) => dateTime(s.readyAt) },
              { label: 'Status', cell: (s) => badge(s.status) },
              ...(customer ? [] : [{ label: 'Cost', cell: (s) => number(s.cost, 2) }]),
            ],
            d.shipments,
            { testid: 'shipments', caption: 'Shipments' },
          )
        : null,
    ];

    const returns = d.returns.length
      ? table(
          [
            { label: 'Return', cell: (r) => `RA-${r.number}` },
            { label: 'Part', cell: (r) => `${r.qty} × ${r.sku} (${r.serial})` },
            { label: 'Reason', cell: (r) => humanise(r.reason) },
            { label: 'To', cell: (r) => (r.routeReason ? h('span', { title: r.routeReason }, r.to) : r.to) },
            { label: 'Tracking', cell: (r) => humanise(r.tracking) },
            { label: 'Finding', cell: (r) => (r.finding ? humanise(r.finding) : 'awaiting the depot') },
            { label: 'Received', cell: (r) => dateTime(r.receivedAt) },
            {
              label: 'Back to stock',
              cell: (r) =>
                r.transfer
                  ? `${r.transfer.code} ${r.transfer.from} → ${r.transfer.to}, ${humanise(r.transfer.trackingState)}`
                  : '',
            },
          ],
          d.returns,
          { testid: 'returns', caption: 'Returns' },
        )
      : empty('No return.');

    fill(
      root,
      back,
      h(
        'div',
        { class: 'page-head', 'data-testid': 'order-detail', 'data-order-id': o.id, 'data-status': o.status },
        h(
          'div',
          {},
          h('h1', {}, `Order #${o.number}`),
          h(
            'p',
            { class: 'muted', 'data-testid': 'order-subtitle' },
            [o.assetName, where, o.failureMode, humanise(o.slaTier)].filter(Boolean).join(' · '),
          ),
        ),
        badge(customer && o.customerStatus ? o.customerStatus : o.status, undefined, {
          'data-testid': 'order-status',
        }),
      ),
      card('Why it was predicted', { testid: 'why-card' }, why),
      card('Plan', { testid: 'plan-card' }, planBody),
      card(
        'Timeline',
        { testid: 'timeline-card', subtitle: 'Who did what and when, oldest first.' },
        timeline,
      ),
      d.report ? jobReportCard(d.report, { customer }) : null,
      card('Parts', { testid: 'parts-card' }, movements),
      card('Return', { testid: 'return-card' }, returns),
    );
    chart?.fit();
  }
  render();
  // the order changes live (accept, progress, re-plan): fetch its detail again, at most once a second
  let pending;
  const off = live?.on('order', (o) => {
    if (o.id !== d.order.id || pending) return;
    pending = setTimeout(async () => {
      pending = undefined;
      try {
        d = await api(`/api/orders/${encodeURIComponent(param)}/detail`);
        render();
      } catch {
        // the next change tries again
      }
    }, 1000);
  });
  return () => {
    clearTimeout(pending);
    off?.();
    chart?.destroy();
  };
}
