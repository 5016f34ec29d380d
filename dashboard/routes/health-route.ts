import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { HealthRegistry } from '../../common/health.ts';

const Component = Type.Object({
  status: Type.Union([Type.Literal('up'), Type.Literal('degraded'), Type.Literal('down')]),
  detail: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
});

export const healthRoute: FastifyPluginAsyncTypebox<{ health: HealthRegistry }> = async (app, { health }) => {
  app.get(
    '/api/health',
    {
      schema: {
        tags: ['platform'],
        summary: 'Status of every component (database, telemetry store, broker, ingest, predict, dispatch)',
        response: {
          200: Type.Object({ status: Type.String(), components: Type.Record(Type.String(), Component) }),
          503: Type.Object({ status: Type.String(), components: Type.Record(Type.String(), Component) }),
        },
      },
    },
    async (_req, reply) => {
      const report = await health.report();
      return reply.status(report.status === 'down' ? 503 : 200).send(report);
    },
  );
};
