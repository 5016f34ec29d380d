// Schedule board (dispatchers and admins): technicians × time over today and the next days. Each booking shows
// the drive to the pickup, the collection, the drive to the site and the repair; shifts and counter opening
// hours are bands behind them; conflicts and late bookings are marked and say why, and so do the orders without
// a booking. Drag a booking to another technician's row or another time — or, from the keyboard, select it and
// pick the technician and time — to see the ETA, cost and verdict of the move; nothing changes until confirmed.
/* global setTimeout, clearTimeout */
import { badge, card, empty, errorBox, fill, h, kpi } from '../dom.js';
import { panelFocus, redrawKeepingFocus } from '../keyboard.js';
import { failedPanel } from '../panel-load.js';
import { clock, dateTime, duration, inUnit, number } from '../format.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const RANGES = [
  { days: 1, label: 'Today' },
  { days: 3, label: inUnit(3, 'day') },
  { days: 7, label: inUnit(7, 'day') },
];
const CONFLICT_TEXT = { OVERLAP: 'overlap', OUTSIDE_SHIFT: 'outside shift', SKILL_MISMATCH: 'skill missing' };

export async function mount(root, { api, live }) {
  let days = 3;
  let board;
  let selected = null;
  let refreshTimer;
  // a booking being dragged, or pressed (a drag begins with the first move after the press): a live reload would
  // draw the board anew under the pointer and lose the drag or the drop, so it waits for the pointer's release;
  // one that arrives while a move is open waits for the move panel to close (stale)
  let dragging = false;
  let pressed = false;
  let stale = false;
  let loading = 0;
  const busy = () => dragging || pressed;
  // the grid says when a reload is due or on its way (data-pending), so a script can wait for a quiet board
  const markPending = () => {
    if (refreshTimer !== undefined || loading > 0) grid.dataset.pending = 'true';
    else delete grid.dataset.pending;
  };
  // a reload that waited (stale) runs once the board is quiet: nothing pressed or dragged, no move open
  const reloadIfStale = () => {
    if (stale && !busy() && mover.hidden) void load();
  };
  const release = () => {
    if (!pressed && !dragging) return;
    pressed = false;
    reloadIfStale();
  };
  const from = () => new Date(Math.floor(Date.now() / DAY) * DAY);

  const kpis = h('div', { class: 'kpis' });
  const ranges = h('div', { class: 'tabs', role: 'tablist', 'aria-label': 'Range of the board' });
  const grid = h('div', { class: 'sched', 'data-testid': 'schedule-grid' });
  const side = h('div', { class: 'sched-side' });
  const mover = h('section', {
    class: 'sched-move card',
    'data-testid': 'move-panel',
    'aria-label': 'Move a booking',
    hidden: true,
  });
  const announce = h('p', { class: 'sr-only', 'aria-live': 'polite', 'data-testid': 'schedule-status' });
  // the move panel takes the focus, keeps it, closes on Escape and gives it back to the booking (keyboard.js)
  const moverFocus = panelFocus(mover, { onEscape: () => closeMover() });

  root.append(
    h(
      'div',
      { class: 'page-head' },
      h(
        'div',
        {},
        h('h1', {}, 'Schedule'),
        h(
          'p',
          { class: 'muted' },
          'Technicians × time: drag a booking to another row or time, or select it (Enter) and pick both.',
        ),
      ),
      kpis,
    ),
    card(
      'Schedule board',
      {
        testid: 'schedule-card',
        subtitle:
          'Bars: drive to the pickup, collection (tick), drive to the site, repair on site. Bands: shifts; counter hours on top. All times in your time zone.',
        actions: [ranges],
      },
      legend(),
      grid,
    ),
    mover,
    side,
    announce,
  );

  async function load() {
    stale = false;
    const f = from();
    let next;
    loading++;
    markPending();
    try {
      next = await api('/api/schedule', {
        query: { from: f.toISOString(), to: new Date(f.getTime() + days * DAY).toISOString() },
      });
    } catch (err) {
      if (busy()) stale = true;
      else fill(grid, failedPanel(err, load));
      return;
    } finally {
      loading--;
      markPending();
    }
    // a drag that began while this answer was on its way keeps its board: drawn now, the drop would be lost
    if (busy()) {
      stale = true;
      return;
    }
    board = next;
    render();
  }

  function render() {
    redrawKeepingFocus(() => {
      renderRanges();
      const c = board.counts;
      fill(
        kpis,
        kpi('Bookings', c.bookings, undefined, 'kpi-bookings'),
        kpi('Conflicts', c.conflicts, c.conflicts ? 'bad' : 'ok', 'kpi-conflicts'),
        kpi('Late', c.late, c.late ? 'bad' : 'ok', 'kpi-late'),
        kpi('Without booking', c.unbooked, c.unbooked ? 'warn' : 'ok', 'kpi-unbooked'),
      );
      renderGrid();
      renderSide();
    });
  }

  function renderRanges() {
    fill(
      ranges,
      RANGES.map((r) =>
        h(
          'button',
          {
            type: 'button',
            role: 'tab',
            class: 'tab',
            'aria-selected': String(r.days === days),
            onclick: () => {
              days = r.days;
              void load();
            },
          },
          r.label,
        ),
      ),
    );
  }

  const t0 = () => Date.parse(board.from);
  const span = () => Date.parse(board.to) - t0();
  const pct = (iso) => ((Date.parse(iso) - t0()) / span()) * 100;
  const place = (start, end) => {
    const left = Math.max(0, pct(start));
    const right = Math.min(100, pct(end));
    return { left: `${left}%`, width: `${Math.max(0.3, right - left)}%` };
  };

  function axis() {
    const ticks = [];
    const step = days === 1 ? 2 * HOUR : days === 3 ? 6 * HOUR : DAY;
    for (let t = t0(); t < t0() + span(); t += step) {
      const d = new Date(t);
      ticks.push(
        h(
          'span',
          { class: 'sched-tick', style: { left: `${((t - t0()) / span()) * 100}%` } },
          d.getUTCHours() === 0 || step >= DAY
            ? d.toLocaleDateString(undefined, { weekday: 'short', day: 'numeric' })
            : clock(d),
        ),
      );
    }
    const now = Date.now();
    return h(
      'div',
      { class: 'sched-row sched-axis' },
      h('div', { class: 'sched-label' }, ''),
      h(
        'div',
        { class: 'sched-track' },
        ticks,
        now > t0() && now < t0() + span()
          ? h('span', {
              class: 'sched-now',
              style: { left: `${((now - t0()) / span()) * 100}%` },
              title: 'now',
            })
          : null,
      ),
    );
  }

  function bookingEl(b, tech) {
    const cls = ['sched-booking', b.late ? 'late' : '', b.conflicts.length ? 'conflict' : '']
      .join(' ')
      .trim();
    const why = [
      b.late ? `late by ${duration(b.lateByMinutes * 60_000)}: ${b.reason}` : 'on time',
      ...b.conflicts.map((c) => c.detail),
    ];
    const el = h(
      'button',
      {
        type: 'button',
        class: cls,
        draggable: 'true',
        'data-testid': 'booking',
        'data-order-id': b.orderId,
        'data-number': b.number,
        'aria-pressed': String(selected?.orderId === b.orderId),
        'aria-label': `Order #${b.number} ${b.assetName}, ${tech.code}, ETA ${dateTime(b.etaAt)}; ${why.join('; ')}`,
        title: `#${b.number} ${b.assetName}\nETA ${dateTime(b.etaAt)}\n${why.join('\n')}`,
        style: place(b.start, b.end),
        onclick: () => select(b, tech),
        ondragstart: (e) => {
          e.dataTransfer.setData('text/plain', b.orderId);
          e.dataTransfer.effectAllowed = 'move';
          dragging = true;
          select(b, tech, { quiet: true });
        },
        onpointerdown: () => {
          pressed = true;
        },
        ondragend: () => {
          dragging = false;
          pressed = false;
          reloadIfStale();
        },
      },
      b.segments.map((s) =>
        h('span', {
          class: `seg seg-${s.kind}`,
          style: {
            left: `${((Date.parse(s.start) - Date.parse(b.start)) / Math.max(1, Date.parse(b.end) - Date.parse(b.start))) * 100}%`,
            width:
              s.kind === 'collect'
                ? undefined
                : `${((Date.parse(s.end) - Date.parse(s.start)) / Math.max(1, Date.parse(b.end) - Date.parse(b.start))) * 100}%`,
          },
        }),
      ),
      h(
        'span',
        { class: 'sched-booking-text' },
        `#${b.number}`,
        b.late ? ' late' : '',
        b.conflicts.length ? ' ⚠' : '',
      ),
    );
    return el;
  }

  function renderGrid() {
    const rows = [axis()];
    for (const c of board.counters) {
      rows.push(
        h(
          'div',
          { class: 'sched-row sched-counter' },
          h(
            'div',
            { class: 'sched-label' },
            h('span', { class: 'small' }, c.code),
            h('span', { class: 'muted small' }, 'counter'),
          ),
          h(
            'div',
            { class: 'sched-track', 'aria-label': `${c.name} opening hours` },
            c.openings.map((o) =>
              h('span', {
                class: 'sched-open',
                style: place(o.start, o.end),
                title: `${c.name} open ${clock(o.start)}–${clock(o.end)}`,
              }),
            ),
          ),
        ),
      );
    }
    for (const t of board.technicians) {
      const track = h(
        'div',
        {
          class: 'sched-track',
          'data-testid': 'tech-track',
          'data-technician': t.code,
          ondragover: (e) => {
            e.preventDefault();
            e.dataTransfer.dropEffect = 'move';
            track.classList.add('drop');
          },
          ondragleave: () => track.classList.remove('drop'),
          ondrop: (e) => {
            e.preventDefault();
            track.classList.remove('drop');
            const id = e.dataTransfer.getData('text/plain');
            const b = findBooking(id);
            if (!b) return;
            const box = track.getBoundingClientRect();
            const at = t0() + ((e.clientX - box.left) / box.width) * span();
            void preview(b.booking, t.code, at > Date.now() ? new Date(at) : undefined);
          },
        },
        t.shifts.map((s) => h('span', { class: 'sched-shift', style: place(s.start, s.end) })),
        t.bookings.map((b) => bookingEl(b, t)),
      );
      rows.push(
        h(
          'div',
          { class: 'sched-row', 'data-testid': 'tech-row', 'data-technician': t.code },
          h(
            'div',
            { class: 'sched-label' },
            h('strong', {}, t.code),
            h('span', { class: 'small' }, t.name),
            h('span', { class: 'muted small' }, t.skills.join(', ')),
          ),
          track,
        ),
      );
    }
    fill(grid, rows);
  }

  function findBooking(orderId) {
    for (const t of board.technicians)
      for (const b of t.bookings) if (b.orderId === orderId) return { booking: b, tech: t };
    return null;
  }

  function renderSide() {
    const late = board.technicians.flatMap((t) => t.bookings.filter((b) => b.late).map((b) => ({ b, t })));
    const conflicted = board.technicians.flatMap((t) =>
      t.bookings.filter((b) => b.conflicts.length).map((b) => ({ b, t })),
    );
    const link = (id, n) =>
      h('a', { href: `#/orders/${encodeURIComponent(id)}`, class: 'order-link' }, `#${n}`);
    fill(
      side,
      card(
        'Without a booking',
        { testid: 'unbooked', subtitle: 'Open orders no technician is booked on, and why.' },
        board.unbooked.length
          ? h(
              'ul',
              { class: 'reason-list' },
              board.unbooked.map((u) =>
                h(
                  'li',
                  { 'data-testid': 'unbooked-row' },
                  link(u.orderId, u.number),
                  ` ${u.assetName} — `,
                  h('span', { class: 'reason' }, u.reason),
                ),
              ),
            )
          : empty('Every open order is booked.'),
      ),
      card(
        'Late and conflicting bookings',
        {
          testid: 'late-list',
          subtitle: 'ETA after the expected failure, or a clash on the technician’s row.',
        },
        late.length || conflicted.length
          ? h(
              'ul',
              { class: 'reason-list' },
              late.map(({ b, t }) =>
                h(
                  'li',
                  { 'data-testid': 'late-row' },
                  link(b.orderId, b.number),
                  ` ${b.assetName} (${t.code}) `,
                  badge(`late ${duration(b.lateByMinutes * 60_000)}`, 'bad'),
                  ' ',
                  h('span', { class: 'reason' }, b.reason),
                ),
              ),
              conflicted.map(({ b, t }) =>
                h(
                  'li',
                  { 'data-testid': 'conflict-row' },
                  link(b.orderId, b.number),
                  ` ${b.assetName} (${t.code}) `,
                  b.conflicts.map((c) => badge(CONFLICT_TEXT[c.code] ?? c.code, 'warn', { title: c.detail })),
                  ' ',
                  h('span', { class: 'reason' }, b.conflicts.map((c) => c.detail).join('; ')),
                ),
              ),
            )
          : empty('No late or conflicting bookings.'),
      ),
    );
  }

  /** Selecting a booking opens the keyboard way to move it: technician and time, then a preview. */
  function select(b, tech, { quiet = false } = {}) {
    selected = { orderId: b.orderId, number: b.number, technician: tech.code };
    for (const el of grid.querySelectorAll('[data-testid="booking"]'))
      el.setAttribute('aria-pressed', String(el.dataset.orderId === b.orderId));
    if (quiet) return;
    const techSelect = h(
      'select',
      { id: 'move-tech', class: 'select', 'data-testid': 'move-technician' },
      board.technicians.map((t) =>
        h(
          'option',
          { value: t.code, selected: t.code === tech.code },
          `${t.code} ${t.name} (${t.skills.join(', ')})`,
        ),
      ),
    );
    const startInput = h('input', { id: 'move-start', type: 'datetime-local', 'data-testid': 'move-start' });
    showMover(
      h('h2', { class: 'card-title' }, `Move #${b.number} ${b.assetName}`),
      h(
        'form',
        {
          class: 'form-row',
          onsubmit: (e) => {
            e.preventDefault();
            const at = startInput.value ? new Date(startInput.value) : undefined;
            void preview(b, techSelect.value, at);
          },
        },
        h('label', { for: 'move-tech' }, 'Technician '),
        techSelect,
        h('label', { for: 'move-start' }, ' leaves no earlier than '),
        startInput,
        h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'move-preview' }, 'Preview'),
        h('button', { type: 'button', class: 'btn', onclick: closeMover }, 'Close'),
      ),
    );
    techSelect.focus();
  }

  function showMover(...children) {
    fill(mover, ...children);
    mover.hidden = false;
    mover.scrollIntoView?.({ block: 'nearest' });
    moverFocus.open();
  }

  function closeMover() {
    mover.hidden = true;
    fill(mover);
    moverFocus.close();
    selected = null;
    for (const el of grid.querySelectorAll('[aria-pressed="true"]')) el.setAttribute('aria-pressed', 'false');
    reloadIfStale();
  }

  async function preview(b, technician, startAt) {
    const body = { technician, ...(startAt ? { startAt: startAt.toISOString() } : {}) };
    let p;
    try {
      p = await api(`/api/orders/${encodeURIComponent(b.orderId)}/reassign/preview`, {
        method: 'POST',
        body,
      });
    } catch (err) {
      showMover(
        h('h2', { class: 'card-title' }, `Move #${b.number}`),
        errorBox(err),
        h('button', { type: 'button', class: 'btn', onclick: closeMover }, 'Close'),
      );
      return;
    }
    const verdict =
      p.onTime === null ? 'no ETA' : p.onTime ? 'on time' : `late by ${duration(p.lateByMinutes * 60_000)}`;
    const confirm = h(
      'button',
      {
        type: 'button',
        class: 'btn btn-primary',
        'data-testid': 'move-confirm',
        disabled: p.refusal !== null,
        onclick: async () => {
          confirm.disabled = true;
          try {
            await api(`/api/orders/${encodeURIComponent(b.orderId)}/reassign`, { method: 'POST', body });
            announce.textContent = `Order #${b.number} moved to ${technician}, ETA ${dateTime(p.etaAt)}.`;
            stale = true; // closing the panel reloads the board
            closeMover();
          } catch (err) {
            mover.append(errorBox(err));
          }
        },
      },
      p.onTime === false ? 'Confirm late move' : 'Confirm move',
    );
    showMover(
      h('h2', { class: 'card-title' }, `Move #${b.number} ${b.assetName} to ${technician}`),
      h(
        'dl',
        { class: 'facts', 'data-testid': 'move-result' },
        h('dt', {}, 'Leaves'),
        h('dd', {}, dateTime(p.startAt)),
        h('dt', {}, 'ETA'),
        h(
          'dd',
          { 'data-testid': 'move-eta' },
          p.etaAt ? dateTime(p.etaAt) : '—',
          ` (now ${dateTime(b.etaAt)})`,
        ),
        h('dt', {}, 'Verdict'),
        h(
          'dd',
          {},
          badge(verdict, p.onTime === false ? 'bad' : p.onTime ? 'ok' : 'muted', {
            'data-testid': 'move-verdict',
          }),
        ),
        h('dt', {}, 'Travel and shipping'),
        h('dd', { 'data-testid': 'move-cost' }, p.cost === null ? '—' : number(p.cost, 2)),
        p.conflicts.length ? h('dt', {}, 'Conflicts') : null,
        p.conflicts.length ? h('dd', {}, p.conflicts.map((c) => c.detail).join('; ')) : null,
      ),
      p.refusal
        ? h(
            'p',
            { class: 'error', role: 'alert', 'data-testid': 'move-refusal' },
            `${p.refusal.code}: ${p.refusal.message}`,
          )
        : null,
      h(
        'div',
        { class: 'card-actions' },
        confirm,
        h('button', { type: 'button', class: 'btn', onclick: closeMover }, 'Cancel'),
      ),
    );
    announce.textContent = `Preview of #${b.number} to ${technician}: ETA ${p.etaAt ? dateTime(p.etaAt) : 'none'}, ${verdict}${p.refusal ? `, refused: ${p.refusal.message}` : ''}.`;
    confirm.focus();
  }

  const off = live.on('order', () => {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(() => {
      refreshTimer = undefined;
      markPending();
      if (busy() || !mover.hidden) stale = true;
      else void load();
    }, 1500);
    markPending();
  });
  // a press ends wherever the pointer is let go (or when the browser takes it over for a drag)
  const doc = root.ownerDocument;
  doc.addEventListener('pointerup', release);
  doc.addEventListener('pointercancel', release);

  await load();
  return () => {
    off();
    doc.removeEventListener('pointerup', release);
    doc.removeEventListener('pointercancel', release);
    clearTimeout(refreshTimer);
    moverFocus.close();
  };
}

function legend() {
  const item = (cls, text) =>
    h('span', { class: 'legend-item' }, h('span', { class: `seg-swatch ${cls}` }), text);
  return h(
    'p',
    { class: 'sched-legend small muted' },
    item('seg-travel', 'drive'),
    item('seg-collect', 'collect part'),
    item('seg-onsite', 'repair on site'),
    item('sched-shift', 'shift'),
    item('sched-open', 'counter open'),
    item('late', 'late (ETA after expected failure)'),
    item('conflict', 'conflict'),
  );
}
