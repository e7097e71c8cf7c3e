import type { V1Pod, V1StatefulSet } from '@kubernetes/client-node';
import { isPodReady } from '@netlab/grader/netmodel';
import type { StoreEvent, StoredObject } from '../store/object-store';
import { as, put, sameJson, type SimContext } from '../runtime/context';
import { templateHash } from '../runtime/names';
import type { Controller } from './controller';
import { recordControllerRevision } from './controller-revisions';
import { FailedCreateBackoff } from './failed-create';
import { deletePodGracefully } from './pod-deletion';
import { controllerRef, isPodActive, isPodAvailable, podFromTemplate } from './workload-util';

const SOURCE = { component: 'statefulset-controller' };
const REVISION_LABEL = 'controller-revision-hash';

/** The ordinal of a StatefulSet pod (`web-2` → 2), or undefined for a name not of that set. */
export function ordinalOf(setName: string, podName: string): number | undefined {
  if (!podName.startsWith(`${setName}-`)) return undefined;
  const rest = podName.slice(setName.length + 1);
  return /^(0|[1-9]\d*)$/.test(rest) ? Number(rest) : undefined;
}

/**
 * Pods `NAME-0..N-1` with stable hostname and subdomain (spec.serviceName): created lowest ordinal
 * first and, under OrderedReady, each only once its predecessors are Running and Ready; removed
 * highest first; replaced from the highest ordinal down when the template changes (RollingUpdate).
 */
export class StatefulSetController implements Controller {
  private readonly backoff: FailedCreateBackoff;

  constructor(private readonly ctx: SimContext) {
    this.backoff = new FailedCreateBackoff(ctx, SOURCE, (ns, name) => this.enqueue(ns, name));
  }

  onEvent(e: StoreEvent): void {
    if (e.resource === 'apps/statefulsets')
      this.enqueue(e.object.metadata.namespace!, e.object.metadata.name);
    else if (e.resource === 'pods') {
      const ref = controllerRef(e.object.metadata as never);
      if (ref?.kind === 'StatefulSet') this.enqueue(e.object.metadata.namespace!, ref.name);
    }
  }

  resync(): void {
    for (const s of this.ctx.store.list('apps/statefulsets'))
      this.enqueue(s.metadata.namespace!, s.metadata.name);
  }

  private enqueue(namespace: string, name: string): void {
    this.ctx.queue.add(`sts:${namespace}/${name}`, () => this.reconcile(namespace, name));
  }

  /** One step towards spec: at most one pod created or deleted under OrderedReady, then status. */
  reconcile(namespace: string, name: string): void {
    const { store } = this.ctx;
    const stored = store.get('apps/statefulsets', namespace, name);
    if (!stored || stored.metadata.deletionTimestamp) return;
    const sts = as<V1StatefulSet>(stored);
    const hash = templateHash(sts.spec?.template);
    const updateRevision = `${name}-${hash}`;
    recordControllerRevision(this.ctx, stored, sts.spec?.template, hash, {
      hashLabel: 'controller.kubernetes.io/hash',
    });
    const replicas = sts.spec?.replicas ?? 1;
    const ordered = (sts.spec?.podManagementPolicy ?? 'OrderedReady') === 'OrderedReady';
    const pods = this.ownedPods(stored);
    const byOrdinal = new Map<number, V1Pod>();
    for (const p of pods) byOrdinal.set(ordinalOf(name, p.metadata!.name!)!, p);
    const healthy = (p: V1Pod | undefined) =>
      !!p && isPodActive(p) && p.status?.phase === 'Running' && isPodReady(p);

    // Create the missing ordinals, lowest first; OrderedReady stops at the first pod not yet healthy.
    let blocked = false;
    for (let i = 0; i < replicas && !blocked; i++) {
      const pod = byOrdinal.get(i);
      if (!pod) {
        // A refused create (quota) backs off as the controller's work queue does; nothing else waits.
        if (this.backoff.waiting(stored) || !this.createPod(stored, sts, i, hash)) blocked = true;
        else if (ordered) blocked = true;
        continue;
      }
      if (pod.metadata?.deletionTimestamp) {
        if (ordered) blocked = true;
        continue;
      }
      if (pod.status?.phase === 'Failed' || pod.status?.phase === 'Succeeded') {
        // The real controller deletes a finished pod and creates it again under the same name.
        this.remove(stored, pod);
        if (ordered) blocked = true;
        continue;
      }
      if (ordered && !healthy(pod)) blocked = true;
    }
    // Scale down, highest ordinal first; OrderedReady removes one at a time once the rest is healthy.
    const condemned = [...byOrdinal.entries()]
      .filter(([i, p]) => i >= replicas && !p.metadata?.deletionTimestamp)
      .sort(([a], [b]) => b - a);
    if (condemned.length) {
      const terminating = pods.some((p) => p.metadata?.deletionTimestamp);
      if (!ordered) for (const [, p] of condemned) this.remove(stored, p);
      else if (!blocked && !terminating) this.remove(stored, condemned[0]![1]);
    } else if (!blocked && sts.spec?.updateStrategy?.type !== 'OnDelete') {
      this.rollOne(stored, byOrdinal, replicas, hash);
    }
    this.writeStatus(stored, sts, updateRevision);
  }

