// The model registry API: models with their versions, a new model, a new version from edited parameters,
// status changes (shadow, promote, retire), the history of changes, and two versions side by side.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { AppError } from '../../common/errors.ts';
import type { PlatformBus } from '../../common/events.ts';
import { bearer } from '../../common/http/auth.ts';
import type { BacktestStore } from '../adapters/backtest-store.ts';
import type { ModelRegistry } from '../adapters/model-registry.ts';
import { diffParams } from '../core/compare-versions.ts';
import {
  CompareSchema,
  EquipmentModelSchema,
  ModelEventSchema,
  ModelParams,
  ModelSchema,
  NewModelSchema,
  NewVersionSchema,
  read,
  StatusChangeResultSchema,
  StatusChangeSchema,
  VersionNumber,
  VersionParams,
  VersionSchema,
  write,
} from './schemas.ts';

export const modelRoutes: FastifyPluginAsyncTypebox<{
  registry: ModelRegistry;
  runs: BacktestStore;
  bus: PlatformBus;
}> = async (app, { registry, runs, bus }) => {
  const staff = app.requireRole('ADMIN', 'ENGINEER', 'DISPATCHER');
  const engineer = app.requireRole('ADMIN', 'ENGINEER');
  const tags = ['models'];

  app.get(
    '/api/models',
    {
      onRequest: staff,
      schema: {
        tags,
        summary: 'Prediction models with their versions, newest version first',
        security: bearer,
        response: { 200: Type.Array(ModelSchema), ...read },
      },
    },
    async () => registry.list(),
  );

  app.get(
    '/api/equipment-models',
    {
      onRequest: staff,
      schema: {
        tags,
        summary:
          'Equipment models with their metrics and failure modes: what a prediction model can be made for',
        security: bearer,
        response: { 200: Type.Array(EquipmentModelSchema), ...read },
      },
    },
    async () => registry.equipmentModels(),
  );

  app.get(
    '/api/models/:id',
    {
      onRequest: staff,
      schema: {
        tags,
        summary: 'One prediction model with its versions',
        security: bearer,
        params: ModelParams,
        response: { 200: ModelSchema, ...read },
      },
    },
    async (req) => registry.get(req.params.id),
  );

  app.post(
    '/api/models',
    {
      onRequest: engineer,
      schema: {
        tags,
        summary: 'A new prediction model for an equipment model and failure mode, with version 1 as a draft',
        description:
          'The parameters are checked against the kind (400 PREDICT_INVALID_PARAMS) and may read only metrics ' +
          'the equipment model reports (422 PREDICT_UNKNOWN_METRIC).',
        security: bearer,
        body: NewModelSchema,
        response: { 201: ModelSchema, ...write },
      },
    },
    async (req, reply) => {
      const model = await registry.createModel(req.body, req.user.email);
      bus.emit('model.changed', {
        modelId: model.id,
        versionId: model.versions[0]!.id,
        version: 1,
        status: 'DRAFT',
        actor: req.user.email,
      });
      return reply.status(201).send(model);
    },
  );

  app.post(
    '/api/models/:id/versions',
    {
      onRequest: engineer,
      schema: {
        tags,
        summary: 'A new draft version from edited parameters (checked against the kind)',
        description:
          "400 PREDICT_INVALID_PARAMS when they do not fit the model's kind; 422 PREDICT_UNKNOWN_METRIC when they " +
          'read a metric the equipment model does not report.',
        security: bearer,
        params: ModelParams,
        body: NewVersionSchema,
        response: { 201: VersionSchema, ...write },
      },
    },
    async (req, reply) => {
      const v = await registry.createVersion(req.params.id, req.body, req.user.email);
      bus.emit('model.changed', {
        modelId: v.modelId,
        versionId: v.id,
        version: v.version,
        status: 'DRAFT',
        actor: req.user.email,
      });
      const { modelId: _m, ...version } = v;
      return reply.status(201).send(version);
    },
  );

  app.post(
    '/api/models/:id/versions/:v/status',
    {
      onRequest: engineer,
      schema: {
        tags,
        summary:
          "Change a version's status: SHADOW (predicts, opens no orders), ACTIVE (promote: the active one retires in the same transaction), RETIRED, or back to DRAFT",
        security: bearer,
        params: VersionParams,
        body: StatusChangeSchema,
        response: { 200: StatusChangeResultSchema, ...write },
      },
    },
    async (req) => {
      const changes = await registry.transition(
        req.params.id,
        req.params.v,
        req.body.status,
        req.user.email,
        req.body.note,
        req.body.confirm === true,
      );
      for (const c of changes)
        bus.emit('model.changed', {
          modelId: req.params.id,
          versionId: c.versionId,
          version: c.version,
          status: c.to,
          actor: req.user.email,
        });
      return { changes, model: await registry.get(req.params.id) };
    },
  );

  app.get(
    '/api/models/:id/events',
    {
      onRequest: staff,
      schema: {
        tags,
        summary: "Status changes of the model's versions: who, when, from what to what",
        security: bearer,
        params: ModelParams,
        response: { 200: Type.Array(ModelEventSchema), ...read },
      },
    },
    async (req) => {
      await registry.get(req.params.id);
      return registry.events(req.params.id);
    },
  );

  app.get(
    '/api/models/:id/compare',
    {
      onRequest: staff,
      schema: {
        tags,
        summary: 'Two versions side by side: parameters and their latest finished backtests',
        security: bearer,
        params: ModelParams,
        querystring: Type.Object({ a: VersionNumber(), b: VersionNumber() }),
        response: { 200: CompareSchema, ...read },
      },
    },
    async (req) => {
      const model = await registry.get(req.params.id);
      const pick = (n: number) => {
        const v = model.versions.find((x) => x.version === n);
        if (!v) throw new AppError('NOT_FOUND', `no version ${n} of this model`);
        return v;
      };
      const a = pick(req.query.a);
      const b = pick(req.query.b);
      const latest = async (versionId: string) => {
        const done = (await runs.list({ versionId }, 20)).find((r) => r.status === 'DONE');
        return done ? ((await runs.get(done.id)) ?? null) : null;
      };
      return {
        a,
        b,
        params: diffParams(a.params, b.params),
        backtests: { a: await latest(a.id), b: await latest(b.id) },
      };
    },
  );
};
