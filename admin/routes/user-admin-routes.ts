// Administration of user accounts (issue 17), ADMIN only: create, disable and enable, reset a password, change
// a role. Each change is written to the audit log in the same transaction (who, what, when, before/after, never a
// password hash; GET /api/admin/audit). Disabling, a reset password and a change of role revoke the account's
// tokens at once (its tokenVersion is bumped and `auth.revoked` closes its live connections).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { PlatformBus } from '../../common/events.ts';
import { AppError } from '../../common/errors.ts';
import { hashPassword } from '../../common/password.ts';
import type { Role } from '../../common/http/access.ts';
import { ownAccountProblem, roleTenantProblem, ROLES, type Refusal } from '../core/user-admin.ts';
import type { AdminUserRow, PrismaUserAdmin } from '../adapters/prisma-user-admin.ts';
import { auditActor } from '../../common/audit-log.ts';
import { bearer } from '../../common/http/auth.ts';
import { errorSchema } from '../../common/http/error-handler.ts';

const N = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const RoleSchema = Type.Union(ROLES.map((r) => Type.Literal(r)));

const AdminUser = Type.Object({
  id: Type.String(),
  email: Type.String(),
  name: Type.String(),
  role: Type.String(),
  tenantId: N(Type.String()),
  tenant: N(Type.String()),
  technician: N(Type.String({ description: "a TECHNICIAN account's technician code" })),
  disabled: Type.Boolean(),
  disabledAt: N(Type.String()),
  createdAt: Type.String(),
});

const AuditSchema = Type.Object({
  id: Type.String(),
  at: Type.String(),
  action: Type.String({
    description:
      'user.create, user.disable, user.enable, user.password, user.role; tenant.create, tenant.rename; ' +
      'site.create, site.update, site.delete; asset.register, asset.decommission; device.*',
  }),
  actorId: Type.String(),
  actor: Type.String({ description: "the administrator's e-mail" }),
  targetId: Type.String(),
  target: Type.String({ description: "what was changed: an account's e-mail, a tenant's or a site's name" }),
  before: N(Type.Record(Type.String(), Type.Unknown())),
  after: N(Type.Record(Type.String(), Type.Unknown())),
});

const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });
const refusals = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema };

const view = (u: AdminUserRow) => ({
  id: u.id,
  email: u.email,
  name: u.name,
  role: u.role,
  tenantId: u.tenantId,
  tenant: u.tenant?.name ?? null,
  technician: u.technician?.code ?? null,
  disabled: u.disabledAt !== null,
  disabledAt: u.disabledAt?.toISOString() ?? null,
  createdAt: u.createdAt.toISOString(),
});

const refuse = (r: Refusal | undefined) => {
  if (r) throw new AppError(r.code, r.message);
};

