// Bearer tokens (JWT, expiring, revocable) for the API and socket.io. `app.authenticate` and `requireRole`
// guard routes; `app.checkToken` is the one check both use: signature and expiry, then the account as it is now
// (one primary-key lookup), so a logout, a deleted account or a changed role takes effect at once
// (docs/adr/0006-token-revocation.md).
import fp from 'fastify-plugin';
import jwt from '@fastify/jwt';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';
import type { Principal, Role } from './access.ts';
import { checkSession, type Accounts, type TokenClaims } from './session.ts';

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: Principal & { ver: number };
    user: TokenClaims;
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    authenticate: (req: FastifyRequest, reply: FastifyReply) => Promise<void>;
    requireRole: (...roles: Role[]) => (req: FastifyRequest, reply: FastifyReply) => Promise<void>;
    /** The claims of a valid, unexpired and unrevoked token; throws an AppError with an AUTH_ code otherwise. */
    checkToken: (token: string) => Promise<TokenClaims>;
  }
}

function verifyError(err: unknown): AppError {
  const code = (err as { code?: unknown }).code;
  return code === 'FAST_JWT_EXPIRED'
    ? new AppError('AUTH_TOKEN_EXPIRED', 'the token has expired: log in again')
    : new AppError('AUTH_TOKEN_MISSING', 'invalid token');
}

export const authPlugin = fp<{ secret: string; ttlMinutes: number; accounts: Accounts }>(
  async (app, opts) => {
    await app.register(jwt, { secret: opts.secret, sign: { expiresIn: `${opts.ttlMinutes}m` } });

    app.decorate('checkToken', async (token: string) => {
      let claims: TokenClaims;
      try {
        claims = app.jwt.verify<TokenClaims>(token);
      } catch (err) {
        throw verifyError(err);
      }
      if (typeof claims.sub !== 'string') throw new AppError('AUTH_TOKEN_MISSING', 'invalid token');
      const verdict = checkSession(claims, await opts.accounts.state(claims.sub), new Date());
      if (!verdict.ok) throw new AppError(verdict.code, verdict.reason);
      return claims;
    });

    app.decorate('authenticate', async (req: FastifyRequest) => {
      const header = req.headers.authorization;
      if (!header) throw new AppError('AUTH_TOKEN_MISSING', 'missing Authorization: Bearer <token>');
      const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
      if (!m) throw new AppError('AUTH_TOKEN_MISSING', 'expected Authorization: Bearer <token>');
      req.user = await app.checkToken(m[1]!);
    });
    app.decorate('requireRole', (...roles: Role[]) => async (req: FastifyRequest, reply: FastifyReply) => {
      await app.authenticate(req, reply);
      if (!roles.includes(req.user.role))
        throw new AppError('AUTH_FORBIDDEN', `this needs one of the roles ${roles.join(', ')}`);
    });
  },
);

export const bearer = [{ bearerAuth: [] }];
