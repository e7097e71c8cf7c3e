import type { V1Deployment, V1ReplicaSet } from '@kubernetes/client-node';
import type { StoreEvent, StoredObject } from '../store/object-store';
import { as, put, type SimContext } from '../runtime/context';
import type { Controller } from './controller';
import { DeploymentReplicaSets, withoutHash } from './deployment-replicasets';
import { pruneRevisionHistory, revisionOf, syncRevision } from './deployment-revisions';
import { DeploymentRollout } from './deployment-rollout';
import { DeploymentStatusWriter } from './deployment-status';
import { controllerRef, ownerRefTo, selects } from './workload-util';

/**
 * Deployment → ReplicaSets: a new ReplicaSet per template (`DeploymentReplicaSets`), rolling update
 * or recreate (`DeploymentRollout`), revision history and rollback (`deployment-revisions`), status
 * (`DeploymentStatusWriter`).
 */
export class DeploymentController implements Controller {
  private readonly status: DeploymentStatusWriter;
  private readonly replicaSets: DeploymentReplicaSets;
  private readonly rollout: DeploymentRollout;

  constructor(private readonly ctx: SimContext) {
    this.status = new DeploymentStatusWriter(ctx, (namespace, name) => this.enqueue(namespace, name));
    this.replicaSets = new DeploymentReplicaSets(ctx, this.status);
    this.rollout = new DeploymentRollout(ctx, this.replicaSets);
  }

  onEvent(e: StoreEvent): void {
    if (e.resource === 'apps/deployments') this.enqueue(e.object.metadata.namespace!, e.object.metadata.name);
    else if (e.resource === 'apps/replicasets') {
      const ref = controllerRef(e.object.metadata as never);
      if (ref?.kind === 'Deployment') this.enqueue(e.object.metadata.namespace!, ref.name);
    } else if (e.resource === 'pods' && e.type === 'DELETED') {
      // Recreate waits for old pods to be gone.
      const ref = controllerRef(e.object.metadata as never);
      if (ref?.kind === 'ReplicaSet') {
        const rs = this.ctx.store.get('apps/replicasets', e.object.metadata.namespace, ref.name);
        const dref = rs && controllerRef(rs.metadata as never);
        if (dref?.kind === 'Deployment') this.enqueue(e.object.metadata.namespace!, dref.name);
      }
    }
  }

  resync(): void {
    for (const d of this.ctx.store.list('apps/deployments'))
      this.enqueue(d.metadata.namespace!, d.metadata.name);
  }

  private enqueue(namespace: string, name: string): void {
    this.ctx.queue.add(`deploy:${namespace}/${name}`, () => this.reconcile(namespace, name));
  }

  /** One sync of a Deployment. */
  reconcile(namespace: string, name: string): void {
    const { store } = this.ctx;
    let stored = store.get('apps/deployments', namespace, name);
    if (!stored || stored.metadata.deletionTimestamp) {
      // Progress is kept by uid: drop that of Deployments that no longer exist.
      if (!stored) this.status.forgetDeleted();
      return;
    }
    const d = as<V1Deployment>(stored);
    this.adoptOrphans(stored, d);
    const all = store
      .list('apps/replicasets', namespace)
      .filter((rs) => controllerRef(rs.metadata as never)?.uid === stored!.metadata.uid);
    const wanted = withoutHash(d.spec?.template);
    let newRs = all.find((rs) => withoutHash(as<V1ReplicaSet>(rs).spec?.template) === wanted);
    const old = all.filter((rs) => rs !== newRs);
    const maxOldRevision = Math.max(0, ...old.map(revisionOf));

    if (d.spec?.paused) {
      this.status.write(stored, newRs, all);
      return;
    }
    if (!newRs)
      newRs = this.replicaSets.create(
        stored,
        maxOldRevision + 1,
        old.length === 0 ? this.initialScale(d) : 0,
      );
    else newRs = syncRevision(this.ctx, stored, newRs, maxOldRevision);
    stored = store.get('apps/deployments', namespace, name)!;

    if (d.spec?.strategy?.type === 'Recreate') newRs = this.rollout.recreate(stored, d, newRs, old);
    else newRs = this.rollout.rollingUpdate(stored, d, newRs, old);
    pruneRevisionHistory(this.ctx, d, old);
    const fresh = store
      .list('apps/replicasets', namespace)
      .filter((rs) => controllerRef(rs.metadata as never)?.uid === stored!.metadata.uid);
    this.status.write(stored, store.get('apps/replicasets', namespace, newRs.metadata.name), fresh);
  }

  /** ReplicaSets left by an orphaning delete come back under a Deployment whose selector matches them. */
  private adoptOrphans(stored: StoredObject, d: V1Deployment): void {
    const { store } = this.ctx;
    for (const rs of store.list('apps/replicasets', stored.metadata.namespace)) {
      if (controllerRef(rs.metadata as never) || rs.metadata.deletionTimestamp) continue;
      if (!selects(d.spec?.selector, rs.metadata.labels)) continue;
      put(store, 'apps/replicasets', {
        ...rs,
        metadata: {
          ...rs.metadata,
          ownerReferences: [...(rs.metadata.ownerReferences ?? []), ownerRefTo(stored)],
        },
      });
    }
  }

  private initialScale(d: V1Deployment): number {
    return d.spec?.replicas ?? 1;
  }
}
