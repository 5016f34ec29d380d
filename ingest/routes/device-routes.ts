// Device secrets for administrators: rotate (a new secret, shown once) and revoke. The old secret stops working
// on the embedded broker within seconds and its open connection is closed (ingest/adapters/device-authority.ts);
// for Mosquitto, regenerate its files (`npm run mosquitto:auth`) and reload it (docs/operations.md). Each change
// goes to the audit log.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Db } from '../../common/db.ts';
import { AppError } from '../../common/errors.ts';
import { canSeeTenant, type Principal } from '../../common/http/access.ts';
import { bearer } from '../../common/http/auth.ts';
import { errorSchema } from '../../common/http/error-handler.ts';
import { deviceState, PrismaDeviceCredentials } from '../adapters/device-credentials.ts';
import { writeAudit } from '../../common/audit-log.ts';

const Params = Type.Object({ id: Type.String({ minLength: 1, maxLength: 128 }) });

export const IssuedSecretSchema = Type.Object({
  assetId: Type.String(),
  username: Type.String({
    description: "the device's MQTT username; its client id is this (or `<username>-…`)",
  }),
  secret: Type.String({ description: 'the new device secret: shown this once, only its hashes are kept' }),
});

export const RevokedSchema = Type.Object({
  assetId: Type.String(),
  username: Type.String(),
  revoked: Type.Literal(true),
});

export const deviceRoutes: FastifyPluginAsyncTypebox<{ db: Db }> = async (app, { db }) => {
  const credentials = new PrismaDeviceCredentials(db);
  const guard = app.requireRole('ADMIN');
  const visibleAsset = async (id: string, user: Principal) => {
    const asset = await db.asset.findUnique({
      where: { id },
      select: {
        id: true,
        tenantId: true,
        name: true,
        serial: true,
        device: { select: { secretHash: true } },
      },
    });
    if (!asset || !canSeeTenant(user, asset.tenantId)) throw new AppError('NOT_FOUND', `no asset ${id}`);
    return asset;
  };
  const audit = (
    user: Principal,
    asset: Awaited<ReturnType<typeof visibleAsset>>,
    action: string,
    after: string,
  ) =>
    writeAudit(
      db,
      { id: user.sub, email: user.email },
      {
        action,
        target: { id: asset.id, label: `${asset.name} (${asset.serial})` },
        before: { device: deviceState(asset.device) },
        after: { device: after },
      },
    );

  app.post(
    '/api/assets/:id/device/rotate',
    {
      onRequest: guard,
      schema: {
        tags: ['devices'],
        summary: "Issue the asset's device a new MQTT secret; the old one stops working within seconds",
        security: bearer,
        params: Params,
        response: {
          200: IssuedSecretSchema,
          401: errorSchema,
          403: errorSchema,
          404: errorSchema,
          409: errorSchema,
        },
      },
    },
    async (req, reply) => {
      const asset = await visibleAsset(req.params.id, req.user);
      const issued = await credentials.rotate(asset.id);
      await audit(req.user, asset, 'device.rotate', 'active');
      req.log.info({ assetId: asset.id, by: req.user.email }, 'device secret rotated');
      void reply.header('cache-control', 'no-store');
      return issued;
    },
  );

  app.post(
    '/api/assets/:id/device/revoke',
    {
      onRequest: guard,
      schema: {
        tags: ['devices'],
        summary:
          "Revoke the asset's device secret: it is disconnected within seconds and cannot connect again",
        security: bearer,
        params: Params,
        response: { 200: RevokedSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema },
      },
    },
    async (req) => {
      const asset = await visibleAsset(req.params.id, req.user);
      const revoked = await credentials.revoke(asset.id);
      await audit(req.user, asset, 'device.revoke', 'revoked');
      req.log.info({ assetId: asset.id, by: req.user.email }, 'device secret revoked');
      return { ...revoked, revoked: true as const };
    },
  );
};
