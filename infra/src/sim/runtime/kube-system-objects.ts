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
const user = (name: string) => ({ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name });

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

const EVENTS: Rule = {
  apiGroups: ['', 'events.k8s.io'],
  resources: ['events'],
  verbs: ['create', 'patch', 'update'],
};

/**
 * kube-controller-manager's controllers that the bootstrap RBAC policy gives a ClusterRole and a
 * binding to their kube-system ServiceAccount, each with the main rule of what it manages (the
 * full policy lists more sub-resources; the sim does not enforce RBAC).
 */
const CONTROLLER_ROLES: Record<string, Rule[]> = {
  'attachdetach-controller': [
    {
      apiGroups: [''],
      resources: ['nodes', 'persistentvolumeclaims', 'persistentvolumes', 'pods'],
      verbs: ['get', 'list', 'watch'],
    },
    {
      apiGroups: ['storage.k8s.io'],
      resources: ['volumeattachments'],
      verbs: ['create', 'delete', 'get', 'list', 'watch'],
    },
  ],
  'certificate-controller': [
    {
      apiGroups: ['certificates.k8s.io'],
      resources: ['certificatesigningrequests'],
      verbs: ['delete', 'get', 'list', 'watch'],
    },
  ],
  'clusterrole-aggregation-controller': [
    {
      apiGroups: ['rbac.authorization.k8s.io'],
      resources: ['clusterroles'],
      verbs: ['escalate', 'get', 'list', 'patch', 'update', 'watch'],
    },
  ],
  'cronjob-controller': [
    { apiGroups: ['batch'], resources: ['cronjobs'], verbs: ['get', 'list', 'update', 'watch'] },
    {
      apiGroups: ['batch'],
      resources: ['jobs'],
      verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    },
  ],
  'daemon-set-controller': [
    { apiGroups: ['apps', 'extensions'], resources: ['daemonsets'], verbs: ['get', 'list', 'watch'] },
    { apiGroups: [''], resources: ['pods'], verbs: ['create', 'delete', 'list', 'patch', 'watch'] },
    { apiGroups: [''], resources: ['pods/binding'], verbs: ['create'] },
  ],
  'deployment-controller': [
    {
      apiGroups: ['apps', 'extensions'],
      resources: ['deployments'],
      verbs: ['get', 'list', 'update', 'watch'],
    },
    {
      apiGroups: ['apps', 'extensions'],
      resources: ['replicasets'],
      verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    },
  ],
  'disruption-controller': [
    { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: ['get', 'list', 'watch'] },
  ],
  'endpoint-controller': [
    { apiGroups: [''], resources: ['pods', 'services'], verbs: ['get', 'list', 'watch'] },
    { apiGroups: [''], resources: ['endpoints'], verbs: ['create', 'delete', 'get', 'list', 'update'] },
  ],
  'endpointslice-controller': [
    { apiGroups: [''], resources: ['nodes', 'pods', 'services'], verbs: ['get', 'list', 'watch'] },
    {
      apiGroups: ['discovery.k8s.io'],
      resources: ['endpointslices'],
      verbs: ['create', 'delete', 'get', 'list', 'update'],
    },
  ],
  'endpointslicemirroring-controller': [
    { apiGroups: [''], resources: ['endpoints', 'services'], verbs: ['get', 'list', 'watch'] },
    {
      apiGroups: ['discovery.k8s.io'],
      resources: ['endpointslices'],
      verbs: ['create', 'delete', 'get', 'list', 'update'],
    },
  ],
  'ephemeral-volume-controller': [
    { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] },
    { apiGroups: [''], resources: ['persistentvolumeclaims'], verbs: ['create', 'get', 'list', 'watch'] },
  ],
  'expand-controller': [
    { apiGroups: [''], resources: ['persistentvolumes'], verbs: ['get', 'list', 'patch', 'update', 'watch'] },
  ],
  'generic-garbage-collector': [
    { apiGroups: ['*'], resources: ['*'], verbs: ['delete', 'get', 'list', 'patch', 'update', 'watch'] },
  ],
  'horizontal-pod-autoscaler': [
    { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: ['get', 'list', 'watch'] },
    { apiGroups: ['*'], resources: ['*/scale'], verbs: ['get', 'update'] },
  ],
  'job-controller': [
    { apiGroups: ['batch'], resources: ['jobs'], verbs: ['get', 'list', 'patch', 'update', 'watch'] },
    { apiGroups: [''], resources: ['pods'], verbs: ['create', 'delete', 'list', 'patch', 'watch'] },
  ],
  'legacy-service-account-token-cleaner': [
    { apiGroups: [''], resources: ['secrets'], verbs: ['delete', 'patch'] },
  ],
  'namespace-controller': [
    { apiGroups: [''], resources: ['namespaces'], verbs: ['delete', 'get', 'list', 'watch'] },
    { apiGroups: ['*'], resources: ['*'], verbs: ['delete', 'deletecollection', 'get', 'list'] },
  ],
  'node-controller': [
    { apiGroups: [''], resources: ['nodes'], verbs: ['delete', 'get', 'list', 'patch', 'update'] },
    { apiGroups: [''], resources: ['pods'], verbs: ['delete', 'list'] },
  ],
  'persistent-volume-binder': [
    {
      apiGroups: [''],
      resources: ['persistentvolumes'],
      verbs: ['create', 'delete', 'get', 'list', 'update', 'watch'],
    },
  ],
  'pod-garbage-collector': [
    { apiGroups: [''], resources: ['pods'], verbs: ['delete', 'list', 'watch'] },
    { apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list'] },
  ],
  'pv-protection-controller': [
    { apiGroups: [''], resources: ['persistentvolumes'], verbs: ['get', 'list', 'update', 'watch'] },
  ],
  'pvc-protection-controller': [
    { apiGroups: [''], resources: ['persistentvolumeclaims'], verbs: ['get', 'list', 'update', 'watch'] },
  ],
  'replicaset-controller': [
    {
      apiGroups: ['apps', 'extensions'],
      resources: ['replicasets'],
      verbs: ['get', 'list', 'update', 'watch'],
    },
    { apiGroups: [''], resources: ['pods'], verbs: ['create', 'delete', 'list', 'patch', 'watch'] },
  ],
  'replication-controller': [
    { apiGroups: [''], resources: ['replicationcontrollers'], verbs: ['get', 'list', 'update', 'watch'] },
    { apiGroups: [''], resources: ['pods'], verbs: ['create', 'delete', 'list', 'patch', 'watch'] },
  ],
  'resourcequota-controller': [{ apiGroups: ['*'], resources: ['*'], verbs: ['list', 'watch'] }],
  'root-ca-cert-publisher': [{ apiGroups: [''], resources: ['configmaps'], verbs: ['create', 'update'] }],
  'route-controller': [{ apiGroups: [''], resources: ['nodes'], verbs: ['list', 'watch'] }],
  'service-account-controller': [{ apiGroups: [''], resources: ['serviceaccounts'], verbs: ['create'] }],
  'service-controller': [
    { apiGroups: [''], resources: ['services'], verbs: ['get', 'list', 'watch'] },
    { apiGroups: [''], resources: ['services/status'], verbs: ['patch', 'update'] },
  ],
  'statefulset-controller': [
    { apiGroups: ['apps'], resources: ['statefulsets'], verbs: ['get', 'list', 'watch'] },
    { apiGroups: [''], resources: ['pods'], verbs: ['create', 'delete', 'get', 'patch', 'update'] },
  ],
  'ttl-after-finished-controller': [
    { apiGroups: ['batch'], resources: ['jobs'], verbs: ['delete', 'get', 'list', 'watch'] },
  ],
  'ttl-controller': [{ apiGroups: [''], resources: ['nodes'], verbs: ['list', 'patch', 'update', 'watch'] }],
  'validatingadmissionpolicy-status-controller': [
    {
      apiGroups: ['admissionregistration.k8s.io'],
      resources: ['validatingadmissionpolicies'],
      verbs: ['get', 'list', 'watch'],
    },
  ],
};

