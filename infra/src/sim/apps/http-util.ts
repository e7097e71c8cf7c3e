import type { AppHttpResponse } from './app-model';

const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  204: 'No Content',
  301: 'Moved Permanently',
  302: 'Found',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  418: "I'm a teapot",
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** The reason phrase for a status code. */
export function statusText(status: number): string {
  return STATUS_TEXT[status] ?? (status >= 200 && status < 300 ? 'OK' : 'Unknown');
}

/** A response with Content-Length and a Date header computed from `now`. */
export function respond(
  status: number,
  body: string,
  now: number,
  headers: Record<string, string> = {},
): AppHttpResponse {
  return {
    status,
    statusText: statusText(status),
    headers: {
      ...headers,
      Date: new Date(now).toUTCString(),
      'Content-Length': String(Buffer.byteLength(body)),
    },
    body,
  };
}

/** `2026/11/21 20:04:51`, the Go log package's default prefix. */
export function goLogTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}/${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `21/Nov/2026:20:04:51 +0000`, the common log format's time. */
export function clfTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

/** The path without its query string. */
export function pathOnly(path: string): string {
  const q = path.indexOf('?');
  return q >= 0 ? path.slice(0, q) : path;
}

/** One query parameter. */
export function queryParam(path: string, name: string): string | undefined {
  const q = path.indexOf('?');
  if (q < 0) return undefined;
  return new URLSearchParams(path.slice(q + 1)).get(name) ?? undefined;
}
