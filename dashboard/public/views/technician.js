// The technician's phone view, "My jobs": his jobs of a day in the order he works them — where to collect the part
// (with the counter's opening hours), the way there, and big buttons for his steps: on my way → arrived →
// complete (the removed part's serial, the parts fitted prefilled from the staged ones, a note, photos).
/* global FormData */
import { badge, empty, fill, h } from '../dom.js';
import { calendarDay, time } from '../format.js';
import { failedPanel } from '../panel-load.js';

const STEP_LABEL = {
  'en-route': 'I\u2019m on my way',
  'on-site': 'I\u2019ve arrived',
  complete: 'Complete job',
};

const utcDate = (d) => d.toISOString().slice(0, 10);
const shiftDay = (date, days) => utcDate(new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000));

/** A time as people read it, in the browser's locale; with the date when it is not today. */
const when = (iso) => time(iso);

function ensureStyles() {
  if (document.getElementById('technician-css')) return;
  document.head.append(h('link', { id: 'technician-css', rel: 'stylesheet', href: '/technician.css' }));
}

/**
 * Photos go up as multipart/form-data through api(), so offline they are refused like every other change, with
 * the same message, and nothing is sent (offline.js).
 */
function uploadPhotos(api, orderId, files) {
  const form = new FormData();
  for (const f of files) form.append('photo', f, f.name);
  return api(`/api/me/jobs/${encodeURIComponent(orderId)}/photos`, { method: 'POST', body: form });
}

const link = (href, text, testid) =>
  h('a', { class: 'btn job-link', href, target: '_blank', rel: 'noopener', 'data-testid': testid }, text);

function fittedRow(sku, qty, staged) {
  return h(
    'div',
    { class: 'fitted-row', 'data-testid': 'fitted-row' },
    h('input', {
      name: 'sku',
      value: sku,
      placeholder: 'part number (SKU)',
      'aria-label': 'Part number',
      readonly: staged ? true : undefined,
      class: 'fitted-sku',
    }),
    h('input', {
      name: 'qty',
      type: 'number',
      inputmode: 'numeric',
      min: 0,
      max: 99,
      value: String(qty),
      'aria-label': `Quantity of ${sku || 'the part'} fitted`,
      class: 'fitted-qty',
    }),
  );
}

function completionForm(job, done, api) {
  const rows = h(
    'div',
    { class: 'fitted-rows' },
    job.parts.map((p) => fittedRow(p.sku, p.qty, true)),
  );
  const status = h('p', { class: 'job-status', role: 'status', 'data-testid': 'complete-status' });
  const submit = h(
    'button',
    { type: 'submit', class: 'btn btn-primary step-btn', 'data-testid': 'step-complete' },
    STEP_LABEL.complete,
  );
  const form = h(
    'form',
    { class: 'complete-form', 'data-testid': 'complete-form', novalidate: true },
    h(
      'label',
      { class: 'field' },
      'Serial number of the removed part',
      h('input', {
        name: 'removedSerial',
        required: true,
        maxlength: 100,
        autocomplete: 'off',
        autocapitalize: 'characters',
        'data-testid': 'removed-serial',
      }),
    ),
    h(
      'fieldset',
      { class: 'field' },
      h('legend', {}, 'Parts fitted'),
      rows,
      h(
        'button',
        {
          type: 'button',
          class: 'btn btn-small',
          'data-testid': 'add-part',
          onclick: () => rows.append(fittedRow('', 1, false)),
        },
        '+ A part that was not staged',
      ),
    ),
    h(
      'label',
      { class: 'field' },
      'Note',
      h('textarea', { name: 'note', rows: 3, maxlength: 2000, 'data-testid': 'job-note' }),
    ),
    h(
      'label',
      { class: 'field' },
      'Photos (optional)',
      h('input', {
        name: 'photos',
        type: 'file',
        accept: 'image/jpeg,image/png,image/webp',
        capture: 'environment',
        multiple: true,
        'data-testid': 'job-photos',
      }),
    ),
    status,
    submit,
  );
  // photos already uploaded: a completion refused after them (offline, the network) does not send them twice
  const sent = new WeakSet();
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const f = form.elements;
    const removedSerial = f.removedSerial.value.trim();
    if (!removedSerial) {
      status.textContent = 'Enter the serial number of the part you removed.';
      status.classList.add('error-box');
      f.removedSerial.focus();
      return;
    }
    const fitted = [...rows.querySelectorAll('.fitted-row')]
      .map((r) => ({
        sku: r.querySelector('.fitted-sku').value.trim(),
        qty: Number(r.querySelector('.fitted-qty').value),
      }))
      .filter((x) => x.sku);
    submit.disabled = true;
    status.classList.remove('error-box');
    try {
      const files = [...f.photos.files].filter((x) => !sent.has(x));
      if (files.length) {
        status.textContent = `Uploading ${files.length} photo${files.length === 1 ? '' : 's'}…`;
        await uploadPhotos(api, job.orderId, files);
        for (const x of files) sent.add(x);
      }
      status.textContent = 'Completing…';
      await done('complete', { removedSerial, fitted, note: f.note.value.trim() || undefined });
    } catch (err) {
      status.textContent = err.message;
      status.classList.add('error-box');
      submit.disabled = false;
    }
  });
  return form;
}

