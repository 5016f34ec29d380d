// Predictions, newest first: asset, failure mode, expected failure with its band and RUL, confidence, the
// version that made it, shadow or not, the evidence, and the outcome once a repair depot has judged it.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Db } from '../../common/db.ts';
import { bearer } from '../../common/http/auth.ts';
import { PredictionSchema, read } from './schemas.ts';

export const predictionRoutes: FastifyPluginAsyncTypebox<{ db: Db }> = async (app, { db }) => {
  app.get(
    '/api/predictions',
    {
      onRequest: app.requireRole('ADMIN', 'ENGINEER', 'DISPATCHER'),
      schema: {
        tags: ['predict'],
        summary: 'Latest predictions, newest first',
        security: bearer,
        querystring: Type.Object({
          limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
          assetId: Type.Optional(Type.String()),
          modelVersionId: Type.Optional(Type.String()),
          shadow: Type.Optional(Type.Boolean()),
        }),
        response: { 200: Type.Array(PredictionSchema), ...read },
      },
    },
    async (req) => {
      const q = req.query;
      const rows = await db.prediction.findMany({
        where: {
          ...(q.assetId ? { assetId: q.assetId } : {}),
          ...(q.modelVersionId ? { modelVersionId: q.modelVersionId } : {}),
          ...(q.shadow !== undefined ? { shadow: q.shadow } : {}),
        },
        include: { failureMode: true, modelVersion: { include: { model: true } } },
        orderBy: { raisedAt: 'desc' },
        take: q.limit,
      });
      return rows.map((p) => ({
        id: p.id,
        assetId: p.assetId,
        failureMode: p.failureMode.name,
        modelVersion: `${p.modelVersion.model.key}@v${p.modelVersion.version}`,
        modelVersionId: p.modelVersionId,
        raisedAt: p.raisedAt.toISOString(),
        expectedFailureAt: p.expectedFailureAt.toISOString(),
        bandEarliestAt: p.bandEarliestAt.toISOString(),
        bandLatestAt: p.bandLatestAt.toISOString(),
        rulHours:
          Math.round(((p.expectedFailureAt.getTime() - p.raisedAt.getTime()) / 3_600_000) * 1000) / 1000,
        confidence: p.confidence,
        shadow: p.shadow,
        outcome: p.outcome,
        outcomeAt: p.outcomeAt?.toISOString() ?? null,
        outcomeNote: p.outcomeNote,
        evidence: p.evidence,
      }));
    },
  );
};
