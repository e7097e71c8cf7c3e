import type { V1Node, V1Pod, V1PodCondition } from '@kubernetes/client-node';
import type { StoreEvent } from '../store/object-store';
import { as, put, type SimContext } from '../runtime/context';
import { isoSeconds } from '../runtime/names';
import type { Controller } from './controller';
import {
  nodeFitsPod,
  podRequests,
  unschedulableMessage,
  type FitFailure,
  type Resources,
} from './scheduling-predicates';

const SOURCE = { component: 'default-scheduler' };

/** default-scheduler: binds pending pods to the feasible node with the fewest pods. */
export class Scheduler implements Controller {
  constructor(private readonly ctx: SimContext) {}

  onEvent(e: StoreEvent): void {
    if (e.resource === 'pods' && e.type !== 'DELETED') {
      const pod = as<V1Pod>(e.object);
      if (!pod.spec?.nodeName && !pod.metadata?.deletionTimestamp)
        this.enqueue(e.object.metadata.namespace!, e.object.metadata.name);
    } else if (e.resource === 'nodes') {
      // A node became Ready, lost a taint or gained a label: retry the unschedulable pods.
      this.resync();
    }
  }

  resync(): void {
    for (const p of this.ctx.store.list('pods')) {
      if (!(p.spec as V1Pod['spec'])?.nodeName) this.enqueue(p.metadata.namespace!, p.metadata.name);
    }
  }

  private enqueue(namespace: string, name: string): void {
    this.ctx.queue.add(`sched:${namespace}/${name}`, () => this.schedule(namespace, name));
  }

  /** Binds one pod, or marks it Unschedulable with a FailedScheduling event. */
  schedule(namespace: string, name: string): void {
    const { store, events, clock } = this.ctx;
    const stored = store.get('pods', namespace, name);
    if (!stored) return;
    const pod = as<V1Pod>(stored);
    if (pod.spec?.nodeName || pod.metadata?.deletionTimestamp) return;
    if (pod.spec?.schedulerName && pod.spec.schedulerName !== 'default-scheduler') return;
    const nodes = store.list('nodes').map((n) => as<V1Node>(n));
    const failures: FitFailure[] = [];
    const feasible: V1Node[] = [];
    const used = new Map<string, Resources>();
    for (const p of store.list('pods')) {
      const other = as<V1Pod>(p);
      const n = other.spec?.nodeName;
      if (!n || other.status?.phase === 'Succeeded' || other.status?.phase === 'Failed') continue;
      const r = podRequests(other);
      const u = used.get(n) ?? { cpu: 0, memory: 0 };
      used.set(n, { cpu: u.cpu + r.cpu, memory: u.memory + r.memory });
    }
    for (const node of nodes) {
      const fit = nodeFitsPod(node, pod, { used: used.get(node.metadata!.name!) ?? { cpu: 0, memory: 0 } });
      if (fit.fits) feasible.push(node);
      else failures.push(fit.failure!);
    }
    const now = isoSeconds(clock.now());
    if (feasible.length === 0) {
      const message = unschedulableMessage(failures, nodes.length);
      const previous = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
      if (previous?.status === 'False' && previous.message === message) return;
      const condition: V1PodCondition = {
        type: 'PodScheduled',
        status: 'False',
        reason: 'Unschedulable',
        message,
        lastProbeTime: null as never,
        lastTransitionTime: now as never,
      };
      put(store, 'pods', {
        ...stored,
        status: { ...(stored.status as object), phase: 'Pending', conditions: [condition] },
      });
      events.record(stored, 'Warning', 'FailedScheduling', message, SOURCE);
      return;
    }
    const load = new Map<string, number>();
    for (const p of store.list('pods')) {
      const n = (p.spec as V1Pod['spec'])?.nodeName;
      if (n) load.set(n, (load.get(n) ?? 0) + 1);
    }
    feasible.sort(
      (a, b) =>
        (load.get(a.metadata!.name!) ?? 0) - (load.get(b.metadata!.name!) ?? 0) ||
        a.metadata!.name!.localeCompare(b.metadata!.name!),
    );
    const node = feasible[0]!.metadata!.name!;
    const condition = { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: now };
    const bound = put(store, 'pods', {
      ...stored,
      spec: { ...(stored.spec as object), nodeName: node },
      status: { ...(stored.status as object), phase: 'Pending', conditions: [condition] },
    });
    if (bound)
      events.record(
        bound,
        'Normal',
        'Scheduled',
        `Successfully assigned ${namespace}/${name} to ${node}`,
        SOURCE,
      );
  }
}
