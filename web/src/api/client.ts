import createClient from 'openapi-fetch';
import { ApiError, ApiErrorCode } from './api-error';
import { connectivity } from './connectivity';
import type { paths } from './generated/openapi';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

let csrfToken: Promise<string> | null = null;

async function fetchCsrfToken(): Promise<string> {
  const res = await fetch('/api/auth/csrf', {
    credentials: 'same-origin',
    headers: { accept: 'application/json' },
  });
  if (!res.ok) throw ApiError.fromResponse(res.status, await res.json().catch(() => null));
  const body = (await res.json()) as { token: string };
  return body.token;
}

/** The token is bound to the session: forget it whenever the session changes (login, logout). */
export function forgetCsrfToken(): void {
  csrfToken = null;
}

/** Login and register answer the token of the new session: use it from now on. */
export function adoptCsrfToken(token: string | undefined): void {
  csrfToken = token ? Promise.resolve(token) : null;
}

async function reachServer(input: Request): Promise<Response> {
  try {
    const res = await fetch(input);
    connectivity.set(true);
    return res;
  } catch {
    connectivity.set(false);
    throw ApiError.unreachable();
  }
}

/** The typed client of the server's OpenAPI document (cookies ride along; CSRF header on writes). */
export const api = createClient<paths>({
  baseUrl: '',
  credentials: 'same-origin',
  headers: { accept: 'application/json' },
  fetch: reachServer,
});

api.use({
  async onRequest({ request }) {
    if (SAFE_METHODS.has(request.method)) return request;
    csrfToken ??= fetchCsrfToken().catch((e: unknown) => {
      csrfToken = null;
      throw e;
    });
    request.headers.set('x-csrf-token', await csrfToken);
    return request;
  },
});

interface FetchResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/**
 * Runs one request and returns its data or throws an {@link ApiError}. A write refused for a stale
 * CSRF token (the session changed in another tab) is sent once more with a fresh token.
 */
export async function call<T>(request: () => Promise<FetchResult<T>>): Promise<T> {
  let result = await request();
  if (result.response.status === 403 && codeOf(result.error) === ApiErrorCode.CsrfInvalid) {
    forgetCsrfToken();
    result = await request();
  }
  if (!result.response.ok) throw ApiError.fromResponse(result.response.status, result.error);
  return result.data as T;
}

const codeOf = (body: unknown): string | undefined =>
  body && typeof body === 'object' && 'code' in body ? String(body.code) : undefined;
