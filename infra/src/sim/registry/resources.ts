import {
  defaultDaemonSet,
  defaultStatefulSet,
  defaultDeployment,
  defaultEndpointSlice,
  defaultNamespace,
  defaultNetworkPolicy,
  defaultPod,
  defaultReplicaSet,
  defaultSecret,
  defaultService,
} from './defaults';
import { rec } from './printer-helpers';
import type { ResourceDefinition, SubresourceDefinition } from './resource-definition';
import { DEFAULT_PRINTER, TABLE_PRINTERS } from './table-printers';
import { validateName, validatePodSpec, validateService, validateWorkload } from './validation';

const CRUD = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

type Partial_ = Omit<
  ResourceDefinition,
  | 'storeKey'
  | 'printer'
  | 'singular'
  | 'verbs'
  | 'shortNames'
  | 'categories'
  | 'subresources'
  | 'hasStatus'
  | 'immutable'
> &
  Partial<ResourceDefinition>;

function resource(d: Partial_): ResourceDefinition {
  return {
    singular: d.kind.toLowerCase(),
    verbs: CRUD,
    shortNames: [],
    categories: [],
    subresources: [],
    hasStatus: false,
    immutable: [],
    printer: TABLE_PRINTERS[d.kind] ?? DEFAULT_PRINTER,
    storeKey: d.group ? `${d.group}/${d.plural}` : d.plural,
    ...d,
  };
}

function sub(
  name: string,
  kind: string,
  verbs: string[],
  group?: string,
  version?: string,
): SubresourceDefinition {
  return { name, kind, verbs, ...(group !== undefined ? { group, version } : {}) };
}

const STATUS = (kind: string): SubresourceDefinition => sub('status', kind, ['get', 'patch', 'update']);
const SCALE = sub('scale', 'Scale', ['get', 'patch', 'update'], 'autoscaling', 'v1');

