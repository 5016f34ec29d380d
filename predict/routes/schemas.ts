// TypeBox schemas of the predict API: models and versions, status changes, backtests, histories, predictions.
import { Type, type Static } from '@sinclair/typebox';
import { errorSchema } from '../../common/http/error-handler.ts';
import type { VersionStatus } from '../core/model-lifecycle.ts';
import type { ModelKind } from '../core/models/params.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T, o?: { description: string }) =>
  Type.Union([t, Type.Null()], o);

export const KindSchema = Type.Union([
  Type.Literal('THRESHOLD'),
  Type.Literal('ANOMALY'),
  Type.Literal('TREND'),
  Type.Literal('LEARNED'),
  Type.Literal('ALARM'),
]);
export const StatusSchema = Type.Union([
  Type.Literal('DRAFT'),
  Type.Literal('SHADOW'),
  Type.Literal('ACTIVE'),
  Type.Literal('RETIRED'),
]);
// the schemas list exactly the kinds and statuses of the core
const _kinds: [Static<typeof KindSchema>, ModelKind] = ['' as ModelKind, '' as Static<typeof KindSchema>];
const _statuses: [Static<typeof StatusSchema>, VersionStatus] = [
  '' as VersionStatus,
  '' as Static<typeof StatusSchema>,
];

/** A version number: from 1 to PostgreSQL's largest integer (larger ones are refused with 400, not looked up). */
export const VersionNumber = (o: { description?: string } = {}) =>
  Type.Integer({ minimum: 1, maximum: 2 ** 31 - 1, ...o });

export const ParamsSchema = Type.Object(
  {},
  {
    additionalProperties: true,
    description:
      "The version's parameters, checked against its model's kind (TREND, THRESHOLD, ANOMALY, LEARNED, ALARM; see docs/predict.md)",
  },
);

export const BacktestBriefSchema = Type.Object({
  id: Type.String(),
  status: Type.String(),
  source: Type.String(),
  startedAt: Type.String(),
  summary: Type.Unknown(),
});

export const VersionSchema = Type.Object({
  id: Type.String(),
  version: Type.Integer(),
  status: StatusSchema,
  author: Type.String(),
  createdAt: Type.String(),
  note: Nullable(Type.String()),
  basedOn: Nullable(Type.Integer({ description: 'the version this one was edited from' })),
  statusChangedAt: Nullable(Type.String()),
  statusChangedBy: Nullable(Type.String()),
  params: Type.Unknown(),
  predictions: Type.Integer(),
  latestBacktest: Nullable(BacktestBriefSchema),
});

export const ModelSchema = Type.Object({
  id: Type.String(),
  key: Type.String(),
  name: Type.String(),
  kind: KindSchema,
  equipmentModel: Type.String(),
  equipmentModelKey: Type.String(),
  failureMode: Type.String(),
  failureModeKey: Type.String(),
  versions: Type.Array(VersionSchema),
});

