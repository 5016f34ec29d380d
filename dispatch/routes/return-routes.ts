// Return authorizations (reverse logistics): the list, the printable return document, receipt at the
// destination and the repair depot's finding, which marks the prediction behind the order confirmed or refuted.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { AppError } from '../../common/errors.ts';
import { bearer } from '../../common/http/auth.ts';
import { errorSchema } from '../../common/http/error-handler.ts';
import type { ReturnStore } from '../adapters/return-store.ts';
import { renderReturnDocument } from '../core/return-document.ts';
import type { OrderDesk } from '../order-desk.ts';
import { documentRoute } from './document-route.ts';
import { FindingSchema, IdParams, refusals, ReturnSchema } from './schemas.ts';

export const returnRoutes: FastifyPluginAsyncTypebox<{ desk: OrderDesk; returns: ReturnStore }> = async (
  app,
  { desk, returns },
) => {
  const staff = app.requireRole('ADMIN', 'DISPATCHER', 'ENGINEER');
  const dispatcher = app.requireRole('ADMIN', 'DISPATCHER');
  const tags = ['returns'];
  const read = { 401: errorSchema, 403: errorSchema, 404: errorSchema };

  app.get(
    '/api/returns',
    {
      onRequest: staff,
      schema: {
        tags,
        summary: 'Return authorizations, newest first',
        security: bearer,
        querystring: Type.Object({
          open: Type.Optional(Type.Boolean({ description: 'true: not closed yet; false: closed' })),
          orderId: Type.Optional(Type.String()),
          limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
        }),
        response: { 200: Type.Array(ReturnSchema), ...read },
      },
    },
    async (req) => returns.list(req.query),
  );

  app.get(
    '/api/returns/:id',
    {
      onRequest: staff,
      schema: {
        tags,
        summary: 'One return authorization',
        security: bearer,
        params: IdParams,
        response: { 200: ReturnSchema, ...read },
      },
    },
    async (req) => {
      const r = await returns.get(req.params.id);
      if (!r) throw new AppError('NOT_FOUND', 'no such return');
      return r;
    },
  );

  documentRoute(app, {
    url: '/api/returns/:id/document',
    tags,
    summary: 'The printable return document (HTML): part, serial, from, to, reason, RMA number and barcode',
    onRequest: staff,
    render: async (id) => {
      const doc = await returns.document(id);
      return doc ? renderReturnDocument(doc) : null;
    },
    notFound: 'no such return',
  });

  app.post(
    '/api/returns/:id/receive',
    {
      onRequest: dispatcher,
      schema: {
        tags,
        summary: 'Book a returned part in at its destination',
        description:
          'An unused part goes back into stock there and the return closes; a defective part waits at the ' +
          'repair depot for its finding. 409 DISPATCH_ILLEGAL_TRANSITION when already received.',
        security: bearer,
        params: IdParams,
        response: { 200: ReturnSchema, ...refusals },
      },
    },
    async (req) => desk.receiveReturn(req.params.id, req.user.email),
  );

  app.post(
    '/api/returns/:id/finding',
    {
      onRequest: staff,
      schema: {
        tags,
        summary: "Record the repair depot's finding on a defective part",
        description:
          'FAILURE_CONFIRMED marks the prediction that raised the order CONFIRMED, NO_FAULT_FOUND marks it ' +
          'REFUTED (GET /api/predictions shows it against the model version), and closes the return. Once only.',
        security: bearer,
        params: IdParams,
        body: Type.Object({
          finding: FindingSchema,
          note: Type.Optional(Type.String({ maxLength: 1000 })),
        }),
        response: { 200: ReturnSchema, ...refusals },
      },
    },
    async (req) => desk.recordFinding(req.params.id, req.body, req.user.email),
  );
};
