// The technician's API: his jobs of a day and his field steps (en route → on site → complete, with the removed
// part's serial, the parts fitted reconciled with the staged ones, a note and photos). TECHNICIAN only, and only
// orders assigned to his technician record: anyone else's job is 404, whatever its id.
import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Clock } from '../../common/clock.ts';
import { AppError, isAppError } from '../../common/errors.ts';
import { bearer } from '../../common/http/auth.ts';
import { errorSchema } from '../../common/http/error-handler.ts';
import { TECHNICIAN_STEPS, type TechnicianStep } from '../core/field-steps.ts';
import { utcDate, utcDay } from '../core/job-day.ts';
import { checkPhoto, MAX_PHOTOS_PER_JOB, PHOTO_TYPES } from '../core/job-photo.ts';
import type { PrismaJobPhotos, NewPhoto } from '../adapters/job-photos.ts';
import type { TechnicianJobs } from '../adapters/technician-jobs.ts';
import type { OrderDesk } from '../order-desk.ts';
import { CompleteBodySchema, JobSchema, MyJobsSchema, StepBodySchema } from './job-schemas.ts';

const refusals = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema };
const JobParams = Type.Object({ orderId: Type.String({ minLength: 1, maxLength: 100 }) });

export const technicianRoutes: FastifyPluginAsyncTypebox<{
  jobs: TechnicianJobs;
  photos: PrismaJobPhotos;
  desk: OrderDesk;
  clock: Clock;
  photoMaxBytes: number;
}> = async (app, { jobs, photos, desk, clock, photoMaxBytes }) => {
  const technician = app.requireRole('TECHNICIAN');
  const tags = ['technician'];
  await app.register(multipart, {
    limits: { fileSize: photoMaxBytes, files: 4, fields: 0, parts: 4, headerPairs: 50 },
  });

  app.get(
    '/api/me/jobs',
    {
      onRequest: technician,
      schema: {
        tags,
        summary: "The technician's jobs of a day, in the order he works them",
        description:
          'Open jobs due that day (on today also those left over from before) and the jobs completed that day, ' +
          'by ETA; each with the site, where to collect the part and the opening hours there, the staged parts, ' +
          'navigation links and the step he can take now. `date` (UTC, YYYY-MM-DD) defaults to today.',
        security: bearer,
        querystring: Type.Object({
          date: Type.Optional(
            Type.String({
              pattern: '^\\d{4}-\\d{2}-\\d{2}$',
              description: 'YYYY-MM-DD (UTC), from 1970-01-01 to 9999-12-30',
            }),
          ),
        }),
        response: { 200: MyJobsSchema, 400: errorSchema, 401: errorSchema, 403: errorSchema },
      },
    },
    async (req) => {
      const me = await jobs.technicianOf(req.user.sub);
      const today = utcDate(clock.now());
      const date = req.query.date ?? today;
      const day = utcDay(date);
      const [list, next] = await Promise.all([
        jobs.day(me.id, day, date === today),
        jobs.nextAfter(me.id, day.end),
      ]);
      return {
        date,
        technician: { code: me.code, name: me.name },
        jobs: list,
        nextJobAt: next?.toISOString() ?? null,
      };
    },
  );

  app.get(
    '/api/me/jobs/:orderId',
    {
      onRequest: technician,
      schema: {
        tags,
        summary: 'One of his jobs',
        security: bearer,
        params: JobParams,
        response: { 200: JobSchema, ...refusals },
      },
    },
    async (req) => jobs.get((await jobs.technicianOf(req.user.sub)).id, req.params.orderId),
  );

  const step = async (orderId: string, userId: string, email: string, s: TechnicianStep, report = {}) => {
    const me = await jobs.technicianOf(userId);
    await desk.advance(orderId, TECHNICIAN_STEPS[s], { ...report, technicianId: me.id }, email);
    return jobs.get(me.id, orderId);
  };

  for (const [path, summary] of [
    ['en-route', 'Leave for the job (collecting the part on the way)'],
    ['on-site', 'Arrive at the site'],
  ] as const)
    app.post(
      `/api/me/jobs/:orderId/${path}`,
      {
        onRequest: technician,
        // the note is optional, so is the body: a POST without one is the step without a note (Type.Optional on
        // the body schema does not make the validator accept no body: it answered 400 "body must be object")
        preValidation: async (req) => {
          req.body ??= {};
        },
        schema: {
          tags,
          summary,
          description:
            'One step at a time: en route once the part is staged and the job accepted, on site after en route ' +
            '(409 DISPATCH_ILLEGAL_TRANSITION otherwise). 404 for a job that is not his.',
          security: bearer,
          params: JobParams,
          body: Type.Optional(StepBodySchema),
          response: { 200: JobSchema, ...refusals },
        },
      },
      async (req) => step(req.params.orderId, req.user.sub, req.user.email, path, { note: req.body?.note }),
    );

  app.post(
    '/api/me/jobs/:orderId/complete',
    {
      onRequest: technician,
      schema: {
        tags,
        summary: 'Complete the job: removed serial, parts fitted, note',
        description:
          "Needs the removed part's serial (400 without). The parts fitted are reconciled with the staged ones: " +
          'the fitted staged units are used, the rest go back to stock as an UNUSED return, the removed part goes ' +
          'to the repair depot as a DEFECTIVE return; a part fitted that was not staged is recorded and flags ' +
          'the job. Only from on site (409 otherwise). Add photos before, while on site.',
        security: bearer,
        params: JobParams,
        body: CompleteBodySchema,
        response: { 200: JobSchema, ...refusals },
      },
    },
    async (req) =>
      step(req.params.orderId, req.user.sub, req.user.email, 'complete', {
        removedSerial: req.body.removedSerial,
        fitted: req.body.fitted,
        note: req.body.note,
      }),
  );

  app.post(
    '/api/me/jobs/:orderId/photos',
    {
      onRequest: technician,
      schema: {
        tags,
        summary: 'Add photos to the job while on site (multipart/form-data)',
        description:
          `One to four files, each a ${PHOTO_TYPES.join(', ')} image (checked by its content: 415 ` +
          `TECHNICIAN_PHOTO_TYPE otherwise) of at most PHOTO_MAX_BYTES (413 TECHNICIAN_PHOTO_TOO_LARGE); at most ` +
          `${MAX_PHOTOS_PER_JOB} per job (409 TECHNICIAN_PHOTO_LIMIT). Nothing is stored unless all are good.`,
        security: bearer,
        consumes: ['multipart/form-data'],
        params: JobParams,
        response: {
          201: JobSchema,
          ...refusals,
          413: errorSchema,
          415: errorSchema,
        },
      },
    },
    async (req, reply) => {
      const me = await jobs.technicianOf(req.user.sub);
      if (!req.isMultipart())
        throw new AppError('VALIDATION_FAILED', 'send the photos as multipart/form-data');
      const got: NewPhoto[] = [];
      try {
        for await (const part of req.files()) {
          const data = new Uint8Array(await part.toBuffer());
          got.push({ contentType: checkPhoto(part.mimetype, data, photoMaxBytes), data });
        }
      } catch (err) {
        const code = (err as { code?: string }).code;
        if (code === 'FST_REQ_FILE_TOO_LARGE')
          throw new AppError('TECHNICIAN_PHOTO_TOO_LARGE', `a photo is at most ${photoMaxBytes} bytes`);
        if (code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT')
          throw new AppError('VALIDATION_FAILED', 'at most 4 photos per upload');
        if (code === 'FST_FIELDS_LIMIT')
          throw new AppError('VALIDATION_FAILED', 'the upload holds only files');
        if (code === 'FST_INVALID_MULTIPART_CONTENT_TYPE' || code === 'FST_MULTIPART_INVALID_CONTENT_TYPE')
          throw new AppError('VALIDATION_FAILED', 'send the photos as multipart/form-data');
        if (isAppError(err)) throw err;
        // the parser's own errors, without a code: a body cut short, no boundary, no parts
        throw new AppError(
          'VALIDATION_FAILED',
          `the upload is not well-formed multipart/form-data: ${(err as Error).message}`,
        );
      }
      if (got.length === 0) throw new AppError('VALIDATION_FAILED', 'no photo in the upload');
      await photos.add(req.params.orderId, me.id, got, { actor: req.user.email, now: clock.now() });
      return reply.status(201).send(await jobs.get(me.id, req.params.orderId));
    },
  );

  app.get(
    '/api/orders/:orderId/photos/:photoId',
    {
      onRequest: app.requireRole('TECHNICIAN', 'ADMIN', 'DISPATCHER', 'ENGINEER'),
      schema: {
        tags,
        summary: 'A job photo (the image): for the job\u2019s technician and the desk',
        security: bearer,
        params: Type.Object({
          orderId: Type.String({ minLength: 1, maxLength: 100 }),
          photoId: Type.String({ minLength: 1, maxLength: 100 }),
        }),
        response: {
          200: Type.Unknown({ description: 'the image (image/jpeg, image/png or image/webp)' }),
          401: errorSchema,
          403: errorSchema,
          404: errorSchema,
        },
      },
    },
    async (req, reply) => {
      const p = await photos.get(req.params.orderId, req.params.photoId);
      const mine =
        req.user.role !== 'TECHNICIAN' ||
        (p !== null && p.order.technicianId === (await jobs.technicianOf(req.user.sub)).id);
      if (!p || !mine) throw new AppError('NOT_FOUND', 'no such photo');
      return reply
        .type(p.contentType)
        .header('cache-control', 'private, max-age=3600')
        .header('x-content-type-options', 'nosniff')
        .send(Buffer.from(p.data));
    },
  );
};
