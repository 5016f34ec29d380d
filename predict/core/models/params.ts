// The parameters of each model kind, as TypeBox schemas (the API validates a new version's parameters with them
// and the OpenAPI documentation shows them), plus the checks a schema cannot say (levels on the right side).
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

/** The kinds an engineer writes parameters for (the new-model form's kinds). */
export const MODEL_KINDS = ['THRESHOLD', 'ANOMALY', 'TREND', 'LEARNED'] as const;
export type EditableKind = (typeof MODEL_KINDS)[number];
/** Every kind; ALARM versions are trained from an imported fleet history (predict/alarm-trainings.ts). */
export const ALL_MODEL_KINDS = [...MODEL_KINDS, 'ALARM'] as const;
export type ModelKind = (typeof ALL_MODEL_KINDS)[number];

const Direction = Type.Union([Type.Literal('up'), Type.Literal('down')], {
  description: 'up: the metric rises towards failure; down: it falls',
});

/** What every kind has: when an order opens and how it is timed. */
const common = {
  horizonHours: Type.Number({
    exclusiveMinimum: 0,
    maximum: 24 * 365,
    description:
      'Forecast horizon: how far ahead the model extrapolates; also the order horizon where no contract and parts network are known (file backtests)',
  }),
  confirmations: Type.Integer({
    minimum: 1,
    maximum: 1000,
    description: 'Consecutive in-horizon evaluations before an order opens (hysteresis)',
  }),
  marginMinutes: Type.Number({
    minimum: 0,
    maximum: 7 * 24 * 60,
    description: 'Safety margin: due-by = expected failure − margin; also added to the order horizon',
  }),
  clearAfter: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: 100_000,
      description: 'Consecutive quiet evaluations before an open order is flagged risk-cleared (default 30)',
    }),
  ),
  resolutionMs: Type.Optional(
    Type.Integer({
      minimum: 0,
      description: 'One smoothed point kept per this many ms (default: every reading)',
    }),
  ),
  ewmaAlpha: Type.Number({ exclusiveMinimum: 0, maximum: 1, description: 'EWMA weight of a new reading' }),
  windowPoints: Type.Integer({ minimum: 3, maximum: 5000, description: 'Smoothed points kept per metric' }),
  baselinePoints: Type.Optional(
    Type.Integer({
      minimum: 0,
      maximum: 100_000,
      description: "Points that learn the asset's own baseline (for the evidence and the anomaly charts)",
    }),
  ),
};

export const TrendParamsSchema = Type.Object(
  {
    metric: Type.String({ minLength: 1 }),
    failureLevel: Type.Number({ description: 'Level at which the equipment fails' }),
    direction: Direction,
    shape: Type.Optional(
      Type.Union([Type.Literal('linear'), Type.Literal('exponential')], {
        description: 'linear: the metric trends; exponential: its excess over `baseline` grows (wear)',
      }),
    ),
    baseline: Type.Optional(Type.Number({ description: 'Healthy level (for the exponential shape)' })),
    alertLevel: Type.Optional(
      Type.Number({ description: 'The smoothed metric must be past this level before a trend counts' }),
    ),
    minPoints: Type.Integer({ minimum: 3, description: 'Points needed before a trend is fitted' }),
    minR2: Type.Number({ minimum: 0, maximum: 1, description: 'Least fit (R²) of a credible trend' }),
    ...common,
  },
  { additionalProperties: false, title: 'TREND parameters' },
);

export const ThresholdParamsSchema = Type.Object(
  {
    metric: Type.String({ minLength: 1 }),
    direction: Direction,
    alertLevel: Type.Number({ description: 'The smoothed metric past this level raises the risk' }),
    failureLevel: Type.Optional(
      Type.Number({ description: 'Where it fails: the closer, the sooner and the more confident' }),
    ),
    leadHours: Type.Number({
      exclusiveMinimum: 0,
      description: 'Time from the alert level to failure, from experience',
    }),
    ...common,
  },
  { additionalProperties: false, title: 'THRESHOLD parameters' },
);

