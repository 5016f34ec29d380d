import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isAppError } from '../errors.ts';
import type { HealthRegistry } from '../health.ts';
import type { TokenClaims } from './session.ts';
import type { Role } from './access.ts';
import { bearer } from './auth.ts';

const Component = Type.Object({
  status: Type.Union([Type.Literal('up'), Type.Literal('degraded'), Type.Literal('down')]),
  detail: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
});
const Report = Type.Object({
  status: Type.Union([Type.Literal('up'), Type.Literal('degraded'), Type.Literal('down')]),
  components: Type.Optional(Type.Record(Type.String(), Component)),
});

const STAFF: Role[] = ['ADMIN', 'DISPATCHER', 'ENGINEER'];

/**
 * Whether the request carries a valid staff token (never throws: anyone else is anonymous here). While the
 * database is unreachable the account cannot be re-checked (docs/adr/0006-token-revocation.md); a signed,
 * unexpired staff token still sees the detail then, since that is when it is needed most.
 */
export const staffOnly =
  (app: FastifyInstance) =>
  async (req: FastifyRequest): Promise<boolean> => {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    if (!m) return false;
    try {
      return STAFF.includes((await app.checkToken(m[1]!)).role);
    } catch (err) {
      if (isAppError(err)) return false; // refused: expired, revoked, forged
      try {
        return STAFF.includes(app.jwt.verify<TokenClaims>(m[1]!).role);
      } catch {
        return false;
      }
    }
  };

/**
 * GET /api/health: the overall status for anyone (load balancers, uptime checks: 503 when a critical component
 * is down); the components with their detail (counts, backlog, broker) only for `showDetail` — by default staff
 * with a valid token (ADMIN, DISPATCHER, ENGINEER). An ingest worker passes its own rule (its METRICS_TOKEN).
 */
export const healthRoute: FastifyPluginAsyncTypebox<{
  health: HealthRegistry;
  showDetail?: (req: FastifyRequest) => boolean | Promise<boolean>;
}> = async (app, { health, showDetail = staffOnly(app) }) => {
  app.get(
    '/api/health',
    {
      schema: {
        tags: ['platform'],
        summary:
          'Overall status; with a staff token also every component (database, telemetry store, broker, ingest, predict, dispatch)',
        security: [{}, ...bearer],
        response: { 200: Report, 503: Report },
      },
    },
    async (req, reply) => {
      const [report, detail] = await Promise.all([health.report(), showDetail(req)]);
      const code = report.status === 'down' ? 503 : 200;
      return reply.status(code).send(detail ? report : { status: report.status });
    },
  );
};
