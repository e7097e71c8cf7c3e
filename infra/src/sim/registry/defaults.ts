import { randomBytes } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { arr, rec, type Obj } from './printer-helpers';

/** Sets `obj[key] = value` unless already set. */
function def(obj: Obj, key: string, value: unknown): void {
  if (obj[key] === undefined || obj[key] === null) obj[key] = value;
}

/** Ensures `obj[key]` is a record and returns it. */
function ensure(obj: Obj, key: string): Obj {
  if (!obj[key] || typeof obj[key] !== 'object') obj[key] = {};
  return obj[key] as Obj;
}

function defaultProbe(probe: unknown): void {
  if (!probe || typeof probe !== 'object') return;
  const p = probe as Obj;
  def(p, 'timeoutSeconds', 1);
  def(p, 'periodSeconds', 10);
  def(p, 'successThreshold', 1);
  def(p, 'failureThreshold', 3);
  if (p.httpGet) def(p.httpGet as Obj, 'scheme', 'HTTP');
}

function defaultContainer(c: Obj): void {
  const image = typeof c.image === 'string' ? c.image : '';
  const last = image.split('/').pop() ?? '';
  const tagged = last.includes(':') || image.includes('@');
  const latest = !tagged || last.endsWith(':latest');
  def(c, 'imagePullPolicy', latest ? 'Always' : 'IfNotPresent');
  def(c, 'terminationMessagePath', '/dev/termination-log');
  def(c, 'terminationMessagePolicy', 'File');
  def(c, 'resources', {});
  for (const p of arr(c, 'ports')) def(p, 'protocol', 'TCP');
  for (const e of arr(c, 'env')) {
    const fieldRef = rec(e, 'valueFrom', 'fieldRef');
    if (Object.keys(fieldRef).length) def(fieldRef, 'apiVersion', 'v1');
  }
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
}

/** SetDefaults_PodSpec and its containers, as in a pod template. */
export function defaultPodSpec(spec: Obj): void {
  def(spec, 'restartPolicy', 'Always');
  def(spec, 'dnsPolicy', 'ClusterFirst');
  def(spec, 'schedulerName', 'default-scheduler');
  def(spec, 'terminationGracePeriodSeconds', 30);
  def(spec, 'securityContext', {});
  for (const c of [
    ...arr(spec, 'containers'),
    ...arr(spec, 'initContainers'),
    ...arr(spec, 'ephemeralContainers'),
  ]) {
    defaultContainer(c);
  }
  for (const v of arr(spec, 'volumes')) {
    if (v.configMap) def(v.configMap as Obj, 'defaultMode', 420);
    if (v.secret) def(v.secret as Obj, 'defaultMode', 420);
  }
}

/** Pod defaults plus what admission adds (service account token volume, default tolerations, status). */
export function defaultPod(pod: Obj): void {
  const spec = ensure(pod, 'spec');
  defaultPodSpec(spec);
  def(spec, 'serviceAccountName', 'default');
  def(spec, 'serviceAccount', spec.serviceAccountName);
  def(spec, 'enableServiceLinks', true);
  def(spec, 'priority', 0);
  def(spec, 'preemptionPolicy', 'PreemptLowerPriority');
  const tolerations = arr(spec, 'tolerations');
  for (const key of ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']) {
    // DefaultTolerationSeconds: a toleration without a key (or effect) already covers the taint.
    if (!tolerations.some((t) => (!t.key || t.key === key) && (!t.effect || t.effect === 'NoExecute'))) {
      tolerations.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 });
    }
  }
  spec.tolerations = tolerations;
  if (spec.automountServiceAccountToken !== false) addTokenVolume(spec);
  const status = ensure(pod, 'status');
  def(status, 'phase', 'Pending');
  def(status, 'qosClass', qosClass(spec));
}

