// Fleet histories (issue 16): CSV files of a tenant's fleet (telemetry, events, failures, maintenance, assets)
// uploaded as the request body, streamed to disk and imported by a worker (a job: 202, then poll it); the
// tenant's histories listed. Staff only (engineers and admins import); every history belongs to one tenant.
import type { FastifyPluginAsyncTypebox, TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyError } from 'fastify';
import type { Db } from '../../common/db.ts';
import { AppError } from '../../common/errors.ts';
import { canSeeTenant } from '../../common/http/access.ts';
import { bearer } from '../../common/http/auth.ts';
import { errorSchema } from '../../common/http/error-handler.ts';
import type { ColumnFlags } from '../core/fleet-import.ts';
import { maintenanceHistory } from '../core/maintenance-history.ts';
import { formatMib, type ImportRefusal } from '../core/history-import.ts';
import type { FleetImports } from '../fleet-imports.ts';
import { ImportRefused } from '../history-imports.ts';
import { IdParams, read, write } from './schemas.ts';

const REFUSAL_STATUS: Record<ImportRefusal, number> = {
  PREDICT_IMPORT_TOO_LARGE: 413,
  PREDICT_IMPORT_BUSY: 429,
  PREDICT_IMPORT_STALLED: 408,
};
const refused = { 408: errorSchema, 413: errorSchema, 429: errorSchema };
const N = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Kind = Type.Union([
  Type.Literal('telemetry'),
  Type.Literal('events'),
  Type.Literal('failures'),
  Type.Literal('maintenance'),
  Type.Literal('assets'),
]);
const Col = Type.Optional(Type.String({ minLength: 1, maxLength: 128 }));
const BadRowSchema = Type.Object({ line: Type.Integer(), reason: Type.String() });

const UploadQuery = Type.Object({
  tenant: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$', description: "the tenant's slug" }),
  name: Type.String({
    minLength: 1,
    maxLength: 100,
    description: 'the history (created, or this kind of file in it replaced)',
  }),
  kind: Kind,
  timeCol: Col,
  assetCol: Col,
  codeCol: Col,
  modeCol: Col,
  componentCol: Col,
  metricCol: Col,
  valueCol: Col,
});

export const FleetImportJobSchema = Type.Object({
  id: Type.String(),
  status: Type.Union([
    Type.Literal('queued'),
    Type.Literal('importing'),
    Type.Literal('done'),
    Type.Literal('failed'),
  ]),
  tenant: Type.String(),
  name: Type.String(),
  kind: Kind,
  createdBy: Type.String(),
  createdAt: Type.String(),
  finishedAt: N(Type.String()),
  progress: Type.Object({ bytesDone: Type.Integer(), bytesTotal: Type.Integer(), rows: Type.Integer() }),
  report: N(
    Type.Object({
      historyId: Type.String(),
      kind: Kind,
      columns: Type.String(),
      rows: Type.Integer(),
      points: Type.Integer(),
      bad: Type.Integer(),
      badRows: Type.Array(BadRowSchema),
    }),
  ),
  error: N(
    Type.Object({
      code: Type.String(),
      message: Type.String(),
      bad: Type.Integer(),
      badRows: Type.Array(BadRowSchema),
    }),
  ),
});

const FleetHistorySchema = Type.Object({
  id: Type.String(),
  tenant: Type.String(),
  name: Type.String(),
  importedBy: Type.String(),
  updatedAt: Type.String(),
  counts: Type.Record(
    Type.String(),
    Type.Object({ rows: Type.Integer(), points: Type.Integer(), bad: Type.Integer() }),
  ),
});

const MaintenanceEntrySchema = Type.Object({
  at: Type.String(),
  source: Type.Union([Type.Literal('order'), Type.Literal('import')]),
  component: Type.String(),
  part: Type.Optional(Type.Object({ sku: Type.String(), name: Type.String(), qty: Type.Integer() })),
  orderNumber: Type.Optional(Type.Integer()),
  failureMode: Type.Optional(Type.String()),
  history: Type.Optional(Type.String()),
});

