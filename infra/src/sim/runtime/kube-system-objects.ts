import type { NewObject } from '../store/object-store';
import type { ResolvedOptions } from './context';

/** The ServiceAccounts kube-controller-manager's controllers, kube-proxy, CoreDNS and kindnet use. */
const CONTROLLER_ACCOUNTS = [
  'attachdetach-controller',
  'bootstrap-signer',
  'certificate-controller',
  'clusterrole-aggregation-controller',
  'cronjob-controller',
  'daemon-set-controller',
  'deployment-controller',
  'disruption-controller',
  'endpoint-controller',
  'endpointslice-controller',
  'endpointslicemirroring-controller',
  'ephemeral-volume-controller',
  'expand-controller',
  'generic-garbage-collector',
  'horizontal-pod-autoscaler',
  'job-controller',
  'legacy-service-account-token-cleaner',
  'namespace-controller',
  'node-controller',
  'persistent-volume-binder',
  'pod-garbage-collector',
  'pv-protection-controller',
  'pvc-protection-controller',
  'replicaset-controller',
  'replication-controller',
  'resourcequota-controller',
  'root-ca-cert-publisher',
  'service-account-controller',
  'statefulset-controller',
  'token-cleaner',
  'ttl-after-finished-controller',
  'ttl-controller',
  'validatingadmissionpolicy-status-controller',
];

/** kube-system's ServiceAccounts on a kind cluster (`default` comes from the ServiceAccount controller). */
export function kubeSystemServiceAccounts(o: ResolvedOptions): NewObject[] {
  const names = [
    ...CONTROLLER_ACCOUNTS,
    'coredns',
    'kube-proxy',
    ...(o.cni && o.cniPlugin === 'kindnet' ? ['kindnet'] : []),
  ];
  return names.sort().map((name) => ({
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name, namespace: 'kube-system' },
  }));
}

/** The Corefile kubeadm writes for a cluster of this minor (kind runs kubeadm). */
export function corefile(minor: number): string {
  const cache =
    minor >= 32
      ? '    cache 30 {\n       disable success cluster.local\n       disable denial cluster.local\n    }\n'
      : '    cache 30\n';
  return (
    '.:53 {\n' +
    '    errors\n' +
    '    health {\n       lameduck 5s\n    }\n' +
    '    ready\n' +
    '    kubernetes cluster.local in-addr.arpa ip6.arpa {\n' +
    '       pods insecure\n' +
    '       fallthrough in-addr.arpa ip6.arpa\n' +
    '       ttl 30\n' +
    '    }\n' +
    '    prometheus :9153\n' +
    '    forward . /etc/resolv.conf {\n       max_concurrent 1000\n    }\n' +
    cache +
    '    loop\n' +
    '    reload\n' +
    '    loadbalance\n' +
    '}\n'
  );
}

/** The ConfigMaps kubeadm leaves in kube-system that learners read (`kube-root-ca.crt` comes from its controller). */
export function kubeSystemConfigMaps(o: ResolvedOptions): NewObject[] {
  const cm = (name: string, data: Record<string, string>, labels?: Record<string, string>): NewObject => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: 'kube-system', ...(labels ? { labels } : {}) },
    data,
  });
  return [
    cm('coredns', { Corefile: corefile(o.minor) }),
    cm(
      'kube-proxy',
      {
        'config.conf':
          'apiVersion: kubeproxy.config.k8s.io/v1alpha1\nbindAddress: 0.0.0.0\nclusterCIDR: 10.244.0.0/16\n' +
          'conntrack:\n  maxPerCore: 0\nkind: KubeProxyConfiguration\nmetricsBindAddress: 0.0.0.0:10249\n' +
          'mode: iptables\niptables:\n  minSyncPeriod: 1s\n  syncPeriod: 30s\n',
        'kubeconfig.conf':
          'apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n    certificate-authority: /var/run/secrets/kubernetes.io/serviceaccount/ca.crt\n' +
          `    server: https://${o.name}-control-plane:6443\n  name: default\n`,
      },
      { app: 'kube-proxy' },
    ),
    cm('kubeadm-config', {
      ClusterConfiguration:
        'apiVersion: kubeadm.k8s.io/v1beta4\nclusterName: ' +
        `${o.name}\ncontrolPlaneEndpoint: ${o.name}-control-plane:6443\nkind: ClusterConfiguration\n` +
        `kubernetesVersion: ${o.version}\nnetworking:\n  dnsDomain: cluster.local\n  podSubnet: 10.244.0.0/16\n  serviceSubnet: 10.96.0.0/16\n`,
    }),
  ];
}

type Rule = { apiGroups?: string[]; resources?: string[]; verbs: string[]; nonResourceURLs?: string[] };

