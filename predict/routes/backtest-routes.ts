// Backtests through the API: start one for a model version (it runs in the background; 202 with the run),
// list a version's runs, read one run with its full report.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { AppError } from '../../common/errors.ts';
import { bearer } from '../../common/http/auth.ts';
import { errorSchema } from '../../common/http/error-handler.ts';
import type { ModelRegistry } from '../adapters/model-registry.ts';
import { MAX_RUNNING_BACKTESTS, type Backtests } from '../backtests.ts';
import { BacktestRequestSchema, BacktestRunSchema, IdParams, read, VersionParams, write } from './schemas.ts';

export const backtestRoutes: FastifyPluginAsyncTypebox<{
  backtests: Backtests;
  registry: ModelRegistry;
}> = async (app, { backtests, registry }) => {
  const staff = app.requireRole('ADMIN', 'ENGINEER', 'DISPATCHER');
  const engineer = app.requireRole('ADMIN', 'ENGINEER');
  const tags = ['backtests'];

  app.post(
    '/api/models/:id/versions/:v/backtest',
    {
      onRequest: engineer,
      schema: {
        tags,
        summary:
          'Backtest a version: replay history (telemetry with the ground truth, or an imported run-to-failure history) through it; runs in the background',
        security: bearer,
        params: VersionParams,
        body: BacktestRequestSchema,
        description: `At most ${MAX_RUNNING_BACKTESTS} run at once; another is refused with 429 PREDICT_BACKTEST_BUSY.`,
        response: { 202: BacktestRunSchema, ...write, 429: errorSchema },
      },
    },
    async (req, reply) => {
      const body = req.body;
      if (body.source === 'telemetry') {
        for (const t of [body.from, body.to])
          if (t !== undefined && Number.isNaN(Date.parse(t)))
            throw new AppError('VALIDATION_FAILED', `not a time: ${t}`);
        if (body.from && body.to && Date.parse(body.from) >= Date.parse(body.to))
          throw new AppError('VALIDATION_FAILED', 'from must come before to');
      }
      const run = await backtests.start(req.params.id, req.params.v, body, req.user.email);
      return reply.status(202).send(run);
    },
  );

  app.get(
    '/api/models/:id/versions/:v/backtests',
    {
      onRequest: staff,
      schema: {
        tags,
        summary: "A version's backtest runs, newest first (summaries; the report is at /api/backtests/{id})",
        security: bearer,
        params: VersionParams,
        response: { 200: Type.Array(BacktestRunSchema), ...read },
      },
    },
    async (req) => {
      const v = await registry.version(req.params.id, req.params.v);
      return backtests.runs.list({ versionId: v.id });
    },
  );

  app.get(
    '/api/backtests/:id',
    {
      onRequest: staff,
      schema: {
        tags,
        summary:
          'One backtest run with its report: recall, lead times, precision, false alarms, RMSE, NASA score',
        security: bearer,
        params: IdParams,
        response: { 200: BacktestRunSchema, ...read },
      },
    },
    async (req) => {
      const run = await backtests.runs.get(req.params.id);
      if (!run) throw new AppError('NOT_FOUND', 'no such backtest run');
      return run;
    },
  );
};
