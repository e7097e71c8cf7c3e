import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ObjectStore } from '../../store/object-store';
import { ApiError } from '../api-error';
import { sendStatus } from '../http-util';
import { authorize, forbiddenMessage, requestAttributes } from './rbac-authorizer';
import { impersonatedUser } from './impersonation';
import { authenticateRequest, type RequestUser } from './request-user';

/** The user each admitted request runs as (read by the self-subject reviews). */
export const requestUsers = new WeakMap<IncomingMessage, RequestUser>();

/**
 * The authentication and authorization filters in front of in-cluster requests, in the API
 * server's order: authenticate the bearer token (401 when it is bad), then RBAC (403 with the
 * API server's wording). The kubectl-facing port keeps its single admin token and does not pass here.
 */
export class InClusterGate {
  constructor(
    private readonly store: ObjectStore,
    private readonly adminToken: Buffer,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Whether the request may go on (its user then recorded in `requestUsers`); otherwise its
   * refusal has been written. An `Impersonate-User` header from a user allowed to impersonate
   * (the admin) makes the request that user's, as `kubectl --as` does.
   */
  admit(req: IncomingMessage, res: ServerResponse): boolean {
    let user = authenticateRequest(req.headers.authorization, this.adminToken, this.store, this.now());
    if (!user) {
      sendStatus(res, ApiError.of('Unauthorized', 'Unauthorized', undefined, 401).status);
      return false;
    }
    const as = impersonatedUser(req.headers);
    if (as) {
      const verb = {
        kind: 'resource',
        verb: 'impersonate',
        group: '',
        resource: 'users',
        name: as.username,
      } as const;
      if (!authorize(this.store, user, verb)) {
        const message = `users "${as.username}" is forbidden: User "${user.username}" cannot impersonate resource "users" in API group "" at the cluster scope`;
        sendStatus(res, ApiError.of('Forbidden', message, { name: as.username, kind: 'users' }, 403).status);
        return false;
      }
      user = as;
    }
    requestUsers.set(req, user);
    const attrs = requestAttributes(req.method ?? 'GET', new URL(req.url ?? '/', 'https://sim'));
    if (authorize(this.store, user, attrs)) return true;
    const details =
      attrs.kind === 'resource'
        ? {
            ...(attrs.name ? { name: attrs.name } : {}),
            ...(attrs.group ? { group: attrs.group } : {}),
            kind: attrs.resource,
          }
        : {};
    sendStatus(res, ApiError.of('Forbidden', forbiddenMessage(user, attrs), details, 403).status);
    return false;
  }
}

/**
 * JSON as kube-apiserver writes it for curl, Wget and browsers (or `?pretty=true`): indented by two
 * spaces, with a final newline except for `/version` (written raw by `WriteRawJSON`).
 */
export function prettyForClient(
  path: string,
  userAgent: string | undefined,
  contentType: string | undefined,
  body: string,
): string {
  const url = new URL(path, 'https://sim');
  const version = url.pathname === '/version';
  const query = url.searchParams.get('pretty');
  const pretty =
    version ||
    (query !== null ? query === 'true' || query === '1' : /^(curl|Wget|Mozilla\/5\.0)/.test(userAgent ?? ''));
  if (!pretty || !contentType?.startsWith('application/json')) return body;
  try {
    const text = JSON.stringify(JSON.parse(body), null, 2);
    return version ? text : `${text}\n`;
  } catch {
    return body;
  }
}