  /** RollingUpdate: deletes the highest-ordinal pod of an old revision at or above the partition. */
  private rollOne(owner: StoredObject, byOrdinal: Map<number, V1Pod>, replicas: number, hash: string) {
    const sts = as<V1StatefulSet>(owner);
    const partition = sts.spec?.updateStrategy?.rollingUpdate?.partition ?? 0;
    const all = [...Array(replicas).keys()].map((i) => byOrdinal.get(i));
    if (all.some((p) => !p || p.metadata?.deletionTimestamp || !isPodReady(p))) return;
    for (let i = replicas - 1; i >= partition; i--) {
      const p = all[i]!;
      if (p.metadata?.labels?.[REVISION_LABEL] !== `${owner.metadata.name}-${hash}`) {
        this.remove(owner, p);
        return;
      }
    }
  }

  private writeStatus(owner: StoredObject, sts: V1StatefulSet, updateRevision: string) {
    const { store, clock } = this.ctx;
    const namespace = owner.metadata.namespace!;
    const name = owner.metadata.name;
    const active = this.ownedPods(owner).filter(isPodActive);
    const updated = active.filter((p) => p.metadata?.labels?.[REVISION_LABEL] === updateRevision).length;
    const previous = as<V1StatefulSet>(store.get('apps/statefulsets', namespace, name)!).status;
    // The current revision moves to the update revision once every pod runs it.
    const replicas = sts.spec?.replicas ?? 1;
    const currentRevision =
      !previous?.currentRevision || (updated === active.length && updated === replicas)
        ? updateRevision
        : previous.currentRevision;
    const status = {
      availableReplicas: active.filter((p) => isPodAvailable(p, sts.spec?.minReadySeconds ?? 0, clock.now()))
        .length,
      collisionCount: 0,
      currentReplicas: active.filter((p) => p.metadata?.labels?.[REVISION_LABEL] === currentRevision).length,
      currentRevision,
      observedGeneration: owner.metadata.generation ?? 1,
      readyReplicas: active.filter(isPodReady).length,
      replicas: active.length,
      updateRevision,
      updatedReplicas: updated,
    };
    const clean = Object.fromEntries(
      Object.entries(status).filter(
        ([k, v]) => !['currentReplicas', 'readyReplicas', 'updatedReplicas'].includes(k) || v !== 0,
      ),
    );
    const latest = store.get('apps/statefulsets', namespace, name)!;
    if (!sameJson(latest.status, clean)) put(store, 'apps/statefulsets', { ...latest, status: clean });
  }

  private ownedPods(owner: StoredObject): V1Pod[] {
    return this.ctx.store
      .list('pods', owner.metadata.namespace)
      .filter((p) => controllerRef(p.metadata as never)?.uid === owner.metadata.uid)
      .filter((p) => ordinalOf(owner.metadata.name, p.metadata.name) !== undefined)
      .map((p) => as<V1Pod>(p));
  }

  /** Creates pod NAME-ordinal; false when it could not (a stranger holds the name, or quota). */
  private createPod(owner: StoredObject, sts: V1StatefulSet, ordinal: number, hash: string): boolean {
    const { store, events } = this.ctx;
    const setName = owner.metadata.name;
    const podName = `${setName}-${ordinal}`;
    if (store.get('pods', owner.metadata.namespace, podName)) return false; // a stranger holds the name
    const pod = podFromTemplate(sts.spec!.template, podName, owner.metadata.namespace!, owner, {
      'apps.kubernetes.io/pod-index': String(ordinal),
      [REVISION_LABEL]: `${setName}-${hash}`,
      'statefulset.kubernetes.io/pod-name': podName,
    });
    const spec = pod.spec as NonNullable<V1Pod['spec']>;
    spec.hostname = podName;
    if (sts.spec?.serviceName) spec.subdomain = sts.spec.serviceName;
    const created = this.backoff.createPod(
      owner,
      pod as never,
      (m) => `create Pod ${podName} in StatefulSet ${setName} failed error: ${m}`,
    );
    if (!created) return false;
    this.backoff.reset(owner);
    events.record(
      owner,
      'Normal',
      'SuccessfulCreate',
      `create Pod ${podName} in StatefulSet ${setName} successful`,
      SOURCE,
    );
    return true;
  }

  private remove(owner: StoredObject, pod: V1Pod): void {
    const s = this.ctx.store.get('pods', pod.metadata?.namespace, pod.metadata!.name!);
    if (!s || s.metadata.deletionTimestamp) return;
    deletePodGracefully(this.ctx, s);
    this.ctx.events.record(
      owner,
      'Normal',
      'SuccessfulDelete',
      `delete Pod ${pod.metadata!.name} in StatefulSet ${owner.metadata.name} successful`,
      SOURCE,
    );
  }
}
