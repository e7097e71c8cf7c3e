/** The error codes of the contract the UI reacts to; any other code is shown with its message. */
export enum ApiErrorCode {
  Unauthenticated = 'UNAUTHENTICATED',
  Forbidden = 'FORBIDDEN',
  CsrfInvalid = 'CSRF_INVALID',
  NotFound = 'NOT_FOUND',
  ValidationFailed = 'VALIDATION_FAILED',
  InvalidCredentials = 'INVALID_CREDENTIALS',
  TooManyAttempts = 'TOO_MANY_ATTEMPTS',
  RegistrationClosed = 'REGISTRATION_CLOSED',
  RegistrationRefused = 'REGISTRATION_REFUSED',
  InviteInvalid = 'INVITE_INVALID',
  AlreadyExtended = 'ALREADY_EXTENDED',
  /** Not from the server: the request never got an answer. */
  Unreachable = 'SERVER_UNREACHABLE',
}

/** One field problem of a 400 VALIDATION_FAILED. */
export interface FieldProblem {
  path: string;
  message: string;
}

/** An error answer of the server (`{ code, message, details }`) or a request that got none. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** Builds the error from whatever the server answered, even a body that is not our shape. */
  static fromResponse(status: number, body: unknown): ApiError {
    if (body && typeof body === 'object' && 'code' in body && typeof body.code === 'string') {
      const b = body as { code: string; message?: unknown; details?: unknown; retryAfterSeconds?: unknown };
      const message = typeof b.message === 'string' ? b.message : `The server answered ${status}.`;
      const details =
        b.details ??
        (b.retryAfterSeconds !== undefined ? { retryAfterSeconds: b.retryAfterSeconds } : undefined);
      return new ApiError(status, b.code, message, details);
    }
    return new ApiError(
      status,
      `HTTP_${status}`,
      `The server answered ${status} without an explanation. Try again in a moment.`,
    );
  }

  static unreachable(): ApiError {
    return new ApiError(0, ApiErrorCode.Unreachable, 'The server cannot be reached. Retrying…');
  }

  /** The per-field messages of a validation error, by field path. */
  get fieldProblems(): Record<string, string> {
    const out: Record<string, string> = {};
    if (Array.isArray(this.details)) {
      for (const d of this.details as FieldProblem[]) {
        if (d && typeof d.path === 'string' && typeof d.message === 'string')
          out[d.path] ??= sentence(d.message);
      }
    }
    return out;
  }
}

export const isApiError = (e: unknown, code?: string): e is ApiError =>
  e instanceof ApiError && (code === undefined || e.code === code);

/** "must be at least 8 characters" → "Must be at least 8 characters." */
const sentence = (s: string) => {
  const t = s.trim();
  return t ? t[0]!.toUpperCase() + t.slice(1) + (/[.!?]$/.test(t) ? '' : '.') : t;
};
