// Read-only lists for administrators: tenants, users and technicians. (Assets and stock locations come from
// GET /api/assets and GET /api/network.)
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Db } from '../../common/db.ts';
import { bearer } from '../../common/http/auth.ts';
import { errorSchema } from '../../common/http/error-handler.ts';

const CLOSED = ['COMPLETED', 'CANCELLED'] as const;
const openOrders = { where: { status: { notIn: [...CLOSED] } } };
const refused = { 401: errorSchema, 403: errorSchema };

const Tenant = Type.Object({
  id: Type.String(),
  slug: Type.String(),
  name: Type.String(),
  createdAt: Type.String(),
  sites: Type.Integer(),
  assets: Type.Integer(),
  users: Type.Integer(),
  openOrders: Type.Integer(),
});

const User = Type.Object({
  id: Type.String(),
  email: Type.String(),
  name: Type.String(),
  role: Type.String(),
  tenantId: Type.Union([Type.String(), Type.Null()]),
  tenant: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  disabled: Type.Boolean(),
});

const Technician = Type.Object({
  code: Type.String(),
  name: Type.String(),
  skills: Type.Array(Type.String()),
  shiftStartUtc: Type.String(),
  shiftEndUtc: Type.String(),
  lat: Type.Number(),
  lon: Type.Number(),
  availableFrom: Type.String(),
  openOrders: Type.Integer(),
});

export const adminRoutes: FastifyPluginAsyncTypebox<{ db: Db }> = async (app, { db }) => {
  const guard = app.requireRole('ADMIN');

  app.get(
    '/api/admin/tenants',
    {
      onRequest: guard,
      schema: {
        tags: ['admin'],
        summary: 'Tenants with their numbers of sites, assets, users and open orders',
        security: bearer,
        response: { 200: Type.Array(Tenant), ...refused },
      },
    },
    async () => {
      const rows = await db.tenant.findMany({
        include: { _count: { select: { sites: true, assets: true, users: true, orders: openOrders } } },
        orderBy: { name: 'asc' },
      });
      return rows.map((t) => ({
        id: t.id,
        slug: t.slug,
        name: t.name,
        createdAt: t.createdAt.toISOString(),
        sites: t._count.sites,
        assets: t._count.assets,
        users: t._count.users,
        openOrders: t._count.orders,
      }));
    },
  );

  app.get(
    '/api/admin/users',
    {
      onRequest: guard,
      schema: {
        tags: ['admin'],
        summary: 'User accounts (without credentials)',
        security: bearer,
        response: { 200: Type.Array(User), ...refused },
      },
    },
    async () => {
      const rows = await db.user.findMany({
        select: {
          id: true,
          email: true,
          name: true,
          role: true,
          tenantId: true,
          createdAt: true,
          disabledAt: true,
          tenant: { select: { name: true } },
        },
        orderBy: [{ role: 'asc' }, { email: 'asc' }],
      });
      return rows.map((u) => ({
        id: u.id,
        email: u.email,
        name: u.name,
        role: u.role,
        tenantId: u.tenantId,
        tenant: u.tenant?.name ?? null,
        createdAt: u.createdAt.toISOString(),
        disabled: u.disabledAt !== null,
      }));
    },
  );

  app.get(
    '/api/admin/technicians',
    {
      onRequest: guard,
      schema: {
        tags: ['admin'],
        summary: 'Technicians with skills, shift (UTC), position and open orders',
        security: bearer,
        response: { 200: Type.Array(Technician), ...refused },
      },
    },
    async () => {
      const rows = await db.technician.findMany({
        include: { _count: { select: { orders: openOrders } } },
        orderBy: { code: 'asc' },
      });
      return rows.map((t) => ({
        code: t.code,
        name: t.name,
        skills: t.skills,
        shiftStartUtc: t.shiftStartUtc,
        shiftEndUtc: t.shiftEndUtc,
        lat: t.lat,
        lon: t.lon,
        availableFrom: t.availableFrom.toISOString(),
        openOrders: t._count.orders,
      }));
    },
  );
};
