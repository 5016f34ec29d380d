// The engineer's forms beside the models: a new model (kind, equipment model, failure mode, parameters from a
// template of the kind), and run-to-failure histories (NASA C-MAPSS files) to import, train and backtest on.
/* global XMLHttpRequest, URLSearchParams, setTimeout, navigator */
import { ApiError, session, toLogin } from './api.js';
import { card, empty, errorBox, fill, h, labelled, table } from './dom.js';
import { ago, dateTime, fixed } from './format.js';
import { paramTemplate } from './meta.js';
import { refused } from './offline.js';

/** The new-model form; `meta` is GET /api/meta (../meta.js): the kinds and their starting parameters. */
export function newModelCard({ api, meta, equipment, onCreated }) {
  const message = h('div', { role: 'status' });
  const kind = h(
    'select',
    { class: 'select', 'data-testid': 'new-model-kind' },
    meta.modelKinds.map(({ kind: k }) => h('option', { value: k }, k)),
  );
  const eq = h(
    'select',
    { class: 'select', 'data-testid': 'new-model-equipment' },
    equipment.map((e) => h('option', { value: e.key }, e.name)),
  );
  const mode = h('select', { class: 'select', 'data-testid': 'new-model-failure-mode' });
  const key = h('input', {
    type: 'text',
    'data-testid': 'new-model-key',
    placeholder: 'equipment/failure-mode/kind',
  });
  const name = h('input', { type: 'text', 'data-testid': 'new-model-name', placeholder: 'Name' });
  const params = h('textarea', { rows: 8, class: 'json', 'data-testid': 'new-model-params' });
  const sync = () => {
    const e = equipment.find((x) => x.key === eq.value);
    fill(
      mode,
      (e?.failureModes ?? []).map((f) => h('option', { value: f.key }, f.name)),
    );
    const metric = e?.metrics.find((m) => m.name.startsWith('s4'))?.name ?? e?.metrics[0]?.name ?? 'metric';
    params.value = JSON.stringify(paramTemplate(meta, kind.value, metric), null, 1);
    key.value = `${eq.value}/${mode.value}/${kind.value.toLowerCase()}`;
  };
  eq.addEventListener('change', sync);
  kind.addEventListener('change', sync);
  mode.addEventListener(
    'change',
    () => (key.value = `${eq.value}/${mode.value}/${kind.value.toLowerCase()}`),
  );
  sync();
  const form = h(
    'form',
    {
      class: 'action-form',
      'data-testid': 'new-model-form',
      onsubmit: async (e) => {
        e.preventDefault();
        message.replaceChildren();
        try {
          const body = {
            key: key.value.trim(),
            name: name.value.trim() || key.value.trim(),
            kind: kind.value,
            equipmentModel: eq.value,
            failureMode: mode.value,
            params: JSON.parse(params.value),
          };
          const m = await api('/api/models', { method: 'POST', body });
          message.replaceChildren(h('p', { class: 'muted small' }, `${m.key} created with v1 as a draft.`));
          await onCreated(m);
        } catch (err) {
          message.replaceChildren(errorBox(err));
        }
      },
    },
    h(
      'div',
      { class: 'form-row' },
      labelled('Kind', kind),
      labelled('Equipment model', eq),
      labelled('Failure mode', mode),
    ),
    h('div', { class: 'form-row' }, labelled('Key', key), labelled('Name', name)),
    labelled('Parameters (JSON)', params),
    h(
      'div',
      { class: 'form-row' },
      h(
        'button',
        { type: 'submit', class: 'btn btn-primary btn-sm', 'data-testid': 'new-model-save' },
        'Create model',
      ),
    ),
    message,
  );
  return card(
    'New model',
    {
      testid: 'new-model-card',
      subtitle: 'Per equipment model and failure mode; version 1 starts as a draft.',
    },
    form,
  );
}

const MAX_UPLOAD_BYTES = 64 * 1024 * 1024;
const mib = (bytes) => `${fixed(bytes / 1024 / 1024, 1)} MB`;

/**
 * POSTs a file as the raw request body, reporting the upload's progress (0..1); resolves with the JSON answer.
 * Offline it is refused, not sent, with the message of every other change (offline.js, api.js).
 */
export function uploadText(url, blob, onProgress) {
  const s = session();
  if (!s) {
    toLogin();
    return Promise.reject(new ApiError(401, 'AUTH_TOKEN_MISSING', 'not signed in'));
  }
  if (!navigator.onLine) return Promise.reject(new ApiError(0, 'OFFLINE', refused('POST', url)));
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.setRequestHeader('authorization', `Bearer ${s.token}`);
    xhr.setRequestHeader('content-type', 'text/plain');
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onerror = () => reject(new ApiError(0, 'OFFLINE', refused('POST', url)));
    xhr.onload = () => {
      let data = null;
      try {
        data = JSON.parse(xhr.responseText);
      } catch {
        // not JSON
      }
      if (xhr.status === 401) toLogin('expired');
      if (xhr.status >= 200 && xhr.status < 300) resolve(data);
      else reject(new ApiError(xhr.status, data?.code, data?.message ?? `upload failed (${xhr.status})`));
    };
    xhr.send(blob);
  });
}

