import type { StoredObject } from '../store/object-store';
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

/** A SelfSubjectAccessReview/RulesReview answered: the learner is cluster-admin. */
export function selfSubjectReview(input: Obj): object {
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
