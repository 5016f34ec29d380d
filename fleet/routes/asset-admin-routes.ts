// Devices administration for administrators: register an asset and its device (the secret is returned once),
// decommission an asset, the device list and the catalog the registration form picks from. Rotating and
// revoking a device's secret are ingest/routes/device-routes.ts. Every change is in the audit log.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Clock } from '../../common/clock.ts';
import { bearer } from '../../common/http/auth.ts';
import { errorSchema } from '../../common/http/error-handler.ts';
import type { PrismaAssetAdmin } from '../adapters/asset-admin.ts';

const Id = Type.String({ minLength: 1, maxLength: 100 });
const refusals = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema };
const N = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

const RegisteredSchema = Type.Object({
  assetId: Type.String(),
  username: Type.String({
    description: "the device's MQTT username (its client id is this or `<username>-…`)",
  }),
  secret: Type.String({ description: 'the device secret: shown this once, only its hashes are kept' }),
});

const DeviceRowSchema = Type.Object({
  assetId: Type.String(),
  name: Type.String(),
  serial: Type.String(),
  tenantId: Type.String(),
  tenant: Type.String(),
  site: Type.String(),
  equipmentModel: Type.String(),
  online: Type.Boolean(),
  lastSeenAt: N(Type.String()),
  decommissionedAt: N(Type.String()),
  device: Type.Union([Type.Literal('none'), Type.Literal('active'), Type.Literal('revoked')]),
  username: N(Type.String()),
  deviceCreatedAt: N(Type.String()),
});

const CatalogSchema = Type.Object({
  tenants: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      sites: Type.Array(Type.Object({ id: Type.String(), name: Type.String() })),
      contracts: Type.Array(
        Type.Object({
          id: Type.String(),
          name: Type.String(),
          tier: Type.String(),
          endsAt: N(Type.String({ description: 'the end of its coverage (exclusive); null: open-ended' })),
        }),
      ),
    }),
  ),
  equipmentModels: Type.Array(Type.Object({ key: Type.String(), name: Type.String() })),
});

export const assetAdminRoutes: FastifyPluginAsyncTypebox<{ admin: PrismaAssetAdmin; clock: Clock }> = async (
  app,
  { admin, clock },
) => {
  const guard = app.requireRole('ADMIN');
  const tags = ['devices'];
  const actor = (u: { sub: string; email: string }) => ({ id: u.sub, email: u.email });

  app.post(
    '/api/assets',
    {
      onRequest: guard,
      schema: {
        tags,
        summary: 'Register an asset and its device; the device secret is returned this once',
        description:
          'The site and the contract must be the tenant’s (400), the serial new (409 ASSET_SERIAL_TAKEN). The ' +
          'device may connect at once on the embedded broker; on Mosquitto after `npm run mosquitto:auth` and ' +
          'a reload (docs/operations.md). Written to the audit log (without the secret).',
        security: bearer,
        body: Type.Object(
          {
            tenantId: Id,
            siteId: Id,
            equipmentModel: Type.String({ minLength: 1, maxLength: 100, description: 'equipment model key' }),
            contractId: Id,
            serial: Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9._/-]+$' }),
            name: Type.String({ minLength: 1, maxLength: 200 }),
          },
          { additionalProperties: false },
        ),
        response: { 201: RegisteredSchema, ...refusals },
      },
    },
    async (req, reply) => {
      const issued = await admin.register(actor(req.user), { ...req.body, name: req.body.name.trim() });
      req.log.info({ assetId: issued.assetId, by: req.user.email }, 'asset registered');
      return reply.status(201).header('cache-control', 'no-store').send(issued);
    },
  );

  app.post(
    '/api/assets/:id/decommission',
    {
      onRequest: guard,
      schema: {
        tags,
        summary: 'Decommission an asset: its history stays, its device is revoked, it stops counting',
        description:
          'Its device secret stops working (the embedded broker disconnects it within seconds; Mosquitto after ' +
          'its files are regenerated and reloaded); it leaves the asset list, availability, ingest and planning; ' +
          'its telemetry, orders and history stay. 409 ASSET_HAS_OPEN_ORDERS while it has open orders, 409 ' +
          'ASSET_DECOMMISSIONED the second time. Written to the audit log.',
        security: bearer,
        params: Type.Object({ id: Id }),
        response: {
          200: Type.Object({ assetId: Type.String(), decommissionedAt: Type.String() }),
          ...refusals,
        },
      },
    },
    async (req) => {
      const r = await admin.decommission(actor(req.user), req.params.id, clock.now());
      req.log.info({ assetId: req.params.id, by: req.user.email }, 'asset decommissioned');
      return { assetId: req.params.id, decommissionedAt: r.decommissionedAt.toISOString() };
    },
  );

  app.get(
    '/api/admin/devices',
    {
      onRequest: guard,
      schema: {
        tags,
        summary: 'Every asset with its device: active, revoked or none; decommissioned ones too',
        security: bearer,
        response: { 200: Type.Array(DeviceRowSchema), 401: errorSchema, 403: errorSchema },
      },
    },
    async () =>
      (await admin.devices()).map((d) => ({
        ...d,
        lastSeenAt: d.lastSeenAt?.toISOString() ?? null,
        decommissionedAt: d.decommissionedAt?.toISOString() ?? null,
        deviceCreatedAt: d.deviceCreatedAt?.toISOString() ?? null,
      })),
  );

  app.get(
    '/api/admin/asset-catalog',
    {
      onRequest: guard,
      schema: {
        tags,
        summary: 'Tenants with their sites and contracts, and the equipment models: what a registration uses',
        security: bearer,
        response: { 200: CatalogSchema, 401: errorSchema, 403: errorSchema },
      },
    },
    async () => admin.catalog(),
  );
};
