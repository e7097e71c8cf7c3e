/** A field's type in the protobuf schema: a scalar, a special k8s type, a message name, or a map. */
export type ProtoType =
  | 'string'
  | 'bytes'
  | 'int'
  | 'bool'
  | 'time'
  | 'intOrString'
  | 'quantity'
  | string
  | { map: ['string', ProtoType] };

/** Field number → [JSON name, type, repeated?], per message. */
export type ProtoMessage = Record<number, [string, ProtoType, boolean?]>;

const S = 'string';
const I = 'int';
const B = 'bool';
const SMAP: ProtoType = { map: ['string', 'string'] };

/**
 * The protobuf field numbers (k8s.io/api generated.proto) of the objects kubectl's typed clients send.
 * Only what those commands fill in is listed; unknown fields are skipped when decoding.
 */
export const PROTO_MESSAGES: Record<string, ProtoMessage> = {
  Time: { 1: ['seconds', I], 2: ['nanos', I] },
  IntOrString: { 1: ['type', I], 2: ['intVal', I], 3: ['strVal', S] },
  Quantity: { 1: ['string', S] },
  ObjectMeta: {
    1: ['name', S],
    2: ['generateName', S],
    3: ['namespace', S],
    5: ['uid', S],
    6: ['resourceVersion', S],
    7: ['generation', I],
    8: ['creationTimestamp', 'time'],
    11: ['labels', SMAP],
    12: ['annotations', SMAP],
    13: ['ownerReferences', 'OwnerReference', true],
    14: ['finalizers', S, true],
  },
  OwnerReference: {
    1: ['kind', S],
    3: ['name', S],
    4: ['uid', S],
    5: ['apiVersion', S],
    6: ['controller', B],
    7: ['blockOwnerDeletion', B],
  },
  LabelSelector: { 1: ['matchLabels', SMAP], 2: ['matchExpressions', 'LabelSelectorRequirement', true] },
  LabelSelectorRequirement: { 1: ['key', S], 2: ['operator', S], 3: ['values', S, true] },
  Namespace: { 1: ['metadata', 'ObjectMeta'], 2: ['spec', 'NamespaceSpec'] },
  NamespaceSpec: { 1: ['finalizers', S, true] },
  ConfigMap: {
    1: ['metadata', 'ObjectMeta'],
    2: ['data', SMAP],
    3: ['binaryData', { map: ['string', 'bytes'] }],
    4: ['immutable', B],
  },
  Secret: {
    1: ['metadata', 'ObjectMeta'],
    2: ['data', { map: ['string', 'bytes'] }],
    3: ['type', S],
    4: ['stringData', SMAP],
    5: ['immutable', B],
  },
  ServiceAccount: { 1: ['metadata', 'ObjectMeta'], 4: ['automountServiceAccountToken', B] },
  Service: { 1: ['metadata', 'ObjectMeta'], 2: ['spec', 'ServiceSpec'] },
  ServiceSpec: {
    1: ['ports', 'ServicePort', true],
    2: ['selector', SMAP],
    3: ['clusterIP', S],
    4: ['type', S],
    5: ['externalIPs', S, true],
    7: ['sessionAffinity', S],
    8: ['loadBalancerIP', S],
    10: ['externalName', S],
    11: ['externalTrafficPolicy', S],
    13: ['publishNotReadyAddresses', B],
    18: ['clusterIPs', S, true],
  },
  ServicePort: {
    1: ['name', S],
    2: ['protocol', S],
    3: ['port', I],
    4: ['targetPort', 'intOrString'],
    5: ['nodePort', I],
    6: ['appProtocol', S],
  },
  Deployment: { 1: ['metadata', 'ObjectMeta'], 2: ['spec', 'DeploymentSpec'] },
  DeploymentSpec: {
    1: ['replicas', I],
    2: ['selector', 'LabelSelector'],
    3: ['template', 'PodTemplateSpec'],
    4: ['strategy', 'DeploymentStrategy'],
    5: ['minReadySeconds', I],
    6: ['revisionHistoryLimit', I],
    7: ['paused', B],
    9: ['progressDeadlineSeconds', I],
  },
  DeploymentStrategy: { 1: ['type', S], 2: ['rollingUpdate', 'RollingUpdateDeployment'] },
  RollingUpdateDeployment: { 1: ['maxUnavailable', 'intOrString'], 2: ['maxSurge', 'intOrString'] },
  PodTemplateSpec: { 1: ['metadata', 'ObjectMeta'], 2: ['spec', 'PodSpec'] },
  Pod: { 1: ['metadata', 'ObjectMeta'], 2: ['spec', 'PodSpec'] },
  ResourceQuota: { 1: ['metadata', 'ObjectMeta'], 2: ['spec', 'ResourceQuotaSpec'] },
  ResourceQuotaSpec: { 1: ['hard', { map: ['string', 'quantity'] }], 2: ['scopes', S, true] },
  PodSpec: {
    1: ['volumes', 'Volume', true],
    2: ['containers', 'Container', true],
    3: ['restartPolicy', S],
    4: ['terminationGracePeriodSeconds', I],
    6: ['dnsPolicy', S],
    7: ['nodeSelector', SMAP],
    8: ['serviceAccountName', S],
    10: ['nodeName', S],
    11: ['hostNetwork', B],
    12: ['hostPID', B],
    13: ['hostIPC', B],
    19: ['schedulerName', S],
    20: ['initContainers', 'Container', true],
    22: ['tolerations', 'Toleration', true],
  },
  Toleration: {
    1: ['key', S],
    2: ['operator', S],
    3: ['value', S],
    4: ['effect', S],
    5: ['tolerationSeconds', I],
  },
  Volume: { 1: ['name', S], 2: ['...', 'VolumeSource'] },
  VolumeSource: {
    1: ['hostPath', 'HostPathVolumeSource'],
    2: ['emptyDir', 'EmptyDirVolumeSource'],
  },
  HostPathVolumeSource: { 1: ['path', S], 2: ['type', S] },
  EmptyDirVolumeSource: { 1: ['medium', S], 2: ['sizeLimit', 'quantity'] },
  VolumeMount: { 1: ['name', S], 2: ['readOnly', B], 3: ['mountPath', S], 4: ['subPath', S] },
  SecurityContext: {
    1: ['capabilities', 'Capabilities'],
    2: ['privileged', B],
    4: ['runAsUser', I],
    5: ['runAsNonRoot', B],
    7: ['allowPrivilegeEscalation', B],
  },
  Capabilities: { 1: ['add', S, true], 2: ['drop', S, true] },
  Container: {
    1: ['name', S],
    2: ['image', S],
    3: ['command', S, true],
    4: ['args', S, true],
    5: ['workingDir', S],
    6: ['ports', 'ContainerPort', true],
    7: ['env', 'EnvVar', true],
    8: ['resources', 'ResourceRequirements'],
    9: ['volumeMounts', 'VolumeMount', true],
    13: ['terminationMessagePath', S],
    14: ['imagePullPolicy', S],
    15: ['securityContext', 'SecurityContext'],
    16: ['stdin', B],
    17: ['stdinOnce', B],
    18: ['tty', B],
    20: ['terminationMessagePolicy', S],
  },
  ContainerPort: {
    1: ['name', S],
    2: ['hostPort', I],
    3: ['containerPort', I],
    4: ['protocol', S],
    5: ['hostIP', S],
  },
  EnvVar: { 1: ['name', S], 2: ['value', S] },
  ResourceRequirements: {
    1: ['limits', { map: ['string', 'quantity'] }],
    2: ['requests', { map: ['string', 'quantity'] }],
  },
  Ingress: { 1: ['metadata', 'ObjectMeta'], 2: ['spec', 'IngressSpec'] },
  IngressSpec: {
    1: ['defaultBackend', 'IngressBackend'],
    2: ['tls', 'IngressTLS', true],
    3: ['rules', 'IngressRule', true],
    4: ['ingressClassName', S],
  },
  IngressTLS: { 1: ['hosts', S, true], 2: ['secretName', S] },
  // `ingressRuleValue` is inlined in JSON: its `http` sits on the rule itself.
  IngressRule: { 1: ['host', S], 2: ['...', 'IngressRuleValue'] },
  IngressRuleValue: { 1: ['http', 'HTTPIngressRuleValue'] },
  HTTPIngressRuleValue: { 1: ['paths', 'HTTPIngressPath', true] },
  HTTPIngressPath: { 1: ['path', S], 2: ['backend', 'IngressBackend'], 3: ['pathType', S] },
  IngressBackend: { 4: ['service', 'IngressServiceBackend'] },
  IngressServiceBackend: { 1: ['name', S], 2: ['port', 'ServiceBackendPort'] },
  ServiceBackendPort: { 1: ['name', S], 2: ['number', I] },
  Role: { 1: ['metadata', 'ObjectMeta'], 2: ['rules', 'PolicyRule', true] },
  ClusterRole: { 1: ['metadata', 'ObjectMeta'], 2: ['rules', 'PolicyRule', true] },
  PolicyRule: {
    1: ['verbs', S, true],
    2: ['apiGroups', S, true],
    3: ['resources', S, true],
    4: ['resourceNames', S, true],
    5: ['nonResourceURLs', S, true],
  },
  RoleBinding: { 1: ['metadata', 'ObjectMeta'], 2: ['subjects', 'Subject', true], 3: ['roleRef', 'RoleRef'] },
  ClusterRoleBinding: {
    1: ['metadata', 'ObjectMeta'],
    2: ['subjects', 'Subject', true],
    3: ['roleRef', 'RoleRef'],
  },
  Subject: { 1: ['kind', S], 2: ['apiGroup', S], 3: ['name', S], 4: ['namespace', S] },
  RoleRef: { 1: ['apiGroup', S], 2: ['kind', S], 3: ['name', S] },
  Eviction: { 1: ['metadata', 'ObjectMeta'], 2: ['deleteOptions', 'DeleteOptions'] },
  DeleteOptions: {
    1: ['gracePeriodSeconds', I],
    3: ['orphanDependents', B],
    4: ['propagationPolicy', S],
    5: ['dryRun', S, true],
  },
  TokenRequest: { 1: ['metadata', 'ObjectMeta'], 2: ['spec', 'TokenRequestSpec'] },
  TokenRequestSpec: { 1: ['audiences', S, true], 4: ['expirationSeconds', I] },
  SelfSubjectAccessReview: { 1: ['metadata', 'ObjectMeta'], 2: ['spec', 'SelfSubjectAccessReviewSpec'] },
  SelfSubjectAccessReviewSpec: {
    1: ['resourceAttributes', 'ResourceAttributes'],
    2: ['nonResourceAttributes', 'NonResourceAttributes'],
  },
  ResourceAttributes: {
    1: ['namespace', S],
    2: ['verb', S],
    3: ['group', S],
    4: ['version', S],
    5: ['resource', S],
    6: ['subresource', S],
    7: ['name', S],
  },
  NonResourceAttributes: { 1: ['path', S], 2: ['verb', S] },
  SelfSubjectRulesReview: { 1: ['metadata', 'ObjectMeta'], 2: ['spec', 'SelfSubjectRulesReviewSpec'] },
  SelfSubjectRulesReviewSpec: { 1: ['namespace', S] },
  SelfSubjectReview: { 1: ['metadata', 'ObjectMeta'] },
};

