import type { NewObject } from '../store/object-store';
import type { ResolvedOptions } from './context';

/** The Service CIDR's well-known addresses, as kubeadm assigns them in kind. */
export const KUBERNETES_SERVICE_IP = '10.96.0.1';
/** The cluster DNS Service address written into every pod's resolv.conf. */
export const CLUSTER_DNS_IP = '10.96.0.10';

/** Images of the kind node (`crictl images`), present without pulling. */
export function preloadedImages(o: ResolvedOptions): string[] {
  return [
    'registry.k8s.io/coredns/coredns:v1.11.1',
    `registry.k8s.io/kube-proxy:${o.version}`,
    'docker.io/kindest/kindnetd:v20240513-cd2ac642',
    'registry.k8s.io/pause:3.9',
    `registry.k8s.io/kube-apiserver:${o.version}`,
    `registry.k8s.io/kube-controller-manager:${o.version}`,
    `registry.k8s.io/kube-scheduler:${o.version}`,
    'registry.k8s.io/etcd:3.5.12-0',
  ];
}

const CRITICAL = { priorityClassName: 'system-node-critical', priority: 2000001000 };
const TOLERATE_ALL = [{ operator: 'Exists' }];

/** CoreDNS as kubeadm deploys it (Deployment, 2 replicas). */
export function coreDnsDeployment(): NewObject {
  const labels = { 'k8s-app': 'kube-dns' };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'coredns', namespace: 'kube-system', labels },
    spec: {
      replicas: 2,
      selector: { matchLabels: labels },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      template: {
        metadata: { labels },
        spec: {
          priorityClassName: 'system-cluster-critical',
          serviceAccountName: 'coredns',
          tolerations: [
            { key: 'CriticalAddonsOnly', operator: 'Exists' },
            { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' },
          ],
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          dnsPolicy: 'Default',
          volumes: [
            {
              name: 'config-volume',
              configMap: {
                name: 'coredns',
                items: [{ key: 'Corefile', path: 'Corefile' }],
                defaultMode: 420,
              },
            },
          ],
          containers: [
            {
              name: 'coredns',
              image: 'registry.k8s.io/coredns/coredns:v1.11.1',
              imagePullPolicy: 'IfNotPresent',
              args: ['-conf', '/etc/coredns/Corefile'],
              volumeMounts: [{ name: 'config-volume', mountPath: '/etc/coredns', readOnly: true }],
              ports: [
                { name: 'dns', containerPort: 53, protocol: 'UDP' },
                { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' },
                { name: 'metrics', containerPort: 9153, protocol: 'TCP' },
              ],
              livenessProbe: {
                httpGet: { path: '/health', port: 8080, scheme: 'HTTP' },
                initialDelaySeconds: 60,
                timeoutSeconds: 5,
                periodSeconds: 10,
                successThreshold: 1,
                failureThreshold: 5,
              },
              readinessProbe: {
                httpGet: { path: '/ready', port: 8181, scheme: 'HTTP' },
                timeoutSeconds: 1,
                periodSeconds: 10,
                successThreshold: 1,
                failureThreshold: 3,
              },
            },
          ],
        },
      },
    },
  };
}

/** The `kube-dns` Service at 10.96.0.10. */
export function kubeDnsService(): NewObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: 'kube-dns',
      namespace: 'kube-system',
      labels: {
        'k8s-app': 'kube-dns',
        'kubernetes.io/cluster-service': 'true',
        'kubernetes.io/name': 'CoreDNS',
      },
      annotations: { 'prometheus.io/port': '9153', 'prometheus.io/scrape': 'true' },
    },
    spec: {
      type: 'ClusterIP',
      clusterIP: CLUSTER_DNS_IP,
      clusterIPs: [CLUSTER_DNS_IP],
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      internalTrafficPolicy: 'Cluster',
      sessionAffinity: 'None',
      selector: { 'k8s-app': 'kube-dns' },
      ports: [
        { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
        { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
        { name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 },
      ],
    },
    status: { loadBalancer: {} },
  };
}

