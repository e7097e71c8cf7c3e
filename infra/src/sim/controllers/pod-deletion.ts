import type { V1Pod } from '@kubernetes/client-node';
import type { StoredObject } from '../store/object-store';
import { as, type SimContext } from '../runtime/context';
import { isoSeconds } from '../runtime/names';

/**
 * Deletes a pod the way the API server does for a controller's DELETE: an unscheduled or finished
 * pod goes at once; a running one gets deletionTimestamp (Terminating) and its kubelet removes it
 * after the containers stop. `graceSeconds` defaults to the pod's terminationGracePeriodSeconds.
 */
export function deletePodGracefully(ctx: SimContext, stored: StoredObject, graceSeconds?: number): void {
  const pod = as<V1Pod>(stored);
  const { store } = ctx;
  const ns = stored.metadata.namespace;
  if (!store.get('pods', ns, stored.metadata.name)) return;
  const grace = graceSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
  const finished = pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
  if (!pod.spec?.nodeName || finished || grace === 0) {
    if (stored.metadata.finalizers && (stored.metadata.finalizers as string[]).length > 0) {
      if (!stored.metadata.deletionTimestamp) markDeleting(ctx, stored, 0);
      return;
    }
    store.delete('pods', ns, stored.metadata.name);
    return;
  }
  if (stored.metadata.deletionTimestamp) return;
  markDeleting(ctx, stored, grace);
}

function markDeleting(ctx: SimContext, stored: StoredObject, grace: number): void {
  ctx.store.update('pods', {
    ...stored,
    metadata: {
      ...stored.metadata,
      resourceVersion: undefined,
      deletionTimestamp: isoSeconds(ctx.clock.now() + grace * 1000),
      deletionGracePeriodSeconds: grace,
    },
  });
}
