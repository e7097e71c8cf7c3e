/** The usual group/version of the kinds labs name, so lab authors may leave `apiVersion` out. */
const API_VERSIONS: Record<string, string> = {
  Namespace: 'v1',
  Pod: 'v1',
  Service: 'v1',
  Endpoints: 'v1',
  ConfigMap: 'v1',
  Secret: 'v1',
  ServiceAccount: 'v1',
  Node: 'v1',
  Deployment: 'apps/v1',
  ReplicaSet: 'apps/v1',
  DaemonSet: 'apps/v1',
  StatefulSet: 'apps/v1',
  NetworkPolicy: 'networking.k8s.io/v1',
  Ingress: 'networking.k8s.io/v1',
  EndpointSlice: 'discovery.k8s.io/v1',
  ClusterRole: 'rbac.authorization.k8s.io/v1',
  ClusterRoleBinding: 'rbac.authorization.k8s.io/v1',
  Role: 'rbac.authorization.k8s.io/v1',
  RoleBinding: 'rbac.authorization.k8s.io/v1',
  Job: 'batch/v1',
};

/** `apiVersion` as written, or the usual one for the kind (`v1` when unknown). */
export function apiVersionOf(ref: { apiVersion?: string; kind: string }): string {
  return ref.apiVersion ?? API_VERSIONS[ref.kind] ?? 'v1';
}
