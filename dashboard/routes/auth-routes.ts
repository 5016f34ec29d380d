import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Db } from '../../common/db.ts';
import { AppError } from '../../common/errors.ts';
import { verifyPassword } from '../../common/password.ts';
import { errorSchema } from '../http/error-handler.ts';
import { bearer } from '../http/auth.ts';

const Me = Type.Object({
  id: Type.String(),
  email: Type.String(),
  role: Type.String(),
  tenantId: Type.Union([Type.String(), Type.Null()]),
});
// A hash of a random password: a login for an unknown e-mail costs as much as one for a known e-mail.
const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

export const authRoutes: FastifyPluginAsyncTypebox<{ db: Db }> = async (app, { db }) => {
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
      const principal = { sub: user.id, email: user.email, role: user.role, tenantId: user.tenantId };
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
};
