import type { V1LabelSelector, V1OwnerReference, V1Pod } from '@kubernetes/client-node';
import { isPodReady, matchesLabelSelector } from '@netlab/grader/netmodel';
import type { StoredObject } from '../store/object-store';
import { defaultPod } from '../registry/defaults';
import type { Obj } from '../registry/printer-helpers';

/** The owner reference with `controller: true`, if any. */
export function controllerRef(
  meta: { ownerReferences?: V1OwnerReference[] } | undefined,
): V1OwnerReference | undefined {
  return meta?.ownerReferences?.find((r) => r.controller);
}

/** A controller owner reference to `owner`, as controllers stamp on what they create. */
export function ownerRefTo(owner: StoredObject): V1OwnerReference {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name,
    uid: owner.metadata.uid,
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** Counts toward a workload: not being deleted and not finished. */
export function isPodActive(pod: V1Pod): boolean {
  return (
    !pod.metadata?.deletionTimestamp && pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed'
  );
}

/** Ready for at least `minReadySeconds` (podutil.IsPodAvailable). */
export function isPodAvailable(pod: V1Pod, minReadySeconds: number, now: number): boolean {
  if (!isPodReady(pod)) return false;
  if (minReadySeconds <= 0) return true;
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready');
  const since = ready?.lastTransitionTime ? Date.parse(String(ready.lastTransitionTime)) : now;
  return since + minReadySeconds * 1000 <= now;
}

/** Whether labels match a workload's selector (an empty selector matches nothing for workloads). */
export function selects(
  selector: V1LabelSelector | undefined,
  labels: Record<string, string> | undefined,
): boolean {
  if (!selector || (!selector.matchLabels && !selector.matchExpressions)) return false;
  return matchesLabelSelector(labels, selector);
}

/** A new pod from a workload's template, with the API server's defaults and admission applied. */
export function podFromTemplate(
  template: {
    metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
    spec?: unknown;
  },
  name: string,
  namespace: string,
  owner: StoredObject,
  extraLabels: Record<string, string> = {},
): Obj {
  const pod: Obj = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace,
      ...(owner.kind === 'ReplicaSet' || owner.kind === 'DaemonSet'
        ? { generateName: `${name.replace(/-[a-z0-9]{5}$/, '')}-` }
        : {}),
      labels: { ...(template.metadata?.labels ?? {}), ...extraLabels },
      ...(template.metadata?.annotations ? { annotations: { ...template.metadata.annotations } } : {}),
      ownerReferences: [ownerRefTo(owner)],
    },
    spec: structuredClone(template.spec ?? {}),
  };
  defaultPod(pod);
  return pod;
}

/** Percent or absolute `intstr` (maxSurge, maxUnavailable) against `total`, rounding up or down. */
export function scaledValue(
  value: number | string | undefined,
  total: number,
  fallback: string,
  roundUp: boolean,
): number {
  const v = value ?? fallback;
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(v);
  if (!m) return Number(v) || 0;
  const exact = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}
