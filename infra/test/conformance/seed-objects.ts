import type { NewObject, ObjectStore } from '../../src/sim/store/object-store';

const ago = (seconds: number): string =>
  new Date(Date.now() - seconds * 1000).toISOString().replace(/\.\d+Z$/, 'Z');

/**
 * Objects as a runtime would write them (a node, a running and a crashing pod, a ReplicaSet, a
 * DaemonSet, Endpoints, an EndpointSlice, an Event, a NetworkPolicy, an Ingress), for printing tests
 * of an API-only cluster.
 */
export function seedCluster(store: ObjectStore): void {
  const put = (resource: string, o: NewObject) => store.create(resource, o);
  put('configmaps', {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'kube-root-ca.crt', namespace: 'default' },
    data: { 'ca.crt': 'x' },
  });
  put('secrets', {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'tls', namespace: 'default' },
    type: 'kubernetes.io/tls',
    data: { 'tls.crt': '', 'tls.key': '' },
  });
  put('nodes', {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: 'conf-control-plane',
      labels: { 'node-role.kubernetes.io/control-plane': '', 'kubernetes.io/hostname': 'conf-control-plane' },
    },
    spec: { podCIDR: '10.244.0.0/24' },
    status: {
      conditions: [
        { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' },
      ],
      addresses: [
        { type: 'InternalIP', address: '172.18.0.2' },
        { type: 'Hostname', address: 'conf-control-plane' },
      ],
      nodeInfo: {
        kubeletVersion: 'v1.33.1',
        osImage: 'Debian GNU/Linux 12 (bookworm)',
        kernelVersion: '6.1.0',
        containerRuntimeVersion: 'containerd://1.7.18',
        architecture: 'amd64',
        operatingSystem: 'linux',
      },
    },
  });
  put('pods', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web-7d4b9c-abcde', namespace: 'default', labels: { app: 'web' } },
    spec: { nodeName: 'conf-control-plane', containers: [{ name: 'web', image: 'nginx:1.25' }] },
    status: {
      phase: 'Running',
      podIP: '10.244.0.5',
      conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: [
        {
          name: 'web',
          ready: true,
          restartCount: 0,
          image: 'nginx:1.25',
          state: { running: { startedAt: ago(60) } },
        },
      ],
    },
  });
  const crash = put('pods', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'crash', namespace: 'default', labels: { app: 'crash' } },
    spec: { nodeName: 'conf-control-plane', containers: [{ name: 'c', image: 'busybox' }] },
    status: {
      phase: 'Running',
      podIP: '10.244.0.6',
      containerStatuses: [
        {
          name: 'c',
          ready: false,
          restartCount: 4,
          image: 'busybox',
          state: { waiting: { reason: 'CrashLoopBackOff' } },
          lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: ago(30) } },
        },
      ],
    },
  });
  put('apps/replicasets', {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'web-7d4b9c', namespace: 'default', labels: { app: 'web' } },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'web', image: 'nginx:1.25' }] },
      },
    },
    status: { replicas: 1, readyReplicas: 1 },
  });
  put('apps/daemonsets', {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'agent', namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: 'agent' } },
      template: {
        metadata: { labels: { app: 'agent' } },
        spec: {
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          containers: [{ name: 'agent', image: 'busybox' }],
        },
      },
    },
    status: {
      desiredNumberScheduled: 1,
      currentNumberScheduled: 1,
      numberReady: 1,
      updatedNumberScheduled: 1,
      numberAvailable: 1,
    },
  });
  put('endpoints', {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: 'web', namespace: 'default' },
    subsets: [{ addresses: [{ ip: '10.244.0.5' }], ports: [{ port: 80, protocol: 'TCP' }] }],
  });
  put('discovery.k8s.io/endpointslices', {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'web-x7k2p', namespace: 'default', labels: { 'kubernetes.io/service-name': 'web' } },
    addressType: 'IPv4',
    endpoints: [{ addresses: ['10.244.0.5'], conditions: { ready: true } }],
    ports: [{ port: 80, protocol: 'TCP', name: '' }],
  });
  put('events', {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: 'crash.1', namespace: 'default' },
    involvedObject: {
      kind: 'Pod',
      name: 'crash',
      namespace: 'default',
      apiVersion: 'v1',
      uid: crash.metadata.uid,
    },
    reason: 'BackOff',
    message: 'Back-off restarting failed container c in pod crash_default(uid)',
    type: 'Warning',
    source: { component: 'kubelet', host: 'conf-control-plane' },
    firstTimestamp: ago(90),
    lastTimestamp: ago(10),
    count: 5,
  });
  put('networking.k8s.io/networkpolicies', {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'deny', namespace: 'default' },
    spec: { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'] },
  });
  put('networking.k8s.io/ingresses', {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      ingressClassName: 'nginx',
      rules: [
        {
          host: 'web.local',
          http: {
            paths: [
              { path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } },
            ],
          },
        },
      ],
    },
  });
}
