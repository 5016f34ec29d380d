// The engineer's upload of a fleet's history in the Models view (issue 16): one CSV file of a kind (telemetry,
// events, failures, maintenance, assets) into a tenant's named history, streamed as it is; the import job's
// progress, then its rows and bad rows (with lines), or why the file imported nothing. "Train alarm model" trains
// ALARM versions on the named history (a job: its stage, then each version with its figures cross-validated on the
// training period and its backtest per failure event after it); the models list then shows them (onTrained).
/* global URLSearchParams, setTimeout */
import { card, errorBox, h, labelled, table } from './dom.js';
import { columnHint, keyColumn } from './fleet-columns.js';
import { ago, number, percent } from './format.js';
import { uploadText } from './model-admin.js';

const KINDS = ['telemetry', 'events', 'failures', 'maintenance', 'assets'];

/** onTrained(models): the models of the versions just trained, as GET /api/models/{id} answers them. */
export function fleetHistoryCard({ api, onTrained = () => {} }) {
  const message = h('div', { role: 'status' });
  const file = h('input', { type: 'file', accept: '.csv,.txt', 'data-testid': 'fleet-file' });
  const kind = h(
    'select',
    { class: 'select', 'data-testid': 'fleet-kind' },
    KINDS.map((k) => h('option', { value: k }, k)),
  );
  const tenant = h('input', { type: 'text', placeholder: 'tenant (slug)', 'data-testid': 'fleet-tenant' });
  const name = h('input', { type: 'text', placeholder: 'history name', 'data-testid': 'fleet-name' });
  const timeCol = h('input', { type: 'text', placeholder: 'detected', 'data-testid': 'fleet-time-col' });
  const assetCol = h('input', { type: 'text', placeholder: 'detected', 'data-testid': 'fleet-asset-col' });
  // the code, failure mode or component column of an events, failures or maintenance file
  const keyCol = h('input', { type: 'text', placeholder: 'detected', 'data-testid': 'fleet-key-col' });
  const keyLabel = h('span', { class: 'muted small' }, '');
  const keyField = h('label', { class: 'field' }, keyLabel, keyCol);
  const showKey = () => {
    const k = keyColumn(kind.value);
    keyField.hidden = !k;
    keyField.style.display = k ? '' : 'none'; // .field sets display, which outweighs [hidden]
    keyLabel.textContent = k?.label ?? '';
  };
  kind.addEventListener('change', showKey);
  showKey();
  const go = h(
    'button',
    { type: 'submit', class: 'btn btn-primary btn-sm', 'data-testid': 'fleet-import' },
    'Import',
  );
  const bar = h('progress', { max: 1, value: 0, hidden: true });
  const status = (text, fraction) => {
    bar.hidden = fraction === undefined;
    if (fraction !== undefined) bar.value = fraction;
    message.replaceChildren(h('p', { class: 'muted small', 'data-testid': 'fleet-status' }, text));
  };
  const badList = (rows) =>
    rows.length
      ? h(
          'ul',
          { class: 'small', 'data-testid': 'fleet-bad-rows' },
          rows.slice(0, 10).map((b) => h('li', {}, `line ${b.line}: ${b.reason}`)),
        )
      : '';
  const form = h(
    'form',
    {
      class: 'action-form',
      onsubmit: async (e) => {
        e.preventDefault();
        const f = file.files?.[0];
        if (!f) return message.replaceChildren(errorBox(new Error('Choose a CSV file.')));
        if (!tenant.value.trim() || !name.value.trim())
          return message.replaceChildren(errorBox(new Error('Give the tenant and a name for the history.')));
        go.disabled = true;
        try {
          const query = new URLSearchParams({
            tenant: tenant.value.trim(),
            name: name.value.trim(),
            kind: kind.value,
          });
          if (timeCol.value.trim()) query.set('timeCol', timeCol.value.trim());
          if (assetCol.value.trim()) query.set('assetCol', assetCol.value.trim());
          const k = keyColumn(kind.value);
          if (k && keyCol.value.trim()) query.set(k.param, keyCol.value.trim());
          status(`Uploading ${f.name}…`, 0);
          let job = await uploadText(`/api/fleet-histories/upload?${query}`, f, (x) =>
            status(`Uploading ${f.name}: ${Math.round(x * 100)} %`, x),
          );
          while (job.status !== 'done' && job.status !== 'failed') {
            const p = job.progress;
            status(`${f.name}: ${p.rows} rows imported…`, p.bytesTotal ? p.bytesDone / p.bytesTotal : 0);
            await new Promise((r) => setTimeout(r, 500));
            job = await api(`/api/fleet-histories/jobs/${job.id}`);
          }
          bar.hidden = true;
          if (job.status === 'failed')
            return message.replaceChildren(
              errorBox(new Error(`${columnHint(job.error.message, job.kind)} (nothing was imported)`)),
              badList(job.error.badRows),
            );
          const r = job.report;
          void showHistories();
          message.replaceChildren(
            h(
              'p',
              { class: 'muted small', 'data-testid': 'fleet-status' },
              `${job.name}: ${r.rows} ${job.kind} rows imported (${r.columns}), ${r.bad} bad.`,
            ),
            badList(r.badRows),
          );
        } catch (err) {
          bar.hidden = true;
          message.replaceChildren(errorBox(err));
        } finally {
          go.disabled = false;
        }
      },
    },
    h(
      'div',
      { class: 'form-row' },
      labelled('CSV file', file),
      labelled('Kind', kind),
      labelled('Tenant', tenant),
      labelled('History', name),
      labelled('Time column', timeCol),
      labelled('Asset column', assetCol),
      keyField,
      go,
    ),
    bar,
    message,
  );
  // the tenant's histories (imported here, by the API or by `npm run history:import`): what there is to train on
  const listed = h('div', { 'data-testid': 'fleet-histories' });
  let asked = 0;
  async function showHistories() {
    const slug = tenant.value.trim();
    const ticket = ++asked;
    if (!slug) return listed.replaceChildren();
    let rows;
    try {
      rows = await api(`/api/fleet-histories?${new URLSearchParams({ tenant: slug })}`);
    } catch (err) {
      if (ticket === asked) listed.replaceChildren(h('p', { class: 'muted small' }, err.message));
      return;
    }
    if (ticket !== asked) return; // the tenant changed meanwhile
    const count = (r, k) => (r.counts[k] ? number(r.counts[k].rows, 0) : '—');
    listed.replaceChildren(
      rows.length
        ? table(
            [
              {
                label: 'History',
                cell: (r) =>
                  h(
                    'button',
                    {
                      type: 'button',
                      class: 'btn btn-sm',
                      title: 'Use this history in the forms',
                      onclick: () => {
                        name.value = r.name;
                      },
                    },
                    r.name,
                  ),
              },
              ...KINDS.map((k) => ({ label: k, class: 'num', cell: (r) => count(r, k) })),
              { label: 'Imported', cell: (r) => `${ago(r.updatedAt)} by ${r.importedBy}` },
            ],
            rows,
            {
              testid: 'fleet-history-list',
              caption: `Histories of ${slug}`,
              rowAttrs: (r) => ({ 'data-testid': 'fleet-history-row', 'data-name': r.name }),
            },
          )
        : h('p', { class: 'muted small' }, `${slug} has no fleet history yet.`),
    );
  }
  tenant.addEventListener('change', showHistories);
  const train = trainForm({ api, tenant, name, onTrained });
  return card(
    'Fleet histories (CSV)',
    {
      testid: 'fleet-history-card',
      subtitle:
        'A fleet’s records: telemetry (wide or long), error codes, failures, maintenance, assets. Columns are detected unless named.',
    },
    form,
    listed,
    train,
  );
}

