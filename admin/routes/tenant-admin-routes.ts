// Administration of tenants and their sites (issue 17), for the platform administrator (ADMIN) only: the role
// model has no tenant administrator (a CUSTOMER account is a tenant's user and reads its own data), see
// docs/adr/0019-tenant-and-site-administration.md. Create and rename tenants; list, create, edit and remove a
// tenant's sites (name, postal address, coordinates). Each change is in the audit log with before/after
// (GET /api/admin/audit). A site is addressed under its tenant: another tenant's site is a 404.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { AppError } from '../../common/errors.ts';
import { auditActor } from '../../common/audit-log.ts';
import { bearer } from '../../common/http/auth.ts';
import { errorSchema } from '../../common/http/error-handler.ts';
import { cleanAddress, cleanText, SLUG_PATTERN } from '../core/tenant-admin.ts';
import type { PrismaTenantAdmin } from '../adapters/tenant-admin.ts';

const N = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

const TenantSchema = Type.Object({
  id: Type.String(),
  slug: Type.String(),
  name: Type.String(),
  createdAt: Type.String(),
});

const SiteSchema = Type.Object({
  id: Type.String(),
  tenantId: Type.String(),
  name: Type.String(),
  address: N(Type.String()),
  lat: Type.Number(),
  lon: Type.Number(),
  assets: Type.Integer({ description: 'assets installed there (decommissioned ones included)' }),
});

const Name = Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' });
const Address = N(Type.String({ maxLength: 500, description: 'the postal address; null or empty: none' }));
const Lat = Type.Number({ minimum: -90, maximum: 90 });
const Lon = Type.Number({ minimum: -180, maximum: 180 });

const TenantParams = Type.Object({ tenantId: Type.String({ minLength: 1, maxLength: 100 }) });
const SiteParams = Type.Object({
  tenantId: Type.String({ minLength: 1, maxLength: 100 }),
  siteId: Type.String({ minLength: 1, maxLength: 100 }),
});
const refusals = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema };

export const tenantAdminRoutes: FastifyPluginAsyncTypebox<{ admin: PrismaTenantAdmin }> = async (
  app,
  { admin },
) => {
  const guard = app.requireRole('ADMIN');
  const tags = ['admin'];

  app.post(
    '/api/admin/tenants',
    {
      onRequest: guard,
      schema: {
        tags,
        summary: 'Create a tenant (a customer organisation)',
        description: `The slug (${SLUG_PATTERN}) is fixed once created; 409 ADMIN_SLUG_TAKEN when it is in use.`,
        security: bearer,
        body: Type.Object(
          { slug: Type.String({ pattern: SLUG_PATTERN, maxLength: 40 }), name: Name },
          { additionalProperties: false },
        ),
        response: { 201: TenantSchema, ...refusals },
      },
    },
    async (req, reply) =>
      reply.status(201).send(
        await admin.createTenant(auditActor(req.user), {
          slug: req.body.slug,
          name: cleanText(req.body.name),
        }),
      ),
  );

  app.patch(
    '/api/admin/tenants/:tenantId',
    {
      onRequest: guard,
      schema: {
        tags,
        summary: 'Rename a tenant (its slug stays)',
        security: bearer,
        params: TenantParams,
        body: Type.Object({ name: Name }, { additionalProperties: false }),
        response: { 200: TenantSchema, ...refusals },
      },
    },
    async (req) => admin.renameTenant(auditActor(req.user), req.params.tenantId, cleanText(req.body.name)),
  );

  app.get(
    '/api/admin/tenants/:tenantId/sites',
    {
      onRequest: guard,
      schema: {
        tags,
        summary: "A tenant's sites with their address, coordinates and number of assets",
        security: bearer,
        params: TenantParams,
        response: { 200: Type.Array(SiteSchema), ...refusals },
      },
    },
    async (req) => admin.sites(req.params.tenantId),
  );

  app.post(
    '/api/admin/tenants/:tenantId/sites',
    {
      onRequest: guard,
      schema: {
        tags,
        summary: 'Create a site of the tenant',
        description: 'Names are unique within a tenant, whatever their case (409 ADMIN_SITE_NAME_TAKEN).',
        security: bearer,
        params: TenantParams,
        body: Type.Object(
          { name: Name, address: Type.Optional(Address), lat: Lat, lon: Lon },
          { additionalProperties: false },
        ),
        response: { 201: SiteSchema, ...refusals },
      },
    },
    async (req, reply) => {
      const { name, address, lat, lon } = req.body;
      const row = await admin.createSite(auditActor(req.user), req.params.tenantId, {
        name: cleanText(name),
        address: cleanAddress(address) ?? null,
        lat,
        lon,
      });
      return reply.status(201).send(row);
    },
  );

  app.patch(
    '/api/admin/tenants/:tenantId/sites/:siteId',
    {
      onRequest: guard,
      schema: {
        tags,
        summary: 'Edit a site: any of name, address, coordinates',
        security: bearer,
        params: SiteParams,
        body: Type.Object(
          {
            name: Type.Optional(Name),
            address: Type.Optional(Address),
            lat: Type.Optional(Lat),
            lon: Type.Optional(Lon),
          },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: SiteSchema, ...refusals },
      },
    },
    async (req) => {
      const b = req.body;
      if ((b.lat === undefined) !== (b.lon === undefined))
        throw new AppError('VALIDATION_FAILED', 'move a site with both lat and lon');
      return admin.updateSite(auditActor(req.user), req.params.tenantId, req.params.siteId, {
        ...(b.name !== undefined ? { name: cleanText(b.name) } : {}),
        ...(b.address !== undefined ? { address: cleanAddress(b.address) } : {}),
        ...(b.lat !== undefined && b.lon !== undefined ? { lat: b.lat, lon: b.lon } : {}),
      });
    },
  );

  app.delete(
    '/api/admin/tenants/:tenantId/sites/:siteId',
    {
      onRequest: guard,
      schema: {
        tags,
        summary: 'Remove a site without assets',
        description:
          'A site with assets, decommissioned ones included (their history stays there), is kept: 409 ADMIN_SITE_IN_USE.',
        security: bearer,
        params: SiteParams,
        response: { 204: Type.Null(), ...refusals },
      },
    },
    async (req, reply) => {
      await admin.removeSite(auditActor(req.user), req.params.tenantId, req.params.siteId);
      return reply.status(204).send(null);
    },
  );
};
