// Login, who the token belongs to, logout and password change: the bearer tokens that every module's routes and
// the live channel check (auth.ts) are issued and revoked here, next to the rest of the shared auth plumbing.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Db } from '../db.ts';
import { AppError } from '../errors.ts';
import type { PlatformBus } from '../events.ts';
import { hashPassword, verifyPassword } from '../password.ts';
import { errorSchema } from './error-handler.ts';
import { bearer } from './auth.ts';
import type { Role } from './access.ts';
import type { Accounts } from './session.ts';

const Me = Type.Object({
  id: Type.String(),
  email: Type.String(),
  role: Type.String(),
  tenantId: Type.Union([Type.String(), Type.Null()]),
});
// A hash of a random password: a login for an unknown e-mail costs as much as one for a known e-mail.
const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';
const limited = { rateLimit: { max: 10, timeWindow: '1 minute' } };
/** Guesses at one account from one client address, per minute. */
const LOGINS_PER_ACCOUNT = 10;

export const authRoutes: FastifyPluginAsyncTypebox<{
  db: Db;
  accounts: Accounts;
  bus: PlatformBus;
  /** Logins per minute from one client address, all accounts together. */
  loginLimitPerIp: number;
}> = async (app, { db, accounts, bus, loginLimitPerIp }) => {
  // Logins are limited twice: per client address over all accounts (a wide budget: a shift of technicians behind one
  // NAT signs in at the same minute) and per account from that address (a guesser's budget), counted once the body
  // is read and valid.
  // (the plugin runs one limiter per request, so the second is checked by hand)
  const accountLimit = app.createRateLimit({
    max: LOGINS_PER_ACCOUNT,
    timeWindow: '1 minute',
    keyGenerator: (req) => `${req.ip}\n${(req.body as { email: string }).email.toLowerCase()}`,
  });
  const perAccount = async (req: FastifyRequest, reply: FastifyReply) => {
    const limit = await accountLimit(req);
    if (limit.isAllowed || !limit.isExceeded) return;
    void reply.header('retry-after', limit.ttlInSeconds);
    throw new AppError(
      'RATE_LIMITED',
      `too many logins to this account from your address: retry in ${limit.ttlInSeconds} s`,
    );
  };
  const tokenOf = (u: {
    id: string;
    email: string;
    role: Role;
    tenantId: string | null;
    tokenVersion: number;
  }) => app.jwt.sign({ sub: u.id, email: u.email, role: u.role, tenantId: u.tenantId, ver: u.tokenVersion });

  app.post(
    '/api/auth/login',
    {
      config: { rateLimit: { max: loginLimitPerIp, timeWindow: '1 minute' } },
      preHandler: perAccount,
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
      if (user.disabledAt) {
        req.log.info({ user: user.id }, 'login refused: account disabled');
        throw new AppError('AUTH_INVALID_CREDENTIALS', 'the account is disabled');
      }
      return {
        token: tokenOf(user),
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

  app.post(
    '/api/auth/password',
    {
      onRequest: app.authenticate,
      config: limited,
      schema: {
        tags: ['auth'],
        summary: 'Change your password: every token of the account is revoked, and a new one is returned',
        description:
          'Needs the current password (401 AUTH_INVALID_CREDENTIALS otherwise). Every token issued before, on ' +
          'every device, is refused from now on and their live connections are closed.',
        security: bearer,
        body: Type.Object({
          currentPassword: Type.String({ minLength: 1, maxLength: 200 }),
          newPassword: Type.String({ minLength: 8, maxLength: 200 }),
        }),
        response: {
          200: Type.Object({ token: Type.String() }),
          400: errorSchema,
          401: errorSchema,
          429: errorSchema,
        },
      },
    },
    async (req) => {
      const user = await db.user.findUnique({ where: { id: req.user.sub } });
      if (!user || !(await verifyPassword(req.body.currentPassword, user.passwordHash))) {
        req.log.info({ user: req.user.sub }, 'password change refused: wrong current password');
        throw new AppError('AUTH_INVALID_CREDENTIALS', 'the current password is wrong');
      }
      const updated = await db.user.update({
        where: { id: user.id },
        data: { passwordHash: await hashPassword(req.body.newPassword), tokenVersion: { increment: 1 } },
      });
      bus.emit('auth.revoked', { userId: user.id, reason: 'account-changed' });
      req.log.info({ user: user.id }, 'password changed: tokens revoked');
      return { token: tokenOf(updated) };
    },
  );
};