/** The `kubernetes` Service in default, fronting the API server. */
export function kubernetesService(): NewObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: 'kubernetes',
      namespace: 'default',
      labels: { component: 'apiserver', provider: 'kubernetes' },
    },
    spec: {
      type: 'ClusterIP',
      clusterIP: KUBERNETES_SERVICE_IP,
      clusterIPs: [KUBERNETES_SERVICE_IP],
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      internalTrafficPolicy: 'Cluster',
      sessionAffinity: 'None',
      ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }],
    },
    status: { loadBalancer: {} },
  };
}

/** A kube-system DaemonSet of host-network pods on every node (kube-proxy, a CNI agent). */
export function systemDaemonSet(
  name: string,
  labels: Record<string, string>,
  image: string,
  extra: { command?: string[]; env?: unknown[] } = {},
): NewObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace: 'kube-system', labels },
    spec: {
      selector: { matchLabels: { 'k8s-app': labels['k8s-app'] ?? name } },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
      revisionHistoryLimit: 10,
      template: {
        metadata: { labels: { ...labels, 'k8s-app': labels['k8s-app'] ?? name } },
        spec: {
          hostNetwork: true,
          ...CRITICAL,
          serviceAccountName: name,
          tolerations: TOLERATE_ALL,
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          containers: [
            {
              name: name === 'kindnet' ? 'kindnet-cni' : name,
              image,
              imagePullPolicy: 'IfNotPresent',
              ...(extra.command ? { command: extra.command } : {}),
              ...(extra.env ? { env: extra.env } : {}),
              securityContext: { privileged: true },
            },
          ],
        },
      },
    },
  };
}

/** kube-proxy as kubeadm deploys it. */
export function kubeProxyDaemonSet(o: ResolvedOptions): NewObject {
  return systemDaemonSet(
    'kube-proxy',
    { 'k8s-app': 'kube-proxy' },
    `registry.k8s.io/kube-proxy:${o.version}`,
    {
      command: [
        '/usr/local/bin/kube-proxy',
        '--config=/var/lib/kube-proxy/config.conf',
        '--hostname-override=$(NODE_NAME)',
      ],
      env: [{ name: 'NODE_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nodeName' } } }],
    },
  );
}

/** kind's default CNI. */
export function kindnetDaemonSet(): NewObject {
  return systemDaemonSet(
    'kindnet',
    { app: 'kindnet', 'k8s-app': 'kindnet', tier: 'node' },
    'docker.io/kindest/kindnetd:v20240513-cd2ac642',
    { env: [{ name: 'POD_SUBNET', value: '10.244.0.0/16' }] },
  );
}

/** The control plane's static (mirror) pods, as `kubectl get pods -n kube-system` lists them on kind. */
export function controlPlanePods(
  o: ResolvedOptions,
  node: { name: string; uid: string; ip: string },
): NewObject[] {
  const components: [string, string, string[]][] = [
    ['etcd', 'registry.k8s.io/etcd:3.5.12-0', ['etcd', `--advertise-client-urls=https://${node.ip}:2379`]],
    [
      'kube-apiserver',
      `registry.k8s.io/kube-apiserver:${o.version}`,
      ['kube-apiserver', `--advertise-address=${node.ip}`, '--service-cluster-ip-range=10.96.0.0/16'],
    ],
    [
      'kube-controller-manager',
      `registry.k8s.io/kube-controller-manager:${o.version}`,
      ['kube-controller-manager', '--cluster-cidr=10.244.0.0/16', '--allocate-node-cidrs=true'],
    ],
    [
      'kube-scheduler',
      `registry.k8s.io/kube-scheduler:${o.version}`,
      ['kube-scheduler', '--leader-elect=true'],
    ],
  ];
  return components.map(([component, image, command]) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${component}-${node.name}`,
      namespace: 'kube-system',
      labels: { component, tier: 'control-plane' },
      annotations: { 'kubernetes.io/config.source': 'file', 'kubernetes.io/config.mirror': 'static' },
      ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: node.name, uid: node.uid, controller: true }],
    },
    spec: {
      nodeName: node.name,
      hostNetwork: true,
      ...CRITICAL,
      priorityClassName: 'system-node-critical',
      restartPolicy: 'Always',
      tolerations: [{ operator: 'Exists', effect: 'NoExecute' }],
      containers: [{ name: component, image, imagePullPolicy: 'IfNotPresent', command }],
    },
  }));
}
