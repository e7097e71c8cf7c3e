import type { V1PodTemplateSpec } from '@kubernetes/client-node';
import { put, type SimContext } from '../runtime/context';
import type { StoredObject } from '../store/object-store';
import { controllerRef, ownerRefTo } from './workload-util';

/** How one workload kind labels and annotates the revisions of its template. */
export interface RevisionStyle {
  /** The label carrying the template hash (`controller-revision-hash` for DaemonSets, `controller.kubernetes.io/hash` for StatefulSets). */
  hashLabel: string;
  /** Annotations copied from the owner onto a new revision. */
  annotations?: Record<string, string>;
}

/**
 * Records a DaemonSet's or StatefulSet's template as the ControllerRevision `NAME-HASH` (what
 * `kubectl rollout history/undo` reads); a template seen before moves to the next revision number.
 */
export function recordControllerRevision(
  ctx: SimContext,
  owner: StoredObject,
  template: V1PodTemplateSpec | undefined,
  hash: string,
  style: RevisionStyle,
): void {
  const { store } = ctx;
  const namespace = owner.metadata.namespace!;
  const name = `${owner.metadata.name}-${hash}`;
  const mine = store
    .list('apps/controllerrevisions', namespace)
    .filter((r) => controllerRef(r.metadata as never)?.uid === owner.metadata.uid);
  const max = Math.max(0, ...mine.map((r) => Number(r.revision ?? 0)));
  const current = store.get('apps/controllerrevisions', namespace, name);
  if (current) {
    if (Number(current.revision) < max)
      put(store, 'apps/controllerrevisions', { ...current, revision: max + 1 });
    return;
  }
  store.create('apps/controllerrevisions', {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name,
      namespace,
      labels: { ...(template?.metadata?.labels ?? {}), [style.hashLabel]: hash },
      ...(style.annotations ? { annotations: style.annotations } : {}),
      ownerReferences: [ownerRefTo(owner)] as never,
    },
    data: { spec: { template: { ...structuredClone(template), $patch: 'replace' } } },
    revision: max + 1,
  });
}
