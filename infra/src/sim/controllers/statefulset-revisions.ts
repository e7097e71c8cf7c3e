import type { V1StatefulSet } from '@kubernetes/client-node';
import { put, type SimContext } from '../runtime/context';
import type { StoredObject } from '../store/object-store';
import { controllerRef, ownerRefTo } from './workload-util';

/**
 * Records the StatefulSet's template as a ControllerRevision `NAME-HASH` (what
 * `kubectl rollout history/undo statefulset` reads); a template seen before gets the next revision.
 */
export function recordStatefulSetRevision(
  ctx: SimContext,
  owner: StoredObject,
  sts: V1StatefulSet,
  hash: string,
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
      labels: { ...(sts.spec?.template.metadata?.labels ?? {}), 'controller.kubernetes.io/hash': hash },
      ownerReferences: [ownerRefTo(owner)] as never,
    },
    data: { spec: { template: { ...structuredClone(sts.spec?.template), $patch: 'replace' } } },
    revision: max + 1,
  });
}
