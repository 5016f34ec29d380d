// The engineer's workflow on one prediction model: its versions (status, author, parameters, latest backtest)
// and, for engineers and admins, the actions on them — edit as a new version, backtest and follow it to its
// report, compare two versions side by side, shadow, promote, retire, roll back; train a LEARNED model on a
// run-to-failure history. Every change goes through the API; the block re-renders from its answer.
/* global setTimeout */
import { badge, errorBox, fill, h, labelled, table } from './dom.js';
import { ago, dateTime, number, percent } from './format.js';
import { paramsEditor } from './params-editor.js';
import { reportView, summaryText } from './backtest-report.js';
import { compareView } from './version-compare.js';

/** What a version may become next (predict/core/model-lifecycle.ts), as buttons. */
const NEXT = {
  DRAFT: [
    ['SHADOW', 'Shadow', 'shadow'],
    ['ACTIVE', 'Promote', 'promote'],
    ['RETIRED', 'Retire', 'retire'],
  ],
  SHADOW: [
    ['ACTIVE', 'Promote', 'promote'],
    ['DRAFT', 'Stop shadow', 'draft'],
    ['RETIRED', 'Retire', 'retire'],
  ],
  ACTIVE: [['RETIRED', 'Retire', 'retire']],
  RETIRED: [
    ['SHADOW', 'Shadow', 'shadow'],
    ['ACTIVE', 'Roll back', 'promote'],
  ],
};

const small = (attrs, label) => h('button', { type: 'button', class: 'btn btn-sm', ...attrs }, label);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * An ALARM version's trained parts read as an engineer reads them, not as the first 45 characters of their JSON
 * ('{"platt":{"a":0.7092354106587262,"b":-0.43827…'), and lists of names as lists; undefined for anything else.
 */
function readable(k, v) {
  if (k === 'rule' && typeof v?.threshold === 'number') {
    const steps = v.window
      ? `${v.consecutive} of ${v.window} steps`
      : `${v.consecutive} step${v.consecutive === 1 ? '' : 's'}`;
    return `p ≥ ${number(v.threshold, 3)} for ${steps}${v.trees ? `, ${number(v.trees, 0)} trees` : ''}`;
  }
  if (k === 'trainedOn' && v?.cv?.mode) {
    const m = v.cv.mode;
    const episodes = `${m.falseEpisodes} false episode${m.falseEpisodes === 1 ? '' : 's'}`;
    return `${m.caught} of ${m.failures} failures caught, ${episodes} (cross-validated${v.source ? `, ${v.source}` : ''})`;
  }
  if (k === 'features' && Array.isArray(v?.codes))
    return `codes ${v.codes.join(', ') || 'none'}; ${(v.attributeNames ?? []).length} asset attributes`;
  // a list of names (an ALARM version's metrics, a LEARNED one's sensors and settings)
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v.length ? v.join(', ') : '—';
  return undefined;
}

function params(p) {
  if (!p || typeof p !== 'object') return h('code', {}, JSON.stringify(p));
  return h(
    'dl',
    { class: 'params', 'data-testid': 'model-params' },
    Object.entries(p).map(([k, v]) => {
      if (typeof v !== 'object' || v === null)
        return [h('dt', {}, k), h('dd', {}, typeof v === 'number' ? number(v, 3) : String(v))];
      // the whole value on hover, as far as it is of a readable size
      const s = JSON.stringify(v);
      const title = s.length > 2000 ? `${s.slice(0, 2000)}…` : s;
      const text = readable(k, v) ?? (s.length > 48 ? `${s.slice(0, 45)}…` : s);
      return [h('dt', {}, k), h('dd', { title }, text)];
    }),
  );
}

/**
 * Blocks of models. `histories()` lists the imported histories (backtest sources, training data); `onChanged(m)`
 * is told of a model after any change to it.
 */
