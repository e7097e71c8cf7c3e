import type { V1Deployment, V1DeploymentCondition, V1ReplicaSet } from '@kubernetes/client-node';
import type { StoreEvent, StoredObject } from '../store/object-store';
import { as, put, sameJson, type SimContext } from '../runtime/context';
import { isoSeconds, stableStringify, templateHash } from '../runtime/names';
import type { Controller } from './controller';
import { controllerRef, ownerRefTo, scaledValue, selects } from './workload-util';

const SOURCE = { component: 'deployment-controller' };
const HASH_LABEL = 'pod-template-hash';
const REVISION = 'deployment.kubernetes.io/revision';
const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history';
const DESIRED = 'deployment.kubernetes.io/desired-replicas';
const MAX = 'deployment.kubernetes.io/max-replicas';
const CHANGE_CAUSE = 'kubernetes.io/change-cause';

type Template = NonNullable<V1Deployment['spec']>['template'];

/** A template without the hash label, to compare a ReplicaSet's template with a Deployment's. */
function withoutHash(t: Template | undefined): string {
  const copy = structuredClone(t ?? {}) as Template;
  if (copy.metadata?.labels) delete copy.metadata.labels[HASH_LABEL];
  if (copy.metadata && 'creationTimestamp' in copy.metadata)
    delete (copy.metadata as Record<string, unknown>)['creationTimestamp'];
  return stableStringify(copy);
}

const revisionOf = (rs: StoredObject) => Number(rs.metadata.annotations?.[REVISION] ?? '0');

/** Deployment → ReplicaSets: new ReplicaSet per template, rolling update or recreate, history, status. */
export class DeploymentController implements Controller {
  constructor(private readonly ctx: SimContext) {}

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
      if (!stored) this.forget(namespace, name);
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
    const desired = d.spec?.replicas ?? 1;

    if (d.spec?.paused) {
      this.writeStatus(stored, newRs, all);
      return;
    }
    if (!newRs)
      newRs = this.createReplicaSet(stored, maxOldRevision + 1, old.length === 0 ? this.initialScale(d) : 0);
    else newRs = this.syncRevision(stored, newRs, maxOldRevision);
    stored = store.get('apps/deployments', namespace, name)!;