export const AnomalyParamsSchema = Type.Object(
  {
    metrics: Type.Array(Type.String({ minLength: 1 }), { minItems: 1, maxItems: 16, uniqueItems: true }),
    method: Type.Union([Type.Literal('ewma'), Type.Literal('cusum')], {
      description: 'ewma: EWMA control chart; cusum: tabular CUSUM',
    }),
    direction: Type.Union([Type.Literal('up'), Type.Literal('down'), Type.Literal('both')]),
    lambda: Type.Optional(
      Type.Number({ exclusiveMinimum: 0, maximum: 1, description: 'EWMA chart weight (default 0.2)' }),
    ),
    limitSigma: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        description: 'EWMA chart limit L, in chart deviations (default 3)',
      }),
    ),
    cusumK: Type.Optional(Type.Number({ minimum: 0, description: 'CUSUM slack k, in σ (default 0.5)' })),
    cusumH: Type.Optional(
      Type.Number({ exclusiveMinimum: 0, description: 'CUSUM decision interval h, in σ (default 5)' }),
    ),
    minStd: Type.Optional(
      Type.Number({ minimum: 0, description: 'Floor of the baseline deviation (sensor resolution)' }),
    ),
    leadHours: Type.Number({
      exclusiveMinimum: 0,
      description: 'Time from an out-of-control signal to failure, from experience',
    }),
    ...common,
    baselinePoints: Type.Integer({
      minimum: 5,
      maximum: 100_000,
      description: "Points that learn the asset's own in-control mean and deviation",
    }),
  },
  { additionalProperties: false, title: 'ANOMALY parameters' },
);

export const LearnedParamsSchema = Type.Object(
  {
    /** The learned health index: weights of per-regime standardised sensors, and its level at failure. */
    sensors: Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }),
    settings: Type.Array(Type.String({ minLength: 1 })),
    regimes: Type.Array(
      Type.Object({
        setting: Type.Array(Type.Number()),
        mean: Type.Array(Type.Number()),
        std: Type.Array(Type.Number()),
      }),
      { minItems: 1 },
    ),
    weights: Type.Array(Type.Number()),
    bias: Type.Number(),
    failureLevel: Type.Number({ description: 'Health index at failure (learned)' }),
    healthyLevel: Type.Number({ description: 'Health index of a healthy machine (learned)' }),
    alertLevel: Type.Number({ description: 'Health index past which a trend counts (learned)' }),
    capCycles: Type.Number({
      exclusiveMinimum: 0,
      description: 'Cycles of wear the index spans from healthy to failure (the RUL cap it was trained with)',
    }),
    rulStdCycles: Type.Number({ minimum: 0, description: 'Deviation of its RUL on the training data' }),
    estimator: Type.Optional(
      Type.Union([Type.Literal('level'), Type.Literal('trend')], {
        description:
          "level (default): RUL from where the smoothed index stands between healthy and failure; trend: the index's trend extrapolated to the failure level",
      }),
    ),
    cycleMs: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        description: 'Time of one cycle (reading); absent: the typical interval between readings',
      }),
    ),
    minPoints: Type.Integer({ minimum: 3 }),
    minR2: Type.Number({ minimum: 0, maximum: 1 }),
    trainedOn: Type.Optional(
      Type.Object({ source: Type.String(), units: Type.Integer(), trainedAt: Type.String() }),
    ),
    ...common,
  },
  { additionalProperties: false, title: 'LEARNED parameters' },
);

const Names = Type.Array(Type.String({ minLength: 1 }));

/** The longest feature window of an ALARM version, in steps: 3 × 72 h of one-second telemetry fits. */
export const MAX_WINDOW_STEPS = 1_000_000;

/** One boosted-trees model as the trainer stores it (core/rul/gbdt.ts GbdtModel); its shape is checked too. */
const GbdtModelSchema = Type.Object({
  nFeatures: Type.Optional(Type.Integer({ minimum: 1 })),
  base: Type.Number(),
  trees: Type.Array(
    Type.Object({
      feature: Type.Array(Type.Integer({ minimum: -1 })),
      threshold: Type.Array(Type.Number()),
      left: Type.Array(Type.Integer()),
      right: Type.Array(Type.Integer()),
      value: Type.Array(Type.Number()),
    }),
    { minItems: 1 },
  ),
});