function clusterRole(name: string, rules: Rule[], bootstrap = true): NewObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: {
      name,
      ...(bootstrap ? { labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' } } : {}),
      ...(bootstrap ? { annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' } } : {}),
    },
    rules,
  };
}

function binding(name: string, role: string, subject: Record<string, string>, bootstrap = true): NewObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: {
      name,
      ...(bootstrap ? { labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' } } : {}),
      ...(bootstrap ? { annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' } } : {}),
    },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
    subjects: [subject],
  };
}

const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'delete', 'deletecollection', 'patch', 'update'];
const group = (name: string) => ({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name });
const account = (name: string) => ({ kind: 'ServiceAccount', name, namespace: 'kube-system' });

/** Workload and config resources the user-facing roles cover. */
const EVERYDAY: Rule[] = [
  {
    apiGroups: [''],
    resources: [
      'configmaps',
      'endpoints',
      'persistentvolumeclaims',
      'pods',
      'replicationcontrollers',
      'services',
      'serviceaccounts',
      'secrets',
    ],
    verbs: READ,
  },
  {
    apiGroups: ['apps'],
    resources: ['daemonsets', 'deployments', 'replicasets', 'statefulsets'],
    verbs: READ,
  },
  { apiGroups: ['batch'], resources: ['cronjobs', 'jobs'], verbs: READ },
  { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: READ },
  { apiGroups: ['networking.k8s.io'], resources: ['ingresses', 'networkpolicies'], verbs: READ },
];

/** The default ClusterRoles a kind cluster has that learners look at (user-facing and system ones). */
export function defaultClusterRoles(o: ResolvedOptions): NewObject[] {
  const view = EVERYDAY.map((r) => ({ ...r, resources: r.resources!.filter((x) => x !== 'secrets') }));
  const edit = EVERYDAY.map((r) => ({ ...r, verbs: [...READ, ...WRITE] }));
  return [
    clusterRole('cluster-admin', [
      { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
      { nonResourceURLs: ['*'], verbs: ['*'] },
    ]),
    clusterRole('admin', [
      ...edit,
      {
        apiGroups: ['rbac.authorization.k8s.io'],
        resources: ['rolebindings', 'roles'],
        verbs: [...READ, ...WRITE],
      },
    ]),
    clusterRole('edit', edit),
    clusterRole('view', view),
    clusterRole('system:basic-user', [
      {
        apiGroups: ['authorization.k8s.io'],
        resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'],
        verbs: ['create'],
      },
      { apiGroups: ['authentication.k8s.io'], resources: ['selfsubjectreviews'], verbs: ['create'] },
    ]),
    clusterRole('system:discovery', [
      {
        nonResourceURLs: [
          '/api',
          '/api/*',
          '/apis',
          '/apis/*',
          '/healthz',
          '/livez',
          '/openapi',
          '/openapi/*',
          '/readyz',
          '/version',
          '/version/',
        ],
        verbs: ['get'],
      },
    ]),
    clusterRole('system:public-info-viewer', [
      { nonResourceURLs: ['/healthz', '/livez', '/readyz', '/version', '/version/'], verbs: ['get'] },
    ]),
    clusterRole(
      'system:coredns',
      [
        {
          apiGroups: [''],
          resources: ['endpoints', 'services', 'pods', 'namespaces'],
          verbs: ['list', 'watch'],
        },
        { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['list', 'watch'] },
      ],
      false,
    ),
    clusterRole('system:node-proxier', [
      { apiGroups: [''], resources: ['endpoints', 'services'], verbs: ['list', 'watch'] },
      { apiGroups: [''], resources: ['nodes'], verbs: READ },
      { apiGroups: ['', 'events.k8s.io'], resources: ['events'], verbs: ['create', 'patch', 'update'] },
      { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['list', 'watch'] },
    ]),
    clusterRole('system:node', [
      { apiGroups: [''], resources: ['pods'], verbs: READ },
      {
        apiGroups: [''],
        resources: ['nodes', 'nodes/status'],
        verbs: ['get', 'list', 'watch', 'patch', 'update'],
      },
    ]),
    ...(o.cni && o.cniPlugin === 'kindnet'
      ? [
          clusterRole(
            'kindnet',
            [
              { apiGroups: [''], resources: ['nodes'], verbs: ['list', 'watch', 'patch'] },
              { apiGroups: [''], resources: ['configmaps'], verbs: ['get'] },
              { apiGroups: [''], resources: ['namespaces', 'pods'], verbs: ['list', 'watch'] },
              { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: ['list', 'watch'] },
            ],
            false,
          ),
        ]
      : []),
  ];
}

/** The default ClusterRoleBindings that go with them. */
export function defaultClusterRoleBindings(o: ResolvedOptions): NewObject[] {
  return [
    binding('cluster-admin', 'cluster-admin', group('system:masters')),
    binding('kubeadm:cluster-admins', 'cluster-admin', group('kubeadm:cluster-admins'), false),
    binding('system:basic-user', 'system:basic-user', group('system:authenticated')),
    binding('system:discovery', 'system:discovery', group('system:authenticated')),
    binding('system:public-info-viewer', 'system:public-info-viewer', group('system:unauthenticated')),
    binding('system:coredns', 'system:coredns', account('coredns'), false),
    binding('kubeadm:node-proxier', 'system:node-proxier', account('kube-proxy'), false),
    ...(o.cni && o.cniPlugin === 'kindnet' ? [binding('kindnet', 'kindnet', account('kindnet'), false)] : []),
  ];
}