function jobCard(job, index, act, api) {
  const p = job.pickup;
  const stepArea = h('div', { class: 'job-step' });
  const problem = h('p', { class: 'job-status', role: 'alert', 'data-testid': 'step-error' });
  const step = async (name, body = {}) => {
    problem.textContent = '';
    problem.classList.remove('error-box');
    try {
      await act(job.orderId, name, body);
    } catch (err) {
      problem.textContent = err.message;
      problem.classList.add('error-box');
      throw err;
    }
  };
  if (job.nextStep === 'complete') stepArea.append(completionForm(job, (n, b) => step(n, b), api));
  else if (job.nextStep)
    stepArea.append(
      h(
        'button',
        {
          type: 'button',
          class: 'btn btn-primary step-btn',
          'data-testid': `step-${job.nextStep}`,
          onclick: (e) => {
            e.currentTarget.disabled = true;
            step(job.nextStep).catch(() => (e.currentTarget.disabled = false));
          },
        },
        STEP_LABEL[job.nextStep],
      ),
    );
  else if (job.status === 'COMPLETED' && job.report)
    stepArea.append(
      h(
        'div',
        { class: 'job-done', 'data-testid': 'job-done' },
        h(
          'p',
          {},
          badge('completed', 'ok'),
          job.report.flagged ? badge('flagged: part not staged', 'warn') : null,
        ),
        h('p', { class: 'small' }, `Removed serial ${job.report.removedSerial}`),
        h(
          'p',
          { class: 'small' },
          'Fitted: ',
          job.report.fitted
            .filter((f) => f.qty > 0)
            .map((f) => `${f.qty} × ${f.sku}`)
            .join(', ') || 'nothing',
        ),
        job.photos.length ? h('p', { class: 'small' }, `${job.photos.length} photo(s)`) : null,
      ),
    );
  else if (job.status === 'COMPLETED') stepArea.append(badge('completed', 'ok'));
  else if (job.waitingFor) stepArea.append(h('p', { class: 'muted job-wait' }, `Waiting: ${job.waitingFor}`));

  return h(
    'article',
    {
      class: 'job-card',
      'data-testid': 'job',
      'data-order': job.orderId,
      'data-status': job.status,
      'aria-label': `Job ${index + 1}: ${job.asset.name}`,
    },
    h(
      'header',
      { class: 'job-head' },
      h('span', { class: 'job-seq', 'aria-hidden': 'true' }, String(index + 1)),
      h(
        'div',
        { class: 'job-title' },
        h('h2', {}, job.asset.name),
        h('p', { class: 'muted small' }, `#${job.number} · ${job.customer} · ${job.failureMode}`),
      ),
      badge(job.status.replaceAll('_', ' ').toLowerCase(), job.status === 'COMPLETED' ? 'ok' : 'info', {
        'data-testid': 'job-status',
      }),
    ),
    h(
      'dl',
      { class: 'job-facts' },
      h('dt', {}, 'On site by'),
      h('dd', { 'data-testid': 'job-eta' }, when(job.etaAt)),
      h('dt', {}, 'Site'),
      h('dd', {}, `${job.site.name} (${job.asset.serial})`),
      p ? h('dt', {}, 'Collect at') : null,
      p
        ? h(
            'dd',
            { 'data-testid': 'job-pickup' },
            `${p.name} (${p.code})`,
            h('br'),
            h(
              'span',
              { class: 'muted small', 'data-testid': 'pickup-hours' },
              /^open /.test(p.hours) ? `O${p.hours.slice(1)}` : `Open ${p.hours}`,
            ),
            job.partsReadyAt
              ? h('span', { class: 'muted small' }, ` · ready ${when(job.partsReadyAt)}`)
              : null,
          )
        : null,
      h('dt', {}, 'Parts'),
      h(
        'dd',
        { 'data-testid': 'job-parts' },
        job.parts.length ? job.parts.map((x) => h('div', {}, `${x.qty} × ${x.sku} ${x.name}`)) : '—',
      ),
    ),
    h(
      'div',
      { class: 'job-links' },
      job.navigation.pickup && job.status !== 'ON_SITE' && job.status !== 'COMPLETED'
        ? link(job.navigation.pickup.osm, 'Route to pickup', 'nav-pickup')
        : null,
      job.status !== 'COMPLETED' ? link(job.navigation.site.osm, 'Route to site', 'nav-site') : null,
      job.status !== 'COMPLETED' ? link(job.navigation.site.geo, 'Maps app', 'nav-geo') : null,
    ),
    problem,
    stepArea,
  );
}

