// Service history (issue 17): GET /api/assets/{id}/history and GET /api/service-history, the completed and
// cancelled jobs with what was done, parts fitted, technician and times; filtered by close date and status.
// Customers see their own tenant's only (another tenant's asset is a 404), without the desk's people.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Db } from '../../common/db.ts';
import { AppError } from '../../common/errors.ts';
import { canSeeTenant, isStaff, tenantScope, type Principal } from '../../common/http/access.ts';
import { bearer } from '../../common/http/auth.ts';
import { errorSchema } from '../../common/http/error-handler.ts';
import type { ServiceHistory } from '../adapters/service-history.ts';
import {
  CLOSED_STATUSES,
  historyEntryForCustomer,
  parseHistoryFilter,
  type ServiceHistoryEntry,
} from '../core/service-history.ts';

const N = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const oneStatus = `(?:${CLOSED_STATUSES.join('|')})`;

export const ServiceHistoryEntrySchema = Type.Object({
  orderId: Type.String(),
  number: Type.Integer(),
  tenantId: Type.String(),
  assetId: Type.String(),
  assetName: Type.String(),
  failureMode: Type.String(),
  status: Type.String(),
  work: Type.String(),
  cancelReason: N(Type.String()),
  partsFitted: Type.Array(Type.Object({ sku: Type.String(), name: Type.String(), qty: Type.Integer() })),
  technician: N(Type.String()),
  raisedAt: Type.String(),
  acceptedAt: N(Type.String()),
  onSiteAt: N(Type.String()),
  closedAt: N(Type.String()),
  acceptedBy: N(Type.String()),
});

const HistoryQuery = Type.Object({
  from: Type.Optional(
    Type.String({ maxLength: 40, description: 'closed at or after (an ISO 8601 date or time)' }),
  ),
  to: Type.Optional(
    Type.String({ maxLength: 40, description: 'closed at or before (an ISO 8601 date or time)' }),
  ),
  status: Type.Optional(
    Type.String({
      pattern: `^${oneStatus}(?:,${oneStatus})?$`,
      maxLength: 40,
      description: 'COMPLETED, CANCELLED or both, comma-separated (default both)',
    }),
  ),
  limit: Type.Integer({ minimum: 1, maximum: 1000, default: 200 }),
});

const response = {
  200: Type.Array(ServiceHistoryEntrySchema),
  400: errorSchema,
  401: errorSchema,
  404: errorSchema,
};

export const serviceHistoryRoutes: FastifyPluginAsyncTypebox<{ db: Db; history: ServiceHistory }> = async (
  app,
  { db, history },
) => {
  const filterOf = (q: { from?: string; to?: string; status?: string }) => {
    const f = parseHistoryFilter(q);
    if (!f.ok) throw new AppError('VALIDATION_FAILED', f.message);
    return f.filter;
  };
  const shown = (viewer: Principal, rows: ServiceHistoryEntry[]) =>
    isStaff(viewer) ? rows : rows.map(historyEntryForCustomer);

  app.get(
    '/api/assets/:id/history',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['dispatch'],
        summary: "An asset's service history: its completed and cancelled jobs, newest first",
        security: bearer,
        params: Type.Object({ id: Type.String({ maxLength: 100 }) }),
        querystring: HistoryQuery,
        response,
      },
    },
    async (req) => {
      const filter = filterOf(req.query);
      const asset = await db.asset.findUnique({ where: { id: req.params.id }, select: { tenantId: true } });
      if (!asset || !canSeeTenant(req.user, asset.tenantId)) throw new AppError('NOT_FOUND', 'no such asset');
      return shown(
        req.user,
        await history.list({ ...filter, assetId: req.params.id, limit: req.query.limit }),
      );
    },
  );

  app.get(
    '/api/service-history',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['dispatch'],
        summary: 'The service history of the organisation (a customer: their own tenant), newest first',
        security: bearer,
        querystring: HistoryQuery,
        response: { 200: response[200], 400: errorSchema, 401: errorSchema },
      },
    },
    async (req) => {
      const filter = filterOf(req.query);
      return shown(
        req.user,
        await history.list({ ...filter, tenantId: tenantScope(req.user), limit: req.query.limit }),
      );
    },
  );
};
