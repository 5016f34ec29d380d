// Notifications (issue 17): the signed-in customer or dispatcher subscribes to order events — planned, ETA changed,
// technician on the way, completed — by e-mail to their own address or by a signed webhook (its secret is shown
// once), removes subscriptions, and reads the delivery log (status, attempts, last error, next attempt).
import { badge, card, empty, errorBox, fill, h, table } from '../dom.js';
import { dateTime } from '../format.js';
import { emptyIfRefused, loadInto } from '../panel-load.js';

const EVENTS = [
  ['order.planned', 'Planned'],
  ['order.eta_changed', 'ETA changed'],
  ['order.en_route', 'Technician on the way'],
  ['order.completed', 'Completed'],
];
const EVENT_LABEL = new Map(EVENTS);
const TONE = { SENT: 'ok', FAILED: 'bad', PENDING: 'warn', SENDING: 'warn' };

export async function mount(root, { api, user }) {
  const subsBody = h('div', { 'data-testid': 'notify-subscriptions' });
  const logBody = h('div', { 'data-testid': 'notify-deliveries' });
  const status = h('div', { 'aria-live': 'polite', 'data-testid': 'notify-status' });
  const assets = await api('/api/assets').catch(emptyIfRefused);
  const assetName = new Map(assets.map((a) => [a.id, a.name]));

  const channel = h(
    'select',
    { name: 'channel', class: 'select', 'aria-label': 'Channel', 'data-testid': 'notify-channel' },
    h('option', { value: 'EMAIL' }, `E-mail to ${user.email}`),
    h('option', { value: 'WEBHOOK' }, 'Webhook (signed POST)'),
  );
  const url = h('input', {
    name: 'url',
    type: 'url',
    placeholder: 'https://example.com/preempt-hook',
    'aria-label': 'Webhook URL',
    'data-testid': 'notify-url',
    maxlength: 2048,
    hidden: true,
  });
  channel.addEventListener('change', () => {
    url.hidden = channel.value !== 'WEBHOOK';
    url.required = !url.hidden;
  });
  const boxes = EVENTS.map(([value, text]) =>
    h(
      'label',
      {},
      h('input', {
        type: 'checkbox',
        name: 'events',
        value,
        checked: true,
        'data-testid': `notify-event-${value}`,
      }),
      ` ${text}`,
    ),
  );
  const asset = h(
    'select',
    { name: 'assetId', class: 'select', 'aria-label': 'Asset', 'data-testid': 'notify-asset' },
    h('option', { value: '' }, user.role === 'CUSTOMER' ? 'All my assets' : 'All assets of every customer'),
    ...assets.map((a) => h('option', { value: a.id }, a.name)),
  );
  const form = h(
    'form',
    { class: 'filters', 'data-testid': 'notify-create' },
    channel,
    url,
    h('fieldset', { class: 'form-row' }, h('legend', { class: 'sr-only' }, 'Events'), ...boxes),
    asset,
    h('button', { type: 'submit', class: 'btn btn-primary' }, 'Subscribe'),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const events = boxes
      .map((b) => b.querySelector('input'))
      .filter((i) => i.checked)
      .map((i) => i.value);
    if (events.length === 0) return fill(status, errorBox(new Error('Choose at least one event.')));
    void (async () => {
      try {
        const created = await api('/api/notifications/subscriptions', {
          method: 'POST',
          body: {
            channel: channel.value,
            events,
            ...(channel.value === 'WEBHOOK' ? { url: url.value } : {}),
            ...(asset.value ? { assetId: asset.value } : {}),
          },
        });
        fill(
          status,
          created.secret
            ? h(
                'p',
                { 'data-testid': 'notify-secret' },
                'Subscribed. The webhook signing secret, shown only now: ',
                h('code', {}, created.secret),
              )
            : h('p', {}, 'Subscribed.'),
        );
        form.reset();
        url.hidden = true;
        await refresh();
      } catch (err) {
        fill(status, errorBox(err));
      }
    })();
  });

  async function remove(s) {
    try {
      await api(`/api/notifications/subscriptions/${encodeURIComponent(s.id)}`, { method: 'DELETE' });
      fill(status, h('p', {}, 'Unsubscribed.'));
      await refresh();
    } catch (err) {
      fill(status, errorBox(err));
    }
  }

  async function refresh() {
    const [subs, log] = await Promise.all([
      api('/api/notifications/subscriptions'),
      api('/api/notifications/deliveries', { query: { limit: 100 } }),
    ]);
    fill(
      subsBody,
      subs.length === 0
        ? empty('No subscriptions yet.')
        : table(
            [
              { label: 'Channel', cell: (s) => (s.channel === 'EMAIL' ? 'E-mail' : 'Webhook') },
              { label: 'To', cell: (s) => s.target },
              { label: 'Events', cell: (s) => s.events.map((e) => EVENT_LABEL.get(e) ?? e).join(', ') },
              { label: 'Asset', cell: (s) => (s.assetId ? (assetName.get(s.assetId) ?? s.assetId) : 'All') },
              { label: 'Since', cell: (s) => dateTime(s.createdAt) },
              {
                label: '',
                cell: (s) =>
                  h(
                    'button',
                    {
                      type: 'button',
                      class: 'btn btn-sm',
                      onclick: () => void remove(s),
                      'data-testid': 'notify-delete',
                    },
                    'Unsubscribe',
                  ),
              },
            ],
            subs,
            {
              testid: 'notify-subscription-table',
              caption: 'Subscriptions',
              rowAttrs: () => ({ 'data-testid': 'notify-subscription' }),
            },
          ),
    );
    fill(
      logBody,
      log.length === 0
        ? empty('Nothing sent yet.')
        : table(
            [
              { label: 'When', cell: (d) => dateTime(d.createdAt) },
              { label: 'Event', cell: (d) => EVENT_LABEL.get(d.event) ?? d.event },
              {
                label: 'Order',
                cell: (d) =>
                  h('a', { href: `#/orders/${encodeURIComponent(d.orderId)}` }, `#${d.orderNumber}`),
              },
              { label: 'Asset', cell: (d) => d.asset },
              { label: 'ETA', cell: (d) => d.eta ?? '—' },
              { label: 'Status', cell: (d) => badge(d.status, TONE[d.status] ?? 'muted') },
              { label: 'Attempts', cell: (d) => String(d.attempts) },
              { label: 'Last error', cell: (d) => d.lastError ?? '—' },
              { label: 'Next attempt', cell: (d) => (d.nextAttemptAt ? dateTime(d.nextAttemptAt) : '—') },
            ],
            log,
            {
              testid: 'notify-delivery-table',
              caption: 'Delivery log',
              rowAttrs: (d) => ({ 'data-testid': 'notify-delivery', 'data-status': d.status }),
            },
          ),
    );
  }

  const reload = h(
    'button',
    { type: 'button', class: 'btn btn-sm', 'data-testid': 'notify-refresh' },
    'Refresh',
  );
  reload.addEventListener('click', () => void loadInto(logBody, refresh));
  root.append(
    h(
      'div',
      { class: 'page-head' },
      h(
        'div',
        {},
        h('h1', {}, 'Notifications'),
        h(
          'p',
          { class: 'muted' },
          user.role === 'CUSTOMER' ? 'Your organisation\u2019s orders' : 'Orders of every customer',
        ),
      ),
    ),
    card(
      'Subscribe',
      {
        testid: 'notify-create-card',
        subtitle:
          'Webhooks are POSTed as JSON, signed: X-Preempt-Signature = sha256=HMAC(secret, timestamp + "." + body), with X-Preempt-Timestamp and X-Preempt-Delivery.',
      },
      form,
      status,
    ),
    card('Subscriptions', { testid: 'notify-subscriptions-card' }, subsBody),
    card(
      'Delivery log',
      {
        testid: 'notify-log-card',
        actions: reload,
        subtitle: 'Newest first; failed sends are retried with back-off.',
      },
      logBody,
    ),
  );
  await loadInto(subsBody, refresh);
}
