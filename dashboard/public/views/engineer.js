// Reliability engineer view: prediction models with their versions and parameters and, for engineers (and
// admins), the workflow on them (model-blocks.js: edit as a new version, backtest and see the report plotted,
// compare side by side, shadow, promote, retire; train LEARNED models); a new model and run-to-failure
// histories (model-admin.js). Below, the latest predictions with their evidence and outcome, arriving live.
// Dispatchers see the same, read-only.
import { badge, card, countdownEl, empty, fill, h, kpi, table, ticker } from '../dom.js';
import { dateTime, percent, time } from '../format.js';
import { fleetHistoryCard } from '../fleet-history-card.js';
import { historiesCard, newModelCard } from '../model-admin.js';
import { meta } from '../meta.js';
import { modelBlocks } from '../model-blocks.js';
import { emptyIfRefused } from '../panel-load.js';

const OUTCOME = {
  PENDING: { label: 'pending', kind: 'muted' },
  CONFIRMED: { label: 'confirmed', kind: 'ok' },
  REFUTED: { label: 'false alarm', kind: 'warn' },
};
const LIMIT = 200;

export async function mount(root, { api, live, user }) {
  const canEdit = user.role === 'ENGINEER' || user.role === 'ADMIN';
  const [initialModels, initial, assets, histories, equipment, platform] = await Promise.all([
    api('/api/models'),
    api('/api/predictions', { query: { limit: LIMIT } }),
    api('/api/assets').catch(emptyIfRefused),
    api('/api/histories').catch(emptyIfRefused),
    api('/api/equipment-models').catch(emptyIfRefused),
    meta(),
  ]);
  let models = initialModels;
  let historyList = histories;
  const assetName = new Map(assets.map((a) => [a.id, `${a.name} (${a.tenant})`]));
  let predictions = initial;
  const fresh = new Set();

  const kpis = h('div', { class: 'kpis' });
  const modelsBody = h('div', { class: 'models' });
  const predictionBody = h('div', { class: 'table-wrap' });

  // ------------------------------------------------------------------ one model

  const workflow = modelBlocks({
    api,
    canEdit,
    histories: () => historyList,
    onChanged: (m) => {
      const i = models.findIndex((x) => x.id === m.id);
      if (i >= 0) models[i] = m;
      else models.push(m);
      renderKpis();
    },
  });

  function renderModels() {
    fill(modelsBody, models.length ? workflow.render(models) : empty('No models.'));
  }

  // ------------------------------------------------------------------ page

  const extra = canEdit
    ? [
        newModelCard({
          api,
          meta: platform,
          equipment,
          onCreated: async (m) => {
            models.push(m);
            models.sort((a, b) => a.key.localeCompare(b.key));
            renderModels();
            renderKpis();
          },
        }),
        historiesCard({
          api,
          equipment,
          histories: () => historyList,
          onImported: (h0) => {
            historyList = [h0, ...historyList];
          },
        }),
        fleetHistoryCard({
          api,
          // the ALARM versions just trained join the models list
          onTrained: (trained) => {
            for (const m of trained) {
              const i = models.findIndex((x) => x.id === m.id);
              if (i >= 0) models[i] = m;
              else models.push(m);
            }
            models.sort((a, b) => a.key.localeCompare(b.key));
            renderModels();
            renderKpis();
          },
        }),
      ]
    : [];

  root.append(
    h(
      'div',
      { class: 'page-head' },
      h(
        'div',
        {},
        h('h1', {}, 'Models and predictions'),
        h('p', { class: 'muted' }, 'What the models see, how their backtests and predictions turned out.'),
      ),
      kpis,
    ),
    card(
      'Models',
      {
        testid: 'models-card',
        subtitle: canEdit
          ? 'Edit a version as a new one, backtest it, compare it with another, shadow it (it predicts, raises no orders), promote it.'
          : 'Active versions raise orders; shadow versions predict without raising orders.',
      },
      modelsBody,
    ),
    ...extra,
    card(
      'Recent predictions',
      { testid: 'predictions-card', subtitle: `The latest ${LIMIT}, newest first; new ones arrive live.` },
      predictionBody,
    ),
  );

  function renderKpis() {
    const confirmed = predictions.filter((p) => p.outcome === 'CONFIRMED').length;
    const refuted = predictions.filter((p) => p.outcome === 'REFUTED').length;
    const decided = confirmed + refuted;
    const versions = models.flatMap((m) => m.versions);
    fill(
      kpis,
      kpi('Models', models.length),
      kpi('Active versions', versions.filter((v) => v.status === 'ACTIVE').length, 'ok'),
      kpi('Shadow versions', versions.filter((v) => v.status === 'SHADOW').length),
      kpi('Predictions', predictions.length),
      kpi('Confirmed', confirmed, confirmed ? 'ok' : undefined),
      kpi('False alarms', refuted, refuted ? 'warn' : undefined),
      kpi('Precision', decided ? percent(confirmed / decided) : '—', undefined, 'kpi-precision'),
    );
  }

  function renderPredictions() {
    fill(
      predictionBody,
      predictions.length
        ? table(
            [
              { label: 'Raised', cell: (p) => h('span', { title: dateTime(p.raisedAt) }, time(p.raisedAt)) },
              { label: 'Asset', cell: (p) => assetName.get(p.assetId) ?? p.assetId },
              { label: 'Failure mode', cell: (p) => p.failureMode },
              {
                label: 'Model',
                cell: (p) => h('span', {}, h('code', {}, p.modelVersion), p.shadow ? badge('SHADOW') : null),
              },
              {
                label: 'Expected failure',
                cell: (p) =>
                  h(
                    'div',
                    { class: 'cell-stack' },
                    countdownEl(p.expectedFailureAt),
                    p.bandEarliestAt
                      ? h(
                          'span',
                          { class: 'muted small' },
                          `band ${time(p.bandEarliestAt)}–${time(p.bandLatestAt)}`,
                        )
                      : null,
                  ),
              },
              { label: 'Confidence', cell: (p) => percent(p.confidence), class: 'num' },
              {
                label: 'Evidence',
                cell: (p) =>
                  h(
                    'span',
                    {
                      class: 'small',
                      'data-testid': 'prediction-evidence',
                      title: JSON.stringify(p.evidence?.features ?? []),
                    },
                    p.evidence?.summary ?? '—',
                  ),
              },
              {
                label: 'Outcome',
                cell: (p) => {
                  const o = OUTCOME[p.outcome] ?? { label: p.outcome, kind: 'muted' };
                  return badge(o.label, o.kind, {
                    'data-testid': 'prediction-outcome',
                    'data-outcome': p.outcome,
                    title: p.outcomeNote ?? undefined,
                  });
                },
              },
            ],
            predictions,
            {
              testid: 'prediction-table',
              caption: 'Recent predictions',
              rowAttrs: (p) => ({
                'data-testid': 'prediction-row',
                'data-prediction-id': p.id,
                class: fresh.has(p.id) ? 'row-new' : undefined,
              }),
            },
          )
        : empty('No predictions yet.'),
    );
  }

  const offs = [
    live.on('prediction', (p) => {
      if (predictions.some((q) => q.id === p.id)) return;
      fresh.add(p.id);
      predictions = [{ ...p, raisedAt: new Date().toISOString(), outcome: 'PENDING' }, ...predictions].slice(
        0,
        LIMIT,
      );
      renderPredictions();
      renderKpis();
    }),
  ];

  renderModels();
  renderKpis();
  renderPredictions();
  const stop = ticker(root);
  return () => {
    stop();
    offs.forEach((off) => off());
    workflow.destroy();
  };
}