/**
 * Where a tree of an ALARM rule is unsound, if it is: arrays of one length, and each split's children after it
 * and within the tree (as the trainer builds them), so scoring a row always ends at a leaf; a split reads a
 * feature the rows have. Scoring walks `left`/`right` until a leaf: a node that led back to itself (or before
 * it) looped forever on the live stream, in the platform's own thread.
 */
function unsoundTree(
  t: { feature: number[]; threshold: number[]; left: number[]; right: number[]; value: number[] },
  nFeatures: number | undefined,
): string | undefined {
  const n = t.feature.length;
  if (n === 0) return 'has no node';
  if ([t.threshold, t.left, t.right, t.value].some((a) => a.length !== n))
    return 'feature, threshold, left, right and value must have one entry per node';
  for (let i = 0; i < n; i++) {
    const f = t.feature[i]!;
    if (f < 0) continue;
    if (nFeatures !== undefined && f >= nFeatures) return `node ${i} splits on feature ${f} of ${nFeatures}`;
    for (const child of [t.left[i]!, t.right[i]!])
      if (!(child > i && child < n)) return `node ${i}'s child ${child} is not a later node of the tree`;
  }
  return undefined;
}

export const AlarmParamsSchema = Type.Object(
  {
    // each one is a live ring of the longest window per asset: a metric named twice (or 12,000 times, as a
    // 256 KB body allows) asked for that many rings, and the steps of all of them, for every asset
    metrics: Type.Array(Type.String({ minLength: 1 }), {
      minItems: 1,
      uniqueItems: true,
      description: "The history's metrics, as the equipment model names them, each once",
    }),
    failureMode: Type.String({ minLength: 1, description: 'The failure mode as the history names it' }),
    features: Type.Object(
      {
        codes: Names,
        components: Names,
        modes: Names,
        attributeNames: Names,
        stepMs: Type.Number({ exclusiveMinimum: 0, description: 'Telemetry step the model was trained on' }),
        options: Type.Object(
          {
            // each asset's live window keeps a ring of the longest of them per metric (8 bytes a step), made
            // when the version is loaded: unbounded, one version asked for gigabytes per asset
            shortSteps: Type.Integer({ minimum: 1, maximum: MAX_WINDOW_STEPS }),
            longSteps: Type.Integer({ minimum: 1, maximum: MAX_WINDOW_STEPS }),
            trendSteps: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_WINDOW_STEPS })),
            eventWindowMs: Type.Number({ exclusiveMinimum: 0 }),
            sinceCapHours: Type.Number({ minimum: 0 }),
            maintenanceFeatures: Type.Optional(Type.Boolean()),
            timeOfDay: Type.Optional(Type.Boolean()),
            eventHourOfDay: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
      },
      { description: 'What the feature rows are made of (predict/core/alarms/features.ts)' },
    ),
    rule: Type.Object(
      {
        models: Type.Array(GbdtModelSchema, { minItems: 1, description: 'Boosted trees (log-odds)' }),
        platt: Type.Object({ a: Type.Number(), b: Type.Number() }),
        threshold: Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()], {
          description: 'Alarm at this probability or more (null: the rule never alarms)',
        }),
        consecutive: Type.Integer({
          minimum: 1,
          maximum: 100,
          description: 'Alarm when at least this many of the last `window` steps reach the threshold',
        }),
        window: Type.Optional(
          Type.Integer({
            minimum: 1,
            maximum: 100,
            description: 'Steps looked back (k of m; at least `consecutive`); absent: `consecutive` in a row',
          }),
        ),
      },
      {
        additionalProperties: false,
        description: 'The alarm rule chosen on out-of-fold predictions of the training data',
      },
    ),
    episodeGapHours: Type.Optional(
      Type.Number({ exclusiveMinimum: 0, description: 'Alarms less apart form one episode (default 24)' }),
    ),
    trainedOn: Type.Optional(Type.Unknown()),
    horizonHours: common.horizonHours,
    confirmations: common.confirmations,
    marginMinutes: common.marginMinutes,
    clearAfter: common.clearAfter,
  },
  { additionalProperties: false, title: 'ALARM parameters' },
);