export const NewModelSchema = Type.Object(
  {
    key: Type.String({
      pattern: '^[a-z0-9][a-z0-9/_.-]{2,99}$',
      description: 'unique, e.g. pump-px50/bearing/anomaly',
    }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    kind: KindSchema,
    equipmentModel: Type.String({ description: 'equipment model key' }),
    failureMode: Type.String({ description: 'failure mode key of that equipment model' }),
    params: ParamsSchema,
    note: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);

export const NewVersionSchema = Type.Object(
  {
    params: ParamsSchema,
    note: Type.Optional(Type.String({ maxLength: 2000, description: 'what changed and why' })),
    basedOn: Type.Optional(VersionNumber({ description: 'the version edited' })),
  },
  { additionalProperties: false },
);

export const StatusChangeSchema = Type.Object(
  {
    status: StatusSchema,
    note: Type.Optional(Type.String({ maxLength: 2000 })),
    confirm: Type.Optional(
      Type.Boolean({
        description:
          'Promote (ACTIVE) a version that has no finished backtest; without it such a promotion is refused with 409 PREDICT_PROMOTE_UNTESTED',
      }),
    ),
  },
  { additionalProperties: false },
);

export const StatusChangeResultSchema = Type.Object({
  changes: Type.Array(
    Type.Object({ version: Type.Integer(), versionId: Type.String(), from: StatusSchema, to: StatusSchema }),
  ),
  model: ModelSchema,
});

export const ModelEventSchema = Type.Object({
  version: Type.Integer(),
  from: Nullable(StatusSchema),
  to: StatusSchema,
  actor: Type.String(),
  at: Type.String(),
  note: Nullable(Type.String()),
});

export const CompareSchema = Type.Object({
  a: VersionSchema,
  b: VersionSchema,
  params: Type.Array(
    Type.Object({ key: Type.String(), a: Type.Unknown(), b: Type.Unknown(), changed: Type.Boolean() }),
  ),
  backtests: Type.Object(
    { a: Nullable(Type.Unknown()), b: Nullable(Type.Unknown()) },
    {
      description: 'the latest finished backtest report of each (null: none yet)',
    },
  ),
});

export const ModelParams = Type.Object({ id: Type.String() });
export const VersionParams = Type.Object({ id: Type.String(), v: VersionNumber() });
export const IdParams = Type.Object({ id: Type.String() });

export const BacktestRequestSchema = Type.Union(
  [
    Type.Object(
      {
        source: Type.Literal('telemetry'),
        from: Type.Optional(Type.String({ format: 'date-time' })),
        to: Type.Optional(Type.String({ format: 'date-time' })),
        rulCap: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
      },
      {
        additionalProperties: false,
        description:
          "the telemetry store's readings of the model's equipment (default: the last 24 h) and the simulator's ground truth",
      },
    ),
    Type.Object(
      {
        source: Type.Literal('history'),
        historyId: Type.String(),
        horizonHours: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
        rulCap: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
      },
      { additionalProperties: false, description: 'an imported run-to-failure history' },
    ),
  ],
  { description: 'where the history comes from' },
);

const FileName = (description: string) =>
  Type.String({
    pattern: '^[^/\\\\]+$',
    description: `${description}: its name only, never a path on the server`,
  });

/** What a run replayed, by source (telemetry, history, file, fleet-history). */
export const BacktestOptionsSchema = Type.Object(
  {
    from: Type.Optional(Type.String({ description: 'telemetry, fleet-history: start of the replayed span' })),
    to: Type.Optional(Type.String({ description: 'telemetry: end of the replayed span' })),
    truthFile: Type.Optional(
      FileName("the ground truth's file (telemetry, or a C-MAPSS test file's RUL truth)"),
    ),
    metrics: Type.Optional(Type.Array(Type.String(), { description: 'telemetry: the metrics replayed' })),
    file: Type.Optional(FileName('file: the C-MAPSS file')),
    historyId: Type.Optional(Type.String()),
    history: Type.Optional(Type.String({ description: "fleet-history: the history's name" })),
    name: Type.Optional(Type.String({ description: "history: the history's name" })),
    units: Type.Optional(Type.Integer()),
    horizonHours: Type.Optional(Type.Number()),
    rulCap: Type.Optional(Type.Number()),
  },
  { additionalProperties: false },
);

export const BacktestRunSchema = Type.Object({
  id: Type.String(),
  modelId: Type.String(),
  modelKey: Type.String(),
  versionId: Type.String(),
  version: Type.Integer(),
  source: Type.String(),
  options: BacktestOptionsSchema,
  status: Type.Union([Type.Literal('RUNNING'), Type.Literal('DONE'), Type.Literal('FAILED')]),
  progress: Type.Number(),
  author: Type.String(),
  startedAt: Type.String(),
  finishedAt: Nullable(Type.String()),
  summary: Type.Unknown(),
  error: Nullable(Type.String()),
  report: Type.Optional(Type.Unknown({ description: 'the full report (core/backtest/score.ts)' })),
});

export const HistorySchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  format: Type.String(),
  equipmentModel: Type.String(),
  equipmentModelKey: Type.String(),
  cycleMinutes: Type.Integer(),
  units: Type.Integer(),
  cycles: Type.Integer(),
  failedUnits: Type.Integer(),
  importedBy: Type.String(),
  importedAt: Type.String(),
});

