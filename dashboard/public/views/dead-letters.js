// Dead letters (administrators): the messages ingest refused, newest first — reason, topic, when, size and a
// preview of the payload — with the all-time count per reason (a reason filters the list) and the health of the
// dead letters (degraded when rejects climb). Payloads are device input: shown as text nodes only (dom.js never
// parses HTML), non-printable bytes as escapes, never decoded as markup.
/* global atob */
import { badge, card, empty, fill, h, kpi, table } from '../dom.js';
import { dateTime } from '../format.js';
import { failedPanel } from '../panel-load.js';

const PREVIEW_BYTES = 512;

/** Printable text of the first bytes of a base64 payload; other bytes as \xNN. */
export function payloadPreview(base64, totalBytes) {
  let bin = '';
  try {
    bin = atob(base64);
  } catch {
    return '(unreadable)';
  }
  let out = '';
  for (let i = 0; i < Math.min(bin.length, PREVIEW_BYTES); i++) {
    const c = bin.charCodeAt(i);
    out += (c >= 0x20 && c < 0x7f) || c === 0x0a ? bin[i] : `\\x${c.toString(16).padStart(2, '0')}`;
  }
  const shown = Math.min(bin.length, PREVIEW_BYTES);
  return totalBytes > shown ? `${out}… (${totalBytes} bytes)` : out;
}

export async function mount(root, { api }) {
  let reason = '';
  const kpis = h('div', { class: 'kpis', 'data-testid': 'dead-letter-kpis' });
  const reasons = h('div', { class: 'tabs', role: 'tablist', 'aria-label': 'Filter by reason' });
  const list = h('div', { class: 'table-wrap' });

  root.append(
    h(
      'div',
      { class: 'page-head' },
      h(
        'div',
        {},
        h('h1', {}, 'Dead letters'),
        h('p', { class: 'muted' }, 'Messages ingest refused: why, from which topic, and what they held.'),
      ),
      kpis,
    ),
    card(
      'Refused messages',
      {
        testid: 'dead-letters-card',
        subtitle: 'Newest first; counts per reason are all-time. Payloads are shown as text, escaped.',
        actions: [h('button', { type: 'button', class: 'btn', onclick: () => void refresh() }, 'Refresh')],
      },
      reasons,
      list,
    ),
  );

  async function refresh() {
    let data;
    let health;
    try {
      [data, health] = await Promise.all([
        api('/api/ingest/rejects', { query: { limit: 200, ...(reason ? { reason } : {}) } }),
        api('/api/health').catch(() => null),
      ]);
    } catch (error) {
      fill(list, failedPanel(error, refresh));
      return;
    }
    const total = Object.values(data.counts).reduce((n, c) => n + c, 0);
    const dl = health?.components?.['dead-letters'];
    fill(
      kpis,
      kpi('Refused, all time', total, undefined, 'dead-letters-total'),
      dl
        ? kpi(
            'Last minute',
            dl.detail?.lastMinute ?? 0,
            dl.status === 'up' ? 'ok' : 'bad',
            'dead-letters-last-minute',
          )
        : null,
      dl
        ? badge(dl.status, dl.status === 'up' ? 'ok' : 'warn', { 'data-testid': 'dead-letters-health' })
        : null,
    );
    const tab = (key, text, n) =>
      h(
        'button',
        {
          type: 'button',
          role: 'tab',
          class: 'tab',
          'aria-selected': String(key === reason),
          'data-testid': `reason-${key || 'all'}`,
          onclick: () => {
            reason = key;
            void refresh();
          },
        },
        text,
        h('span', { class: 'tab-count' }, String(n)),
      );
    fill(
      reasons,
      tab('', 'All', total),
      Object.entries(data.counts)
        .sort((a, b) => b[1] - a[1])
        .map(([r, n]) => tab(r, r, n)),
    );
    fill(
      list,
      data.items.length
        ? table(
            [
              { label: 'Received', cell: (r) => dateTime(r.receivedAt) },
              { label: 'Reason', cell: (r) => badge(r.reason, 'warn') },
              { label: 'Topic', cell: (r) => h('code', { class: 'small' }, r.topic) },
              { label: 'Detail', cell: (r) => h('span', { class: 'small' }, r.detail) },
              {
                label: 'Payload',
                cell: (r) =>
                  h(
                    'pre',
                    { class: 'payload-preview', 'data-testid': 'payload' },
                    payloadPreview(r.raw, r.rawBytes),
                  ),
              },
            ],
            data.items,
            {
              testid: 'dead-letters-table',
              caption: 'Refused messages',
              rowAttrs: () => ({ 'data-testid': 'dead-letter-row' }),
            },
          )
        : empty(reason ? 'No refused messages for this reason.' : 'Ingest has refused no messages.'),
    );
  }

  await refresh();
}
