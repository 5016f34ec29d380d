// GET /api/meta: the platform's shared constants for the browser (dashboard/public/meta.js), from their one
// server definition (dashboard/core/platform-meta.ts). The same for every caller and every request until the
// next deploy, so it carries a strong ETag and answers 304 to a matching If-None-Match.
import { createHash } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { bearer } from '../../common/http/auth.ts';
import { errorSchema } from '../../common/http/error-handler.ts';
import { platformMeta } from '../core/platform-meta.ts';

const Names = Type.Array(Type.String());
const Meta = Type.Object({
  orderStatuses: Type.Object({
    all: Names,
    open: Type.Array(Type.String(), { description: 'the statuses of an order still to be done' }),
    closed: Names,
  }),
  modelKinds: Type.Array(
    Type.Object({
      kind: Type.String(),
      metricField: Type.String({ description: 'the parameter that names the metric(s) the model reads' }),
      metricList: Type.Boolean({ description: 'whether that parameter is a list of metric names' }),
      defaults: Type.Record(Type.String(), Type.Unknown(), {
        description: "every other parameter at a new model's starting value",
      }),
    }),
  ),
  roles: Type.Object({ all: Names, staff: Names }),
  slaTiers: Names,
});

export const metaRoute: FastifyPluginAsyncTypebox = async (app) => {
  const body = platformMeta();
  const etag = `"${createHash('sha256').update(JSON.stringify(body)).digest('base64url').slice(0, 27)}"`;
  app.get(
    '/api/meta',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['meta'],
        summary:
          'The shared constants the dashboard uses: order statuses (open and closed), model kinds with their starting parameters, roles, SLA tiers',
        description: 'Cacheable: send the ETag back in If-None-Match for a 304 while nothing changed.',
        security: bearer,
        response: {
          200: Meta,
          304: Type.Null({ description: 'unchanged since the ETag given' }),
          401: errorSchema,
        },
      },
    },
    async (req, reply) => {
      reply.header('etag', etag).header('cache-control', 'private, no-cache');
      const match = req.headers['if-none-match'];
      if (match && match.split(',').some((t) => t.trim().replace(/^W\//, '') === etag))
        return reply.code(304).send(null);
      return body;
    },
  );
};
