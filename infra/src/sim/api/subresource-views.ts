import type { ObjectStore, StoredObject } from '../store/object-store';
import { authorize, rulesFor, type RequestAttributes } from './auth/rbac-authorizer';
import type { RequestUser } from './auth/request-user';
import { formatLabelSelector, rec, type Obj } from '../registry/printer-helpers';

/** The autoscaling/v1 Scale view of a workload (`…/scale`). */
export function scaleOf(o: StoredObject): object {
  const spec = rec(o, 'spec');
  const selector = formatLabelSelector(spec.selector);
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: o.metadata.name,
      namespace: o.metadata.namespace,
      uid: o.metadata.uid,
      resourceVersion: o.metadata.resourceVersion,
      creationTimestamp: o.metadata.creationTimestamp,
    },
    spec: { replicas: spec.replicas ?? 0 },
    status: { replicas: rec(o, 'status').replicas ?? 0, selector: selector === '<none>' ? '' : selector },
  };
}

/**
 * A SelfSubjectReview (who am I) or SelfSubjectAccessReview/RulesReview answered: the kubeconfig's
 * learner is cluster-admin; a request run as someone else (`kubectl --as`, a Pod's token) is
 * answered by RBAC for that user.
 */
export function selfSubjectReview(input: Obj, as?: { user: RequestUser; store: ObjectStore }): object {
  if (as) return reviewFor(input, as.user, as.store);
  if (input.kind === 'SelfSubjectReview')
    return {
      kind: 'SelfSubjectReview',
      apiVersion: 'authentication.k8s.io/v1',
      metadata: { creationTimestamp: null },
      // The identity of kind's admin kubeconfig, which the sim's kubeconfig stands for.
      status: {
        userInfo: {
          username: 'kubernetes-admin',
          groups: ['kubeadm:cluster-admins', 'system:authenticated'],
        },
      },
    };
  return {
    ...input,
    metadata: { creationTimestamp: null },
    status:
      input.kind === 'SelfSubjectRulesReview'
        ? {
            resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
            nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
            incomplete: false,
          }
        : { allowed: true, reason: 'the learner is cluster-admin in a sim cluster' },
  };
}

function reviewFor(input: Obj, user: RequestUser, store: ObjectStore): object {
  const base = { metadata: { creationTimestamp: null } };
  if (input.kind === 'SelfSubjectReview')
    return {
      kind: 'SelfSubjectReview',
      apiVersion: 'authentication.k8s.io/v1',
      ...base,
      status: { userInfo: { username: user.username, groups: user.groups } },
    };
  const spec = rec(input, 'spec');
  if (input.kind === 'SelfSubjectRulesReview') {
    const rules = rulesFor(store, user, typeof spec.namespace === 'string' ? spec.namespace : undefined);
    return {
      ...input,
      ...base,
      status: {
        resourceRules: rules
          .filter((r) => !r.nonResourceURLs)
          .map((r) => ({
            verbs: r.verbs ?? [],
            apiGroups: r.apiGroups ?? [],
            resources: r.resources ?? [],
            ...(r.resourceNames ? { resourceNames: r.resourceNames } : {}),
          })),
        nonResourceRules: rules
          .filter((r) => r.nonResourceURLs)
          .map((r) => ({ verbs: r.verbs ?? [], nonResourceURLs: r.nonResourceURLs })),
        incomplete: false,
      },
    };
  }
  const res = spec.resourceAttributes as Record<string, string | undefined> | undefined;
  const non = spec.nonResourceAttributes as Record<string, string | undefined> | undefined;
  const attrs: RequestAttributes = res
    ? {
        kind: 'resource',
        verb: res.verb ?? '',
        group: res.group ?? '',
        resource: res.resource ?? '',
        ...(res.subresource ? { subresource: res.subresource } : {}),
        ...(res.namespace ? { namespace: res.namespace } : {}),
        ...(res.name ? { name: res.name } : {}),
      }
    : { kind: 'non-resource', verb: non?.verb ?? '', path: non?.path ?? '' };
  return { ...input, ...base, status: { allowed: authorize(store, user, attrs) } };
}

/** The namespace where each node's kubelet keeps its heartbeat Lease. */
export const NODE_LEASE_NAMESPACE = 'kube-node-lease';

/**
 * The coordination.k8s.io/v1 Lease a node's kubelet renews every 10 s in kube-node-lease, as of
 * `now` (the sim has no kubelet heartbeat to store, so the Lease is derived from the Node).
 */
export function nodeLeaseOf(node: StoredObject, now: Date = new Date()): StoredObject {
  const name = node.metadata.name;
  const micro = now.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: {
      name,
      namespace: NODE_LEASE_NAMESPACE,
      uid: node.metadata.uid.replace(/^.{8}/, 'c0ffee00'),
      resourceVersion: node.metadata.resourceVersion,
      creationTimestamp: node.metadata.creationTimestamp,
      ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name, uid: node.metadata.uid }],
    },
    spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime: micro },
  };
}

/** The deprecated v1 ComponentStatus list, as a healthy kind control plane answers it. */
export function componentStatuses(): StoredObject[] {
  return ['controller-manager', 'scheduler', 'etcd-0'].map((name) => ({
    apiVersion: 'v1',
    kind: 'ComponentStatus',
    // The API server serves these without uid, resourceVersion or creation time.
    metadata: { name, creationTimestamp: null } as unknown as StoredObject['metadata'],
    conditions: [{ type: 'Healthy', status: 'True', message: 'ok' }],
  }));
}
