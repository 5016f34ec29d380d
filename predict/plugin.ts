// Predict as a fastify plugin: streams readings through the model versions; engineers list models and predictions.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { PlatformDeps } from '../common/deps.ts';
import { bearer } from '../dashboard/http/auth.ts';
import { PrismaPredictionStore } from './adapters/prediction-store.ts';
import { PredictService } from './predict-service.ts';

const ModelSchema = Type.Object({
  id: Type.String(),
  key: Type.String(),
  name: Type.String(),
  kind: Type.String(),
  equipmentModel: Type.String(),
  failureMode: Type.String(),
  versions: Type.Array(
    Type.Object({ id: Type.String(), version: Type.Integer(), status: Type.String(), author: Type.String(), createdAt: Type.String(), params: Type.Unknown(), predictions: Type.Integer() }),
  ),
});

const PredictionSchema = Type.Object({
  id: Type.String(),
  assetId: Type.String(),
  failureMode: Type.String(),
  modelVersion: Type.String(),
  raisedAt: Type.String(),
  expectedFailureAt: Type.String(),
  bandEarliestAt: Type.String(),
  bandLatestAt: Type.String(),
  confidence: Type.Number(),
  shadow: Type.Boolean(),
  outcome: Type.String(),
  evidence: Type.Unknown(),
});

export const predictPlugin: FastifyPluginAsyncTypebox<{ deps: PlatformDeps }> = async (app, { deps }) => {
  const log = deps.log.child({ module: 'predict' });
  const service = new PredictService(new PrismaPredictionStore(deps.db), deps.bus, deps.clock, log);
  deps.health.register('predict', () => ({ status: 'up', detail: { predictions: service.predictions } }));
  app.addHook('onReady', () => service.start());

  app.get(
    '/api/models',
    {
      onRequest: app.requireRole('ADMIN', 'ENGINEER', 'DISPATCHER'),
      schema: { tags: ['predict'], summary: 'Prediction models with their versions', security: bearer, response: { 200: Type.Array(ModelSchema) } },
    },
    async () => {
      const models = await deps.db.predictionModel.findMany({
        include: { equipmentModel: true, failureMode: true, versions: { orderBy: { version: 'desc' }, include: { _count: { select: { predictions: true } } } } },
        orderBy: { key: 'asc' },
      });
      return models.map((m) => ({
        id: m.id,
        key: m.key,
        name: m.name,
        kind: m.kind,
        equipmentModel: m.equipmentModel.name,
        failureMode: m.failureMode.name,
        versions: m.versions.map((v) => ({
          id: v.id,
          version: v.version,
          status: v.status,
          author: v.author,
          createdAt: v.createdAt.toISOString(),
          params: v.params,
          predictions: v._count.predictions,
        })),
      }));
    },
  );

  app.get(
    '/api/predictions',
    {
      onRequest: app.requireRole('ADMIN', 'ENGINEER', 'DISPATCHER'),
      schema: {
        tags: ['predict'],
        summary: 'Latest predictions, newest first',
        security: bearer,
        querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }), assetId: Type.Optional(Type.String()) }),
        response: { 200: Type.Array(PredictionSchema) },
      },
    },
    async (req) => {
      const rows = await deps.db.prediction.findMany({
        where: req.query.assetId ? { assetId: req.query.assetId } : {},
        include: { failureMode: true, modelVersion: { include: { model: true } } },
        orderBy: { raisedAt: 'desc' },
        take: req.query.limit,
      });
      return rows.map((p) => ({
        id: p.id,
        assetId: p.assetId,
        failureMode: p.failureMode.name,
        modelVersion: `${p.modelVersion.model.key}@v${p.modelVersion.version}`,
        raisedAt: p.raisedAt.toISOString(),
        expectedFailureAt: p.expectedFailureAt.toISOString(),
        bandEarliestAt: p.bandEarliestAt.toISOString(),
        bandLatestAt: p.bandLatestAt.toISOString(),
        confidence: p.confidence,
        shadow: p.shadow,
        outcome: p.outcome,
        evidence: p.evidence,
      }));
    },
  );
};
