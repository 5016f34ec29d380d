// The one place error codes become HTTP statuses.
import type { FastifyError, FastifyInstance } from 'fastify';
import { isAppError, type ErrorCode } from '../errors.ts';
import { notFoundPage, wantsHtml404 } from './not-found-page.ts';

const STATUS: Partial<Record<ErrorCode, number>> = {
  AUTH_INVALID_CREDENTIALS: 401,
  AUTH_TOKEN_MISSING: 401,
  AUTH_TOKEN_EXPIRED: 401,
  AUTH_TOKEN_REVOKED: 401,
  AUTH_FORBIDDEN: 403,
  RATE_LIMITED: 429,
  PREDICT_BACKTEST_BUSY: 429,
  NOT_FOUND: 404,
  VALIDATION_FAILED: 400,
  VALIDATION_NUL_CHARACTER: 400,
  DISPATCH_NO_QUALIFIED_TECHNICIAN: 409,
  DISPATCH_NO_STOCK: 409,
  DISPATCH_STOCK_CONFLICT: 409,
  DISPATCH_ORDER_CLOSED: 409,
  DISPATCH_ILLEGAL_TRANSITION: 409,
  DISPATCH_TECHNICIAN_BUSY: 409,
  DISPATCH_FIELD_STEP_TECHNICIAN_ONLY: 403,
  TECHNICIAN_NOT_LINKED: 403,
  TECHNICIAN_PHOTO_TOO_LARGE: 413,
  TECHNICIAN_PHOTO_TYPE: 415,
  TECHNICIAN_PHOTO_LIMIT: 409,
  PARTS_PLAN_STALE: 409,
  PARTS_PLAN_DECIDED: 409,
  PARTS_REVIEW_FAILED: 422,
  PARTS_TRANSFER_RECEIVED: 409,
  PARTS_RESEND_NOT_LOST: 409,
  PARTS_RESEND_NO_STOCK: 409,
  PARTS_RESEND_NOT_NEEDED: 409,
  DISPATCH_SLOT_CONFLICT: 409,
  ASSET_SERIAL_TAKEN: 409,
  ASSET_DECOMMISSIONED: 409,
  ASSET_HAS_OPEN_ORDERS: 409,
  ADMIN_EMAIL_TAKEN: 409,
  ADMIN_INVALID_ACCOUNT: 400,
  ADMIN_OWN_ACCOUNT: 409,
  ADMIN_SLUG_TAKEN: 409,
  ADMIN_SITE_NAME_TAKEN: 409,
  ADMIN_SITE_IN_USE: 409,
  ADMIN_CONTRACT_NAME_TAKEN: 409,
  ADMIN_CONTRACT_IN_USE: 409,
  PREDICT_UNKNOWN_MODEL: 404,
  PREDICT_ILLEGAL_TRANSITION: 409,
  PREDICT_INVALID_PARAMS: 400,
  PREDICT_UNKNOWN_METRIC: 422,
  PREDICT_DUPLICATE_MODEL: 409,
  PREDICT_NO_HISTORY: 422,
  NOTIFY_INVALID_TARGET: 400,
  NOTIFY_EMAIL_DISABLED: 409,
  NOTIFY_TOO_MANY: 409,
  PREDICT_PROMOTE_UNTESTED: 409,
};

export const errorSchema = {
  type: 'object',
  required: ['code', 'message'],
  properties: { code: { type: 'string' }, message: { type: 'string' } },
} as const;

export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (isAppError(err)) {
      return reply.status(STATUS[err.code] ?? 500).send({ code: err.code, message: err.message });
    }
    if (err.validation) return reply.status(400).send({ code: 'VALIDATION_FAILED', message: err.message });
    if (err.statusCode === 429) return reply.status(429).send({ code: 'RATE_LIMITED', message: err.message });
    if (err.statusCode && err.statusCode < 500)
      return reply.status(err.statusCode).send({ code: err.code ?? 'BAD_REQUEST', message: err.message });
    req.log.error({ err }, 'request failed');
    return reply.status(500).send({ code: 'INTERNAL', message: 'internal error' });
  });
  app.setNotFoundHandler((req, reply) =>
    wantsHtml404(req.url)
      ? reply.status(404).type('text/html; charset=utf-8').send(notFoundPage(req.url))
      : reply.status(404).send({ code: 'NOT_FOUND', message: `no route ${req.method} ${req.url}` }),
  );
}
