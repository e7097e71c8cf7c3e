import type { V1Deployment, V1ReplicaSet } from '@kubernetes/client-node';
import type { StoredObject } from '../store/object-store';
import { as, put, type SimContext } from '../runtime/context';

/** The annotation holding a Deployment's (and each of its ReplicaSets') revision number. */
export const REVISION = 'deployment.kubernetes.io/revision';
/** The annotation `kubectl rollout history` shows as CHANGE-CAUSE, copied to the ReplicaSet. */
export const CHANGE_CAUSE = 'kubernetes.io/change-cause';
const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history';

/** A ReplicaSet's revision number (0 without the annotation). */
export function revisionOf(rs: StoredObject): number {
  return Number(rs.metadata.annotations?.[REVISION] ?? '0');
}

/**
 * A rollback makes an old ReplicaSet new again: it takes the next revision number (its old one
 * goes to revision-history) and the Deployment's change-cause; the Deployment takes its revision.
 */
export function syncRevision(
  ctx: SimContext,
  stored: StoredObject,
  rs: StoredObject,
  maxOld: number,
): StoredObject {
  const current = revisionOf(rs);
  const annotations = { ...(rs.metadata.annotations ?? {}) };
  const cause = stored.metadata.annotations?.[CHANGE_CAUSE];
  let changed = false;
  if (current <= maxOld) {
    annotations[REVISION] = String(maxOld + 1);
    const history = annotations[REVISION_HISTORY] ? annotations[REVISION_HISTORY].split(',') : [];
    annotations[REVISION_HISTORY] = [...history, String(current)].join(',');
    changed = true;
  }
  if (cause && annotations[CHANGE_CAUSE] !== cause) {
    annotations[CHANGE_CAUSE] = cause;
    changed = true;
  }
  const updated = changed
    ? put(ctx.store, 'apps/replicasets', { ...rs, metadata: { ...rs.metadata, annotations } })!
    : rs;
  setDeploymentRevision(ctx, stored, revisionOf(updated));
  return updated;
}

/** Stamps the revision annotation on the Deployment (no write when it already has it). */
export function setDeploymentRevision(ctx: SimContext, stored: StoredObject, revision: number): void {
  const latest = ctx.store.get('apps/deployments', stored.metadata.namespace, stored.metadata.name);
  if (!latest || latest.metadata.annotations?.[REVISION] === String(revision)) return;
  put(ctx.store, 'apps/deployments', {
    ...latest,
    metadata: {
      ...latest.metadata,
      annotations: { ...(latest.metadata.annotations ?? {}), [REVISION]: String(revision) },
    },
  });
}

/** Deletes the oldest scaled-down old ReplicaSets beyond the Deployment's revisionHistoryLimit. */
export function pruneRevisionHistory(ctx: SimContext, d: V1Deployment, old: StoredObject[]): void {
  const limit = d.spec?.revisionHistoryLimit ?? 10;
  const { store } = ctx;
  const idle = old
    .map((rs) => store.get('apps/replicasets', rs.metadata.namespace, rs.metadata.name))
    .filter((rs): rs is StoredObject => Boolean(rs))
    .filter(
      (rs) =>
        (as<V1ReplicaSet>(rs).spec?.replicas ?? 0) === 0 &&
        (as<V1ReplicaSet>(rs).status?.replicas ?? 0) === 0,
    )
    .sort((a, b) => revisionOf(a) - revisionOf(b));
  for (const rs of idle.slice(0, Math.max(0, idle.length - limit))) {
    store.delete('apps/replicasets', rs.metadata.namespace, rs.metadata.name);
  }
}
