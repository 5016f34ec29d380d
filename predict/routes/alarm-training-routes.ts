// Alarm models from imported history (issue 16): an engineer trains ALARM versions on a fleet history (one DRAFT
// version per failure mode of the equipment model, each with its backtest per failure event) as a job — 202, then
// poll it — and shadows or promotes them like any other version (model-routes.ts).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Db } from '../../common/db.ts';
import { AppError } from '../../common/errors.ts';
import { bearer } from '../../common/http/auth.ts';
import { errorSchema } from '../../common/http/error-handler.ts';
import { TrainingRefused, type AlarmTrainings } from '../alarm-trainings.ts';
import { IdParams, read, write } from './schemas.ts';

const N = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

const TrainingBody = Type.Object(
  {
    equipmentModel: Type.String({
      minLength: 1,
      maxLength: 100,
      description: "the equipment model key; the history's metrics and failure modes are matched to its own",
    }),
    trainUntil: Type.String({
      format: 'date-time',
      description: 'trained on the history before this time, backtested per failure event after it',
    }),
    horizonHours: Type.Optional(
      Type.Number({ minimum: 1, maximum: 24 * 30, description: 'alarm horizon (default 24 h)' }),
    ),
  },
  { additionalProperties: false },
);

const TrainedVersionSchema = Type.Object({
  failureMode: Type.String(),
  historyMode: Type.String(),
  modelId: Type.String(),
  modelKey: Type.String(),
  version: Type.Integer(),
  versionId: Type.String(),
  backtestId: Type.String(),
  summary: Type.Unknown({
    description:
      'the backtest on the history after trainUntil: recall, precision, false episodes per asset-year, median lead',
  }),
});

const TrainingJobSchema = Type.Object({
  id: Type.String(),
  status: Type.Union([
    Type.Literal('queued'),
    Type.Literal('training'),
    Type.Literal('done'),
    Type.Literal('failed'),
  ]),
  stage: N(Type.String()),
  history: Type.String(),
  equipmentModel: Type.String(),
  trainUntil: Type.String(),
  horizonHours: Type.Number(),
  createdBy: Type.String(),
  createdAt: Type.String(),
  finishedAt: N(Type.String()),
  report: N(
    Type.Object({
      history: Type.String(),
      assets: Type.Integer(),
      metrics: Type.Array(Type.String()),
      droppedMetrics: Type.Array(Type.String()),
      unmatchedModes: Type.Array(Type.String()),
      cv: Type.Unknown(),
      versions: Type.Array(TrainedVersionSchema),
      seconds: Type.Number(),
    }),
  ),
  error: N(Type.Object({ code: Type.String(), message: Type.String() })),
});

export const alarmTrainingRoutes: FastifyPluginAsyncTypebox<{ db: Db; trainings: AlarmTrainings }> = async (
  app,
  { db, trainings },
) => {
  const staff = app.requireRole('ADMIN', 'ENGINEER', 'DISPATCHER');
  const engineer = app.requireRole('ADMIN', 'ENGINEER');
  const tags = ['models'];

  app.post(
    '/api/fleet-histories/:id/alarm-models',
    {
      onRequest: engineer,
      schema: {
        tags,
        summary:
          'Train ALARM versions on an imported fleet history: a job (202, then poll its Location). One DRAFT version per failure mode of the equipment model found in the history, each with its backtest per failure event after trainUntil; shadow or promote them like other versions',
        security: bearer,
        params: IdParams,
        body: TrainingBody,
        response: { 202: TrainingJobSchema, ...write, 429: errorSchema },
      },
    },
    async (req, reply) => {
      const history = await db.fleetHistory.findUnique({
        where: { id: req.params.id },
        select: { id: true, name: true },
      });
      if (!history) throw new AppError('NOT_FOUND', 'no such fleet history');
      const equipment = await db.equipmentModel.findUnique({
        where: { key: req.body.equipmentModel },
        select: { key: true },
      });
      if (!equipment) throw new AppError('NOT_FOUND', `no equipment model ${req.body.equipmentModel}`);
      const trainUntil = new Date(req.body.trainUntil);
      if (Number.isNaN(trainUntil.getTime()))
        throw new AppError('VALIDATION_FAILED', `trainUntil: not a time: ${req.body.trainUntil}`);
      try {
        const job = trainings.start(
          {
            historyId: history.id,
            history: history.name,
            equipmentModel: equipment.key,
            trainUntil: trainUntil.toISOString(),
            horizonHours: req.body.horizonHours ?? 24,
          },
          req.user.email,
        );
        return reply.status(202).header('location', `/api/alarm-trainings/${job.id}`).send(job);
      } catch (err) {
        if (err instanceof TrainingRefused)
          return reply.status(429).send({ code: err.code, message: err.message });
        throw err;
      }
    },
  );

  app.get(
    '/api/alarm-trainings/:id',
    {
      onRequest: staff,
      schema: {
        tags,
        summary:
          'An alarm training job: status, stage, the versions trained with their backtest, or the error',
        security: bearer,
        params: IdParams,
        response: { 200: TrainingJobSchema, ...read },
      },
    },
    async (req) => {
      const job = trainings.get(req.params.id);
      if (!job)
        throw new AppError('NOT_FOUND', 'no such training job (jobs are kept in memory until a restart)');
      return job;
    },
  );
};