export type TrendParamsInput = Static<typeof TrendParamsSchema>;
export type ThresholdParams = Static<typeof ThresholdParamsSchema>;
export type AnomalyParams = Static<typeof AnomalyParamsSchema>;
export type LearnedParams = Static<typeof LearnedParamsSchema>;
export type AlarmParams = Static<typeof AlarmParamsSchema>;

export const PARAMS_SCHEMA: Record<ModelKind, TSchema> = {
  TREND: TrendParamsSchema,
  THRESHOLD: ThresholdParamsSchema,
  ANOMALY: AnomalyParamsSchema,
  LEARNED: LearnedParamsSchema,
  ALARM: AlarmParamsSchema,
};

export type ParamsCheck = { ok: true } | { ok: false; errors: string[] };

const side = (direction: 'up' | 'down', a: number, b: number) => (direction === 'up' ? a < b : a > b);

/** Checks parameters against their kind's schema and the rules between fields. */
export function checkParams(kind: ModelKind, params: unknown): ParamsCheck {
  const schema = PARAMS_SCHEMA[kind];
  if (!Value.Check(schema, params)) {
    const errors = [...Value.Errors(schema, params)]
      .slice(0, 10)
      .map((e) => `${e.path || '/'}: ${e.message}`);
    return { ok: false, errors };
  }
  const errors: string[] = [];
  const p = params as Record<string, unknown>;
  if (kind === 'TREND') {
    const t = params as TrendParamsInput;
    if (t.minPoints > t.windowPoints) errors.push('/minPoints: must not exceed windowPoints');
    if (t.alertLevel !== undefined && !side(t.direction, t.alertLevel, t.failureLevel))
      errors.push(`/alertLevel: must lie before failureLevel in the direction ${t.direction}`);
    if (t.shape === 'exponential' && t.baseline === undefined)
      errors.push('/baseline: the exponential shape needs the healthy baseline');
    if (t.baseline !== undefined && !side(t.direction, t.baseline, t.failureLevel))
      errors.push(`/baseline: must lie before failureLevel in the direction ${t.direction}`);
  }
  if (kind === 'THRESHOLD') {
    const t = params as ThresholdParams;
    if (t.failureLevel !== undefined && !side(t.direction, t.alertLevel, t.failureLevel))
      errors.push(`/failureLevel: must lie beyond alertLevel in the direction ${t.direction}`);
  }
  if (kind === 'LEARNED') {
    const l = params as LearnedParams;
    if (l.weights.length !== l.sensors.length) errors.push('/weights: one per sensor');
    l.regimes.forEach((r, i) => {
      if (r.setting.length !== l.settings.length) errors.push(`/regimes/${i}/setting: one value per setting`);
      if (r.mean.length !== l.sensors.length || r.std.length !== l.sensors.length)
        errors.push(`/regimes/${i}: mean and std need one value per sensor`);
    });
  }
  if (kind === 'ALARM') {
    const r = (params as AlarmParams).rule;
    if (r.window !== undefined && r.window < r.consecutive)
      errors.push('/rule/window: must be at least consecutive');
    r.models.forEach((m, i) =>
      m.trees.forEach((t, j) => {
        const why = unsoundTree(t, m.nFeatures);
        if (why && errors.length < 10) errors.push(`/rule/models/${i}/trees/${j}: ${why}`);
      }),
    );
  }
  if (typeof p.minPoints === 'number' && typeof p.windowPoints === 'number' && p.minPoints > p.windowPoints)
    if (!errors.some((e) => e.startsWith('/minPoints')))
      errors.push('/minPoints: must not exceed windowPoints');
  return errors.length ? { ok: false, errors } : { ok: true };
}

/** The metrics a model of this kind reads. */
export function metricsOf(kind: ModelKind, params: unknown): string[] {
  const p = params as Record<string, unknown>;
  if (kind === 'ANOMALY' || kind === 'ALARM') return [...(p.metrics as string[])];
  if (kind === 'LEARNED') return [...(p.settings as string[]), ...(p.sensors as string[])];
  return [p.metric as string];
}
