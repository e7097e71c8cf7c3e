import type { V1Pod, V1ReplicaSet } from '@kubernetes/client-node';
import type { StoreEvent, StoredObject } from '../store/object-store';
import { as, put, sameJson, type SimContext } from '../runtime/context';
import type { Controller } from './controller';
import { deletePodGracefully } from './pod-deletion';
import { controllerRef, isPodActive, isPodAvailable, podFromTemplate, selects } from './workload-util';
import { isPodReady } from '@netlab/grader/netmodel';
import { FailedCreateBackoff } from './failed-create';

const SOURCE = { component: 'replicaset-controller' };

/** Keeps each ReplicaSet's pod count at spec.replicas, adopting orphans its selector matches. */
export class ReplicaSetController implements Controller {
  private readonly backoff: FailedCreateBackoff;

  constructor(private readonly ctx: SimContext) {
    this.backoff = new FailedCreateBackoff(ctx, SOURCE, (ns, name) => this.enqueue(ns, name));
  }

  onEvent(e: StoreEvent): void {
    if (e.resource === 'apps/replicasets') this.enqueue(e.object.metadata.namespace!, e.object.metadata.name);
    else if (e.resource === 'pods') {
      const ref = controllerRef(e.object.metadata as never);
      if (ref?.kind === 'ReplicaSet') this.enqueue(e.object.metadata.namespace!, ref.name);
      else if (!ref && e.type !== 'DELETED') {
        for (const rs of this.ctx.store.list('apps/replicasets', e.object.metadata.namespace)) {
          if (selects(as<V1ReplicaSet>(rs).spec?.selector, e.object.metadata.labels))
            this.enqueue(rs.metadata.namespace!, rs.metadata.name);
        }
      }
    }
  }

  resync(): void {
    for (const rs of this.ctx.store.list('apps/replicasets'))
      this.enqueue(rs.metadata.namespace!, rs.metadata.name);
  }

  private enqueue(namespace: string, name: string): void {
    this.ctx.queue.add(`rs:${namespace}/${name}`, () => this.reconcile(namespace, name));
  }

  /** Creates or deletes pods to match spec.replicas, then writes status. */
  reconcile(namespace: string, name: string): void {
    const { store, events, clock } = this.ctx;
    const stored = store.get('apps/replicasets', namespace, name);
    if (!stored) return;
    const rs = as<V1ReplicaSet>(stored);
    const pods = this.ownedPods(stored);
    if (!stored.metadata.deletionTimestamp) {
      const active = pods.filter(isPodActive);
      const desired = rs.spec?.replicas ?? 1;
      if (active.length < desired) this.scaleUp(stored, desired - active.length);
      else this.backoff.reset(stored);
      if (active.length > desired) {
        for (const victim of rankForDeletion(active).slice(0, active.length - desired)) {
          const s = store.get('pods', namespace, victim.metadata!.name!);
          if (!s) continue;
          deletePodGracefully(this.ctx, s);
          events.record(
            stored,
            'Normal',
            'SuccessfulDelete',
            `Deleted pod: ${victim.metadata!.name}`,
            SOURCE,
          );
        }
      }
    }
    const current = this.ownedPods(stored).filter(isPodActive);
    const minReady = rs.spec?.minReadySeconds ?? 0;
    const status = {
      replicas: current.length,
      fullyLabeledReplicas: current.filter((p) =>
        Object.entries(rs.spec?.template?.metadata?.labels ?? {}).every(
          ([k, v]) => p.metadata?.labels?.[k] === v,
        ),
      ).length,
      readyReplicas: current.filter(isPodReady).length,
      availableReplicas: current.filter((p) => isPodAvailable(p, minReady, clock.now())).length,
      observedGeneration: stored.metadata.generation ?? 1,
    };
    const latest = store.get('apps/replicasets', namespace, name)!;
    const clean = Object.fromEntries(
      Object.entries(status).filter(([k, v]) => v !== 0 || k === 'replicas' || k === 'observedGeneration'),
    );
    if (!sameJson(latest.status, clean)) put(store, 'apps/replicasets', { ...latest, status: clean });
    if (minReady > 0 && status.readyReplicas > status.availableReplicas) {
      clock.setTimer(minReady * 1000, () => this.enqueue(namespace, name));
    }
  }

  /** Creates `count` pods from the template, unless a refused create is still backing off. */
  private scaleUp(rs: StoredObject, count: number): void {
    const { events, random } = this.ctx;
    if (this.backoff.waiting(rs)) return;
    for (let i = 0; i < count; i++) {
      const podName = `${rs.metadata.name}-${random.suffix()}`;
      const pod = podFromTemplate(
        as<V1ReplicaSet>(rs).spec!.template ?? {},
        podName,
        rs.metadata.namespace!,
        rs,
      );
      if (!this.backoff.createPod(rs, pod as never)) return;
      events.record(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${podName}`, SOURCE);
    }
    this.backoff.reset(rs);
  }

  private ownedPods(rs: StoredObject): V1Pod[] {
    const { store } = this.ctx;
    const out: V1Pod[] = [];
    const selector = as<V1ReplicaSet>(rs).spec?.selector;
    for (const p of store.list('pods', rs.metadata.namespace)) {
      const ref = controllerRef(p.metadata as never);
      if (ref?.uid === rs.metadata.uid) out.push(as<V1Pod>(p));
      else if (
        !ref &&
        !rs.metadata.deletionTimestamp &&
        !p.metadata.deletionTimestamp &&
        selects(selector, p.metadata.labels)
      ) {
        // Adoption, as the controller does for orphans its selector matches.
        const adopted = store.update('pods', {
          ...p,
          metadata: {
            ...p.metadata,
            resourceVersion: undefined,
            ownerReferences: [
              ...(p.metadata.ownerReferences ?? []),
              {
                apiVersion: 'apps/v1',
                kind: 'ReplicaSet',
                name: rs.metadata.name,
                uid: rs.metadata.uid,
                controller: true,
                blockOwnerDeletion: true,
              },
            ] as never,
          },
        });
        out.push(as<V1Pod>(adopted));
      }
    }
    return out;
  }
}

/** Which pods to delete first when scaling down (controller.ActivePods ordering). */
function rankForDeletion(pods: V1Pod[]): V1Pod[] {
  const rank = (p: V1Pod) =>
    !p.spec?.nodeName ? 0 : p.status?.phase === 'Pending' ? 1 : !isPodReady(p) ? 2 : 3;
  return [...pods].sort((a, b) => {
    const r = rank(a) - rank(b);
    if (r !== 0) return r;
    const restarts = (p: V1Pod) =>
      (p.status?.containerStatuses ?? []).reduce((n, c) => n + c.restartCount, 0);
    const rr = restarts(b) - restarts(a);
    if (rr !== 0) return rr;
    return (
      String(b.metadata?.creationTimestamp ?? '').localeCompare(
        String(a.metadata?.creationTimestamp ?? ''),
      ) || String(b.metadata?.name).localeCompare(String(a.metadata?.name))
    );
  });
}