export const userAdminRoutes: FastifyPluginAsyncTypebox<{
  admin: PrismaUserAdmin;
  bus: PlatformBus;
}> = async (app, { admin, bus }) => {
  const guard = app.requireRole('ADMIN');
  const tags = ['admin'];
  const checkTenant = async (role: Role, tenantId: string | null, technician: string | null = null) => {
    refuse(roleTenantProblem(role, tenantId, technician));
    if (tenantId && !(await admin.tenantExists(tenantId)))
      throw new AppError('ADMIN_INVALID_ACCOUNT', `no tenant ${tenantId}`);
  };
  const revoked = (userId: string) => bus.emit('auth.revoked', { userId, reason: 'account-changed' });

  app.post(
    '/api/admin/users',
    {
      onRequest: guard,
      schema: {
        tags,
        summary: 'Create an account',
        description:
          'A CUSTOMER needs the tenantId of an existing tenant; staff have none; a TECHNICIAN needs `technician`, ' +
          'the code of a technician without an account (he then sees only his own jobs). 409 when the e-mail is taken.',
        security: bearer,
        body: Type.Object(
          {
            email: Type.String({ minLength: 3, maxLength: 254, pattern: '^[^@\\s]+@[^@\\s]+$' }),
            name: Type.String({ minLength: 1, maxLength: 200 }),
            role: RoleSchema,
            tenantId: Type.Optional(N(Type.String({ maxLength: 100 }))),
            technician: Type.Optional(
              N(
                Type.String({
                  maxLength: 40,
                  description: 'TECHNICIAN only: the technician code, e.g. T-03',
                }),
              ),
            ),
            password: Type.String({ minLength: 8, maxLength: 200 }),
          },
          { additionalProperties: false },
        ),
        response: { 201: AdminUser, ...refusals },
      },
    },
    async (req, reply) => {
      const { email, name, role, password } = req.body;
      const tenantId = req.body.tenantId ?? null;
      const technician = req.body.technician ?? null;
      await checkTenant(role, tenantId, technician);
      const row = await admin.create(auditActor(req.user), {
        email: email.toLowerCase(),
        name,
        role,
        tenantId,
        technicianId: technician ? await admin.technicianFor(technician) : null,
        passwordHash: await hashPassword(password),
      });
      return reply.status(201).send(view(row));
    },
  );

  for (const [path, disable] of [
    ['disable', true],
    ['enable', false],
  ] as const)
    app.post(
      `/api/admin/users/:id/${path}`,
      {
        onRequest: guard,
        schema: {
          tags,
          summary: disable
            ? 'Disable an account: it cannot log in, and its tokens and live connections end at once'
            : 'Enable a disabled account (it logs in again)',
          security: bearer,
          params: IdParams,
          response: { 200: AdminUser, ...refusals },
        },
      },
      async (req) => {
        if (disable) refuse(ownAccountProblem(req.user.sub, req.params.id, 'disable'));
        const row = await admin.change(
          auditActor(req.user),
          req.params.id,
          disable ? 'user.disable' : 'user.enable',
          { disabledAt: disable ? new Date() : null },
          { revoke: disable },
        );
        if (disable) revoked(row.id);
        return view(row);
      },
    );

  app.post(
    '/api/admin/users/:id/password',
    {
      onRequest: guard,
      schema: {
        tags,
        summary: "Reset an account's password: its tokens and live connections end at once",
        description: 'The audit log records that the password was reset, never the password or its hash.',
        security: bearer,
        params: IdParams,
        body: Type.Object(
          { password: Type.String({ minLength: 8, maxLength: 200 }) },
          { additionalProperties: false },
        ),
        response: { 200: AdminUser, ...refusals },
      },
    },
    async (req) => {
      const row = await admin.change(
        auditActor(req.user),
        req.params.id,
        'user.password',
        { passwordHash: await hashPassword(req.body.password) },
        { revoke: true, note: { passwordReset: true } },
      );
      revoked(row.id);
      return view(row);
    },
  );

  app.post(
    '/api/admin/users/:id/role',
    {
      onRequest: guard,
      schema: {
        tags,
        summary: "Change an account's role (and tenant): its tokens and live connections end at once",
        description:
          'CUSTOMER needs a tenantId; staff roles take none; TECHNICIAN needs `technician` (a code). An ' +
          'administrator cannot demote themselves.',
        security: bearer,
        params: IdParams,
        body: Type.Object(
          {
            role: RoleSchema,
            tenantId: Type.Optional(N(Type.String({ maxLength: 100 }))),
            technician: Type.Optional(
              N(
                Type.String({
                  maxLength: 40,
                  description: 'TECHNICIAN only: the technician code, e.g. T-03',
                }),
              ),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: AdminUser, ...refusals },
      },
    },
    async (req) => {
      const tenantId = req.body.tenantId ?? null;
      const technician = req.body.technician ?? null;
      refuse(ownAccountProblem(req.user.sub, req.params.id, 'role', req.body.role));
      await checkTenant(req.body.role, tenantId, technician);
      const technicianId = technician ? await admin.technicianFor(technician, req.params.id) : null;
      const row = await admin.change(
        auditActor(req.user),
        req.params.id,
        'user.role',
        {
          role: req.body.role,
          tenant: tenantId ? { connect: { id: tenantId } } : { disconnect: true },
          technician: technicianId ? { connect: { id: technicianId } } : { disconnect: true },
        },
        { revoke: true },
      );
      revoked(row.id);
      return view(row);
    },
  );

  app.get(
    '/api/admin/audit',
    {
      onRequest: guard,
      schema: {
        tags,
        summary: 'The audit log of administrative changes (accounts, tenants, sites, assets), newest first',
        description:
          'Page back with `before` (the id of the oldest entry seen); `targetId` narrows to one account.',
        security: bearer,
        querystring: Type.Object({
          limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
          targetId: Type.Optional(Type.String({ maxLength: 100 })),
          before: Type.Optional(Type.String({ pattern: '^[0-9]{1,18}$' })),
        }),
        response: { 200: Type.Array(AuditSchema), 400: errorSchema, 401: errorSchema, 403: errorSchema },
      },
    },
    async (req) =>
      admin.audit({
        limit: req.query.limit,
        targetId: req.query.targetId,
        before: req.query.before === undefined ? undefined : BigInt(req.query.before),
      }),
  );
};
