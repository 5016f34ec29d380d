// Ingest as a fastify plugin: the MQTT pipeline starts with the server and its dead letters are browsable.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { PlatformDeps } from '../common/deps.ts';
import { AppError } from '../common/errors.ts';
import { canSeeTenant } from '../common/http/access.ts';
import { bearer } from '../common/http/auth.ts';
import { errorSchema } from '../common/http/error-handler.ts';
import { PrismaAssetDirectory } from './adapters/asset-directory.ts';
import { PrismaConnectivityStore } from './adapters/connectivity-store.ts';
import path from 'node:path';
import { FileJournal } from './adapters/file-journal.ts';
import { PrismaEventStore } from './adapters/event-store.ts';
import { PrismaRejectStore } from './adapters/reject-store.ts';
import { IngestService, type IngestedAnnouncer } from './ingest-service.ts';
import { deviceRoutes } from './routes/device-routes.ts';
import { deadLetterHealth } from './core/dead-letter-health.ts';
import { startDeadLetterRetention } from './dead-letter-retention.ts';

export const RejectSchema = Type.Object({
  id: Type.String(),
  receivedAt: Type.String({ format: 'date-time' }),
  topic: Type.String(),
  reason: Type.String(),
  detail: Type.String(),
  raw: Type.String({ description: 'base64 of the first bytes of the payload' }),
  rawBytes: Type.Integer(),
});

export const AssetEventSchema = Type.Object({
  assetId: Type.String(),
  ts: Type.String({ format: 'date-time' }),
  code: Type.String(),
  severity: Type.String(),
});

/**
 * `routes: false` for a worker that serves no API (no auth): only the pipeline and its health. A worker passes
 * `announcer`: what it stores is announced to the platform instead of going on `deps.bus`.
 */
export const ingestPlugin: FastifyPluginAsyncTypebox<{
  deps: PlatformDeps;
  routes?: boolean;
  announcer?: IngestedAnnouncer;
}> = async (app, { deps, routes = true, announcer }) => {
  const log = deps.log.child({ module: 'ingest' });
  const directory = new PrismaAssetDirectory(deps.db);
  const rejects = new PrismaRejectStore(deps.db);
  const events = new PrismaEventStore(deps.db);
  const journalDir = path.join(
    deps.config.dataDir,
    'ingest-journal',
    deps.config.mqttClientId.replace(/[^A-Za-z0-9_.-]/g, '_'),
  );
  const journal = new FileJournal({
    dir: journalDir,
    onCorrupt: (segment, offset) =>
      log.warn({ journalDir, segment, offset }, 'skipped an unreadable journal record'),
  });
  const service = new IngestService({
    mqttUrl: deps.mqtt.url,
    username: deps.mqtt.username,
    password: deps.mqtt.password,
    clientId: deps.config.mqttClientId,
    shareGroup: deps.config.ingestShareGroup || undefined,
    store: deps.store,
    journal,
    journalMaxBytes: deps.config.ingestJournalMaxMb * 1024 * 1024,
    storeTimeoutMs: deps.config.storeTimeoutMs,
    stallMs: deps.config.ingestStallSeconds * 1000,
    directory,
    rejects,
    events,
    connectivity: new PrismaConnectivityStore(deps.db),
    bus: deps.bus,
    announcer,
    clock: deps.clock,
    log,
    deadLettersPerDevicePerMinute: deps.config.deadLettersPerDevicePerMinute,
  });
  deps.health.register('ingest', () => service.health());
  deps.health.register('dead-letters', async () =>
    deadLetterHealth(await rejects.lastMinute(), deps.config.deadLettersPerMinute),
  );

  let retention: { stop(): void } | undefined;
  app.addHook('onReady', async () => {
    await directory.refresh();
    await service.start();
    retention = startDeadLetterRetention({
      rejects,
      clock: deps.clock,
      log,
      retentionDays: deps.config.deadLetterRetentionDays,
      everyMs: deps.config.deadLetterSweepSeconds * 1000,
    });
  });
  app.addHook('onClose', async () => {
    retention?.stop();
    await service.stop();
  });
  if (!routes) return;
  await app.register(deviceRoutes, { db: deps.db });

  app.get(
    '/api/ingest/rejects',
    {
      onRequest: app.requireRole('ADMIN', 'DISPATCHER', 'ENGINEER'),
      schema: {
        tags: ['ingest'],
        summary: 'Dead letters: messages ingest refused, newest first, with all-time counts per reason',
        security: bearer,
        querystring: Type.Object({
          limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
          reason: Type.Optional(Type.String()),
        }),
        response: {
          200: Type.Object({
            counts: Type.Record(Type.String(), Type.Integer()),
            items: Type.Array(RejectSchema),
          }),
        },
      },
    },
    async (req) => {
      const items = await rejects.list({ limit: req.query.limit, reason: req.query.reason });
      const counts = await rejects.counts();
      return { counts, items: items.map((i) => ({ ...i, receivedAt: i.receivedAt.toISOString() })) };
    },
  );

  app.get(
    '/api/assets/:id/events',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['ingest'],
        summary:
          "An asset's equipment error codes (sent on t/{tenant}/a/{asset}/events), newest first; a customer sees only their own tenant's assets",
        security: bearer,
        params: Type.Object({ id: Type.String({ maxLength: 128 }) }),
        querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }) }),
        response: {
          200: Type.Array(AssetEventSchema),
          401: errorSchema,
          404: errorSchema,
        },
      },
    },
    async (req) => {
      const asset = await deps.db.asset.findUnique({
        where: { id: req.params.id },
        select: { tenantId: true },
      });
      if (!asset || !canSeeTenant(req.user, asset.tenantId)) throw new AppError('NOT_FOUND', 'no such asset');
      const rows = await events.list({
        tenantId: asset.tenantId,
        assetId: req.params.id,
        limit: req.query.limit,
      });
      return rows.map((e) => ({ ...e, ts: e.ts.toISOString() }));
    },
  );
};