/** Every resource the sim serves, in discovery order. */
export const RESOURCES: ResourceDefinition[] = [
  resource({
    group: '',
    version: 'v1',
    kind: 'Namespace',
    plural: 'namespaces',
    namespaced: false,
    shortNames: ['ns'],
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    subresources: [STATUS('Namespace'), sub('finalize', 'Namespace', ['update'])],
    hasStatus: true,
    applyDefaults: defaultNamespace,
    validate: (o) => validateName(o, true),
  }),
  resource({
    group: '',
    version: 'v1',
    kind: 'Node',
    plural: 'nodes',
    namespaced: false,
    shortNames: ['no'],
    subresources: [
      STATUS('Node'),
      sub('proxy', 'NodeProxyOptions', ['create', 'delete', 'get', 'patch', 'update']),
    ],
    hasStatus: true,
    validate: (o) => validateName(o, false),
  }),
  resource({
    group: '',
    version: 'v1',
    kind: 'Pod',
    plural: 'pods',
    namespaced: true,
    shortNames: ['po'],
    categories: ['all'],
    subresources: [
      sub('attach', 'PodAttachOptions', ['create', 'get']),
      sub('binding', 'Binding', ['create']),
      sub('ephemeralcontainers', 'Pod', ['get', 'patch', 'update']),
      sub('eviction', 'Eviction', ['create'], 'policy', 'v1'),
      sub('exec', 'PodExecOptions', ['create', 'get']),
      sub('log', 'Pod', ['get']),
      sub('portforward', 'PodPortForwardOptions', ['create', 'get']),
      sub('proxy', 'PodProxyOptions', ['create', 'delete', 'get', 'patch', 'update']),
      STATUS('Pod'),
    ],
    hasStatus: true,
    applyDefaults: defaultPod,
    validate: (o) => [...validateName(o, false), ...validatePodSpec(rec(o, 'spec'), 'spec')],
  }),
  resource({
    group: '',
    version: 'v1',
    kind: 'Service',
    plural: 'services',
    namespaced: true,
    shortNames: ['svc'],
    categories: ['all'],
    subresources: [
      STATUS('Service'),
      sub('proxy', 'ServiceProxyOptions', ['create', 'delete', 'get', 'patch', 'update']),
    ],
    verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
    hasStatus: true,
    applyDefaults: defaultService,
    validate: (o) => [...validateName(o, true), ...validateService(o)],
  }),
  resource({
    group: '',
    version: 'v1',
    kind: 'Endpoints',
    plural: 'endpoints',
    singular: 'endpoints',
    namespaced: true,
    shortNames: ['ep'],
    validate: (o) => validateName(o, false),
  }),
  resource({
    group: '',
    version: 'v1',
    kind: 'ConfigMap',
    plural: 'configmaps',
    namespaced: true,
    shortNames: ['cm'],
    validate: (o) => validateName(o, false),
  }),
  resource({
    group: '',
    version: 'v1',
    kind: 'Secret',
    plural: 'secrets',
    namespaced: true,
    applyDefaults: defaultSecret,
    immutable: ['type'],
    validate: (o) => validateName(o, false),
  }),
  resource({
    group: '',
    version: 'v1',
    kind: 'ServiceAccount',
    plural: 'serviceaccounts',
    namespaced: true,
    shortNames: ['sa'],
    subresources: [sub('token', 'TokenRequest', ['create'], 'authentication.k8s.io', 'v1')],
    validate: (o) => validateName(o, false),
  }),
  resource({
    group: '',
    version: 'v1',
    kind: 'Event',
    plural: 'events',
    namespaced: true,
    shortNames: ['ev'],
  }),
  resource({
    group: '',
    version: 'v1',
    kind: 'ResourceQuota',
    plural: 'resourcequotas',
    namespaced: true,
    shortNames: ['quota'],
    subresources: [STATUS('ResourceQuota')],
    hasStatus: true,
  }),
  resource({
    group: '',
    version: 'v1',
    kind: 'LimitRange',
    plural: 'limitranges',
    namespaced: true,
    shortNames: ['limits'],
  }),
  resource({
    group: 'apps',
    version: 'v1',
    kind: 'Deployment',
    plural: 'deployments',
    namespaced: true,
    shortNames: ['deploy'],
    categories: ['all'],
    subresources: [SCALE, STATUS('Deployment')],
    hasStatus: true,
    immutable: ['spec.selector'],
    applyDefaults: defaultDeployment,
    validate: (o) => [...validateName(o, false), ...validateWorkload(o)],
  }),
  resource({
    group: 'apps',
    version: 'v1',
    kind: 'ReplicaSet',
    plural: 'replicasets',
    namespaced: true,
    shortNames: ['rs'],
    categories: ['all'],
    subresources: [SCALE, STATUS('ReplicaSet')],
    hasStatus: true,
    immutable: ['spec.selector'],
    applyDefaults: defaultReplicaSet,
    validate: (o) => [...validateName(o, false), ...validateWorkload(o)],
  }),
  resource({
    group: 'apps',
    version: 'v1',
    kind: 'DaemonSet',
    plural: 'daemonsets',
    namespaced: true,
    shortNames: ['ds'],
    categories: ['all'],
    subresources: [STATUS('DaemonSet')],
    hasStatus: true,
    immutable: ['spec.selector'],
    applyDefaults: defaultDaemonSet,
    validate: (o) => [...validateName(o, false), ...validateWorkload(o)],
  }),
  resource({
    group: 'apps',
    version: 'v1',
    kind: 'StatefulSet',
    plural: 'statefulsets',
    namespaced: true,
    shortNames: ['sts'],
    categories: ['all'],
    subresources: [SCALE, STATUS('StatefulSet')],
    hasStatus: true,
    immutable: ['spec.selector', 'spec.serviceName', 'spec.podManagementPolicy'],
    applyDefaults: defaultStatefulSet,
    validate: (o) => [...validateName(o, false), ...validateWorkload(o)],
  }),
  resource({
    group: 'apps',
    version: 'v1',
    kind: 'ControllerRevision',
    plural: 'controllerrevisions',
    namespaced: true,
  }),
  resource({
    group: 'discovery.k8s.io',
    version: 'v1',
    kind: 'EndpointSlice',
    plural: 'endpointslices',
    namespaced: true,
    applyDefaults: defaultEndpointSlice,
  }),
  resource({
    group: 'networking.k8s.io',
    version: 'v1',
    kind: 'NetworkPolicy',
    plural: 'networkpolicies',
    namespaced: true,
    shortNames: ['netpol'],
    applyDefaults: defaultNetworkPolicy,
    validate: (o) => validateName(o, false),
  }),
  resource({
    group: 'networking.k8s.io',
    version: 'v1',
    kind: 'Ingress',
    plural: 'ingresses',
    namespaced: true,
    shortNames: ['ing'],
    subresources: [STATUS('Ingress')],
    hasStatus: true,
    validate: (o) => validateName(o, false),
  }),
  resource({
    group: 'networking.k8s.io',
    version: 'v1',
    kind: 'IngressClass',
    plural: 'ingressclasses',
    namespaced: false,
  }),
  // RBAC objects are stored and served (CNI manifests such as kindnet's carry them); kubectl's
  // client is cluster-admin of its own throwaway cluster, while requests from inside the cluster
  // are authorized by them (api/auth/rbac-authorizer.ts).
  ...(
    [
      ['Role', 'roles', true],
      ['RoleBinding', 'rolebindings', true],
      ['ClusterRole', 'clusterroles', false],
      ['ClusterRoleBinding', 'clusterrolebindings', false],
    ] as const
  ).map(([kind, plural, namespaced]) =>
    resource({ group: 'rbac.authorization.k8s.io', version: 'v1', kind, plural, namespaced }),
  ),
  resource({
    group: '',
    version: 'v1',
    kind: 'ComponentStatus',
    plural: 'componentstatuses',
    namespaced: false,
    shortNames: ['cs'],
    verbs: ['get', 'list'],
  }),
  resource({
    group: 'coordination.k8s.io',
    version: 'v1',
    kind: 'Lease',
    plural: 'leases',
    namespaced: true,
    validate: (o) => validateName(o, false),
  }),
  resource({
    group: 'events.k8s.io',
    version: 'v1',
    kind: 'Event',
    plural: 'events',
    namespaced: true,
    storeKey: 'events',
  }),
  resource({
    group: 'authentication.k8s.io',
    version: 'v1',
    kind: 'SelfSubjectReview',
    plural: 'selfsubjectreviews',
    namespaced: false,
    verbs: ['create'],
  }),
  resource({
    group: 'authorization.k8s.io',
    version: 'v1',
    kind: 'SelfSubjectAccessReview',
    plural: 'selfsubjectaccessreviews',
    namespaced: false,
    verbs: ['create'],
  }),
  resource({
    group: 'authorization.k8s.io',
    version: 'v1',
    kind: 'SelfSubjectRulesReview',
    plural: 'selfsubjectrulesreviews',
    namespaced: false,
    verbs: ['create'],
  }),
];

/** The group/versions served, in discovery order (core first). */
export function groupVersions(): { group: string; version: string }[] {
  const seen = new Map<string, { group: string; version: string }>();
  for (const r of RESOURCES) seen.set(`${r.group}/${r.version}`, { group: r.group, version: r.version });
  return [...seen.values()];
}

/** Finds a resource by group, version and plural. */
export function findResource(group: string, version: string, plural: string): ResourceDefinition | undefined {
  return RESOURCES.find((r) => r.group === group && r.version === version && r.plural === plural);
}

/** Finds a resource by apiVersion and kind (`apps/v1`, `Deployment`). */
export function findKind(apiVersion: string, kind: string): ResourceDefinition | undefined {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  return RESOURCES.find((r) => r.group === group && r.version === version && r.kind === kind);
}
