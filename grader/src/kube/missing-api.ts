import { GraderError, GraderErrorCode } from '../errors';

/** The oldest Kubernetes netlab supports: the first to serve discovery.k8s.io/v1 EndpointSlices. */
export const MIN_KUBERNETES_VERSION = '1.21';

/** The first Kubernetes minor that serves each group/version netlab (or a lab) may use. */
const FIRST_SERVED: Record<string, string> = {
  v1: '1.0',
  'apps/v1': '1.9',
  'batch/v1': '1.2',
  'networking.k8s.io/v1': '1.8',
  'discovery.k8s.io/v1': '1.21',
  'policy/v1': '1.21',
  'rbac.authorization.k8s.io/v1': '1.8',
  'coordination.k8s.io/v1': '1.14',
  'autoscaling/v2': '1.23',
};

/**
 * What to tell a user when the cluster does not serve a kind: which group/version and kind, the
 * cluster's version, and what netlab needs, e.g. `discovery.k8s.io/v1 EndpointSlice is not served
 * by this cluster (v1.20.15): netlab needs 1.21 or newer`.
 */
export function missingApiMessage(apiVersion: string, kind: string, serverVersion?: string): string {
  const on = `is not served by this cluster${serverVersion ? ` (${serverVersion})` : ''}`;
  const first = FIRST_SERVED[apiVersion];
  if (first) {
    const needs = compareMinor(first, MIN_KUBERNETES_VERSION) > 0 ? first : MIN_KUBERNETES_VERSION;
    return `${apiVersion} ${kind} ${on}: netlab needs ${needs} or newer`;
  }
  return `${apiVersion} ${kind} ${on}: install what serves it (a CRD or an add-on), or use a cluster that has it`;
}

/** A GraderError `API_NOT_SERVED` naming the missing kind. */
export function missingApi(apiVersion: string, kind: string, serverVersion?: string): GraderError {
  return new GraderError(GraderErrorCode.API_NOT_SERVED, missingApiMessage(apiVersion, kind, serverVersion));
}

/** `major.minor` of a server's gitVersion (`v1.31.2+k3s1` → [1, 31]), or undefined. */
export function parseKubernetesVersion(gitVersion: string): [number, number] | undefined {
  const m = /^v?(\d+)\.(\d+)/.exec(gitVersion.trim());
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

/** Compares two `major.minor` versions: negative when a is older. */
export function compareMinor(a: string, b: string): number {
  const [am, an] = parseKubernetesVersion(a) ?? [0, 0];
  const [bm, bn] = parseKubernetesVersion(b) ?? [0, 0];
  return am - bm || an - bn;
}