function addTokenVolume(spec: Obj): void {
  const volumes = arr(spec, 'volumes');
  if (volumes.some((v) => String(v.name).startsWith('kube-api-access-'))) return;
  const name = `kube-api-access-${randomBytes(3).toString('hex').slice(0, 5)}`;
  volumes.push({
    name,
    projected: {
      defaultMode: 420,
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        {
          downwardAPI: {
            items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }],
          },
        },
      ],
    },
  });
  spec.volumes = volumes;
  for (const c of arr(spec, 'containers')) {
    const mounts = arr(c, 'volumeMounts');
    mounts.push({ name, readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' });
    c.volumeMounts = mounts;
  }
}

function qosClass(spec: Obj): string {
  const cs = arr(spec, 'containers');
  const resources = cs.map((c) => rec(c, 'resources'));
  if (
    resources.every((r) => !Object.keys(rec(r, 'requests')).length && !Object.keys(rec(r, 'limits')).length)
  ) {
    return 'BestEffort';
  }
  const guaranteed = resources.every((r) => {
    const limits = rec(r, 'limits');
    const requests = rec(r, 'requests');
    return (
      limits.cpu !== undefined &&
      limits.memory !== undefined &&
      (requests.cpu ?? limits.cpu) === limits.cpu &&
      (requests.memory ?? limits.memory) === limits.memory
    );
  });
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

function defaultTemplate(workload: Obj): void {
  const template = ensure(ensure(workload, 'spec'), 'template');
  defaultPodSpec(ensure(template, 'spec'));
  def(ensure(template, 'metadata'), 'creationTimestamp', null);
}

/** Deployment defaults (SetDefaults_Deployment). */
export function defaultDeployment(d: Obj): void {
  const spec = ensure(d, 'spec');
  def(spec, 'replicas', 1);
  const strategy = ensure(spec, 'strategy');
  def(strategy, 'type', 'RollingUpdate');
  if (strategy.type === 'RollingUpdate') {
    const ru = ensure(strategy, 'rollingUpdate');
    def(ru, 'maxUnavailable', '25%');
    def(ru, 'maxSurge', '25%');
  }
  def(spec, 'revisionHistoryLimit', 10);
  def(spec, 'progressDeadlineSeconds', 600);
  defaultTemplate(d);
  def(d, 'status', {});
}

/** ReplicaSet defaults. */
export function defaultReplicaSet(rs: Obj): void {
  def(ensure(rs, 'spec'), 'replicas', 1);
  defaultTemplate(rs);
  def(rs, 'status', { replicas: 0 });
}

/** DaemonSet defaults. */
export function defaultDaemonSet(ds: Obj): void {
  const spec = ensure(ds, 'spec');
  const strategy = ensure(spec, 'updateStrategy');
  def(strategy, 'type', 'RollingUpdate');
  if (strategy.type === 'RollingUpdate') {
    const ru = ensure(strategy, 'rollingUpdate');
    def(ru, 'maxUnavailable', 1);
    def(ru, 'maxSurge', 0);
  }
  def(spec, 'revisionHistoryLimit', 10);
  defaultTemplate(ds);
  def(ds, 'status', {
    currentNumberScheduled: 0,
    desiredNumberScheduled: 0,
    numberMisscheduled: 0,
    numberReady: 0,
  });
}

/** StatefulSet defaults (SetDefaults_StatefulSet). */
export function defaultStatefulSet(sts: Obj): void {
  const spec = ensure(sts, 'spec');
  def(spec, 'replicas', 1);
  def(spec, 'podManagementPolicy', 'OrderedReady');
  const strategy = ensure(spec, 'updateStrategy');
  def(strategy, 'type', 'RollingUpdate');
  if (strategy.type === 'RollingUpdate') def(ensure(strategy, 'rollingUpdate'), 'partition', 0);
  def(spec, 'revisionHistoryLimit', 10);
  const retention = ensure(spec, 'persistentVolumeClaimRetentionPolicy');
  def(retention, 'whenDeleted', 'Retain');
  def(retention, 'whenScaled', 'Retain');
  defaultTemplate(sts);
  def(sts, 'status', { replicas: 0, availableReplicas: 0 });
}

/** Service defaults; ClusterIP and NodePort allocation happen in the API layer. */
export function defaultService(svc: Obj): void {
  const spec = ensure(svc, 'spec');
  def(spec, 'type', 'ClusterIP');
  def(spec, 'sessionAffinity', 'None');
  if (spec.sessionAffinity === 'ClientIP') {
    // SetDefaults_Service: kube-proxy's default affinity timeout, 3 hours.
    def(ensure(ensure(spec, 'sessionAffinityConfig'), 'clientIP'), 'timeoutSeconds', 10800);
  }
  if (spec.type !== 'ExternalName') {
    def(spec, 'ipFamilies', ['IPv4']);
    def(spec, 'ipFamilyPolicy', 'SingleStack');
    def(spec, 'internalTrafficPolicy', 'Cluster');
  }
  if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') def(spec, 'externalTrafficPolicy', 'Cluster');
  if (spec.type === 'LoadBalancer') def(spec, 'allocateLoadBalancerNodePorts', true);
  for (const p of arr(spec, 'ports')) {
    def(p, 'protocol', 'TCP');
    def(p, 'targetPort', p.port);
  }
  def(svc, 'status', { loadBalancer: {} });
}

/** Namespace defaults: the `kubernetes.io/metadata.name` label, the kubernetes finalizer, phase Active. */
export function defaultNamespace(ns: Obj): void {
  const meta = ensure(ns, 'metadata');
  const labels = ensure(meta, 'labels');
  labels['kubernetes.io/metadata.name'] = meta.name;
  def(ensure(ns, 'spec'), 'finalizers', ['kubernetes']);
  def(ensure(ns, 'status'), 'phase', 'Active');
}

/** Secret defaults. */
export function defaultSecret(s: Obj): void {
  def(s, 'type', 'Opaque');
}

/** NetworkPolicy defaults: policyTypes from the rules present, TCP ports. */
export function defaultNetworkPolicy(np: Obj): void {
  const spec = ensure(np, 'spec');
  def(spec, 'podSelector', {});
  if (!spec.policyTypes) spec.policyTypes = spec.egress ? ['Ingress', 'Egress'] : ['Ingress'];
  for (const rule of [...arr(spec, 'ingress'), ...arr(spec, 'egress')]) {
    for (const p of arr(rule, 'ports')) def(p, 'protocol', 'TCP');
  }
}

/** Endpoints/EndpointSlice port protocols. */
export function defaultEndpointSlice(es: Obj): void {
  for (const p of arr(es, 'ports')) def(p, 'protocol', 'TCP');
}

/** The annotation the API server keeps on a DaemonSet: its template generation. */
export const DS_TEMPLATE_GENERATION = 'deprecated.daemonset.template.generation';

/**
 * Stamps a DaemonSet's template generation as the API server does: "1" on create, one more each time
 * `spec.template` changes, otherwise the current value whatever the client sent.
 */
export function stampTemplateGeneration(ds: Obj, current?: Obj): void {
  const meta = ensure(ds, 'metadata');
  const annotations = ensure(meta, 'annotations');
  const before = Number(rec(current ?? {}, 'metadata', 'annotations')[DS_TEMPLATE_GENERATION] ?? 0) || 0;
  const changed = !current || !isDeepStrictEqual(rec(current, 'spec').template, rec(ds, 'spec').template);
  annotations[DS_TEMPLATE_GENERATION] = String(current ? before + (changed ? 1 : 0) || 1 : 1);
}
