import type { KubeClient } from '../kube/kube-client';
import { compareMinor, MIN_KUBERNETES_VERSION, missingApiMessage } from '../kube/missing-api';
import type { CapabilityResult, ServedApi } from './capability-report';

/** The kinds the grader itself reads or creates, whatever the lab. */
export const GRADER_APIS: readonly { apiVersion: string; kind: string }[] = [
  { apiVersion: 'v1', kind: 'Namespace' },
  { apiVersion: 'v1', kind: 'Pod' },
  { apiVersion: 'v1', kind: 'Service' },
  { apiVersion: 'v1', kind: 'Node' },
  { apiVersion: 'v1', kind: 'Event' },
  { apiVersion: 'apps/v1', kind: 'Deployment' },
  { apiVersion: 'apps/v1', kind: 'DaemonSet' },
  { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice' },
  { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy' },
];

/** The server version against the oldest netlab supports. */
export function versionCapability(gitVersion: string): CapabilityResult {
  const title = `Kubernetes ${MIN_KUBERNETES_VERSION} or newer`;
  if (!/^v?\d+\.\d+/.test(gitVersion)) {
    return {
      id: 'server-version',
      title,
      status: 'unknown',
      detail: `the API server reports version "${gitVersion}", which netlab cannot read; it needs Kubernetes ${MIN_KUBERNETES_VERSION} or newer`,
      durationMs: 0,
    };
  }
  const old = compareMinor(gitVersion, MIN_KUBERNETES_VERSION) < 0;
  return {
    id: 'server-version',
    title,
    status: old ? 'missing' : 'ok',
    detail: old
      ? `the cluster runs Kubernetes ${gitVersion}, older than ${MIN_KUBERNETES_VERSION}, the oldest netlab supports (it needs discovery.k8s.io/v1 EndpointSlices): upgrade the cluster, or use another one`
      : `the cluster runs Kubernetes ${gitVersion}`,
    durationMs: 0,
  };
}

/** Which of these kinds the cluster serves, from its discovery documents (one request per group/version). */
export async function servedApis(
  client: KubeClient,
  wanted: readonly { apiVersion: string; kind: string }[],
): Promise<ServedApi[]> {
  const unique = [...new Map(wanted.map((w) => [`${w.apiVersion} ${w.kind}`, w])).values()];
  const groups = [...new Set(unique.map((w) => w.apiVersion))];
  const kinds = new Map(
    await Promise.all(groups.map(async (g) => [g, await client.servedKinds(g)] as const)),
  );
  return unique.map((w) => ({ ...w, served: kinds.get(w.apiVersion)?.includes(w.kind) ?? false }));
}

/** One result for every API: ok, or a sentence per kind that is not served. */
export function apisCapability(apis: ServedApi[], gitVersion: string, durationMs: number): CapabilityResult {
  const missing = apis.filter((a) => !a.served);
  return {
    id: 'apis',
    title: 'the APIs netlab and the labs use',
    status: missing.length ? 'missing' : 'ok',
    detail: missing.length
      ? missing.map((a) => missingApiMessage(a.apiVersion, a.kind, gitVersion)).join('; ')
      : `all ${apis.length} kinds are served (${[...new Set(apis.map((a) => a.apiVersion))].join(', ')})`,
    durationMs,
  };
}