/** "5 of 6 failures caught, 1 false episode, row AUC 0.93": a version's cross-validated figures (trainedOn.cv). */
function cvText(cv) {
  const m = cv?.mode;
  if (!m) return 'no cross-validated figures';
  const parts = [
    `${m.caught} of ${m.failures} failures caught`,
    `${m.falseEpisodes} false episode${m.falseEpisodes === 1 ? '' : 's'}`,
  ];
  if (typeof m.rowAuc === 'number') parts.push(`row AUC ${number(m.rowAuc, 2)}`);
  return parts.join(', ');
}

/** Train ALARM versions on the history named in the import form (tenant and name). */
function trainForm({ api, tenant, name, onTrained }) {
  const message = h('div', { role: 'status' });
  const equipment = h('select', { class: 'select', 'data-testid': 'alarm-equipment' });
  const until = h('input', { type: 'datetime-local', 'data-testid': 'alarm-train-until' });
  const horizon = h('input', {
    type: 'number',
    min: 1,
    max: 720,
    value: 24,
    'data-testid': 'alarm-horizon',
  });
  const go = h(
    'button',
    { type: 'submit', class: 'btn btn-sm', 'data-testid': 'alarm-train' },
    'Train alarm model',
  );
  api('/api/equipment-models')
    .then((list) => equipment.replaceChildren(...list.map((e) => h('option', { value: e.key }, e.name))))
    .catch((err) => message.replaceChildren(errorBox(err)));
  const say = (text) =>
    message.replaceChildren(h('p', { class: 'muted small', 'data-testid': 'alarm-status' }, text));
  const pct = (x) => (x === null || x === undefined ? '–' : percent(x));
  return h(
    'form',
    {
      class: 'action-form',
      onsubmit: async (e) => {
        e.preventDefault();
        if (!tenant.value.trim() || !name.value.trim())
          return message.replaceChildren(
            errorBox(new Error('Give the tenant and the history’s name above.')),
          );
        if (!until.value)
          return message.replaceChildren(errorBox(new Error('Give the time to train until.')));
        go.disabled = true;
        try {
          const histories = await api(
            `/api/fleet-histories?${new URLSearchParams({ tenant: tenant.value.trim() })}`,
          );
          const history = histories.find((x) => x.name === name.value.trim());
          if (!history) throw new Error(`${tenant.value.trim()} has no history named ${name.value.trim()}`);
          let job = await api(`/api/fleet-histories/${history.id}/alarm-models`, {
            method: 'POST',
            body: {
              equipmentModel: equipment.value,
              trainUntil: new Date(`${until.value}Z`).toISOString(),
              horizonHours: Number(horizon.value) || 24,
            },
          });
          while (job.status !== 'done' && job.status !== 'failed') {
            say(`Training on ${history.name}: ${job.stage ?? job.status}…`);
            await new Promise((r) => setTimeout(r, 1000));
            job = await api(`/api/alarm-trainings/${job.id}`);
          }
          if (job.status === 'failed') throw new Error(`${job.error.message} (no version written)`);
          // each version's own figures, cross-validated on the training period, are in its parameters
          const models = await Promise.all(
            [...new Set(job.report.versions.map((v) => v.modelId))].map((id) => api(`/api/models/${id}`)),
          );
          const paramsOf = (v) =>
            models.find((m) => m.id === v.modelId)?.versions.find((x) => x.version === v.version)?.params;
          const all = job.report.cv;
          message.replaceChildren(
            h(
              'ul',
              { class: 'small', 'data-testid': 'alarm-versions' },
              job.report.versions.map((v) =>
                h(
                  'li',
                  {
                    'data-testid': 'alarm-version',
                    'data-model-key': v.modelKey,
                    'data-version': String(v.version),
                  },
                  h('strong', {}, `${v.modelKey} v${v.version}`),
                  ' (draft): ',
                  h(
                    'span',
                    { 'data-testid': 'alarm-cv' },
                    `cross-validated on the training period, ${cvText(paramsOf(v)?.trainedOn?.cv)}`,
                  ),
                  '; ',
                  h(
                    'span',
                    { 'data-testid': 'alarm-backtest' },
                    v.summary.failures === 0 && v.summary.rateWithheld
                      ? // nothing to judge its alarms against (the failures file ends at trainUntil, say)
                        `backtest after ${job.trainUntil.slice(0, 16)}: no failure in the history after it, ` +
                          `so its ${v.summary.alarms} alarm episode${v.summary.alarms === 1 ? '' : 's'} cannot be judged ` +
                          '(import a failures file that covers that time too)'
                      : `backtest after ${job.trainUntil.slice(0, 16)}, ` +
                          `${v.summary.detected} of ${v.summary.failures} failures caught, episode precision ${pct(v.summary.precision)}` +
                          (v.summary.falseAlarmsPerAssetYear === null
                            ? ''
                            : `, ${number(v.summary.falseAlarmsPerAssetYear, 2)} false episodes / asset-year`),
                  ),
                ),
              ),
            ),
            all
              ? h(
                  'p',
                  { class: 'muted small', 'data-testid': 'alarm-cv-all' },
                  `All modes together, cross-validated on ${number(all.assetYears, 1)} asset-years: ` +
                    `${all.caught} of ${all.failures} failures caught, ${number(all.falsePerAssetYear, 2)} false episodes / asset-year.`,
                )
              : null,
            h('p', { class: 'muted small' }, 'Shadow or promote them in the models list.'),
          );
          onTrained(models);
        } catch (err) {
          message.replaceChildren(errorBox(err));
        } finally {
          go.disabled = false;
        }
      },
    },
    h(
      'div',
      { class: 'form-row' },
      labelled('Equipment model', equipment),
      h('label', { class: 'field' }, h('span', { class: 'muted small' }, 'Train until (UTC)'), until),
      h('label', { class: 'field' }, h('span', { class: 'muted small' }, 'Horizon (h)'), horizon),
      go,
    ),
    message,
  );
}
