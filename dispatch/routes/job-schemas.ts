// TypeBox schemas of the technician's API (GET /api/me/jobs and the field steps; OpenAPI at /docs).
import { Type } from '@sinclair/typebox';
import { MAX_FITTED_QTY } from '../core/fitted-parts.ts';
import { TECHNICIAN_STEPS } from '../core/field-steps.ts';
import { photoFields } from './job-report-schema.ts';
import { stockLocationFields } from './schemas.ts';

const N = <T extends Parameters<typeof Type.Union>[0][number]>(t: T, o?: { description: string }) =>
  Type.Union([t, Type.Null()], o);

const Link = Type.Object({
  geo: Type.String({ description: 'geo: URI for the phone\u2019s map app' }),
  osm: Type.String({ description: 'OpenStreetMap directions from where the technician is (or the pickup)' }),
});

export const JobSchema = Type.Object({
  orderId: Type.String(),
  number: Type.Integer(),
  status: Type.String(),
  nextStep: N(Type.String(), {
    description: `the step he can take now: one of ${Object.keys(TECHNICIAN_STEPS).join(', ')} (null: none)`,
  }),
  waitingFor: N(Type.String(), { description: 'why there is no step yet, e.g. the part is on its way' }),
  etaAt: N(Type.String(), { description: 'when the plan has him on site' }),
  partsReadyAt: N(Type.String(), { description: 'when the part is ready for collection' }),
  expectedFailureAt: Type.String(),
  slaTier: Type.String(),
  failureMode: Type.String(),
  customer: Type.String(),
  asset: Type.Object({ id: Type.String(), name: Type.String(), serial: Type.String() }),
  site: Type.Object({ name: Type.String(), lat: Type.Number(), lon: Type.Number() }),
  pickup: N(
    Type.Object({
      ...stockLocationFields,
      hours: Type.String({ description: 'opening hours, e.g. "07:00–18:00 UTC" or "open around the clock"' }),
    }),
    { description: 'where to collect the part' },
  ),
  parts: Type.Array(
    Type.Object({
      sku: Type.String(),
      name: Type.String(),
      qty: Type.Integer(),
      at: Type.String({ description: 'code of the location holding it' }),
      status: Type.String({ description: 'HELD (reserved for the job) or CONSUMED (used by it)' }),
    }),
    { description: 'the parts staged for the job' },
  ),
  navigation: Type.Object({ pickup: N(Link), site: Link }),
  report: N(
    Type.Object({
      removedSerial: Type.String(),
      note: N(Type.String()),
      flagged: Type.Boolean({ description: 'a part was fitted that was not staged' }),
      reportedAt: Type.String(),
      fitted: Type.Array(
        Type.Object({ sku: Type.String(), name: Type.String(), qty: Type.Integer(), staged: Type.Integer() }),
      ),
    }),
  ),
  photos: Type.Array(Type.Object(photoFields)),
});

export const MyJobsSchema = Type.Object({
  date: Type.String({ description: 'the day (UTC), YYYY-MM-DD' }),
  technician: Type.Object({ code: Type.String(), name: Type.String() }),
  jobs: Type.Array(JobSchema, { description: 'in the order he works them (by ETA)' }),
  nextJobAt: N(Type.String(), { description: 'ETA of his next open job after this day, if any' }),
});

export const StepBodySchema = Type.Object(
  { note: Type.Optional(Type.String({ maxLength: 500 })) },
  { additionalProperties: false },
);

export const CompleteBodySchema = Type.Object(
  {
    removedSerial: Type.String({
      minLength: 1,
      maxLength: 100,
      description: 'serial number of the removed part, as read off it (required)',
    }),
    fitted: Type.Array(
      Type.Object(
        {
          sku: Type.String({ minLength: 1, maxLength: 60 }),
          qty: Type.Integer({ minimum: 0, maximum: MAX_FITTED_QTY }),
        },
        { additionalProperties: false },
      ),
      {
        maxItems: 20,
        description:
          'the parts fitted: staged parts not listed or fitted fewer go back to stock (an UNUSED return); a part ' +
          'not staged (or more than staged) is recorded and flags the job for the desk',
      },
    ),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);
