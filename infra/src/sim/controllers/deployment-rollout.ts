import type { V1Deployment, V1ReplicaSet } from '@kubernetes/client-node';
import type { StoredObject } from '../store/object-store';
import { as, type SimContext } from '../runtime/context';
import type { DeploymentReplicaSets } from './deployment-replicasets';
import { revisionOf } from './deployment-revisions';
import { controllerRef, scaledValue } from './workload-util';

/**
 * One step of a Deployment's rollout from its old ReplicaSets to the new one: Recreate (all old
 * pods gone first) or RollingUpdate (within the maxSurge and maxUnavailable budgets).
 */
export class DeploymentRollout {
  constructor(
    private readonly ctx: SimContext,
    private readonly replicaSets: DeploymentReplicaSets,
  ) {}

  /** Scales the old ReplicaSets to 0, and the new one up once none of their pods is left. */
  recreate(stored: StoredObject, d: V1Deployment, newRs: StoredObject, old: StoredObject[]): StoredObject {
    const desired = d.spec?.replicas ?? 1;
    const oldActive = old.some((rs) => (as<V1ReplicaSet>(rs).spec?.replicas ?? 0) > 0);
    for (const rs of old) this.replicaSets.scale(stored, rs, 0);
    const oldPods = this.ctx.store
      .list('pods', stored.metadata.namespace)
      .filter((p) => old.some((rs) => controllerRef(p.metadata as never)?.uid === rs.metadata.uid));
    if (!oldActive && oldPods.length === 0) return this.replicaSets.scale(stored, newRs, desired);
    return newRs;
  }

  /** Surges the new ReplicaSet up, then scales old ones down while enough pods stay available. */
  rollingUpdate(
    stored: StoredObject,
    d: V1Deployment,
    newRs: StoredObject,
    old: StoredObject[],
  ): StoredObject {
    const desired = d.spec?.replicas ?? 1;
    const ru = d.spec?.strategy?.rollingUpdate;
    const maxSurge = scaledValue(ru?.maxSurge as never, desired, '25%', true);
    let maxUnavailable = scaledValue(ru?.maxUnavailable as never, desired, '25%', false);
    if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
    const spec = (rs: StoredObject) => as<V1ReplicaSet>(rs).spec?.replicas ?? 0;
    const available = (rs: StoredObject) => as<V1ReplicaSet>(rs).status?.availableReplicas ?? 0;

    // Scale up the new ReplicaSet within the surge budget.
    const total = spec(newRs) + old.reduce((n, rs) => n + spec(rs), 0);
    if (spec(newRs) > desired) newRs = this.replicaSets.scale(stored, newRs, desired);
    else if (spec(newRs) < desired) {
      const up = Math.min(desired + maxSurge - total, desired - spec(newRs));
      if (up > 0) newRs = this.replicaSets.scale(stored, newRs, spec(newRs) + up);
    }

    // Scale down old ReplicaSets while keeping desired - maxUnavailable pods available.
    const live = old.map(
      (rs) => this.ctx.store.get('apps/replicasets', rs.metadata.namespace, rs.metadata.name) ?? rs,
    );
    const allTotal = spec(newRs) + live.reduce((n, rs) => n + spec(rs), 0);
    const minAvailable = desired - maxUnavailable;
    const newUnavailable = spec(newRs) - available(newRs);
    let budget = allTotal - minAvailable - newUnavailable;
    if (budget <= 0) return newRs;
    const oldest = [...live].sort((a, b) => revisionOf(a) - revisionOf(b));
    // First drop old replicas that are not available anyway.
    for (const rs of oldest) {
      if (budget <= 0) break;
      const unhealthy = spec(rs) - available(rs);
      const cut = Math.min(unhealthy, budget, spec(rs));
      if (cut > 0) {
        this.replicaSets.scale(stored, rs, spec(rs) - cut);
        budget -= cut;
      }
    }
    const refreshed = oldest.map(
      (rs) => this.ctx.store.get('apps/replicasets', rs.metadata.namespace, rs.metadata.name) ?? rs,
    );
    const allAvailable = available(newRs) + refreshed.reduce((n, rs) => n + available(rs), 0);
    let canDown = allAvailable - minAvailable;
    for (const rs of refreshed) {
      if (canDown <= 0) break;
      const cut = Math.min(spec(rs), canDown);
      if (cut > 0) {
        this.replicaSets.scale(stored, rs, spec(rs) - cut);
        canDown -= cut;
      }
    }
    return newRs;
  }
}