export const HistoryImportSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    equipmentModel: Type.String({ description: 'equipment model key, e.g. turbofan-cmapss' }),
    format: Type.Literal('cmapss'),
    data: Type.String({
      minLength: 1,
      description:
        'the text of a C-MAPSS train_ or test_ file (up to 4 MiB of JSON; larger files: POST /api/histories/upload)',
    }),
    truth: Type.Optional(Type.String({ description: 'the RUL_ file of a test file' })),
    cycleMinutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
  },
  { additionalProperties: false },
);

export const HistoryUploadQuery = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    equipmentModel: Type.String({ minLength: 1, description: 'equipment model key, e.g. turbofan-cmapss' }),
    format: Type.Optional(Type.Literal('cmapss')),
    truth: Type.Optional(
      Type.String({
        maxLength: 20_000,
        pattern: '^[0-9.,;\\s]*$',
        description: "a test file's RUL truth: the RUL_ file's values, comma-separated",
      }),
    ),
    cycleMinutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
  },
  { additionalProperties: false },
);

export const ImportJobSchema = Type.Object({
  id: Type.String(),
  status: Type.Union(
    [
      Type.Literal('queued'),
      Type.Literal('parsing'),
      Type.Literal('writing'),
      Type.Literal('done'),
      Type.Literal('failed'),
    ],
    {
      description:
        'queued → parsing (every line checked) → writing (runs in batches, one transaction) → done',
    },
  ),
  name: Type.String(),
  equipmentModel: Type.String(),
  createdBy: Type.String(),
  createdAt: Type.String(),
  finishedAt: Nullable(Type.String()),
  progress: Type.Object({
    bytesDone: Type.Integer({ description: 'bytes of the file checked' }),
    bytesTotal: Type.Integer(),
    unitsDone: Type.Integer({ description: 'runs written' }),
    unitsTotal: Nullable(Type.Integer({ description: 'runs in the file, once checked' })),
    fraction: Type.Number({
      description: '0..1 over the job: checking is the first half, writing the second',
    }),
  }),
  history: Nullable(HistorySchema, { description: 'the imported history, once done' }),
  error: Nullable(
    Type.Object({
      code: Type.String(),
      message: Type.String(),
      line: Nullable(Type.Integer(), { description: 'the line of the file at fault' }),
    }),
  ),
});

export const TrainRequestSchema = Type.Object(
  {
    historyId: Type.String(),
    capCycles: Type.Optional(
      Type.Integer({ minimum: 5, maximum: 10_000, description: 'RUL cap of the target (125)' }),
    ),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
    params: Type.Optional(
      Type.Object(
        {},
        { additionalProperties: true, description: 'order rules and smoothing to keep or set' },
      ),
    ),
  },
  { additionalProperties: false },
);

export const TrainResultSchema = Type.Object({
  version: VersionSchema,
  training: Type.Unknown({ description: 'fit of the health index: R², levels, units, dropped sensors' }),
});

export const PredictionSchema = Type.Object({
  id: Type.String(),
  assetId: Type.String(),
  failureMode: Type.String(),
  modelVersion: Type.String(),
  modelVersionId: Type.String(),
  raisedAt: Type.String(),
  expectedFailureAt: Type.String(),
  bandEarliestAt: Type.String(),
  bandLatestAt: Type.String(),
  rulHours: Type.Number({ description: 'expected failure − raised, hours' }),
  confidence: Type.Number(),
  shadow: Type.Boolean(),
  outcome: Type.String({ description: 'PENDING, or CONFIRMED / REFUTED by a repair depot finding' }),
  outcomeAt: Nullable(Type.String()),
  outcomeNote: Nullable(Type.String()),
  evidence: Type.Unknown({ description: 'kind, summary, the features that moved, the order horizon' }),
});

export const read = { 401: errorSchema, 403: errorSchema, 404: errorSchema };
export const write = {
  400: errorSchema,
  401: errorSchema,
  403: errorSchema,
  404: errorSchema,
  409: errorSchema,
  422: errorSchema,
};

export const EquipmentModelSchema = Type.Object({
  key: Type.String(),
  name: Type.String(),
  metrics: Type.Array(Type.Object({ name: Type.String(), unit: Type.String() })),
  failureModes: Type.Array(Type.Object({ key: Type.String(), name: Type.String() })),
  assets: Type.Integer(),
});
