// Errors carry a stable code; routes alone map codes to HTTP statuses (see common/http/error-handler.ts).
export type ErrorCode =
  | 'AUTH_INVALID_CREDENTIALS'
  | 'AUTH_TOKEN_MISSING'
  | 'AUTH_TOKEN_EXPIRED'
  | 'AUTH_TOKEN_REVOKED'
  | 'AUTH_FORBIDDEN'
  | 'NOT_FOUND'
  | 'VALIDATION_FAILED'
  | 'VALIDATION_NUL_CHARACTER'
  | 'INGEST_REJECTED'
  | 'PREDICT_UNKNOWN_MODEL'
  | 'PREDICT_ILLEGAL_TRANSITION'
  | 'PREDICT_INVALID_PARAMS'
  | 'PREDICT_UNKNOWN_METRIC'
  | 'PREDICT_DUPLICATE_MODEL'
  | 'PREDICT_NO_HISTORY'
  | 'PREDICT_PROMOTE_UNTESTED'
  | 'DISPATCH_NO_QUALIFIED_TECHNICIAN'
  | 'DISPATCH_NO_STOCK'
  | 'DISPATCH_STOCK_CONFLICT'
  | 'DISPATCH_ORDER_CLOSED'
  | 'DISPATCH_ILLEGAL_TRANSITION'
  | 'DISPATCH_TECHNICIAN_BUSY'
  | 'PARTS_PLAN_STALE'
  | 'PARTS_PLAN_DECIDED'
  | 'PARTS_REVIEW_FAILED'
  | 'PARTS_TRANSFER_RECEIVED'
  | 'DISPATCH_SLOT_CONFLICT'
  | 'ASSET_SERIAL_TAKEN'
  | 'ASSET_DECOMMISSIONED'
  | 'ASSET_HAS_OPEN_ORDERS'
  | 'ADMIN_EMAIL_TAKEN'
  | 'ADMIN_INVALID_ACCOUNT'
  | 'ADMIN_OWN_ACCOUNT'
  | 'NOTIFY_INVALID_TARGET'
  | 'NOTIFY_EMAIL_DISABLED'
  | 'NOTIFY_TOO_MANY'
  | 'STARTUP_PORT_IN_USE'
  | 'STARTUP_EMBEDDED_POSTGRES';

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const isAppError = (err: unknown): err is AppError => err instanceof AppError;