/** `apiVersion/kind` → root message. */
export const PROTO_ROOTS: Record<string, string> = {
  'v1/Namespace': 'Namespace',
  'v1/Pod': 'Pod',
  'v1/ResourceQuota': 'ResourceQuota',
  'v1/ConfigMap': 'ConfigMap',
  'v1/Secret': 'Secret',
  'v1/Service': 'Service',
  'v1/ServiceAccount': 'ServiceAccount',
  'apps/v1/Deployment': 'Deployment',
  'networking.k8s.io/v1/Ingress': 'Ingress',
  'authentication.k8s.io/v1/TokenRequest': 'TokenRequest',
  'policy/v1/Eviction': 'Eviction',
  'rbac.authorization.k8s.io/v1/Role': 'Role',
  'rbac.authorization.k8s.io/v1/ClusterRole': 'ClusterRole',
  'rbac.authorization.k8s.io/v1/RoleBinding': 'RoleBinding',
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': 'ClusterRoleBinding',
  'authorization.k8s.io/v1/SelfSubjectAccessReview': 'SelfSubjectAccessReview',
  'authorization.k8s.io/v1/SelfSubjectRulesReview': 'SelfSubjectRulesReview',
  'authentication.k8s.io/v1/SelfSubjectReview': 'SelfSubjectReview',
};
