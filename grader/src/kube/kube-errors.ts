import { GraderError, GraderErrorCode } from '../errors';

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
]);

/** The HTTP status of a client-node ApiException, if `error` is one. */
export function statusOf(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

/** Whether the API answered 404 Not Found. */
export function isNotFound(error: unknown): boolean {
  return statusOf(error) === 404;
}

/** The message the API gave with a refusal (a Status object's `message`), or the error's own. */
export function apiMessage(error: unknown): string {
  const body = (error as { body?: unknown } | null)?.body;
  if (typeof body === 'string') {
    try {
      const parsed = JSON.parse(body) as { message?: string };
      if (parsed.message) return parsed.message;
    } catch {
      if (body.trim()) return body.trim();
    }
  } else if (body && typeof body === 'object' && 'message' in body) {
    return String((body as { message: unknown }).message);
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * Turns the two failures that are the grader's own — the API cannot be reached, or it refuses our
 * credentials — into a {@link GraderError}; anything else is left for the caller to report as data.
 */
export function rethrowFatal(error: unknown): void {
  if (error instanceof GraderError) throw error;
  if (statusOf(error) === 401) {
    throw new GraderError(
      GraderErrorCode.UNAUTHORIZED,
      'the cluster refused our credentials (401 Unauthorized): check the kubeconfig user and token',
      { cause: error },
    );
  }
  const code = networkCode(error);
  if (code) {
    throw new GraderError(
      GraderErrorCode.CLUSTER_UNREACHABLE,
      `cannot reach the cluster API (${code}): is the cluster running and the kubeconfig server address right?`,
      { cause: error },
    );
  }
}

function networkCode(error: unknown): string | undefined {
  for (
    let e = error as { code?: unknown; cause?: unknown; errno?: unknown } | undefined, i = 0;
    e && i < 5;
    i++
  ) {
    if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) return e.code;
    if (e instanceof Error && /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|socket hang up/.test(e.message)) {
      return /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH/.exec(e.message)?.[0] ?? 'connection failed';
    }
    e = e.cause as typeof e;
  }
  return undefined;
}