export function modelBlocks({ api, canEdit, histories, onChanged }) {
  const blocks = new Map(); // model id → { el, versions, panel, message, destroy }
  let stopped = false;

  async function refresh(modelId) {
    const m = await api(`/api/models/${modelId}`);
    const b = blocks.get(modelId);
    if (b) renderVersions(b, m);
    onChanged(m);
    return m;
  }

  function openPanel(b, content, destroy) {
    b.destroy?.();
    b.destroy = destroy;
    fill(b.panel, content);
    b.panel.hidden = !content;
  }
  const closePanel = (b) => openPanel(b, null);

  function say(b, text) {
    b.message.replaceChildren(text);
  }

  async function changeStatus(b, m, v, to, label) {
    say(b, `${label} v${v.version}…`);
    const post = (confirm) =>
      api(`/api/models/${m.id}/versions/${v.version}/status`, {
        method: 'POST',
        body: confirm ? { status: to, confirm: true } : { status: to },
      });
    try {
      let res;
      try {
        res = await post(false);
      } catch (err) {
        // promoting a version that was never backtested: the engineer confirms or nothing changes
        if (err?.code !== 'PREDICT_PROMOTE_UNTESTED') throw err;
        if (!window.confirm(`v${v.version} has no finished backtest. ${label} it anyway?`)) {
          say(b, `v${v.version} not changed: backtest it first.`);
          return;
        }
        res = await post(true);
      }
      const retired = res.changes.filter((c) => c.version !== v.version).map((c) => `v${c.version}`);
      say(
        b,
        `v${v.version} is ${to.toLowerCase()}${retired.length ? `; ${retired.join(', ')} retired` : ''}.`,
      );
      await refresh(m.id);
    } catch (err) {
      b.message.replaceChildren(errorBox(err));
    }
  }

  function edit(b, m, v) {
    openPanel(
      b,
      paramsEditor(m, v, {
        submit: async (body) => {
          const created = await api(`/api/models/${m.id}/versions`, { method: 'POST', body });
          closePanel(b);
          say(b, `v${created.version} saved as a draft: backtest it, shadow it or promote it.`);
          await refresh(m.id);
        },
        cancel: () => closePanel(b),
      }),
    );
  }

  async function showRun(b, runId) {
    const run = await api(`/api/backtests/${runId}`);
    const view = reportView(run);
    openPanel(b, view.el, view.destroy);
    return run;
  }

  async function follow(b, m, run) {
    const progress = h(
      'p',
      { class: 'muted small', 'data-testid': 'backtest-progress' },
      'Backtest started…',
    );
    openPanel(b, progress);
    while (!stopped) {
      const r = await api(`/api/backtests/${run.id}`);
      if (r.status !== 'RUNNING') {
        await refresh(m.id);
        await showRun(b, r.id);
        say(b, `Backtest of v${r.version}: ${r.status === 'DONE' ? summaryText(r.summary) : r.error}`);
        return;
      }
      progress.textContent = `Backtest of v${r.version} running: ${percent(r.progress)} of the assets replayed…`;
      await sleep(500);
    }
  }

  function backtestForm(b, m, v) {
    const own = histories().filter((x) => x.equipmentModelKey === m.equipmentModelKey);
    const source = h(
      'select',
      { class: 'select', 'data-testid': 'backtest-source' },
      h('option', { value: 'telemetry' }, 'Telemetry store and ground truth'),
      own.map((x) => h('option', { value: `history:${x.id}` }, `History: ${x.name} (${x.units} units)`)),
    );
    const hours = h('input', {
      type: 'number',
      min: '1',
      step: '1',
      value: '24',
      'data-testid': 'backtest-hours',
    });
    const run = h(
      'button',
      { type: 'submit', class: 'btn btn-primary btn-sm', 'data-testid': 'backtest-run' },
      'Run backtest',
    );
    const error = h('div', {});
    openPanel(
      b,
      h(
        'form',
        {
          class: 'action-form',
          'data-testid': 'backtest-form',
          onsubmit: async (e) => {
            e.preventDefault();
            run.disabled = true;
            const value = source.value;
            const body = value.startsWith('history:')
              ? { source: 'history', historyId: value.slice(8) }
              : {
                  source: 'telemetry',
                  from: new Date(Date.now() - Number(hours.value) * 3_600_000).toISOString(),
                };
            try {
              const started = await api(`/api/models/${m.id}/versions/${v.version}/backtest`, {
                method: 'POST',
                body,
              });
              await follow(b, m, started);
            } catch (err) {
              error.replaceChildren(errorBox(err));
              run.disabled = false;
            }
          },
        },
        h('h4', {}, `Backtest ${m.key} v${v.version}`),
        h(
          'div',
          { class: 'form-row' },
          labelled('History', source),
          labelled('Telemetry: last hours', hours),
          run,
          small({ onclick: () => closePanel(b) }, 'Cancel'),
        ),
        error,
      ),
    );
  }

  async function compare(b, m, a, c) {
    try {
      const res = await api(`/api/models/${m.id}/compare`, { query: { a, b: c } });
      const view = compareView(res);
      openPanel(b, view.el, view.destroy);
    } catch (err) {
      b.message.replaceChildren(errorBox(err));
    }
  }

  function trainForm(b, m) {
    const own = histories().filter((x) => x.equipmentModelKey === m.equipmentModelKey && x.failedUnits > 0);
    if (!own.length) {
      say(b, `Import run-to-failure histories of ${m.equipmentModel} first (below).`);
      return;
    }
    const pick = h(
      'select',
      { class: 'select', 'data-testid': 'train-history' },
      own.map((x) => h('option', { value: x.id }, x.name)),
    );
    const go = h(
      'button',
      { type: 'submit', class: 'btn btn-primary btn-sm', 'data-testid': 'train-run' },
      'Train new version',
    );
    const error = h('div', {});
    openPanel(
      b,
      h(
        'form',
        {
          class: 'action-form',
          onsubmit: async (e) => {
            e.preventDefault();
            go.disabled = true;
            try {
              const res = await api(`/api/models/${m.id}/train`, {
                method: 'POST',
                body: { historyId: pick.value },
              });
              closePanel(b);
              say(
                b,
                `v${res.version.version} trained on ${res.training.units} runs (R² ${number(res.training.r2, 2)}): backtest it before promoting.`,
              );
              await refresh(m.id);
            } catch (err) {
              error.replaceChildren(errorBox(err));
              go.disabled = false;
            }
          },
        },
        h('h4', {}, `Train ${m.key} on a run-to-failure history`),
        h('div', { class: 'form-row' }, pick, go, small({ onclick: () => closePanel(b) }, 'Cancel')),
        error,
      ),
    );
  }

  function versionActions(b, m, v) {
    if (!canEdit) return null;
    return h(
      'div',
      { class: 'row-actions' },
      small({ 'data-testid': 'version-edit', onclick: () => edit(b, m, v) }, 'Edit as new'),
      small({ 'data-testid': 'version-backtest', onclick: () => backtestForm(b, m, v) }, 'Backtest'),
      NEXT[v.status].map(([to, label, id]) =>
        small(
          {
            'data-testid': `version-${id}`,
            class: `btn btn-sm ${to === 'ACTIVE' ? 'btn-primary' : ''}`.trim(),
            onclick: () => changeStatus(b, m, v, to, label),
          },
          label,
        ),
      ),
    );
  }

  function renderVersions(b, m) {
    const compareRow =
      m.versions.length > 1
        ? (() => {
            const opts = (sel) =>
              m.versions.map((v) =>
                h(
                  'option',
                  { value: String(v.version), selected: v.version === sel },
                  `v${v.version} ${v.status.toLowerCase()}`,
                ),
              );
            const active = m.versions.find((v) => v.status === 'ACTIVE') ?? m.versions[m.versions.length - 1];
            const newest = m.versions[0];
            const a = h(
              'select',
              { class: 'select select-sm', 'data-testid': 'compare-a' },
              opts(active.version),
            );
            const c = h(
              'select',
              { class: 'select select-sm', 'data-testid': 'compare-b' },
              opts(newest.version === active.version ? m.versions[1].version : newest.version),
            );
            return h(
              'div',
              { class: 'form-row compare-row' },
              h('span', { class: 'muted small' }, 'Compare'),
              a,
              h('span', { class: 'muted small' }, 'with'),
              c,
              small(
                { 'data-testid': 'compare-run', onclick: () => compare(b, m, a.value, c.value) },
                'Side by side',
              ),
            );
          })()
        : null;
    fill(
      b.versions,
      table(
        [
          { label: 'Version', cell: (v) => h('strong', {}, `v${v.version}`) },
          {
            label: 'Status',
            cell: (v) =>
              h(
                'div',
                { class: 'cell-stack' },
                badge(v.status, undefined, { 'data-testid': 'version-status' }),
                v.statusChangedBy
                  ? h(
                      'span',
                      { class: 'muted small', title: dateTime(v.statusChangedAt) },
                      `by ${v.statusChangedBy}`,
                    )
                  : null,
              ),
          },
          {
            label: 'Author',
            cell: (v) =>
              h(
                'div',
                { class: 'cell-stack' },
                h('span', {}, v.author),
                h('span', { class: 'muted small', title: dateTime(v.createdAt) }, ago(v.createdAt)),
                v.note
                  ? h('span', { class: 'muted small' }, v.basedOn ? `from v${v.basedOn}: ${v.note}` : v.note)
                  : null,
              ),
          },
          { label: 'Predictions', cell: (v) => String(v.predictions), class: 'num' },
          { label: 'Parameters', cell: (v) => params(v.params), class: 'params-cell' },
          {
            label: 'Latest backtest',
            cell: (v) =>
              v.latestBacktest
                ? h(
                    'div',
                    { class: 'cell-stack' },
                    h(
                      'span',
                      { class: 'small', 'data-testid': 'version-backtest-summary' },
                      v.latestBacktest.status === 'DONE'
                        ? summaryText(v.latestBacktest.summary)
                        : v.latestBacktest.status.toLowerCase(),
                    ),
                    small(
                      {
                        'data-testid': 'version-report',
                        onclick: () =>
                          showRun(b, v.latestBacktest.id).catch((err) =>
                            b.message.replaceChildren(errorBox(err)),
                          ),
                      },
                      'Report',
                    ),
                  )
                : h('span', { class: 'muted small' }, 'none'),
          },
          ...(canEdit ? [{ label: '', cell: (v) => versionActions(b, m, v), class: 'actions-cell' }] : []),
        ],
        m.versions,
        {
          testid: 'model-versions',
          caption: `Versions of ${m.name}`,
          rowAttrs: (v) => ({
            'data-testid': 'model-version',
            'data-version-id': v.id,
            'data-version': String(v.version),
            'data-status': v.status,
          }),
        },
      ),
      compareRow,
    );
  }

  function modelBlock(m) {
    const b = {
      versions: h('div', { class: 'table-wrap' }),
      panel: h('div', { class: 'action-panel model-panel', 'data-testid': 'model-panel' }),
      message: h('p', { class: 'muted small', role: 'status', 'data-testid': 'model-message' }),
    };
    b.panel.hidden = true;
    b.el = h(
      'article',
      { class: 'model', 'data-testid': 'model', 'data-model-key': m.key, 'data-model-id': m.id },
      h(
        'header',
        { class: 'model-head' },
        h('div', {}, h('h3', {}, m.name), h('code', { class: 'muted small' }, m.key)),
        h(
          'div',
          { class: 'model-tags' },
          badge(m.kind, 'info'),
          h('span', { class: 'muted small' }, `${m.equipmentModel} · ${m.failureMode}`),
          canEdit && m.kind === 'LEARNED'
            ? small({ 'data-testid': 'model-train', onclick: () => trainForm(b, m) }, 'Train…')
            : null,
        ),
      ),
      b.versions,
      b.message,
      b.panel,
    );
    renderVersions(b, m);
    blocks.set(m.id, b);
    return b.el;
  }

  const destroyAll = () => {
    for (const b of blocks.values()) b.destroy?.();
  };
  return {
    /** The blocks of these models (replacing any rendered before). */
    render(models) {
      destroyAll();
      blocks.clear();
      return models.map(modelBlock);
    },
    destroy() {
      stopped = true;
      destroyAll();
    },
  };
}
