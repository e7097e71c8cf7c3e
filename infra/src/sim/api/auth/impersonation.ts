import type { IncomingHttpHeaders } from 'node:http';
import type { RequestUser } from './request-user';

/**
 * The user a request impersonates (`kubectl --as=NAME [--as-group=G]`: `Impersonate-User`,
 * `Impersonate-Group` headers), with the groups the API server's impersonation filter gives it:
 * the named groups, a ServiceAccount's own two, and system:authenticated. Undefined without
 * `Impersonate-User`.
 */
export function impersonatedUser(headers: IncomingHttpHeaders): RequestUser | undefined {
  const name = headers['impersonate-user'];
  const username = Array.isArray(name) ? name[0] : name;
  if (!username) return undefined;
  const raw = headers['impersonate-group'];
  const groups = (Array.isArray(raw) ? raw : raw ? raw.split(',') : []).map((g) => g.trim()).filter(Boolean);
  const sa = /^system:serviceaccount:([^:]+):[^:]+$/.exec(username);
  if (sa && groups.length === 0) groups.push('system:serviceaccounts', `system:serviceaccounts:${sa[1]}`);
  if (username !== 'system:anonymous' && !groups.includes('system:authenticated'))
    groups.push('system:authenticated');
  return { username, groups };
}
