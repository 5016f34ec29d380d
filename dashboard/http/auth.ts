// Bearer tokens (JWT, expiring) for the API and socket.io. `app.authenticate` and `requireRole` guard routes.
import fp from 'fastify-plugin';
import jwt from '@fastify/jwt';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../common/errors.ts';
import type { Principal, Role } from '../core/access.ts';

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: Principal;
    user: Principal;
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    authenticate: (req: FastifyRequest, reply: FastifyReply) => Promise<void>;
    requireRole: (...roles: Role[]) => (req: FastifyRequest, reply: FastifyReply) => Promise<void>;
    verifyToken: (token: string) => Principal;
  }
}

export const authPlugin = fp<{ secret: string; ttlMinutes: number }>(async (app, opts) => {
  await app.register(jwt, { secret: opts.secret, sign: { expiresIn: `${opts.ttlMinutes}m` } });
  app.decorate('authenticate', async (req: FastifyRequest) => {
    if (!req.headers.authorization)
      throw new AppError('AUTH_TOKEN_MISSING', 'missing Authorization: Bearer <token>');
    try {
      await req.jwtVerify();
    } catch {
      throw new AppError('AUTH_TOKEN_MISSING', 'invalid or expired token');
    }
  });
  app.decorate('requireRole', (...roles: Role[]) => async (req: FastifyRequest, reply: FastifyReply) => {
    await app.authenticate(req, reply);
    if (!roles.includes(req.user.role))
      throw new AppError('AUTH_FORBIDDEN', `this needs one of the roles ${roles.join(', ')}`);
  });
  app.decorate('verifyToken', (token: string) => app.jwt.verify<Principal>(token));
});

export const bearer = [{ bearerAuth: [] }];
