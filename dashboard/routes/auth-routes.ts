import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Db } from '../../common/db.ts';
import { AppError } from '../../common/errors.ts';
import type { PlatformBus } from '../../common/events.ts';
import { verifyPassword } from '../../common/password.ts';
import { errorSchema } from '../http/error-handler.ts';
import { bearer } from '../http/auth.ts';
import type { Accounts } from '../core/session.ts';

const Me = Type.Object({
  id: Type.String(),
  email: Type.String(),
  role: Type.String(),
  tenantId: Type.Union([Type.String(), Type.Null()]),
});
// A hash of a random password: a login for an unknown e-mail costs as much as one for a known e-mail.
const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

export const authRoutes: FastifyPluginAsyncTypebox<{ db: Db; accounts: Accounts; bus: PlatformBus }> = async (
  app,
  { db, accounts, bus },
) => {
  app.post(
    '/api/auth/login',
    {
      config: { rateLimit: { max: 10, timeWindow: '1 minute' } },
      schema: {
        tags: ['auth'],
        summary: 'Log in; returns a bearer token for the API and the live channel',
        body: Type.Object({
          email: Type.String({ minLength: 3, maxLength: 254 }),
          password: Type.String({ minLength: 1, maxLength: 200 }),
        }),
        response: {
          200: Type.Object({ token: Type.String(), user: Me }),
          401: errorSchema,
          429: errorSchema,
        },
      },
    },
    async (req) => {
      const user = await db.user.findUnique({ where: { email: req.body.email.toLowerCase() } });
      const ok = await verifyPassword(req.body.password, user?.passwordHash ?? DUMMY_HASH);
      if (!user || !ok) {
        req.log.info({ email: req.body.email }, 'login refused');
        throw new AppError('AUTH_INVALID_CREDENTIALS', 'wrong e-mail or password');
      }
      const principal = {
        sub: user.id,
        email: user.email,
        role: user.role,
        tenantId: user.tenantId,
        ver: user.tokenVersion,
      };
      return {
        token: app.jwt.sign(principal),
        user: { id: user.id, email: user.email, role: user.role, tenantId: user.tenantId },
      };
    },
  );

  app.get(
    '/api/auth/me',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['auth'],
        summary: 'Who the token belongs to',
        security: bearer,
        response: { 200: Me },
      },
    },
    async (req) => ({
      id: req.user.sub,
      email: req.user.email,
      role: req.user.role,
      tenantId: req.user.tenantId,
    }),
  );

  app.post(
    '/api/auth/logout',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['auth'],
        summary: "Log out: revokes every token of the caller's account and closes its live connections",
        description:
          'Every token issued to the account so far is refused from now on (401 AUTH_TOKEN_REVOKED), on every ' +
          'device; live (socket.io) connections opened with them are closed at once.',
        security: bearer,
        response: { 204: Type.Null(), 401: errorSchema },
      },
    },
    async (req, reply) => {
      await accounts.revoke(req.user.sub);
      bus.emit('auth.revoked', { userId: req.user.sub, reason: 'logout' });
      req.log.info({ user: req.user.sub }, 'logged out: tokens revoked');
      return reply.status(204).send(null);
    },
  );
};
