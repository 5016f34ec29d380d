// Administration as a fastify plugin, for the platform administrator: the read-only lists (tenants, users,
// technicians), tenants with their sites and service contracts, user accounts, and the audit log. Rules in core/
// (tenant-admin, contract-admin, user-admin), PostgreSQL with the audit entry in the same transaction in adapters/.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { PlatformDeps } from '../common/deps.ts';
import { PrismaContractAdmin } from './adapters/contract-admin.ts';
import { PrismaTenantAdmin } from './adapters/tenant-admin.ts';
import { PrismaUserAdmin } from './adapters/prisma-user-admin.ts';
import { adminRoutes } from './routes/admin-routes.ts';
import { contractAdminRoutes } from './routes/contract-admin-routes.ts';
import { tenantAdminRoutes } from './routes/tenant-admin-routes.ts';
import { userAdminRoutes } from './routes/user-admin-routes.ts';

export const adminPlugin: FastifyPluginAsyncTypebox<{ deps: PlatformDeps }> = async (app, { deps }) => {
  await app.register(adminRoutes, { db: deps.db });
  await app.register(userAdminRoutes, { admin: new PrismaUserAdmin(deps.db), bus: deps.bus });
  await app.register(tenantAdminRoutes, { admin: new PrismaTenantAdmin(deps.db) });
  await app.register(contractAdminRoutes, { admin: new PrismaContractAdmin(deps.db) });
};
