import type { NewObject, StoredObject } from '../store/object-store';
import { ensure, type SimContext, type ResolvedOptions } from './context';
import {
  controlPlanePods,
  coreDnsDeployment,
  kindnetDaemonSet,
  kubeDnsService,
  kubeProxyDaemonSet,
  kubernetesService,
  preloadedImages,
} from './system-manifests';
import { fnv32a } from './names';
import { cniDaemonSetFor } from '../controllers/cni-detector';
import {
  defaultClusterRoleBindings,
  defaultClusterRoles,
  systemClusterRoles,
  kubeSystemConfigMaps,
  kubeSystemServiceAccounts,
} from './kube-system-objects';

/** Node names as kind makes them: `<name>-control-plane`, `<name>-worker`, `<name>-worker2`, ... */
export function nodeNames(o: ResolvedOptions): string[] {
  const names = [`${o.name}-control-plane`];
  for (let i = 1; i < o.nodes; i++) names.push(`${o.name}-worker${i === 1 ? '' : i}`);
  return names;
}

/** The node's InternalIP on kind's docker network. */
export function nodeIp(index: number): string {
  return `172.18.0.${index + 2}`;
}

/** Namespaces every cluster starts with. */
export const SYSTEM_NAMESPACES = ['default', 'kube-node-lease', 'kube-public', 'kube-system'];

/** A Namespace object as the API server stores it. */
export function namespaceObject(name: string): NewObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, labels: { 'kubernetes.io/metadata.name': name } },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  };
}

function nodeObject(o: ResolvedOptions, name: string, index: number): NewObject {
  const controlPlane = index === 0;
  const id = fnv32a(`${o.name}/${name}`).toString(16).padStart(8, '0');
  const resources = {
    cpu: '2',
    'ephemeral-storage': '102626232Ki',
    'hugepages-2Mi': '0',
    memory: '24570252Ki',
    pods: '110',
  };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: {
        'beta.kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        ...(controlPlane
          ? {
              'node-role.kubernetes.io/control-plane': '',
              'node.kubernetes.io/exclude-from-external-load-balancers': '',
            }
          : {}),
      },
      annotations: {
        'kubeadm.alpha.kubernetes.io/cri-socket': 'unix:///run/containerd/containerd.sock',
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
    },
    spec: {
      podCIDR: `10.244.${index}.0/24`,
      podCIDRs: [`10.244.${index}.0/24`],
      providerID: `kind://docker/${o.name}/${name}`,
      // kind removes the control-plane taint when the cluster has no workers.
      ...(controlPlane && o.nodes > 1
        ? { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] }
        : {}),
    },
    status: {
      addresses: [
        { type: 'InternalIP', address: nodeIp(index) },
        { type: 'Hostname', address: name },
      ],
      capacity: resources,
      allocatable: resources,
      conditions: [],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        architecture: 'amd64',
        bootID: `${id}-1b2c-4d5e-8f90-${id}abcd`,
        containerRuntimeVersion: 'containerd://1.7.15',
        kernelVersion: '6.1.0-27-amd64',
        kubeProxyVersion: o.version,
        kubeletVersion: o.version,
        machineID: `${id}${id}${id}${id}`,
        operatingSystem: 'linux',
        osImage: 'Debian GNU/Linux 12 (bookworm)',
        systemUUID: `${id}-5a6b-4c7d-9e8f-${id}0a1b`,
      },
      images: preloadedImages(o).map((n) => ({
        names: [n],
        sizeBytes: 10_000_000 + (fnv32a(n) % 90_000_000),
      })),
    },
  };
}

/**
 * The events a kind node shows once it has started (`kubectl describe node`): the kubelet starting
 * and reporting its pressure conditions, the node controller registering it, kube-proxy starting.
 * NodeReady follows when the node turns Ready (node-network controller).
 */
function recordNodeStart(ctx: SimContext, node: StoredObject): void {
  const name = node.metadata.name;
  const kubelet = { component: 'kubelet', host: name };
  ctx.events.record(node, 'Normal', 'Starting', 'Starting kubelet.', kubelet);
  for (const condition of ['NodeHasSufficientMemory', 'NodeHasNoDiskPressure', 'NodeHasSufficientPID']) {
    ctx.events.record(node, 'Normal', condition, `Node ${name} status is now: ${condition}`, kubelet);
  }
  ctx.events.record(
    node,
    'Normal',
    'NodeAllocatableEnforced',
    'Updated Node Allocatable limit across pods',
    kubelet,
  );
  ctx.events.record(
    node,
    'Normal',
    'RegisteredNode',
    `Node ${name} event: Registered Node ${name} in Controller`,
    { component: 'node-controller' },
  );
  ctx.events.record(node, 'Normal', 'Starting', '', { component: 'kube-proxy', host: name });
}

/** Creates what kind creates: nodes, namespaces, the API's Service, CoreDNS, kube-proxy, the CNI. */
export function bootstrap(ctx: SimContext): void {
  const { store, options } = ctx;
  for (const ns of SYSTEM_NAMESPACES) ensure(store, 'namespaces', namespaceObject(ns));
  const names = nodeNames(options);
  names.forEach((name, i) => {
    const exists = store.get('nodes', undefined, name);
    const node = ensure(store, 'nodes', nodeObject(options, name, i));
    if (!exists) recordNodeStart(ctx, node);
  });
  ensure(store, 'services', kubernetesService());
  const apiAddress = {
    addresses: [{ ip: nodeIp(0) }],
    ports: [{ name: 'https', port: 6443, protocol: 'TCP' }],
  };
  ensure(store, 'endpoints', {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: {
      name: 'kubernetes',
      namespace: 'default',
      labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' },
    },
    subsets: [apiAddress],
  });
  ensure(store, 'discovery.k8s.io/endpointslices', {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name: 'kubernetes',
      namespace: 'default',
      labels: { 'kubernetes.io/service-name': 'kubernetes' },
    },
    addressType: 'IPv4',
    endpoints: [{ addresses: [nodeIp(0)], conditions: { ready: true } }],
    ports: [{ name: 'https', port: 6443, protocol: 'TCP' }],
  });
  const cp = store.mustGet('nodes', undefined, names[0]!);
  for (const pod of controlPlanePods(options, {
    name: cp.metadata.name,
    uid: cp.metadata.uid,
    ip: nodeIp(0),
  })) {
    ensure(store, 'pods', pod);
  }
  for (const sa of kubeSystemServiceAccounts(options)) ensure(store, 'serviceaccounts', sa);
  for (const cm of kubeSystemConfigMaps(options)) ensure(store, 'configmaps', cm);
  for (const r of [...defaultClusterRoles(options), ...systemClusterRoles()])
    ensure(store, 'rbac.authorization.k8s.io/clusterroles', r);
  for (const b of defaultClusterRoleBindings(options))
    ensure(store, 'rbac.authorization.k8s.io/clusterrolebindings', b);
  ensure(store, 'services', kubeDnsService());
  ensure(store, 'apps/deployments', coreDnsDeployment());
  ensure(store, 'apps/daemonsets', kubeProxyDaemonSet(options));
  if (options.cni) {
    const ds = options.cniPlugin === 'kindnet' ? kindnetDaemonSet() : cniDaemonSetFor(options.cniPlugin);
    ensure(store, 'apps/daemonsets', ds);
  }
}
