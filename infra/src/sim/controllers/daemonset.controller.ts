import type { V1DaemonSet, V1Node, V1Pod, V1Toleration } from '@kubernetes/client-node';
import { isPodReady } from '@netlab/grader/netmodel';
import type { StoreEvent, StoredObject } from '../store/object-store';
import { as, put, sameJson, type SimContext } from '../runtime/context';
import { templateHash } from '../runtime/names';
import type { Controller } from './controller';
import { deletePodGracefully } from './pod-deletion';
import { nodeFitsPod } from './scheduling-predicates';
import { controllerRef, isPodActive, isPodAvailable, podFromTemplate } from './workload-util';
import { recordControllerRevision } from './controller-revisions';
import { FailedCreateBackoff } from './failed-create';

const SOURCE = { component: 'daemonset-controller' };
const REVISION_LABEL = 'controller-revision-hash';

/** The tolerations the DaemonSet controller adds to every daemon pod. */
function daemonTolerations(ds: V1DaemonSet): V1Toleration[] {
  const t: V1Toleration[] = [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
  ];
  if (ds.spec?.template.spec?.hostNetwork) {
    t.push({ key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule' });
  }
  return t;
}

/** One daemon pod per eligible node; pods of an old template are replaced one node at a time. */
export class DaemonSetController implements Controller {
  private readonly backoff: FailedCreateBackoff;

  constructor(private readonly ctx: SimContext) {
    this.backoff = new FailedCreateBackoff(ctx, SOURCE, (ns, name) => this.enqueue(ns, name));
  }

  onEvent(e: StoreEvent): void {
    if (e.resource === 'apps/daemonsets') this.enqueue(e.object.metadata.namespace!, e.object.metadata.name);
    else if (e.resource === 'pods') {
      const ref = controllerRef(e.object.metadata as never);
      if (ref?.kind === 'DaemonSet') this.enqueue(e.object.metadata.namespace!, ref.name);
    } else if (e.resource === 'nodes' && e.type !== 'MODIFIED') this.resync();
    else if (e.resource === 'nodes') this.resyncIfLabelsChanged();
  }

  private nodeShape = '';

  private resyncIfLabelsChanged(): void {
    const shape = JSON.stringify(
      this.ctx.store
        .list('nodes')
        .map((n) => [n.metadata.name, n.metadata.labels, (n.spec as V1Node['spec'])?.taints]),
    );
    if (shape === this.nodeShape) return;
    this.nodeShape = shape;
    this.resync();
  }

  resync(): void {
    for (const ds of this.ctx.store.list('apps/daemonsets'))
      this.enqueue(ds.metadata.namespace!, ds.metadata.name);
  }

  private enqueue(namespace: string, name: string): void {
    this.ctx.queue.add(`ds:${namespace}/${name}`, () => this.reconcile(namespace, name));
  }

  /** Creates, replaces and deletes daemon pods, then writes status. */
  reconcile(namespace: string, name: string): void {
    const { store, clock } = this.ctx;
    const stored = store.get('apps/daemonsets', namespace, name);
    if (!stored || stored.metadata.deletionTimestamp) return;
    const ds = as<V1DaemonSet>(stored);
    const hash = templateHash(ds.spec?.template);
    this.recordRevision(stored, ds, hash);
    const pods = store
      .list('pods', namespace)
      .filter((p) => controllerRef(p.metadata as never)?.uid === stored.metadata.uid)
      .map((p) => as<V1Pod>(p));
    const nodes = store.list('nodes').map((n) => as<V1Node>(n));
    const tolerations = daemonTolerations(ds);
    const probe = {
      spec: {
        ...ds.spec?.template.spec,
        tolerations: [...(ds.spec?.template.spec?.tolerations ?? []), ...tolerations],
      },
    } as V1Pod;
    const eligible = nodes.filter((n) => nodeFitsPod(n, probe, { ignoreNodeName: true }).fits);
    const byNode = new Map<string, V1Pod[]>();
    for (const p of pods) {
      const node = targetNode(p);
      if (!node) continue;
      byNode.set(node, [...(byNode.get(node) ?? []), p]);
    }
    let budget = 1; // maxUnavailable 1: replace old pods one node at a time
    const unavailable = eligible.filter(
      (n) => !(byNode.get(n.metadata!.name!) ?? []).some((p) => isPodActive(p) && isPodReady(p)),
    ).length;
    budget -= unavailable;
    // A refused create (quota) stops this round's creates and backs the DaemonSet off.
    let creating = !this.backoff.waiting(stored);
    for (const node of eligible) {
      const nodeName = node.metadata!.name!;
      const here = (byNode.get(nodeName) ?? []).filter(isPodActive);
      if (here.length === 0) {
        if ((byNode.get(nodeName) ?? []).some((p) => p.metadata?.deletionTimestamp)) continue;
        if (creating) creating = this.createPod(stored, ds, nodeName, hash, tolerations);
        continue;
      }
      for (const extra of here.slice(1)) this.remove(stored, extra);
      const current = here[0]!;
      if (
        current.metadata?.labels?.[REVISION_LABEL] !== hash &&
        ds.spec?.updateStrategy?.type !== 'OnDelete' &&
        budget > 0 &&
        isPodReady(current)
      ) {
        budget--;
        this.remove(stored, current);
      }
    }
    if (creating) this.backoff.reset(stored);
    for (const [nodeName, list] of byNode) {
      if (eligible.some((n) => n.metadata?.name === nodeName)) continue;
      for (const p of list.filter(isPodActive)) this.remove(stored, p);
    }

    const fresh = store
      .list('pods', namespace)
      .filter((p) => controllerRef(p.metadata as never)?.uid === stored.metadata.uid)
      .map((p) => as<V1Pod>(p))
      .filter(isPodActive);
    const scheduled = fresh.filter((p) => p.spec?.nodeName);
    const onEligible = scheduled.filter((p) => eligible.some((n) => n.metadata?.name === p.spec?.nodeName));
    const status: Record<string, number> = {
      currentNumberScheduled: onEligible.length,
      desiredNumberScheduled: eligible.length,
      numberMisscheduled: scheduled.length - onEligible.length,
      numberReady: onEligible.filter(isPodReady).length,
      numberAvailable: onEligible.filter((p) => isPodAvailable(p, ds.spec?.minReadySeconds ?? 0, clock.now()))
        .length,
      updatedNumberScheduled: onEligible.filter((p) => p.metadata?.labels?.[REVISION_LABEL] === hash).length,
      observedGeneration: stored.metadata.generation ?? 1,
    };
    status.numberUnavailable = status.desiredNumberScheduled! - status.numberAvailable!;
    for (const k of ['numberAvailable', 'numberUnavailable', 'updatedNumberScheduled'])
      if (status[k] === 0) delete status[k];
    const latest = store.get('apps/daemonsets', namespace, name)!;
    if (!sameJson(latest.status, status)) put(store, 'apps/daemonsets', { ...latest, status });
  }

  /** A ControllerRevision per template, as `kubectl rollout history/undo daemonset` reads them. */
  private recordRevision(owner: StoredObject, ds: V1DaemonSet, hash: string): void {
    const cause = owner.metadata.annotations?.['kubernetes.io/change-cause'];
    recordControllerRevision(this.ctx, owner, ds.spec?.template, hash, {
      hashLabel: REVISION_LABEL,
      annotations: cause ? { 'kubernetes.io/change-cause': cause } : {},
    });
  }

  private createPod(
    owner: StoredObject,
    ds: V1DaemonSet,
    nodeName: string,
    hash: string,
    tolerations: V1Toleration[],
  ): boolean {
    const { random, events } = this.ctx;
    const name = `${owner.metadata.name}-${random.suffix()}`;
    const pod = podFromTemplate(ds.spec!.template, name, owner.metadata.namespace!, owner, {
      [REVISION_LABEL]: hash,
      'pod-template-generation': String(owner.metadata.generation ?? 1),
    });
    const spec = pod.spec as NonNullable<V1Pod['spec']>;
    // The real controller pins each pod to its node with node affinity; the scheduler binds it.
    spec.affinity = {
      ...(spec.affinity ?? {}),
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            { matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] },
          ],
        },
      },
    };
    const existing = spec.tolerations ?? [];
    spec.tolerations = [
      ...existing,
      ...tolerations.filter((t) => !existing.some((e) => e.key === t.key && e.effect === t.effect)),
    ];
    if (!this.backoff.createPod(owner, pod as never)) return false;
    events.record(owner, 'Normal', 'SuccessfulCreate', `Created pod: ${name}`, SOURCE);
    return true;
  }

  private remove(owner: StoredObject, pod: V1Pod): void {
    const s = this.ctx.store.get('pods', pod.metadata?.namespace, pod.metadata!.name!);
    if (!s || s.metadata.deletionTimestamp) return;
    deletePodGracefully(this.ctx, s);
    this.ctx.events.record(owner, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata!.name}`, SOURCE);
  }
}

/** The node a daemon pod is bound or pinned to. */
function targetNode(pod: V1Pod): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  const terms =
    pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  for (const t of terms)
    for (const f of t.matchFields ?? []) if (f.key === 'metadata.name') return f.values?.[0];
  return undefined;
}
