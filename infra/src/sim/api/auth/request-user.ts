import { timingSafeEqual } from 'node:crypto';
import type { ObjectStore } from '../../store/object-store';
import { verifyServiceAccountToken } from './service-account-token';

/** The authenticated user of a request, as the API server's authenticators produce it. */
export interface RequestUser {
  username: string;
  groups: string[];
}

/** A request without credentials (the anonymous authenticator). */
export const ANONYMOUS_USER: RequestUser = {
  username: 'system:anonymous',
  groups: ['system:unauthenticated'],
};

/** The kubeconfig's admin (kind 1.33's `kubernetes-admin`, in kubeadm:cluster-admins). */
export const ADMIN_USER: RequestUser = {
  username: 'kubernetes-admin',
  groups: ['kubeadm:cluster-admins', 'system:authenticated'],
};

/**
 * Authenticates a request's Authorization header: none is anonymous, the admin bearer token is the
 * admin, a ServiceAccount token the sim issued is `system:serviceaccount:NS:NAME` while its
 * ServiceAccount (and the Pod it is bound to) still exist with the same uid. Undefined: the
 * credentials are invalid (401).
 */
export function authenticateRequest(
  authorization: string | undefined,
  adminToken: Buffer,
  store: ObjectStore,
  nowMs: number,
): RequestUser | undefined {
  if (!authorization) return ANONYMOUS_USER;
  const m = /^Bearer\s+(.+)$/i.exec(authorization);
  if (!m) return undefined;
  const given = Buffer.from(m[1]!.trim());
  if (given.length === adminToken.length && timingSafeEqual(given, adminToken)) return ADMIN_USER;
  const claims = verifyServiceAccountToken(given.toString(), nowMs);
  if (!claims) return undefined;
  const k = claims['kubernetes.io'];
  const sa = store.get('serviceaccounts', k.namespace, k.serviceaccount.name);
  if (!sa || sa.metadata.uid !== k.serviceaccount.uid) return undefined;
  if (k.pod) {
    const pod = store.get('pods', k.namespace, k.pod.name);
    if (!pod || pod.metadata.uid !== k.pod.uid) return undefined;
  }
  return {
    username: `system:serviceaccount:${k.namespace}:${k.serviceaccount.name}`,
    groups: ['system:serviceaccounts', `system:serviceaccounts:${k.namespace}`, 'system:authenticated'],
  };
}
