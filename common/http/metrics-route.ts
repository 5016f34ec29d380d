// GET /metrics in the Prometheus text format, and the HTTP request metrics (route pattern, never the URL).
// Access (docs/operations.md): with METRICS_TOKEN set, only `Authorization: Bearer <METRICS_TOKEN>`; without it,
// open where `open` says so (ingest workers on their private port, the embedded demo) and 403 elsewhere.
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { httpMetrics, renderMetrics } from '../metrics.ts';

export interface MetricsAccess {
  /** METRICS_TOKEN; empty: no token. */
  token: string;
  /** Whether /metrics answers without a token when none is configured. */
  openWithoutToken: boolean;
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Whether a request may read /metrics; the refusal as status, code and message. */
export function metricsAccess(
  authorization: string | undefined,
  access: MetricsAccess,
): { ok: true } | { ok: false; status: 401 | 403; code: string; message: string } {
  if (!access.token)
    return access.openWithoutToken
      ? { ok: true }
      : {
          ok: false,
          status: 403,
          code: 'AUTH_FORBIDDEN',
          message: 'set METRICS_TOKEN to expose /metrics outside demo mode',
        };
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (m && sameToken(m[1]!, access.token)) return { ok: true };
  return {
    ok: false,
    status: 401,
    code: 'AUTH_TOKEN_MISSING',
    message: 'expected Authorization: Bearer <METRICS_TOKEN>',
  };
}

/** Registers GET /metrics (left out of the OpenAPI document: it is not part of the API). */
export function metricsRoute(app: FastifyInstance, access: MetricsAccess): void {
  app.get('/metrics', { schema: { hide: true } }, async (req: FastifyRequest, reply: FastifyReply) => {
    const verdict = metricsAccess(req.headers.authorization, access);
    if (!verdict.ok)
      return reply.status(verdict.status).send({ code: verdict.code, message: verdict.message });
    const { contentType, body } = await renderMetrics();
    return reply.header('content-type', contentType).header('cache-control', 'no-store').send(body);
  });
}

/**
 * Counts every answered request by method, route pattern (`/api/orders/:id`, or `unmatched` for a 404 of no
 * route) and status code, with its duration. /metrics itself is left out.
 */
export function installHttpMetrics(app: FastifyInstance): void {
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    if (route === '/metrics') return;
    const labels = { method: req.method, route };
    httpMetrics.requests.inc({ ...labels, status_code: String(reply.statusCode) });
    httpMetrics.seconds.observe(labels, reply.elapsedTime / 1000);
  });
}
