// Ingest as a fastify plugin: the MQTT pipeline starts with the server and its dead letters are browsable.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { PlatformDeps } from '../common/deps.ts';
import { bearer } from '../dashboard/http/auth.ts';
import { PrismaAssetDirectory } from './adapters/asset-directory.ts';
import { PrismaConnectivityStore } from './adapters/connectivity-store.ts';
import { PrismaRejectStore } from './adapters/reject-store.ts';
import { IngestService } from './ingest-service.ts';

export const RejectSchema = Type.Object({
  id: Type.String(),
  receivedAt: Type.String({ format: 'date-time' }),
  topic: Type.String(),
  reason: Type.String(),
  detail: Type.String(),
  raw: Type.String({ description: 'base64 of the first bytes of the payload' }),
  rawBytes: Type.Integer(),
});

export const ingestPlugin: FastifyPluginAsyncTypebox<{ deps: PlatformDeps; shareGroup?: string }> = async (app, { deps, shareGroup }) => {
  const log = deps.log.child({ module: 'ingest' });
  const directory = new PrismaAssetDirectory(deps.db);
  const rejects = new PrismaRejectStore(deps.db);
  const service = new IngestService({
    mqttUrl: deps.mqtt.url,
    username: deps.mqtt.username,
    password: deps.mqtt.password,
    clientId: deps.config.mqttClientId,
    shareGroup,
    store: deps.store,
    directory,
    rejects,
    connectivity: new PrismaConnectivityStore(deps.db),
    bus: deps.bus,
    clock: deps.clock,
    log,
  });
  deps.health.register('ingest', () => service.health());

  app.addHook('onReady', async () => {
    await directory.refresh();
    await service.start();
  });
  app.addHook('onClose', async () => service.stop());

  app.get(
    '/api/ingest/rejects',
    {
      onRequest: app.requireRole('ADMIN', 'DISPATCHER', 'ENGINEER'),
      schema: {
        tags: ['ingest'],
        summary: 'Dead letters: messages ingest refused, newest first, with counts per reason',
        security: bearer,
        querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }), reason: Type.Optional(Type.String()) }),
        response: { 200: Type.Object({ counts: Type.Record(Type.String(), Type.Integer()), items: Type.Array(RejectSchema) }) },
      },
    },
    async (req) => {
      const items = await rejects.list({ limit: req.query.limit, reason: req.query.reason });
      const counts = (service.health().detail?.rejected ?? {}) as Record<string, number>;
      return { counts, items: items.map((i) => ({ ...i, receivedAt: i.receivedAt.toISOString() })) };
    },
  );
};
