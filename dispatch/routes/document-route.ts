// One printable HTML document route (a return, a return to vendor, a stock transfer): GET <url> with the record's
// id, staff only, 404 with the given message when there is no such record. The page is rendered by a pure core.
import type { FastifyInstance, onRequestHookHandler } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { AppError } from '../../common/errors.ts';
import { bearer } from '../../common/http/auth.ts';
import { errorSchema } from '../../common/http/error-handler.ts';
import { IdParams } from './schemas.ts';

export interface DocumentRoute {
  url: string;
  tags: string[];
  summary: string;
  onRequest: onRequestHookHandler;
  /** The document's HTML, or null when there is no such record. */
  render: (id: string) => Promise<string | null>;
  notFound: string;
}

export function documentRoute(app: FastifyInstance, d: DocumentRoute): void {
  app.withTypeProvider<TypeBoxTypeProvider>().get(
    d.url,
    {
      onRequest: d.onRequest,
      schema: {
        tags: d.tags,
        summary: d.summary,
        security: bearer,
        params: IdParams,
        produces: ['text/html'],
        response: {
          200: { description: 'HTML page to print', content: { 'text/html': { schema: Type.String() } } },
          401: errorSchema,
          403: errorSchema,
          404: errorSchema,
        },
      },
    },
    async (req, reply) => {
      const html = await d.render(req.params.id);
      if (html === null) throw new AppError('NOT_FOUND', d.notFound);
      return reply.type('text/html; charset=utf-8').send(html);
    },
  );
}
