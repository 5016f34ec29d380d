// Dispatcher actions on the job board: per order, buttons for what the server allows now (order.actions and
// order.nextStatus, from the state machine in dispatch/core/lifecycle.ts), and one panel for the actions that
// need a choice — a technician, a staging location, a reason. Every change goes through the API; the board
// updates from the answer (and from the live channel, for everyone else). The technician's own steps (en route,
// on site, complete) are his, from his phone: the board shows that it waits for him; an administrator may
// override one with a reason (and, to complete, the removed serial), recorded in the order's timeline.
import { errorBox, fill, h, labelled } from './dom.js';
import { duration, fixed, inUnit, time } from './format.js';
import { panelFocus } from './keyboard.js';

const NEXT_LABEL = {
  PARTS_IN_TRANSIT: 'Parts shipped',
  PARTS_STAGED: 'Parts staged',
  TECHNICIAN_EN_ROUTE: 'En route',
  ON_SITE: 'On site',
  COMPLETED: 'Complete',
};

/** The technician's own steps: reported from his phone (views/technician.js), not from the board. */
const TECHNICIAN_STEPS = ['TECHNICIAN_EN_ROUTE', 'ON_SITE', 'COMPLETED'];

const TITLES = {
  reassign: 'Reassign technician',
  restage: 'Change staging location',
  cancel: 'Cancel order',
  override: 'Override a technician step (admin)',
};

/** Cancel reasons (dispatch/core/order-closure.ts) as the dialog offers them. */
const CANCEL_REASONS = [
  ['FALSE_ALARM', 'False alarm'],
  ['CUSTOMER_DECLINED', 'Customer declined'],
  ['DUPLICATE', 'Duplicate'],
  ['ALREADY_FIXED', 'Already fixed'],
  ['RISK_CLEARED', 'Risk cleared (release technician and parts)'],
  ['OTHER', 'Other'],
];

/** How long predict raises no new order for the asset and failure mode after the cancel. */
const SNOOZES = [
  [0, 'no snooze'],
  [4, inUnit(4, 'hour')],
  [24, inUnit(24, 'hour')],
  [72, inUnit(3, 'day')],
  [168, inUnit(7, 'day')],
  [720, inUnit(30, 'day')],
];

/** The restage form's "Part from" value for units in transit to a location (its code follows). */
const IN_TRANSIT = 'in-transit:';

const small = (attrs, label) => h('button', { type: 'button', class: 'btn btn-sm', ...attrs }, label);

/** Turns the choices of one technician into an option label and whether it can be picked. */
function technicianOption(t) {
  if (t.current) return { label: `${t.code} ${t.name} — on the job now`, disabled: true };
  if (!t.qualified) return { label: `${t.code} ${t.name} — not qualified`, disabled: true };
  if (!t.free) return { label: `${t.code} ${t.name} — booked on #${t.bookedOn}`, disabled: true };
  const eta = t.arrivalAt ? ` — ETA ${time(t.arrivalAt)}${verdictLabel(t)}` : '';
  return { label: `${t.code} ${t.name}${eta}`, disabled: false };
}

/** " (on time)", " (after the expected failure by 1 hr, 5 min)". */
function verdictLabel(c) {
  if (c.onTime === null || c.onTime === undefined) return c.late ? ' (late)' : '';
  return c.onTime ? ' (on time)' : ` (after the expected failure by ${duration(c.lateByMinutes * 60_000)})`;
}

/** The consequence of the selected choice: ETA, cost and verdict; a warning when it would make the order late. */
function previewLine(c, o) {
  if (!c || !c.etaAt)
    return h(
      'p',
      { class: 'choice-preview muted small', 'data-testid': 'choice-preview' },
      'No ETA for this choice.',
    );
  const late = c.onTime === false;
  return h(
    'p',
    {
      class: `choice-preview small ${late ? 'late' : ''}`.trim(),
      'data-testid': 'choice-preview',
      'data-on-time': String(!late),
      role: late ? 'alert' : undefined,
    },
    `ETA ${time(c.etaAt)} · cost ${c.cost === null ? '—' : fixed(c.cost, 2)} · `,
    late
      ? `⚠ ${duration(c.lateByMinutes * 60_000)} after the expected failure (${time(o.expectedFailureAt)}): this change makes the order late`
      : 'before the expected failure',
  );
}

