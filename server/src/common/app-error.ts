/**
 * Codes of the server's own failures. Each maps to one HTTP status in the exception filter
 * (common/error.filter.ts), whose `switch` must cover every member: add the status there too.
 */
export enum AppErrorCode {
  VALIDATION_FAILED = 'VALIDATION_FAILED',
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  CSRF_INVALID = 'CSRF_INVALID',
  NOT_FOUND = 'NOT_FOUND',
  INVALID_CREDENTIALS = 'INVALID_CREDENTIALS',
  TOO_MANY_ATTEMPTS = 'TOO_MANY_ATTEMPTS',
  REGISTRATION_CLOSED = 'REGISTRATION_CLOSED',
  INVITE_INVALID = 'INVITE_INVALID',
  REGISTRATION_REFUSED = 'REGISTRATION_REFUSED',
  CONFLICT = 'CONFLICT',
  ALREADY_EXTENDED = 'ALREADY_EXTENDED',
  QUOTA_EXCEEDED = 'QUOTA_EXCEEDED',
  PAYLOAD_TOO_LARGE = 'PAYLOAD_TOO_LARGE',
  UNAVAILABLE = 'UNAVAILABLE',
  INTERNAL = 'INTERNAL',
}

/** One invalid field of a request: where it is and what is wrong with it. */
export interface FieldProblem {
  /** Dotted path of the field, e.g. `email` or `items.2.name`; empty for the whole body. */
  path: string;
  message: string;
}

/** The server's error type: a code, a sentence saying what to do, and optional details for clients. */
export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly details?: unknown,
    /** Seconds the client should wait before retrying (sent as `Retry-After`). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'AppError';
  }
}
