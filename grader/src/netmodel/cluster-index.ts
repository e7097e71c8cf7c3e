import type { V1EndpointSlice, V1Node, V1Pod, V1Service } from '@kubernetes/client-node';
import { isIPv4 } from 'node:net';
import { computeEndpointSlices, SERVICE_NAME_LABEL } from './endpoint-slices';
import { ipv4ToNumber, parseCidr, type Cidr } from './ip-block';
import { isPodTerminal, podIPv4 } from './pod-facts';
import type { ClusterState } from './types';

/** A namespace as the model sees it: its labels always carry `kubernetes.io/metadata.name`. */
export interface NamespaceEntry {
  name: string;
  labels: Record<string, string>;
  /** False when only pods or services mention it (a partial dump). */
  declared: boolean;
}

/** A pod, indexed: everything a query needs without walking the object again. */
export interface PodEntry {
  /** Position in {@link ClusterIndex.pods}; per-pod caches are arrays indexed by it. */
  index: number;
  pod: V1Pod;
  namespace: string;
  name: string;
  /** `ns/name`. */
  key: string;
  labels: Record<string, string>;
  ip?: string;
  ipNumber?: number;
  hostNetwork: boolean;
  nodeName?: string;
  /** Has an IP and is not Failed/Succeeded: packets to it can arrive. */
  running: boolean;
}

/** A node with the addresses NodePorts answer on. */
export interface NodeEntry {
  name: string;
  node: V1Node;
  ips: string[];
}

/** A Service, indexed, with the EndpointSlices that belong to it (given, or computed). */
export interface ServiceEntry {
  service: V1Service;
  namespace: string;
  name: string;
  key: string;
  slices: V1EndpointSlice[];
  /** Whether the slices were computed by the model (no EndpointSlice was in the state). */
  computedSlices: boolean;
}

/** Lookups over one {@link ClusterState}, built once. */
export class ClusterIndex {
  readonly namespaces = new Map<string, NamespaceEntry>();
  readonly pods: PodEntry[] = [];
  readonly podsByKey = new Map<string, PodEntry>();
  readonly podsByNamespace = new Map<string, PodEntry[]>();
  readonly podsByIP = new Map<string, PodEntry>();
  readonly nodes = new Map<string, NodeEntry>();
  readonly nodesByIP = new Map<string, NodeEntry>();
  readonly services = new Map<string, ServiceEntry>();
  readonly servicesByIP = new Map<string, ServiceEntry>();
  readonly servicesByExternalIP = new Map<string, ServiceEntry>();
  /** Every node's spec.podCIDR(s): an address there with no running pod has no route. */
  readonly podCidrs: Cidr[] = [];

  constructor(readonly state: ClusterState) {
    for (const ns of state.namespaces ?? []) {
      const name = ns.metadata?.name ?? '';
      this.namespaces.set(name, {
        name,
        labels: { 'kubernetes.io/metadata.name': name, ...(ns.metadata?.labels ?? {}) },
        declared: true,
      });
    }
    for (const node of state.nodes ?? []) this.addNode(node);
    for (const pod of state.pods ?? []) this.addPod(pod);
    const given = state.endpointSlices;
    for (const service of state.services ?? []) this.addService(service, given);
  }

  /** The namespace entry, synthesised (with only the automatic name label) when the state lacks it. */
  namespace(name: string): NamespaceEntry {
    let entry = this.namespaces.get(name);
    if (!entry) {
      entry = { name, labels: { 'kubernetes.io/metadata.name': name }, declared: false };
      this.namespaces.set(name, entry);
    }
    return entry;
  }

  /** Pods of one namespace (empty when there are none). */
  podsIn(namespace: string): PodEntry[] {
    return this.podsByNamespace.get(namespace) ?? [];
  }

  /** The node a pod runs on, if the state has it. */
  nodeOf(pod: PodEntry): NodeEntry | undefined {
    return pod.nodeName ? this.nodes.get(pod.nodeName) : undefined;
  }

  private addNode(node: V1Node): void {
    const name = node.metadata?.name ?? '';
    const addresses = node.status?.addresses ?? [];
    const ips = [
      ...addresses.filter((a) => a.type === 'InternalIP'),
      ...addresses.filter((a) => a.type === 'ExternalIP'),
    ]
      .map((a) => a.address)
      .filter((ip) => isIPv4(ip));
    for (const cidr of [...(node.spec?.podCIDRs ?? []), node.spec?.podCIDR ?? '']) {
      if (!cidr || !cidr.includes('.')) continue;
      try {
        this.podCidrs.push(parseCidr(cidr, `Node ${name}: spec.podCIDR`));
      } catch {
        // A malformed podCIDR only costs the "no such pod" diagnosis; the node is still usable.
      }
    }
    const entry = { name, node, ips };
    this.nodes.set(name, entry);
    for (const ip of ips) this.nodesByIP.set(ip, entry);
  }

  private addPod(pod: V1Pod): void {
    const namespace = pod.metadata?.namespace ?? 'default';
    const name = pod.metadata?.name ?? '';
    this.namespace(namespace);
    const ip = podIPv4(pod);
    const entry: PodEntry = {
      index: this.pods.length,
      pod,
      namespace,
      name,
      key: `${namespace}/${name}`,
      labels: pod.metadata?.labels ?? {},
      hostNetwork: pod.spec?.hostNetwork === true,
      running: Boolean(ip) && !isPodTerminal(pod),
      ...(ip ? { ip, ipNumber: ipv4ToNumber(ip)! } : {}),
      ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}),
    };
    this.pods.push(entry);
    this.podsByKey.set(entry.key, entry);
    const list = this.podsByNamespace.get(namespace) ?? [];
    list.push(entry);
    this.podsByNamespace.set(namespace, list);
    // hostNetwork pods share the node's IP: that IP names the node, not them.
    if (ip && !entry.hostNetwork && entry.running) this.podsByIP.set(ip, entry);
  }

  private addService(service: V1Service, given: V1EndpointSlice[] | undefined): void {
    const namespace = service.metadata?.namespace ?? 'default';
    const name = service.metadata?.name ?? '';
    this.namespace(namespace);
    const slices = given
      ? given.filter(
          (s) =>
            (s.metadata?.namespace ?? 'default') === namespace &&
            s.metadata?.labels?.[SERVICE_NAME_LABEL] === name,
        )
      : computeEndpointSlices(
          service,
          this.podsIn(namespace).map((p) => p.pod),
          this.state.nodes ?? [],
        );
    const entry: ServiceEntry = {
      service,
      namespace,
      name,
      key: `${namespace}/${name}`,
      slices,
      computedSlices: !given,
    };
    this.services.set(entry.key, entry);
    const spec = service.spec ?? {};
    const ips = [...(spec.clusterIPs ?? []), spec.clusterIP ?? ''].filter(
      (ip) => ip && ip !== 'None' && isIPv4(ip),
    );
    for (const ip of ips) this.servicesByIP.set(ip, entry);
    // kube-proxy also answers on externalIPs and load-balancer IPs, like on the ClusterIP.
    const outer = [
      ...(spec.externalIPs ?? []),
      ...(service.status?.loadBalancer?.ingress ?? []).map((i) => i.ip ?? ''),
    ];
    for (const ip of outer.filter((ip) => isIPv4(ip))) this.servicesByExternalIP.set(ip, entry);
  }
}