export async function mount(root, { api, param, setParam }) {
  ensureStyles();
  let date = /^\d{4}-\d{2}-\d{2}$/.test(param ?? '') ? param : undefined;
  const list = h('div', { class: 'job-list', 'data-testid': 'job-list' });
  const title = h('p', { class: 'muted', 'data-testid': 'jobs-date' });
  const nav = (label, days, testid) =>
    h(
      'button',
      {
        type: 'button',
        class: 'btn btn-small',
        'data-testid': testid,
        onclick: () => go(days === 0 ? undefined : shiftDay(date ?? utcDate(new Date()), days)),
      },
      label,
    );
  let jobs = [];

  function render(day) {
    title.textContent = `${day.technician.name} (${day.technician.code}) · ${date ? calendarDay(day.date) : `today, ${calendarDay(day.date)}`}`;
    if (jobs.length === 0) {
      fill(
        list,
        empty('No jobs for this day.'),
        day.nextJobAt
          ? h(
              'button',
              {
                type: 'button',
                class: 'btn step-btn',
                'data-testid': 'next-job-day',
                onclick: () => go(day.nextJobAt.slice(0, 10)),
              },
              `Next job: ${when(day.nextJobAt)}`,
            )
          : null,
      );
      return;
    }
    fill(
      list,
      jobs.map((j, i) => jobCard(j, i, act, api)),
    );
  }

  let day;
  async function load() {
    try {
      day = await api('/api/me/jobs', { query: { date } });
      jobs = day.jobs;
      render(day);
    } catch (err) {
      fill(list, failedPanel(err, load));
    }
  }
  async function act(orderId, step, body) {
    const updated = await api(`/api/me/jobs/${encodeURIComponent(orderId)}/${step}`, {
      method: 'POST',
      body,
    });
    jobs = jobs.map((j) => (j.orderId === orderId ? updated : j));
    render(day);
  }
  function go(d) {
    date = d;
    setParam(d);
    void load();
  }

  root.append(
    h(
      'div',
      { class: 'page-head jobs-head' },
      h('div', {}, h('h1', {}, 'My jobs'), title),
      h(
        'div',
        { class: 'day-nav' },
        nav('‹ Day before', -1, 'day-prev'),
        nav('Today', 0, 'day-today'),
        nav('Next day ›', 1, 'day-next'),
      ),
    ),
    list,
  );
  await load();
}
