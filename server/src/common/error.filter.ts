import { GraderError, GraderErrorCode } from '@netlab/grader';
import { ProviderError, ProviderErrorCode } from '@netlab/infra';
import { formatProblem, LabDefinitionError, LabErrorCode } from '@netlab/labs';
import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { CatalogError, CatalogErrorCode } from '../catalog/catalog.error';
import { AppError, AppErrorCode } from './app-error';

/** The stable error body of every failed request. */
export interface ErrorBody {
  code: string;
  message: string;
  details?: unknown;
}

/** An error as the client sees it: status, body, and optionally how long to wait before retrying. */
export interface HttpFailure {
  status: number;
  body: ErrorBody;
  retryAfterSeconds?: number;
}

/**
 * The one place errors become HTTP: every package's error codes map to a status here, with the
 * body `{ code, message, details }`. Anything unknown is a 500 INTERNAL whose cause is only logged.
 */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('ErrorFilter');

  catch(error: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw error;
    const res = host.switchToHttp().getResponse<Response>();
    const failure = toHttpFailure(error);
    if (failure.status >= 500) this.logger.error(error instanceof Error ? error.stack : String(error));
    if (res.headersSent) {
      res.end();
      return;
    }
    if (failure.retryAfterSeconds !== undefined)
      res.setHeader('retry-after', String(failure.retryAfterSeconds));
    res.status(failure.status).json(failure.body);
  }
}

/** Maps any thrown value to its HTTP status and body. */
export function toHttpFailure(error: unknown): HttpFailure {
  if (error instanceof AppError) {
    return {
      status: statusOfAppError(error.code),
      body: body(error.code, error.message, error.details),
      ...(error.retryAfterSeconds !== undefined ? { retryAfterSeconds: error.retryAfterSeconds } : {}),
    };
  }
  if (error instanceof CatalogError) {
    return { status: statusOfCatalogError(error.code), body: body(error.code, error.message, error.details) };
  }
  if (error instanceof LabDefinitionError) {
    return {
      status: statusOfLabError(error.code),
      body: body(error.code, error.message, { problems: error.problems.map(formatProblem) }),
    };
  }
  if (error instanceof GraderError) {
    return { status: statusOfGraderError(error.code), body: body(error.code, error.message) };
  }
  if (error instanceof ProviderError) {
    return { status: statusOfProviderError(error.code), body: body(error.code, error.message) };
  }
  // Express's body parser errors arrive wrapped by Nest (cause) or bare.
  const parserError = fromBodyParserError(error instanceof HttpException ? error.cause : error);
  if (parserError) return parserError;
  if (error instanceof HttpException) return fromHttpException(error);
  return {
    status: 500,
    body: body(AppErrorCode.INTERNAL, 'Something went wrong on the server; it has been logged. Try again.'),
  };
}

/** Every server error code and its status; the `switch` must stay exhaustive. */
export function statusOfAppError(code: AppErrorCode): number {
  switch (code) {
    case AppErrorCode.VALIDATION_FAILED:
      return 400;
    case AppErrorCode.UNAUTHENTICATED:
    case AppErrorCode.INVALID_CREDENTIALS:
      return 401;
    case AppErrorCode.FORBIDDEN:
    case AppErrorCode.CSRF_INVALID:
    case AppErrorCode.REGISTRATION_CLOSED:
    case AppErrorCode.INVITE_INVALID:
      return 403;
    case AppErrorCode.NOT_FOUND:
      return 404;
    case AppErrorCode.CONFLICT:
    case AppErrorCode.ALREADY_EXTENDED:
    case AppErrorCode.REGISTRATION_REFUSED:
      return 409;
    case AppErrorCode.PAYLOAD_TOO_LARGE:
      return 413;
    case AppErrorCode.TOO_MANY_ATTEMPTS:
    case AppErrorCode.QUOTA_EXCEEDED:
      return 429;
    case AppErrorCode.INTERNAL:
      return 500;
    case AppErrorCode.UNAVAILABLE:
      return 503;
    default:
      return unreachable(code);
  }
}

export function statusOfCatalogError(code: CatalogErrorCode): number {
  switch (code) {
    case CatalogErrorCode.LAB_NOT_FOUND:
    case CatalogErrorCode.LAB_VERSION_NOT_FOUND:
      return 404;
    case CatalogErrorCode.LAB_INVALID:
      return 422;
    default:
      return unreachable(code);
  }
}

export function statusOfLabError(code: LabErrorCode): number {
  switch (code) {
    case LabErrorCode.LAB_NOT_FOUND:
      return 404;
    case LabErrorCode.INVALID_LAB:
      return 422;
    case LabErrorCode.INVALID_SEED:
      return 400;
    default:
      return unreachable(code);
  }
}

export function statusOfGraderError(code: GraderErrorCode): number {
  switch (code) {
    case GraderErrorCode.INVALID_INPUT:
      return 400;
    case GraderErrorCode.ACTION_FAILED:
      return 500;
    case GraderErrorCode.UNAUTHORIZED:
    case GraderErrorCode.API_NOT_SERVED:
      return 502;
    case GraderErrorCode.CLUSTER_UNREACHABLE:
      return 503;
    default:
      return unreachable(code);
  }
}

export function statusOfProviderError(code: ProviderErrorCode): number {
  switch (code) {
    case ProviderErrorCode.CLUSTER_NOT_FOUND:
      return 404;
    case ProviderErrorCode.CLUSTER_EXISTS:
    case ProviderErrorCode.CANCELLED:
      return 409;
    case ProviderErrorCode.INVALID_SPEC:
      return 422;
    case ProviderErrorCode.CREATE_FAILED:
    case ProviderErrorCode.DELETE_FAILED:
    case ProviderErrorCode.LIST_FAILED:
      return 502;
    case ProviderErrorCode.HOST_NOT_READY:
      return 503;
    case ProviderErrorCode.TIMEOUT:
      return 504;
    default:
      return unreachable(code);
  }
}

function fromHttpException(error: HttpException): HttpFailure {
  const status = error.getStatus();
  const code =
    status === 404
      ? AppErrorCode.NOT_FOUND
      : status === 401
        ? AppErrorCode.UNAUTHENTICATED
        : status === 403
          ? AppErrorCode.FORBIDDEN
          : status === 413
            ? AppErrorCode.PAYLOAD_TOO_LARGE
            : status < 500
              ? AppErrorCode.VALIDATION_FAILED
              : AppErrorCode.INTERNAL;
  const message = status === 404 ? 'No such endpoint or resource; see /api/docs for the API.' : error.message;
  return { status, body: body(code, message) };
}

/** Errors of Express's body parser (bad JSON, body too large) carry `status` and `type`. */
function fromBodyParserError(error: unknown): HttpFailure | null {
  const e = error as { status?: unknown; type?: unknown; message?: unknown } | null;
  if (!e || typeof e.status !== 'number' || typeof e.type !== 'string') return null;
  if (e.type === 'entity.too.large') {
    return { status: 413, body: body(AppErrorCode.PAYLOAD_TOO_LARGE, 'The request body is too large.') };
  }
  if (e.type === 'entity.parse.failed') {
    return {
      status: 400,
      body: body(AppErrorCode.VALIDATION_FAILED, `The request body is not valid JSON: ${String(e.message)}`, [
        { path: '', message: 'expected a JSON document' },
      ]),
    };
  }
  return null;
}

function body(code: string, message: string, details?: unknown): ErrorBody {
  return details === undefined ? { code, message } : { code, message, details };
}

function unreachable(code: never): never {
  throw new Error(`unmapped error code ${String(code)}`);
}
