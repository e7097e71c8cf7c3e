import { CoreV1Api, DiscoveryV1Api, NetworkingV1Api, type KubernetesObject } from '@kubernetes/client-node';
import { PROBE_LABEL } from '@netlab/grader';
import type { ClusterClients } from './cluster-clients';
import {
  computeEndpointSlices,
  isPodReady,
  matchesLabelSelector,
  parseClusterState,
  policyTypes,
  podIPv4,
  type ClusterState,
} from '@netlab/grader/netmodel';

import type { NetMap, NetMapPod, NetMapPolicy, NetMapService } from './net-map.dto';

export type { NetMap, NetMapPod, NetMapPolicy, NetMapService };

/** Reads the cluster through client-node and draws the lab namespaces' map. */
export async function readNetMap(clients: ClusterClients, namespaces: string[]): Promise<NetMap> {
  const core = clients.api(CoreV1Api);
  const discovery = clients.api(DiscoveryV1Api);
  const networking = clients.api(NetworkingV1Api);
  const inNs = <T>(list: (ns: string) => Promise<{ items: T[] }>) =>
    Promise.all(
      namespaces.map((ns) =>
        list(ns).then(
          (l) => l.items,
          () => [] as T[],
        ),
      ),
    ).then((l) => l.flat());
  const [nodes, pods, services, slices, policies] = await Promise.all([
    core.listNode().then((l) => l.items),
    inNs((namespace) => core.listNamespacedPod({ namespace })),
    inNs((namespace) => core.listNamespacedService({ namespace })),
    inNs((namespace) => discovery.listNamespacedEndpointSlice({ namespace })),
    inNs((namespace) => networking.listNamespacedNetworkPolicy({ namespace })),
  ]);
  const items: KubernetesObject[] = [
    ...nodes.map((o) => ({ ...o, apiVersion: 'v1', kind: 'Node' })),
    ...pods
      .filter((p) => !p.metadata?.labels?.[PROBE_LABEL])
      .map((o) => ({ ...o, apiVersion: 'v1', kind: 'Pod' })),
    ...services.map((o) => ({ ...o, apiVersion: 'v1', kind: 'Service' })),
    ...slices.map((o) => ({ ...o, apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice' })),
    ...policies.map((o) => ({ ...o, apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy' })),
  ];
  return netMapOf(parseClusterState(JSON.stringify({ apiVersion: 'v1', kind: 'List', items })), namespaces);
}

/** The map of a parsed cluster state (pure; see readNetMap). */
export function netMapOf(state: ClusterState, namespaces: string[]): NetMap {
  const slices = state.endpointSlices?.length
    ? state.endpointSlices
    : state.services.flatMap((s) => computeEndpointSlices(s, state.pods, state.nodes));
  const podByIp = new Map(state.pods.map((p) => [podIPv4(p), p]));
  const pods = state.pods.map((p): NetMapPod & { node: string } => ({
    namespace: p.metadata?.namespace ?? 'default',
    name: p.metadata?.name ?? '',
    ip: podIPv4(p) ?? null,
    labels: p.metadata?.labels ?? {},
    ready: isPodReady(p),
    node: p.spec?.nodeName ?? '',
  }));
  const nodeNames = [
    ...new Set([...state.nodes.map((n) => n.metadata?.name ?? ''), ...pods.map((p) => p.node)]),
  ];
  return {
    namespaces,
    nodes: nodeNames.map((name) => ({
      name: name || '(unscheduled)',
      pods: pods.filter((p) => p.node === name).map(({ node: _node, ...pod }) => pod),
    })),
    services: state.services.map((s) => {
      const namespace = s.metadata?.namespace ?? 'default';
      const name = s.metadata?.name ?? '';
      const mine = slices.filter(
        (sl) =>
          sl.metadata?.namespace === namespace &&
          sl.metadata?.labels?.['kubernetes.io/service-name'] === name,
      );
      return {
        namespace,
        name,
        type: s.spec?.type ?? 'ClusterIP',
        clusterIP: s.spec?.clusterIP ?? null,
        ports: (s.spec?.ports ?? []).map((p) => ({
          name: p.name ?? null,
          port: p.port,
          targetPort: p.targetPort ?? null,
          protocol: p.protocol ?? 'TCP',
        })),
        selector: s.spec?.selector ?? null,
        endpoints: mine.flatMap((sl) =>
          sl.endpoints.flatMap((e) =>
            e.addresses.map((ip) => ({
              pod: e.targetRef?.name ?? podByIp.get(ip)?.metadata?.name ?? null,
              ip,
              ready: e.conditions?.ready !== false,
            })),
          ),
        ),
      };
    }),
    policies: state.networkPolicies.map((np) => {
      const namespace = np.metadata?.namespace ?? 'default';
      return {
        namespace,
        name: np.metadata?.name ?? '',
        podSelector: np.spec?.podSelector ?? {},
        isolates: pods
          .filter(
            (p) => p.namespace === namespace && matchesLabelSelector(p.labels, np.spec?.podSelector ?? {}),
          )
          .map((p) => p.name),
        policyTypes: policyTypes(np),
      };
    }),
  };
}