export function orderActions({ api, onChanged, user }) {
  const admin = user?.role === 'ADMIN';
  const message = h('p', { class: 'muted small', role: 'status', 'data-testid': 'action-message' });
  const panel = h('div', { class: 'action-panel', 'data-testid': 'order-action-panel' });
  panel.hidden = true;
  const el = h('div', {}, message, panel);
  let current = null; // { id, kind, next }
  // the panel takes the focus, keeps it, closes on Escape and gives it back to the row's button (keyboard.js)
  const focus = panelFocus(panel, { onEscape: () => close() });

  function close() {
    current = null;
    panel.hidden = true;
    panel.replaceChildren();
    focus.close();
  }

  async function post(o, path, body, what, done) {
    message.textContent = `${what} #${o.number}…`;
    try {
      const updated = await api(`/api/orders/${o.id}/${path}`, { method: 'POST', body });
      message.textContent = `Order #${o.number}: ${done}.`;
      close();
      onChanged(updated);
      return true;
    } catch (err) {
      message.replaceChildren(errorBox(err));
      return false;
    }
  }

  /**
   * The panel of one order and action: a form, Confirm and Close. With `isLate` (the selected choice would make
   * the order late), the first Confirm only asks again: "Confirm late change".
   */
  function form(o, kind, fields, submit, isLate = () => false) {
    const error = h('div', {});
    let warned = false;
    const confirm = h(
      'button',
      { type: 'submit', class: 'btn btn-primary btn-sm', 'data-testid': 'action-confirm' },
      'Confirm',
    );
    fill(
      panel,
      h(
        'form',
        {
          class: 'action-form',
          'data-order-id': o.id,
          'data-action': kind,
          onchange: () => {
            warned = false;
            confirm.textContent = 'Confirm';
          },
          onsubmit: async (e) => {
            e.preventDefault();
            if (isLate() && !warned) {
              warned = true;
              confirm.textContent = 'Confirm late change';
              confirm.dataset.late = 'true';
              return;
            }
            confirm.disabled = true;
            error.replaceChildren();
            try {
              await submit();
            } catch (err) {
              error.replaceChildren(errorBox(err));
            } finally {
              confirm.disabled = false;
            }
          },
        },
        h('strong', {}, `#${o.number} ${o.assetName} · ${TITLES[kind]}`),
        h('div', { class: 'form-row' }, fields),
        h(
          'div',
          { class: 'form-row' },
          confirm,
          small({ 'data-testid': 'action-close', onclick: close }, 'Close'),
        ),
        error,
      ),
    );
    panel.hidden = false;
    focus.open();
  }

  async function openPanel(o, kind) {
    current = { id: o.id, kind, next: o.nextStatus };
    fill(panel, h('p', { class: 'muted small' }, 'Loading…'));
    panel.hidden = false;
    focus.open();
    const send = async (path, body, what) => {
      message.textContent = '';
      const res = await api(`/api/orders/${o.id}/${path}`, { method: 'POST', body });
      message.textContent = `Order #${o.number}: ${what}.`;
      close();
      onChanged(res);
    };
    try {
      if (kind === 'reassign') {
        const { technicians } = await api(`/api/orders/${o.id}/choices`);
        const select = h(
          'select',
          { class: 'select', 'data-testid': 'reassign-technician' },
          technicians.map((t) => {
            const opt = technicianOption(t);
            return h('option', { value: t.code, disabled: opt.disabled }, opt.label);
          }),
        );
        const first = technicians.find((t) => t.eligible);
        if (first) select.value = first.code;
        const chosen = () => technicians.find((t) => t.code === select.value);
        const preview = h('div', {});
        const show = () => fill(preview, previewLine(chosen(), o));
        select.addEventListener('change', show);
        show();
        form(
          o,
          kind,
          [labelled('Technician', select), preview],
          () => send('reassign', { technician: select.value }, `reassigned to ${select.value}`),
          () => chosen()?.onTime === false,
        );
      } else if (kind === 'restage') {
        const { locations, qty, sku, stagings = [] } = await api(`/api/orders/${o.id}/choices`);
        const staging = locations.filter((l) => l.kind !== 'REPAIR_DEPOT');
        const where = h(
          'select',
          { class: 'select', 'data-testid': 'restage-location' },
          staging.map((l) =>
            h(
              'option',
              { value: l.code },
              `${l.code} ${l.name} (${l.available} available)${l.pickup ? ' — now' : ''}`,
            ),
          ),
        );
        // preselected: the soonest on-time staging from a location's own stock (what "its own stock" below
        // means), not the first location by code - that was Berlin for a pump in Nuremberg, late by hours
        const ownStock = stagings
          .filter((s) => s.mode === 'stock' && !s.current && s.pickup === s.source)
          .sort((a, b) => Number(b.onTime) - Number(a.onTime) || Date.parse(a.etaAt) - Date.parse(b.etaAt));
        const other =
          staging.find((l) => l.code === ownStock[0]?.pickup) ??
          staging.find((l) => !l.pickup && l.available >= qty) ??
          staging.find((l) => !l.pickup);
        if (other) where.value = other.code;
        // units on their way to a staging location by stock transfer (mode in-transit): ready at their ETA
        const arriving = stagings.filter((s) => s.mode === 'in-transit');
        const from = h(
          'select',
          { class: 'select', 'data-testid': 'restage-source' },
          h('option', { value: '' }, 'its own stock'),
          locations
            .filter((l) => (l.kind === 'HUB' || l.kind === 'FSL') && l.available >= qty)
            .map((l) => h('option', { value: l.code }, `ship from ${l.code} (${l.available} × ${sku})`)),
          arriving.map((s) =>
            h(
              'option',
              { value: `${IN_TRANSIT}${s.pickup}`, 'data-in-transit': s.pickup },
              `in transit to ${s.pickup}, ready ${time(s.partsReadyAt)} (${qty} × ${sku})`,
            ),
          ),
        );
        const inTransit = () => from.value.startsWith(IN_TRANSIT);
        const chosen = () =>
          inTransit()
            ? arriving.find((s) => s.pickup === where.value)
            : stagings.find(
                (s) =>
                  s.mode !== 'in-transit' &&
                  s.pickup === where.value &&
                  s.source === (from.value || where.value),
              );
        const preview = h('div', {});
        const show = () => fill(preview, previewLine(chosen(), o));
        // units in transit to one location stage there: choosing them moves "Stage at" with them, and another
        // staging location drops them
        where.addEventListener('change', () => {
          if (inTransit() && from.value !== `${IN_TRANSIT}${where.value}`) from.value = '';
          show();
        });
        from.addEventListener('change', () => {
          if (inTransit()) where.value = from.value.slice(IN_TRANSIT.length);
          show();
        });
        show();
        form(
          o,
          kind,
          [labelled('Stage at', where), labelled('Part from', from), preview],
          () =>
            send(
              'staging',
              inTransit()
                ? { location: where.value, inTransit: true }
                : {
                    location: where.value,
                    ...(from.value && from.value !== where.value ? { source: from.value } : {}),
                  },
              inTransit() ? `staged at ${where.value} from units in transit` : `staged at ${where.value}`,
            ),
          () => chosen()?.onTime === false,
        );
      } else if (kind === 'cancel') {
        const reason = h(
          'select',
          { class: 'select', 'data-testid': 'cancel-reason', required: true },
          h('option', { value: '' }, 'Choose…'),
          CANCEL_REASONS.map(([code, label]) => h('option', { value: code }, label)),
        );
        if (o.riskCleared) reason.value = 'RISK_CLEARED';
        const note = h('input', {
          type: 'text',
          'data-testid': 'cancel-note',
          placeholder: 'optional',
          maxlength: 500,
        });
        const snooze = h(
          'select',
          {
            class: 'select',
            'data-testid': 'cancel-snooze',
            title: 'No new order for this asset and failure mode for this long',
          },
          SNOOZES.map(([hours, label]) => h('option', { value: String(hours) }, label)),
        );
        form(
          o,
          kind,
          [labelled('Reason', reason), labelled('Note', note), labelled('Snooze failure mode', snooze)],
          () =>
            send(
              'cancel',
              {
                reason: reason.value,
                ...(note.value.trim() ? { note: note.value.trim() } : {}),
                ...(Number(snooze.value) > 0 ? { snoozeHours: Number(snooze.value) } : {}),
              },
              Number(snooze.value) > 0
                ? `cancelled; no new order for ${snooze.selectedOptions[0].text}`
                : 'cancelled',
            ),
        );
      } else if (kind === 'override') {
        const next = o.nextStatus;
        const reason = h('input', {
          type: 'text',
          required: true,
          minlength: 3,
          maxlength: 500,
          'data-testid': 'override-reason',
          placeholder: 'why the desk reports it for the technician',
        });
        const serial = h('input', { type: 'text', 'data-testid': 'complete-serial', placeholder: 'as read' });
        const used = h('input', {
          type: 'number',
          'data-testid': 'complete-used',
          min: 0,
          max: o.part.qty,
          value: o.part.qty,
        });
        const completing = next === 'COMPLETED';
        form(
          o,
          kind,
          [
            labelled(`Report ${NEXT_LABEL[next].replace('…', '').toLowerCase()} — reason`, reason),
            ...(completing
              ? [labelled('Removed part serial', serial), labelled(`Parts fitted (of ${o.part.qty})`, used)]
              : []),
          ],
          () =>
            send(
              'status',
              {
                status: next,
                overrideReason: reason.value.trim(),
                ...(completing ? { usedQty: Number(used.value) } : {}),
                ...(completing && serial.value ? { removedSerial: serial.value } : {}),
              },
              `${NEXT_LABEL[next].replace('…', '').toLowerCase()} reported by override`,
            ),
        );
      }
    } catch (err) {
      fill(panel, errorBox(err), small({ 'data-testid': 'action-close', onclick: close }, 'Close'));
      focus.open();
    }
  }

  /** The action buttons of one order's row. */
  function buttons(o) {
    const can = (a) => o.actions.includes(a);
    const list = [];
    if (can('accept'))
      list.push(
        small(
          {
            class: 'btn btn-sm btn-primary',
            'data-testid': 'action-accept',
            title: o.riskCleared ? 'Keep the job although the risk has cleared' : 'Accept the job',
            onclick: (e) => {
              e.currentTarget.disabled = true;
              const keep = o.riskCleared && o.acceptedBy;
              void post(o, 'accept', undefined, keep ? 'Keep' : 'Accept', keep ? 'kept' : 'accepted');
            },
          },
          o.riskCleared && o.acceptedBy ? 'Keep' : 'Accept',
        ),
      );
    if (o.nextStatus && !TECHNICIAN_STEPS.includes(o.nextStatus))
      list.push(
        small(
          {
            'data-testid': 'action-advance',
            'data-mutates': true,
            'data-next': o.nextStatus,
            title: `Report ${o.nextStatus.toLowerCase().replaceAll('_', ' ')}`,
            onclick: (e) => {
              e.currentTarget.disabled = true;
              const label = NEXT_LABEL[o.nextStatus];
              void post(o, 'status', { status: o.nextStatus }, label, `${label.toLowerCase()} reported`);
            },
          },
          NEXT_LABEL[o.nextStatus] ?? o.nextStatus,
        ),
      );
    else if (o.nextStatus) {
      list.push(
        h(
          'span',
          {
            class: 'muted small',
            'data-testid': 'awaiting-technician',
            title: 'The technician reports this step from his phone',
          },
          `awaiting technician: ${NEXT_LABEL[o.nextStatus].replace('…', '').toLowerCase()}`,
        ),
      );
      if (admin)
        list.push(
          small(
            { 'data-testid': 'action-override', onclick: () => void openPanel(o, 'override') },
            'Override…',
          ),
        );
    }
    for (const [kind, label] of [
      ['reassign', 'Reassign'],
      ['restage', 'Staging'],
      // on a risk-cleared order, cancelling releases the technician and parts (the dialog proposes RISK_CLEARED)
      ['cancel', o.riskCleared ? 'Release…' : 'Cancel'],
    ])
      if (can(kind))
        list.push(small({ 'data-testid': `action-${kind}`, onclick: () => void openPanel(o, kind) }, label));
    return h('div', { class: 'row-actions', 'data-testid': 'row-actions' }, list);
  }

  /** Closes the panel when its order left the board or can no longer take the action. */
  function sync(orders) {
    if (!current) return;
    const o = orders.get(current.id);
    const still =
      o &&
      (current.kind === 'override'
        ? TECHNICIAN_STEPS.includes(o.nextStatus) && o.nextStatus === current.next
        : o.actions.includes(current.kind));
    if (!still) close();
  }

  return { el, buttons, sync, close };
}
