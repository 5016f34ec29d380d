// Run-to-failure histories: import a C-MAPSS file (a job: 202, then poll it), list them, and train a LEARNED
// model's new version on one.
import type { FastifyPluginAsyncTypebox, TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyError } from 'fastify';
import { AppError } from '../../common/errors.ts';
import type { PlatformBus } from '../../common/events.ts';
import { bearer } from '../../common/http/auth.ts';
import { errorSchema } from '../../common/http/error-handler.ts';
import type { HistoryStore } from '../adapters/history-store.ts';
import type { ModelRegistry } from '../adapters/model-registry.ts';
import { CMAPSS_SENSORS, CMAPSS_SETTINGS } from '../core/backtest/cmapss-history.ts';
import { formatMib, type ImportRefusal } from '../core/history-import.ts';
import { trainLearned } from '../core/models/learned/train-learned.ts';
import { ImportRefused, type HistoryImports } from '../history-imports.ts';
import {
  HistoryImportSchema,
  HistorySchema,
  HistoryUploadQuery,
  IdParams,
  ImportJobSchema,
  ModelParams,
  read,
  TrainRequestSchema,
  TrainResultSchema,
  write,
} from './schemas.ts';

/** HTTP statuses of refused imports. */
const REFUSAL_STATUS: Record<ImportRefusal, number> = {
  PREDICT_IMPORT_TOO_LARGE: 413,
  PREDICT_IMPORT_BUSY: 429,
  PREDICT_IMPORT_STALLED: 408,
};
const refused = { 408: errorSchema, 413: errorSchema, 429: errorSchema };
const jobLocation = (id: string) => `/api/histories/jobs/${id}`;

const ORDER_RULES = ['horizonHours', 'confirmations', 'marginMinutes', 'clearAfter', 'resolutionMs'] as const;

export const historyRoutes: FastifyPluginAsyncTypebox<{
  histories: HistoryStore;
  imports: HistoryImports;
  registry: ModelRegistry;
  bus: PlatformBus;
}> = async (app, { histories, imports, registry, bus }) => {
  const staff = app.requireRole('ADMIN', 'ENGINEER', 'DISPATCHER');
  const engineer = app.requireRole('ADMIN', 'ENGINEER');
  const tags = ['histories'];

  // refused imports: 413 past the size limit, 429 past the number of imports at once; the rest to the app's handler
  app.setErrorHandler((err: FastifyError, _req, reply) => {
    if (err instanceof ImportRefused) {
      // a stalled upload's connection is closed after the answer: the rest of its body is not waited for
      if (err.code === 'PREDICT_IMPORT_STALLED') void reply.header('connection', 'close');
      return reply.status(REFUSAL_STATUS[err.code]).send({ code: err.code, message: err.message });
    }
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
      return reply.status(413).send({
        code: 'PREDICT_IMPORT_TOO_LARGE',
        message: `a JSON import is limited to ${formatMib(imports.limits.maxJsonBytes)}: upload larger files as text to POST /api/histories/upload`,
      });
    throw err;
  });

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
      bodyLimit: imports.limits.maxJsonBytes,
      schema: {
        tags,
        summary:
          'Import run-to-failure histories in the NASA C-MAPSS text format (26 columns: unit, cycle, 3 settings, 21 sensors), the file inside JSON (small files; see /api/histories/upload): an import job, 202 with its Location',
        security: bearer,
        body: HistoryImportSchema,
        response: { 202: ImportJobSchema, ...write, ...refused },
      },
    },
    async (req, reply) => {
      const { data, truth, name, equipmentModel, cycleMinutes } = req.body;
      const job = await imports.fromText(
        {
          name,
          equipmentModel,
          data,
          ...(truth !== undefined ? { truth } : {}),
          ...(cycleMinutes !== undefined ? { cycleMinutes } : {}),
        },
        req.user.email,
      );
      return reply.status(202).header('location', jobLocation(job.id)).send(job);
    },
  );

  // the file as the raw request body, streamed to disk: the body is not parsed here
  await app.register(async (context) => {
    const upload = context.withTypeProvider<TypeBoxTypeProvider>();
    upload.removeAllContentTypeParsers();
    // the body stays unparsed (undefined): the handler streams req.raw to disk
    upload.addContentTypeParser(['text/plain', 'application/octet-stream'], (_req, _payload, done) =>
      done(null),
    );
    upload.post(
      '/api/histories/upload',
      {
        onRequest: engineer,
        schema: {
          tags,
          summary: `Import a C-MAPSS train_ or test_ file sent as the request body (Content-Type text/plain or application/octet-stream, up to ${formatMib(imports.limits.maxUploadBytes)}), streamed: an import job, 202 with its Location; poll it for progress. An upload that sends nothing for ${imports.limits.uploadIdleMs / 1000} s is cut: 408 PREDICT_IMPORT_STALLED`,
          security: bearer,
          querystring: HistoryUploadQuery,
          headers: Type.Object({
            'content-type': Type.String({ description: 'text/plain or application/octet-stream' }),
          }),
          response: { 202: ImportJobSchema, ...write, ...refused },
        },
      },
      async (req, reply) => {
        const declared = req.headers['content-length'];
        const job = await imports.fromStream(
          req.query,
          req.raw,
          req.user.email,
          declared === undefined ? undefined : Number(declared),
        );
        return reply.status(202).header('location', jobLocation(job.id)).send(job);
      },
    );
  });

  app.get(
    '/api/histories/jobs/:id',
    {
      onRequest: staff,
      schema: {
        tags,
        summary:
          'A history import job: status (queued, parsing, writing, done, failed), progress, the history once done or the error with the line at fault',
        security: bearer,
        params: IdParams,
        response: { 200: ImportJobSchema, ...read },
      },
    },
    async (req) => {
      const job = imports.get(req.params.id);
      if (!job)
        throw new AppError('NOT_FOUND', 'no such import job (jobs are kept in memory until a restart)');
      return job;
    },
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
