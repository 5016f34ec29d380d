// Returns of completed jobs (reverse logistics): the printable return document of each, booking a part in at
// its destination, and the repair depot's finding, which marks the prediction behind the order confirmed or
// refuted (engineers see it under Models).
/* global Blob, URL, setTimeout */
import { badge, card, empty, errorBox, fill, h, table } from './dom.js';
import { ago, dateTime } from './format.js';
import { panelFocus } from './keyboard.js';
import { loadInto } from './panel-load.js';

const LIMIT = 50;

/** Opens the return document (HTML fetched with the session's token) in a new tab, ready to print. */
async function openDocument(api, r) {
  const tab = window.open('', '_blank');
  const html = await api(`/api/returns/${r.id}/document`);
  const url = URL.createObjectURL(new Blob([html], { type: 'text/html' }));
  if (tab) tab.location.href = url;
  else window.location.assign(url);
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export function returnsCard({ api }) {
  const body = h('div', { class: 'table-wrap' });
  const panel = h('div', { class: 'action-panel', 'data-testid': 'finding-panel' });
  panel.hidden = true;
  // the finding panel takes the focus, keeps it, closes on Escape and gives it back (keyboard.js)
  const focus = panelFocus(panel, { onEscape: () => closePanel() });
  const closePanel = () => {
    panel.hidden = true;
    focus.close();
  };
  const note = h('span', { class: 'muted small', role: 'status', 'data-testid': 'returns-message' });
  const el = card(
    'Returns',
    {
      testid: 'returns-card',
      subtitle: 'Removed parts go to the repair depot, unused ones back to stock. Newest first.',
      actions: note,
    },
    panel,
    body,
  );
  let list = [];

  async function act(r, path, payload, done) {
    try {
      await api(`/api/returns/${r.id}/${path}`, { method: 'POST', body: payload });
      note.textContent = `${r.rma}: ${done}.`;
      closePanel();
      await refresh();
    } catch (err) {
      note.replaceChildren(errorBox(err));
    }
  }

  function findingForm(r) {
    const finding = h(
      'select',
      { class: 'select', 'data-testid': 'finding-select' },
      h('option', { value: 'FAILURE_CONFIRMED' }, 'Failure confirmed'),
      h('option', { value: 'NO_FAULT_FOUND' }, 'No fault found'),
    );
    const text = h('input', { type: 'text', 'data-testid': 'finding-note', placeholder: 'optional note' });
    fill(
      panel,
      h(
        'form',
        {
          class: 'action-form',
          onsubmit: (e) => {
            e.preventDefault();
            void act(
              r,
              'finding',
              { finding: finding.value, ...(text.value ? { note: text.value } : {}) },
              'finding recorded',
            );
          },
        },
        h('strong', {}, `${r.rma} · ${r.part.sku} from order #${r.orderNumber} · repair finding`),
        h(
          'div',
          { class: 'form-row' },
          finding,
          text,
          h(
            'button',
            { type: 'submit', class: 'btn btn-primary btn-sm', 'data-testid': 'finding-confirm' },
            'Record',
          ),
          h('button', { type: 'button', class: 'btn btn-sm', onclick: closePanel }, 'Close'),
        ),
      ),
    );
    panel.hidden = false;
    focus.open();
  }

  function actions(r) {
    const btn = (attrs, label) => h('button', { type: 'button', class: 'btn btn-sm', ...attrs }, label);
    return h(
      'div',
      { class: 'row-actions' },
      btn(
        {
          'data-testid': 'return-document',
          onclick: () => void openDocument(api, r).catch((err) => note.replaceChildren(errorBox(err))),
        },
        'Document',
      ),
      r.state === 'AUTHORIZED'
        ? btn(
            { 'data-testid': 'return-receive', onclick: () => void act(r, 'receive', undefined, 'received') },
            'Received',
          )
        : null,
      r.reason === 'DEFECTIVE' && r.state !== 'CLOSED'
        ? btn({ 'data-testid': 'return-finding', onclick: () => findingForm(r) }, 'Record finding')
        : null,
    );
  }

  /** Re-sends a lost unused part as a new stock transfer to the same destination (the parts desk's re-send). */
  async function resend(e, r) {
    e.target.disabled = true;
    try {
      const out = await api(`/api/parts/consignments/${encodeURIComponent(r.rma)}/resend`, {
        method: 'POST',
      });
      const t = out.transfer;
      note.textContent =
        `${r.rma}: ${out.created ? 're-sent' : 'was already re-sent'} as ${t.code} ` +
        `(${t.qty} × ${t.sku}, ${t.from} → ${t.to}, due ${dateTime(t.etaAt)}).`;
      await refresh();
    } catch (err) {
      note.replaceChildren(errorBox(err));
      e.target.disabled = false;
    }
  }

  /** The State cell; a return lost with the carrier shows when and why, and its re-send (or the button). */
  function stateCell(r) {
    const state = h(
      'span',
      { title: dateTime(r.createdAt) },
      badge(r.state, undefined, { 'data-testid': 'return-state' }),
      h('span', { class: 'muted small' }, ` ${ago(r.createdAt)}`),
    );
    const w = r.writtenOff;
    if (!w) return state;
    const after = r.receivedAt
      ? h('div', { class: 'small' }, `turned up ${dateTime(r.receivedAt)}`)
      : w.resentAs
        ? h('div', { class: 'small' }, `re-sent as ${w.resentAs}`)
        : w.resendable
          ? h(
              'button',
              {
                type: 'button',
                class: 'btn btn-sm',
                'data-testid': 'return-resend',
                'data-mutates': true,
                title: 'Send the same units to the same destination from other stock, as a new transfer',
                onclick: (e) => void resend(e, r),
              },
              'Re-send',
            )
          : h(
              'div',
              { class: 'small muted' },
              r.reason === 'DEFECTIVE'
                ? 'defective unit: nothing to re-send'
                : 'bound for the hub: nothing to re-send',
            );
    return h(
      'div',
      { class: 'cell-stack', 'data-testid': 'return-written-off' },
      state,
      badge('WRITTEN OFF', 'bad'),
      h('span', { class: 'small muted' }, `${dateTime(w.at)}: ${w.reason ?? 'carrier exception'}`),
      after,
    );
  }

  function render() {
    fill(
      body,
      list.length
        ? table(
            [
              { label: 'RMA', cell: (r) => h('code', {}, r.rma) },
              {
                label: 'Order',
                cell: (r) =>
                  h(
                    'div',
                    { class: 'cell-stack' },
                    h('strong', {}, `#${r.orderNumber}`),
                    h('span', { class: 'muted small' }, r.assetName),
                  ),
              },
              {
                label: 'Part',
                cell: (r) =>
                  h(
                    'div',
                    { class: 'cell-stack' },
                    `${r.qty} × ${r.part.sku}`,
                    h(
                      'span',
                      { class: 'muted small' },
                      r.serial ? `serial ${r.serial}` : 'serial not recorded',
                    ),
                  ),
              },
              { label: 'Reason', cell: (r) => badge(r.reason) },
              { label: 'To', cell: (r) => h('strong', {}, r.to) },
              { label: 'State', cell: stateCell },
              {
                label: 'Finding',
                cell: (r) =>
                  r.finding
                    ? h(
                        'div',
                        { class: 'cell-stack' },
                        badge(r.finding, undefined, { 'data-testid': 'return-finding-value' }),
                        r.modelVersion
                          ? h(
                              'span',
                              { class: 'muted small' },
                              `${r.modelVersion}: ${r.outcome?.toLowerCase()}`,
                            )
                          : null,
                      )
                    : h('span', { class: 'muted' }, r.reason === 'DEFECTIVE' ? 'pending' : '—'),
              },
              { label: '', cell: actions },
            ],
            list,
            {
              testid: 'returns-table',
              caption: 'Return authorizations',
              rowAttrs: (r) => ({
                'data-testid': 'return-row',
                'data-return-id': r.id,
                'data-order-id': r.orderId,
                'data-state': r.state,
              }),
            },
          )
        : empty('No returns yet. Completing a job authorizes the return of the removed part.'),
    );
  }

  async function refresh() {
    await loadInto(body, async () => {
      list = await api('/api/returns', { query: { limit: LIMIT } });
      render();
    });
  }

  return { el, refresh };
}
