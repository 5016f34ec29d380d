// Run-to-failure histories: import a C-MAPSS file, list them, and train a LEARNED model's new version on one.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { AppError } from '../../common/errors.ts';
import type { PlatformBus } from '../../common/events.ts';
import { bearer } from '../../dashboard/http/auth.ts';
import type { HistoryStore } from '../adapters/history-store.ts';
import type { ModelRegistry } from '../adapters/model-registry.ts';
import { CMAPSS_SENSORS, CMAPSS_SETTINGS } from '../core/backtest/cmapss-history.ts';
import { trainLearned } from '../core/models/learned/train-learned.ts';
import {
  HistoryImportSchema,
  HistorySchema,
  ModelParams,
  read,
  TrainRequestSchema,
  TrainResultSchema,
  write,
} from './schemas.ts';

const ORDER_RULES = ['horizonHours', 'confirmations', 'marginMinutes', 'clearAfter', 'resolutionMs'] as const;

export const historyRoutes: FastifyPluginAsyncTypebox<{
  histories: HistoryStore;
  registry: ModelRegistry;
  bus: PlatformBus;
}> = async (app, { histories, registry, bus }) => {
  const staff = app.requireRole('ADMIN', 'ENGINEER', 'DISPATCHER');
  const engineer = app.requireRole('ADMIN', 'ENGINEER');
  const tags = ['histories'];

  app.get(
    '/api/histories',
    {
      onRequest: staff,
      schema: {
        tags,
        summary: 'Imported run-to-failure histories',
        security: bearer,
        response: { 200: Type.Array(HistorySchema), ...read },
      },
    },
    async () => histories.list(),
  );

  app.post(
    '/api/histories',
    {
      onRequest: engineer,
      bodyLimit: 32 * 1024 * 1024,
      schema: {
        tags,
        summary:
          'Import run-to-failure histories in the NASA C-MAPSS text format (26 columns: unit, cycle, 3 settings, 21 sensors)',
        security: bearer,
        body: HistoryImportSchema,
        response: { 201: HistorySchema, ...write },
      },
    },
    async (req, reply) => reply.status(201).send(await histories.importCmapss(req.body, req.user.email)),
  );

  app.post(
    '/api/models/:id/train',
    {
      onRequest: engineer,
      schema: {
        tags,
        summary:
          "Train a LEARNED model on a history's runs to failure: a new draft version with the learned health index",
        security: bearer,
        params: ModelParams,
        body: TrainRequestSchema,
        response: { 201: TrainResultSchema, ...write },
      },
    },
    async (req, reply) => {
      const model = await registry.get(req.params.id);
      if (model.kind !== 'LEARNED')
        throw new AppError(
          'VALIDATION_FAILED',
          `a ${model.kind} model is not trained; edit its parameters instead`,
        );
      const { history, runs } = await histories.runsToFailure(req.body.historyId);
      if (history.equipmentModelKey !== model.equipmentModelKey)
        throw new AppError(
          'VALIDATION_FAILED',
          `the history is of ${history.equipmentModel}, the model of ${model.equipmentModel}`,
        );
      // order rules and smoothing carry over from the newest version, unless given
      const previous = (model.versions[0]?.params ?? {}) as Record<string, unknown>;
      const overrides: Record<string, unknown> = {};
      for (const k of [...ORDER_RULES, 'ewmaAlpha', 'windowPoints', 'minPoints', 'minR2', 'estimator'])
        if (previous[k] !== undefined) overrides[k] = previous[k];
      Object.assign(overrides, req.body.params ?? {});
      const { params, training } = trainLearned(runs, {
        settings: CMAPSS_SETTINGS,
        sensors: CMAPSS_SENSORS,
        cap: req.body.capCycles ?? 125,
        source: `history ${history.name}`,
        trainedAt: new Date(),
        overrides,
      });
      const v = await registry.createVersion(
        model.id,
        {
          params,
          note: req.body.note ?? `trained on ${history.name} (${training.units} runs to failure)`,
          ...(model.versions[0] ? { basedOn: model.versions[0].version } : {}),
        },
        req.user.email,
      );
      bus.emit('model.changed', {
        modelId: model.id,
        versionId: v.id,
        version: v.version,
        status: 'DRAFT',
        actor: req.user.email,
      });
      const { modelId: _m, ...version } = v;
      return reply.status(201).send({ version, training });
    },
  );
};