/** The ClusterRoles kubeadm and the bootstrap policy add besides the user-facing ones. */
export function systemClusterRoles(): NewObject[] {
  return [
    ...Object.entries(CONTROLLER_ROLES).map(([name, rules]) =>
      clusterRole(`system:controller:${name}`, [...rules, EVENTS]),
    ),
    clusterRole('kubeadm:get-nodes', [{ apiGroups: [''], resources: ['nodes'], verbs: ['get'] }], false),
    clusterRole('system:node-bootstrapper', [
      {
        apiGroups: ['certificates.k8s.io'],
        resources: ['certificatesigningrequests'],
        verbs: ['create', 'get', 'list', 'watch'],
      },
    ]),
    clusterRole('system:certificates.k8s.io:certificatesigningrequests:nodeclient', [
      {
        apiGroups: ['certificates.k8s.io'],
        resources: ['certificatesigningrequests/nodeclient'],
        verbs: ['create'],
      },
    ]),
    clusterRole('system:certificates.k8s.io:certificatesigningrequests:selfnodeclient', [
      {
        apiGroups: ['certificates.k8s.io'],
        resources: ['certificatesigningrequests/selfnodeclient'],
        verbs: ['create'],
      },
    ]),
    clusterRole('system:kube-controller-manager', [
      { apiGroups: ['', 'events.k8s.io'], resources: ['events'], verbs: ['create', 'patch', 'update'] },
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create', 'get', 'update'] },
      { apiGroups: [''], resources: ['secrets', 'serviceaccounts'], verbs: ['create', 'get', 'update'] },
      { apiGroups: ['*'], resources: ['*'], verbs: ['list', 'watch'] },
    ]),
    clusterRole('system:kube-scheduler', [
      { apiGroups: ['', 'events.k8s.io'], resources: ['events'], verbs: ['create', 'patch', 'update'] },
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create', 'get', 'update'] },
      { apiGroups: [''], resources: ['nodes', 'pods', 'services', 'namespaces'], verbs: READ },
      { apiGroups: [''], resources: ['bindings', 'pods/binding'], verbs: ['create'] },
    ]),
    clusterRole('system:kube-dns', [
      { apiGroups: [''], resources: ['endpoints', 'services'], verbs: ['list', 'watch'] },
    ]),
    clusterRole('system:monitoring', [
      {
        nonResourceURLs: [
          '/healthz',
          '/healthz/*',
          '/livez',
          '/livez/*',
          '/metrics',
          '/metrics/slis',
          '/readyz',
          '/readyz/*',
        ],
        verbs: ['get'],
      },
    ]),
    clusterRole('system:volume-scheduler', [
      {
        apiGroups: [''],
        resources: ['persistentvolumes'],
        verbs: ['get', 'list', 'patch', 'update', 'watch'],
      },
      { apiGroups: ['storage.k8s.io'], resources: ['storageclasses'], verbs: READ },
    ]),
    clusterRole('system:service-account-issuer-discovery', [
      {
        nonResourceURLs: [
          '/.well-known/openid-configuration',
          '/.well-known/openid-configuration/',
          '/openid/v1/jwks',
          '/openid/v1/jwks/',
        ],
        verbs: ['get'],
      },
    ]),
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
    binding(
      'kubeadm:get-nodes',
      'kubeadm:get-nodes',
      group('system:bootstrappers:kubeadm:default-node-token'),
      false,
    ),
    binding(
      'kubeadm:kubelet-bootstrap',
      'system:node-bootstrapper',
      group('system:bootstrappers:kubeadm:default-node-token'),
      false,
    ),
    binding(
      'kubeadm:node-autoapprove-bootstrap',
      'system:certificates.k8s.io:certificatesigningrequests:nodeclient',
      group('system:bootstrappers:kubeadm:default-node-token'),
      false,
    ),
    binding(
      'kubeadm:node-autoapprove-certificate-rotation',
      'system:certificates.k8s.io:certificatesigningrequests:selfnodeclient',
      group('system:nodes'),
      false,
    ),
    ...Object.keys(CONTROLLER_ROLES).map((name) =>
      binding(`system:controller:${name}`, `system:controller:${name}`, account(name)),
    ),
    binding(
      'system:kube-controller-manager',
      'system:kube-controller-manager',
      user('system:kube-controller-manager'),
    ),
    binding('system:kube-dns', 'system:kube-dns', account('kube-dns')),
    binding('system:kube-scheduler', 'system:kube-scheduler', user('system:kube-scheduler')),
    binding('system:monitoring', 'system:monitoring', group('system:monitoring')),
    // Since 1.8 the Node authorizer grants kubelets their rights: the binding stays, with no subjects.
    { ...binding('system:node', 'system:node', {}), subjects: undefined },
    binding('system:node-proxier', 'system:node-proxier', user('system:kube-proxy')),
    binding(
      'system:service-account-issuer-discovery',
      'system:service-account-issuer-discovery',
      group('system:serviceaccounts'),
    ),
    binding('system:volume-scheduler', 'system:volume-scheduler', user('system:kube-scheduler')),
  ];
}
