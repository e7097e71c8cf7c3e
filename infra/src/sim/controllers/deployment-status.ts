import type { V1Deployment, V1DeploymentCondition, V1ReplicaSet } from '@kubernetes/client-node';
import type { StoredObject } from '../store/object-store';
import { as, put, sameJson, type SimContext } from '../runtime/context';
import { isoSeconds } from '../runtime/names';
import { scaledValue } from './workload-util';

/**
 * A Deployment's status: replica counts summed over its ReplicaSets, and the Available and
 * Progressing conditions, including ProgressDeadlineExceeded once the last progress is too old.
 */
export class DeploymentStatusWriter {
  private readonly deadlineTimers = new Set<string>();
  /** The last progress of each Deployment (by uid): what the Progressing condition reports. */
  private readonly progress = new Map<string, { reason: string; message: string; at: number }>();

  constructor(
    private readonly ctx: SimContext,
    /** Re-syncs a Deployment (when its progress deadline passes). */
    private readonly enqueue: (namespace: string, name: string) => void,
  ) {}

  /** Records progress now (a ReplicaSet created or scaled), which restarts the progress deadline. */
  setProgressing(d: StoredObject, reason: string, message: string): void {
    this.progress.set(d.metadata.uid, { reason, message, at: this.ctx.clock.now() });
  }

  /** Drops the progress of Deployments that no longer exist. */
  forgetDeleted(): void {
    const live = new Set(this.ctx.store.list('apps/deployments').map((d) => d.metadata.uid));
    for (const uid of this.progress.keys()) if (!live.has(uid)) this.progress.delete(uid);
  }

  /** Writes the Deployment's status from its ReplicaSets (`newRs` is the one of the current template). */
  write(stored: StoredObject, newRs: StoredObject | undefined, all: StoredObject[]): void {
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