export const fleetHistoryRoutes: FastifyPluginAsyncTypebox<{ db: Db; imports: FleetImports }> = async (
  app,
  { db, imports },
) => {
  const staff = app.requireRole('ADMIN', 'ENGINEER', 'DISPATCHER');
  const engineer = app.requireRole('ADMIN', 'ENGINEER');
  const tags = ['histories'];
  const tenantBySlug = async (slug: string) => {
    const t = await db.tenant.findUnique({ where: { slug }, select: { id: true, slug: true } });
    if (!t) throw new AppError('NOT_FOUND', `no tenant "${slug}"`);
    return t;
  };

  app.setErrorHandler((err: FastifyError, _req, reply) => {
    if (err instanceof ImportRefused) {
      // a stalled upload's connection is closed after the answer: the rest of its body is not waited for
      if (err.code === 'PREDICT_IMPORT_STALLED') void reply.header('connection', 'close');
      return reply.status(REFUSAL_STATUS[err.code]).send({ code: err.code, message: err.message });
    }
    throw err;
  });

  app.get(
    '/api/fleet-histories',
    {
      onRequest: staff,
      schema: {
        tags,
        summary: "A tenant's imported fleet histories, with rows and bad rows per file kind",
        security: bearer,
        querystring: Type.Object({ tenant: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }) }),
        response: { 200: Type.Array(FleetHistorySchema), ...read },
      },
    },
    async (req) => {
      const t = await tenantBySlug(req.query.tenant);
      const rows = await db.fleetHistory.findMany({
        where: { tenantId: t.id },
        orderBy: { updatedAt: 'desc' },
      });
      return rows.map((h) => ({
        id: h.id,
        tenant: t.slug,
        name: h.name,
        importedBy: h.importedBy,
        updatedAt: h.updatedAt.toISOString(),
        counts: h.counts as Record<string, { rows: number; points: number; bad: number }>,
      }));
    },
  );

  await app.register(async (context) => {
    const upload = context.withTypeProvider<TypeBoxTypeProvider>();
    upload.removeAllContentTypeParsers();
    upload.addContentTypeParser(
      ['text/csv', 'text/plain', 'application/octet-stream'],
      (_req, _payload, done) => done(null),
    );
    upload.post(
      '/api/fleet-histories/upload',
      {
        onRequest: engineer,
        schema: {
          tags,
          summary: `Import one CSV file of a tenant's fleet history, sent as the request body (text/csv, text/plain or application/octet-stream, up to ${formatMib(imports.limits.maxUploadBytes)}), streamed: an import job, 202 with its Location. Columns by the *Col parameters or detected. Bad rows are counted and reported with their line; past 1% bad rows (or a missing column, or a line longer than 1 MiB) the file imports nothing. An upload that sends nothing for ${imports.limits.uploadIdleMs / 1000} s is cut: 408 PREDICT_IMPORT_STALLED.`,
          security: bearer,
          querystring: UploadQuery,
          headers: Type.Object({
            'content-type': Type.String({ description: 'text/csv, text/plain or application/octet-stream' }),
          }),
          response: { 202: FleetImportJobSchema, ...write, ...refused },
        },
      },
      async (req, reply) => {
        const q = req.query;
        const t = await tenantBySlug(q.tenant);
        const flags: ColumnFlags = {};
        const map = {
          timeCol: 'time',
          assetCol: 'asset',
          codeCol: 'code',
          modeCol: 'mode',
          componentCol: 'component',
          metricCol: 'metric',
          valueCol: 'value',
        } as const;
        for (const [k, f] of Object.entries(map)) {
          const v = q[k as keyof typeof map];
          if (v !== undefined) flags[f] = v;
        }
        const declared = req.headers['content-length'];
        const job = await imports.fromStream(
          { tenantId: t.id, tenant: t.slug, name: q.name, kind: q.kind, flags },
          req.raw,
          req.user.email,
          declared === undefined ? undefined : Number(declared),
        );
        return reply.status(202).header('location', `/api/fleet-histories/jobs/${job.id}`).send(job);
      },
    );
  });

  app.get(
    '/api/fleet-histories/jobs/:id',
    {
      onRequest: staff,
      schema: {
        tags,
        summary:
          'A fleet history import job: status, progress, the report (rows, bad rows with lines) or the error',
        security: bearer,
        params: IdParams,
        response: { 200: FleetImportJobSchema, ...read },
      },
    },
    async (req) => {
      const job = imports.get(req.params.id);
      if (!job)
        throw new AppError('NOT_FOUND', 'no such import job (jobs are kept in memory until a restart)');
      return job;
    },
  );

  app.get(
    '/api/assets/:id/maintenance',
    {
      onRequest: app.authenticate,
      schema: {
        tags,
        summary:
          "An asset's maintenance history, newest first: its completed service orders (the failure mode's part replaced) and the maintenance records imported for it (fleet histories of its tenant naming it by id, serial or name)",
        security: bearer,
        params: Type.Object({ id: Type.String({ maxLength: 128 }) }),
        response: { 200: Type.Array(MaintenanceEntrySchema), 401: errorSchema, 404: errorSchema },
      },
    },
    async (req) => {
      const asset = await db.asset.findUnique({
        where: { id: req.params.id },
        select: { id: true, tenantId: true, serial: true, name: true },
      });
      if (!asset || !canSeeTenant(req.user, asset.tenantId)) throw new AppError('NOT_FOUND', 'no such asset');
      const orders = await db.serviceOrder.findMany({
        where: { assetId: asset.id, tenantId: asset.tenantId, status: 'COMPLETED' },
        select: {
          number: true,
          closedAt: true,
          updatedAt: true,
          failureMode: { select: { key: true, partQty: true, part: { select: { sku: true, name: true } } } },
        },
        take: 1000,
      });
      const imported = await db.fleetHistoryRecord.findMany({
        where: {
          kind: 'maintenance',
          asset: { in: [asset.id, asset.serial, asset.name] },
          history: { tenantId: asset.tenantId },
        },
        select: { ts: true, key: true, history: { select: { name: true } } },
        orderBy: { ts: 'desc' },
        take: 1000,
      });
      return maintenanceHistory(
        orders.map((o) => ({
          number: o.number,
          closedAt: o.closedAt ?? o.updatedAt,
          failureMode: o.failureMode.key,
          part: o.failureMode.part,
          qty: o.failureMode.partQty,
        })),
        imported.map((m) => ({ ts: m.ts, key: m.key, history: m.history.name })),
      ).map((e) => ({ ...e, at: e.at.toISOString() }));
    },
  );
};