export function historiesCard({ api, equipment, histories, onImported }) {
  const list = h('div', { class: 'table-wrap' });
  const message = h('div', { role: 'status' });
  const render = () =>
    fill(
      list,
      histories().length
        ? table(
            [
              { label: 'Name', cell: (x) => x.name },
              { label: 'Equipment', cell: (x) => x.equipmentModel },
              { label: 'Units', cell: (x) => `${x.units} (${x.failedUnits} to failure)`, class: 'num' },
              { label: 'Cycles', cell: (x) => String(x.cycles), class: 'num' },
              {
                label: 'Imported',
                cell: (x) =>
                  h('span', { title: dateTime(x.importedAt) }, `${ago(x.importedAt)} by ${x.importedBy}`),
              },
            ],
            histories(),
            {
              testid: 'history-table',
              rowAttrs: (x) => ({ 'data-testid': 'history-row', 'data-history-id': x.id }),
            },
          )
        : empty('No histories imported yet.'),
    );
  const file = h('input', { type: 'file', accept: '.txt', 'data-testid': 'history-file' });
  const truth = h('input', { type: 'file', accept: '.txt', 'data-testid': 'history-truth' });
  const eq = h(
    'select',
    { class: 'select' },
    equipment.map((e) => h('option', { value: e.key, selected: e.key === 'turbofan-cmapss' }, e.name)),
  );
  const name = h('input', {
    type: 'text',
    placeholder: 'Name (default: the file name)',
    'data-testid': 'history-name',
  });
  const go = h(
    'button',
    { type: 'submit', class: 'btn btn-primary btn-sm', 'data-testid': 'history-import' },
    'Import',
  );
  const bar = h('progress', { max: 1, value: 0, 'data-testid': 'history-progress', hidden: true });
  const status = (text, fraction) => {
    bar.hidden = fraction === undefined;
    if (fraction !== undefined) bar.value = fraction;
    message.replaceChildren(h('p', { class: 'muted small', 'data-testid': 'history-status' }, text));
  };
  const form = h(
    'form',
    {
      class: 'action-form',
      onsubmit: async (e) => {
        e.preventDefault();
        const f = file.files?.[0];
        if (!f)
          return message.replaceChildren(errorBox(new Error('Choose a C-MAPSS file (train_FD00x.txt).')));
        if (f.size > MAX_UPLOAD_BYTES)
          return message.replaceChildren(
            errorBox(
              new Error(
                `${f.name} is ${mib(f.size)}; history imports are limited to ${mib(MAX_UPLOAD_BYTES)}.`,
              ),
            ),
          );
        go.disabled = true;
        try {
          const t = truth.files?.[0];
          const query = new URLSearchParams({ name: name.value.trim() || f.name, equipmentModel: eq.value });
          if (t) query.set('truth', (await t.text()).split(/\s+/).filter(Boolean).join(','));
          status(`Uploading ${f.name} (${mib(f.size)})…`, 0);
          // the file goes as it is (streamed, not inside JSON); the import then runs as a job on the server
          let job = await uploadText(`/api/histories/upload?${query}`, f, (x) =>
            status(`Uploading ${f.name}: ${Math.round(x * 100)} %`, x),
          );
          while (job.status !== 'done' && job.status !== 'failed') {
            const p = job.progress;
            status(
              job.status === 'writing'
                ? `${job.name}: writing runs, ${p.unitsDone} of ${p.unitsTotal}…`
                : `${job.name}: checking the file, ${mib(p.bytesDone)} of ${mib(p.bytesTotal)}…`,
              p.fraction,
            );
            await new Promise((r) => setTimeout(r, 500));
            job = await api(`/api/histories/jobs/${job.id}`);
          }
          bar.hidden = true;
          if (job.status === 'failed')
            return message.replaceChildren(
              errorBox(new Error(`${job.error.message} (nothing was imported)`)),
            );
          const x = job.history;
          onImported(x);
          render();
          status(`${x.name}: ${x.units} units, ${x.cycles} cycles imported.`);
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
      labelled('C-MAPSS file', file),
      labelled('RUL truth (test files)', truth),
      labelled('Equipment model', eq),
      labelled('Name', name),
      go,
    ),
    bar,
    message,
  );
  render();
  return card(
    'Run-to-failure histories',
    {
      testid: 'histories-card',
      subtitle:
        'NASA C-MAPSS text files (unit, cycle, 3 settings, 21 sensors): train LEARNED models and backtest on them.',
    },
    list,
    form,
  );
}
