import { StoreError, StoreErrorReason } from '../store/store-error';
import type { FieldCause } from '../registry/resource-definition';

/** A `meta/v1` Status object, as every API error body is. */
export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message?: string;
  reason?: string;
  details?: {
    name?: string;
    group?: string;
    kind?: string;
    causes?: unknown[];
    uid?: string;
    retryAfterSeconds?: number;
  };
  code: number;
}

const CODES: Record<string, number> = {
  BadRequest: 400,
  Unauthorized: 401,
  Forbidden: 403,
  NotFound: 404,
  MethodNotAllowed: 405,
  NotAcceptable: 406,
  AlreadyExists: 409,
  Conflict: 409,
  Gone: 410,
  Expired: 410,
  UnsupportedMediaType: 415,
  Invalid: 422,
  InternalError: 500,
};

/** An API failure carrying the Status the server answers with. */
export class ApiError extends Error {
  constructor(readonly status: Status) {
    super(status.message);
    this.name = 'ApiError';
  }

  /** Builds an error with a reason, message and optional details; the code follows the reason. */
  static of(reason: string, message: string, details?: Status['details'], code?: number): ApiError {
    return new ApiError({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message,
      reason,
      ...(details ? { details } : {}),
      code: code ?? CODES[reason] ?? 500,
    });
  }

  /** `pods "x" not found`. */
  static notFound(qualified: string, name: string, group: string, plural: string): ApiError {
    return ApiError.of('NotFound', `${qualified} "${name}" not found`, {
      name,
      group: group || undefined,
      kind: plural,
    });
  }

  /** `Deployment.apps "web" is invalid: spec.x: Invalid value: ...`, with one cause per field. */
  static invalid(kind: string, group: string, name: string, causes: FieldCause[]): ApiError {
    const gk = group ? `${kind}.${group}` : kind;
    const list = causes.map((c) => `${c.field}: ${c.message}`);
    const summary = list.length === 1 ? list[0] : `[${list.join(', ')}]`;
    return ApiError.of('Invalid', `${gk} "${name}" is invalid: ${summary}`, {
      name,
      group: group || undefined,
      kind,
      causes: causes.map((c) => ({ reason: c.reason, message: c.message, field: c.field })),
    });
  }

  /** 405 for a verb the resource does not have. */
  static methodNotAllowed(): ApiError {
    return ApiError.of('MethodNotAllowed', 'the server does not allow this method on the requested resource');
  }

  /** 400 with a message. */
  static badRequest(message: string): ApiError {
    return ApiError.of('BadRequest', message);
  }
}

/** Maps any thrown value to a Status: ApiErrors as they are, store errors by reason, the rest as 500. */
export function toStatus(error: unknown, group = '', plural = ''): Status {
  if (error instanceof ApiError) return error.status;
  if (error instanceof StoreError) {
    const name = error.details.name;
    const details = {
      ...(name ? { name } : {}),
      ...(group ? { group } : {}),
      ...(plural ? { kind: plural } : {}),
    };
    switch (error.reason) {
      case StoreErrorReason.NOT_FOUND:
        return ApiError.of('NotFound', error.message, details).status;
      case StoreErrorReason.ALREADY_EXISTS:
        return ApiError.of('AlreadyExists', error.message, details).status;
      case StoreErrorReason.CONFLICT:
        return ApiError.of('Conflict', error.message, details).status;
      case StoreErrorReason.GONE:
        return ApiError.of('Expired', error.message, undefined, 410).status;
      case StoreErrorReason.FORBIDDEN:
        return ApiError.of('Forbidden', error.message, details, 403).status;
    }
  }
  const message = error instanceof Error ? error.message : String(error);
  return ApiError.of('InternalError', `Internal error occurred: ${message}`).status;
}
