// Small factories for the netmodel specs and benchmarks: ordinary Kubernetes objects, nothing clever.
import type {
  V1ContainerPort,
  V1Namespace,
  V1NetworkPolicy,
  V1NetworkPolicySpec,
  V1Node,
  V1Pod,
  V1Service,
  V1ServicePort,
} from '@kubernetes/client-node';
import type { ClusterState } from './types';

/** A Namespace with labels. */
export function aNamespace(name: string, labels: Record<string, string> = {}): V1Namespace {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, labels: { 'kubernetes.io/metadata.name': name, ...labels } },
  };
}

/** Options of {@link aPod}. */
export interface PodOptions {
  ip?: string | null;
  ports?: V1ContainerPort[];
  ready?: boolean;
  phase?: string;
  node?: string;
  hostNetwork?: boolean;
  deleting?: boolean;
  dnsPolicy?: string;
  hostname?: string;
  subdomain?: string;
}

/** A running, Ready Pod with one container (ports as given). */
export function aPod(
  namespace: string,
  name: string,
  labels: Record<string, string>,
  o: PodOptions = {},
): V1Pod {
  const ip = o.ip === undefined ? '10.244.0.10' : o.ip;
  const ready = o.ready ?? true;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace,
      labels,
      uid: `uid-${namespace}-${name}`,
      ...(o.deleting ? { deletionTimestamp: new Date('2026-01-01T00:00:00Z') } : {}),
    },
    spec: {
      containers: [{ name: 'app', image: 'nginx', ports: o.ports ?? [] }],
      nodeName: o.node ?? 'node-1',
      ...(o.hostNetwork ? { hostNetwork: true } : {}),
      ...(o.dnsPolicy ? { dnsPolicy: o.dnsPolicy } : {}),
      ...(o.hostname ? { hostname: o.hostname } : {}),
      ...(o.subdomain ? { subdomain: o.subdomain } : {}),
    },
    status: {
      phase: o.phase ?? (ip ? 'Running' : 'Pending'),
      ...(ip ? { podIP: ip, podIPs: [{ ip }] } : {}),
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
    },
  };
}

/** A ClusterIP Service (or another type via `spec`). */
export function aService(
  namespace: string,
  name: string,
  selector: Record<string, string> | undefined,
  ports: V1ServicePort[],
  spec: V1Service['spec'] = {},
): V1Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace, uid: `uid-svc-${namespace}-${name}` },
    spec: { type: 'ClusterIP', clusterIP: '10.96.0.100', ...(selector ? { selector } : {}), ports, ...spec },
  };
}

/** A NetworkPolicy with the spec as given (raw API shape: ingress rules use `from`). */
export function aPolicy(namespace: string, name: string, spec: Record<string, unknown>): V1NetworkPolicy {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace },
    spec: { podSelector: {}, ...spec } as V1NetworkPolicySpec,
  };
}

/** A Ready node with one InternalIP. */
export function aNode(name: string, ip: string, labels: Record<string, string> = {}): V1Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels },
    status: {
      addresses: [{ type: 'InternalIP', address: ip }],
      conditions: [{ type: 'Ready', status: 'True' }],
    },
  };
}

/** A cluster state from parts; namespaces of pods and services are added when missing. */
export function aCluster(parts: Partial<ClusterState>): ClusterState {
  const names = new Set((parts.namespaces ?? []).map((n) => n.metadata?.name));
  const namespaces = [...(parts.namespaces ?? [])];
  for (const o of [...(parts.pods ?? []), ...(parts.services ?? [])]) {
    const ns = o.metadata?.namespace ?? 'default';
    if (!names.has(ns)) {
      names.add(ns);
      namespaces.push(aNamespace(ns));
    }
  }
  return {
    namespaces,
    pods: parts.pods ?? [],
    services: parts.services ?? [],
    networkPolicies: parts.networkPolicies ?? [],
    nodes: parts.nodes ?? [aNode('node-1', '172.18.0.2'), aNode('node-2', '172.18.0.3')],
    ...(parts.endpointSlices ? { endpointSlices: parts.endpointSlices } : {}),
  };
}