    if (d.spec?.strategy?.type === 'Recreate') {
      const oldActive = old.some((rs) => (as<V1ReplicaSet>(rs).spec?.replicas ?? 0) > 0);
      for (const rs of old) this.scale(stored, rs, 0);
      const oldPods = store
        .list('pods', namespace)
        .filter((p) => old.some((rs) => controllerRef(p.metadata as never)?.uid === rs.metadata.uid));
      if (!oldActive && oldPods.length === 0) newRs = this.scale(stored, newRs, desired);
    } else {
      newRs = this.rollingUpdate(stored, d, newRs, old);
    }
    this.cleanup(d, old);
    const fresh = store
      .list('apps/replicasets', namespace)
      .filter((rs) => controllerRef(rs.metadata as never)?.uid === stored!.metadata.uid);
    this.writeStatus(stored, store.get('apps/replicasets', namespace, newRs.metadata.name), fresh);
  }

  private forget(namespace: string, name: string): void {
    void namespace;
    void name;
    // Entries are keyed by uid; drop those of Deployments that no longer exist.
    const live = new Set(this.ctx.store.list('apps/deployments').map((d) => d.metadata.uid));
    for (const uid of this.progress.keys()) if (!live.has(uid)) this.progress.delete(uid);
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

  private rollingUpdate(
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
    if (spec(newRs) > desired) newRs = this.scale(stored, newRs, desired);
    else if (spec(newRs) < desired) {
      const up = Math.min(desired + maxSurge - total, desired - spec(newRs));
      if (up > 0) newRs = this.scale(stored, newRs, spec(newRs) + up);
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
        this.scale(stored, rs, spec(rs) - cut);
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
        this.scale(stored, rs, spec(rs) - cut);
        canDown -= cut;
      }
    }
    return newRs;
  }

  private createReplicaSet(stored: StoredObject, revision: number, replicas: number): StoredObject {
    const d = as<V1Deployment>(stored);
    const { store } = this.ctx;
    const template = structuredClone(d.spec!.template) as Template;
    let collision = 0;
    for (;;) {
      const hash = templateHash(JSON.parse(withoutHash(template)), collision);
      const name = `${stored.metadata.name}-${hash}`;
      const existing = store.get('apps/replicasets', stored.metadata.namespace, name);
      if (existing) {
        collision++;
        continue;
      }
      template.metadata = {
        ...(template.metadata ?? {}),
        labels: { ...(template.metadata?.labels ?? {}), [HASH_LABEL]: hash },
      };
      const desired = d.spec?.replicas ?? 1;
      const surge = scaledValue(d.spec?.strategy?.rollingUpdate?.maxSurge as never, desired, '25%', true);
      const annotations: Record<string, string> = {
        [DESIRED]: String(desired),
        [MAX]: String(desired + (d.spec?.strategy?.type === 'Recreate' ? 0 : surge)),
        [REVISION]: String(revision),
      };
      const cause = stored.metadata.annotations?.[CHANGE_CAUSE];
      if (cause) annotations[CHANGE_CAUSE] = cause;
      const rs = store.create('apps/replicasets', {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: {
          name,
          namespace: stored.metadata.namespace,
          labels: { ...(template.metadata.labels ?? {}) },
          annotations,
          ownerReferences: [ownerRefTo(stored)],
        },
        spec: {
          replicas: 0,
          minReadySeconds: d.spec?.minReadySeconds ?? 0,
          selector: {
            ...(d.spec?.selector ?? {}),
            matchLabels: { ...(d.spec?.selector?.matchLabels ?? {}), [HASH_LABEL]: hash },
          },
          template,
        },
      });
      this.setDeploymentRevision(stored, revision);
      this.setProgressing(stored, 'NewReplicaSetCreated', `Created new replica set "${name}"`);
      return replicas > 0 ? this.scale(stored, rs, replicas) : rs;
    }
  }

  /** A rollback makes an old ReplicaSet new again: it takes the next revision number. */
  private syncRevision(stored: StoredObject, rs: StoredObject, maxOld: number): StoredObject {
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
      ? put(this.ctx.store, 'apps/replicasets', { ...rs, metadata: { ...rs.metadata, annotations } })!
      : rs;
    this.setDeploymentRevision(stored, revisionOf(updated));
    return updated;
  }

  private setDeploymentRevision(stored: StoredObject, revision: number): void {
    const latest = this.ctx.store.get('apps/deployments', stored.metadata.namespace, stored.metadata.name);
    if (!latest || latest.metadata.annotations?.[REVISION] === String(revision)) return;
    put(this.ctx.store, 'apps/deployments', {
      ...latest,
      metadata: {
        ...latest.metadata,
        annotations: { ...(latest.metadata.annotations ?? {}), [REVISION]: String(revision) },
      },
    });
  }

  private scale(deploy: StoredObject, rs: StoredObject, to: number): StoredObject {
    const latest = this.ctx.store.get('apps/replicasets', rs.metadata.namespace, rs.metadata.name) ?? rs;
    const from = as<V1ReplicaSet>(latest).spec?.replicas ?? 0;
    if (from === to) return latest;
    const d = as<V1Deployment>(
      this.ctx.store.get('apps/deployments', deploy.metadata.namespace, deploy.metadata.name) ?? deploy,
    );
    const desired = d.spec?.replicas ?? 1;
    const surge = scaledValue(d.spec?.strategy?.rollingUpdate?.maxSurge as never, desired, '25%', true);
    const updated = put(this.ctx.store, 'apps/replicasets', {
      ...latest,
      metadata: {
        ...latest.metadata,
        annotations: {
          ...(latest.metadata.annotations ?? {}),
          [DESIRED]: String(desired),
          [MAX]: String(desired + (d.spec?.strategy?.type === 'Recreate' ? 0 : surge)),
        },
      },
      spec: { ...(latest.spec as object), replicas: to },
    })!;
    const verb = to > from ? 'up' : 'down';
    const message =
      this.ctx.options.minor >= 30
        ? `Scaled ${verb} replica set ${rs.metadata.name} from ${from} to ${to}`
        : `Scaled ${verb} replica set ${rs.metadata.name} to ${to}`;
    this.ctx.events.record(deploy, 'Normal', 'ScalingReplicaSet', message, SOURCE);
    this.setProgressing(deploy, 'ReplicaSetUpdated', `ReplicaSet "${rs.metadata.name}" is progressing.`);
    return updated;
  }

  private cleanup(d: V1Deployment, old: StoredObject[]): void {
    const limit = d.spec?.revisionHistoryLimit ?? 10;
    const { store } = this.ctx;
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

  private readonly deadlineTimers = new Set<string>();
  private readonly progress = new Map<string, { reason: string; message: string; at: number }>();

  private setProgressing(d: StoredObject, reason: string, message: string): void {
    this.progress.set(d.metadata.uid, { reason, message, at: this.ctx.clock.now() });
  }

  private writeStatus(stored: StoredObject, newRs: StoredObject | undefined, all: StoredObject[]): void {
    const { store, clock } = this.ctx;
    const d = as<V1Deployment>(stored);
    const desired = d.spec?.replicas ?? 1;
    const sum = (f: (rs: V1ReplicaSet) => number | undefined) =>
      all.reduce((n, rs) => n + (f(as<V1ReplicaSet>(rs)) ?? 0), 0);
    const replicas = sum((rs) => rs.status?.replicas);
    const ready = sum((rs) => rs.status?.readyReplicas);
    const availableReplicas = sum((rs) => rs.status?.availableReplicas);
    const updated = newRs ? (as<V1ReplicaSet>(newRs).status?.replicas ?? 0) : 0;
    const maxUnavailable =
      d.spec?.strategy?.type === 'Recreate'
        ? 0
        : scaledValue(d.spec?.strategy?.rollingUpdate?.maxUnavailable as never, desired, '25%', false);
    const now = isoSeconds(clock.now());
    const prev = (type: string) =>
      (stored.status as V1Deployment['status'])?.conditions?.find((c) => c.type === type);
    const cond = (
      type: string,
      status: 'True' | 'False',
      reason: string,
      message: string,
    ): V1DeploymentCondition => {
      const p = prev(type);
      const same = p?.status === status;
      const unchanged = same && p?.reason === reason && p?.message === message;
      return {
        type,
        status,
        lastUpdateTime: (unchanged ? p!.lastUpdateTime : now) as never,
        lastTransitionTime: (same ? p!.lastTransitionTime : now) as never,
        reason,
        message,
      };
    };
    const isAvailable = availableReplicas >= desired - maxUnavailable;
    const oldPods = all
      .filter((rs) => rs !== newRs)
      .reduce((n, rs) => n + (as<V1ReplicaSet>(rs).status?.replicas ?? 0), 0);
    const complete =
      newRs !== undefined &&
      updated === desired &&
      oldPods === 0 &&
      (as<V1ReplicaSet>(newRs).status?.availableReplicas ?? 0) === desired &&
      replicas === desired;
    const rsName = newRs?.metadata.name ?? '';
    let progressing: V1DeploymentCondition;
    const p = this.progress.get(stored.metadata.uid);
    const deadline = (d.spec?.progressDeadlineSeconds ?? 600) * 1000;
    if (complete)
      progressing = cond(
        'Progressing',
        'True',
        'NewReplicaSetAvailable',
        `ReplicaSet "${rsName}" has successfully progressed.`,
      );
    else if (
      prev('Progressing')?.reason === 'ProgressDeadlineExceeded' &&
      p &&
      clock.now() - p.at >= deadline
    ) {
      progressing = prev('Progressing')!;
    } else if (p && clock.now() - p.at >= deadline) {
      progressing = cond(
        'Progressing',
        'False',
        'ProgressDeadlineExceeded',
        `ReplicaSet "${rsName}" has timed out progressing.`,
      );
    } else {
      const prevP = prev('Progressing');
      progressing = p
        ? cond('Progressing', 'True', p.reason, p.message)
        : (prevP ??
          cond('Progressing', 'True', 'ReplicaSetUpdated', `ReplicaSet "${rsName}" is progressing.`));
      const uid = stored.metadata.uid;
      if (!this.deadlineTimers.has(uid)) {
        const due = (p?.at ?? clock.now()) + deadline - clock.now();
        this.deadlineTimers.add(uid);
        clock.setTimer(Math.max(due, 0) + 1, () => {
          this.deadlineTimers.delete(uid);
          this.enqueue(stored.metadata.namespace!, stored.metadata.name);
        });
      }
    }
    const available = isAvailable
      ? cond('Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.')
      : cond(
          'Available',
          'False',
          'MinimumReplicasUnavailable',
          'Deployment does not have minimum availability.',
        );
    const status: Record<string, unknown> = {
      observedGeneration: stored.metadata.generation ?? 1,
      replicas,
      updatedReplicas: updated,
      readyReplicas: ready,
      availableReplicas,
      unavailableReplicas: Math.max(0, Math.max(desired, replicas) - availableReplicas),
      conditions: [available, progressing],
    };
    for (const k of [
      'replicas',
      'updatedReplicas',
      'readyReplicas',
      'availableReplicas',
      'unavailableReplicas',
    ]) {
      if (status[k] === 0) delete status[k];
    }
    const latest = store.get('apps/deployments', stored.metadata.namespace, stored.metadata.name);
    if (!latest) return;
    const oldStatus = latest.status as Record<string, unknown> | undefined;
    const comparable = (s: Record<string, unknown> | undefined) =>
      JSON.stringify({
        ...s,
        conditions: (s?.conditions as V1DeploymentCondition[] | undefined)?.map((c) => ({
          ...c,
          lastUpdateTime: 0,
          lastTransitionTime: 0,
        })),
      });
    if (sameJson(comparable(oldStatus), comparable(status))) return;
    put(store, 'apps/deployments', { ...latest, status });
  }
}
