import type { V1DaemonSet, V1Node, V1NodeCondition, V1Pod } from '@kubernetes/client-node';
import type { StoreEvent, StoredObject } from '../store/object-store';
import { as, put, sameJson, type SimContext } from '../runtime/context';
import { isoSeconds } from '../runtime/names';
import type { Controller } from './controller';
import { cniEnforcesPolicy, detectCni, type CniPlugin } from './cni-detector';
import { controllerRef } from './workload-util';

/** The kubelet's Ready=False message while no CNI config exists on the node. */
export const CNI_NOT_READY_MESSAGE =
  'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized';

const NOT_READY_TAINT = 'node.kubernetes.io/not-ready';
const UNSCHEDULABLE_TAINT = 'node.kubernetes.io/unschedulable';

/**
 * Node readiness from the CNI: a node becomes Ready once a recognised CNI agent (kindnet, Calico,
 * Flannel, Cilium) has run on it and written its config; until then it is NotReady with the
 * kubelet's real message and the not-ready taint. Which plugin runs decides NetworkPolicy enforcement.
 */
export class NodeNetworkController implements Controller {
  /** Nodes whose CNI config has been written (it stays, as /etc/cni/net.d does, if the agent goes). */
  private readonly configured = new Map<string, CniPlugin>();

  constructor(private readonly ctx: SimContext) {}

  /** Whether pods on `node` can get a sandbox network. */
  networkReady(node: string): boolean {
    return this.configured.has(node);
  }

  /** Whether NetworkPolicy is enforced: by the plugin of the CNI that is installed. */
  policyEnforced(): boolean {
    const plugins = new Set(this.configured.values());
    if (plugins.size === 0) return this.ctx.options.networkPolicy;
    return [...plugins].some((p) => cniEnforcesPolicy(p, this.ctx.options.networkPolicy));
  }

  onEvent(e: StoreEvent): void {
    if (e.resource === 'nodes' && e.type === 'ADDED') this.enqueue(e.object.metadata.name);
    if (e.resource === 'nodes' && e.type === 'MODIFIED') {
      // Cordon/uncordon: the node lifecycle controller mirrors spec.unschedulable as a taint.
      const node = as<V1Node>(e.object);
      const tainted = (node.spec?.taints ?? []).some((t) => t.key === UNSCHEDULABLE_TAINT);
      if (Boolean(node.spec?.unschedulable) !== tainted) this.enqueue(e.object.metadata.name);
    }
    if (e.resource === 'pods' && e.type !== 'DELETED') {
      const pod = as<V1Pod>(e.object);
      const node = pod.spec?.nodeName;
      if (node && !this.configured.has(node) && pod.status?.phase === 'Running' && this.cniOf(e.object))
        this.enqueue(node);
    }
  }

  resync(): void {
    for (const n of this.ctx.store.list('nodes')) this.enqueue(n.metadata.name);
  }

  private cniOf(pod: StoredObject): CniPlugin | undefined {
    const ref = controllerRef(pod.metadata as never);
    if (ref?.kind !== 'DaemonSet') return undefined;
    const ds = this.ctx.store.get('apps/daemonsets', pod.metadata.namespace, ref.name);
    return ds ? detectCni(as<V1DaemonSet>(ds)) : undefined;
  }

  private enqueue(node: string): void {
    this.ctx.queue.add(`nodenet:${node}`, () => this.reconcile(node));
  }

  private reconcile(name: string): void {
    const { store, clock } = this.ctx;
    const stored = store.get('nodes', undefined, name);
    if (!stored) return;
    if (!this.configured.has(name)) {
      for (const p of store.list('pods')) {
        const pod = as<V1Pod>(p);
        if (pod.spec?.nodeName !== name || pod.status?.phase !== 'Running') continue;
        const plugin = this.cniOf(p);
        if (plugin) {
          this.configured.set(name, plugin);
          break;
        }
      }
    }
    const ready = this.configured.has(name);
    const node = as<V1Node>(stored);
    const now = isoSeconds(clock.now());
    const prev = new Map((node.status?.conditions ?? []).map((c) => [c.type, c]));
    const cond = (type: string, status: string, reason: string, message: string): V1NodeCondition => {
      const p = prev.get(type);
      return {
        type,
        status,
        lastHeartbeatTime: (p?.status === status ? p.lastHeartbeatTime : now) as never,
        lastTransitionTime: (p?.status === status ? p.lastTransitionTime : now) as never,
        reason,
        message,
      };
    };
    const conditions = [
      cond(
        'MemoryPressure',
        'False',
        'KubeletHasSufficientMemory',
        'kubelet has sufficient memory available',
      ),
      cond('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
      cond('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
      ready
        ? cond('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status')
        : cond('Ready', 'False', 'KubeletNotReady', CNI_NOT_READY_MESSAGE),
    ];
    const others = (node.spec?.taints ?? []).filter(
      (t) => t.key !== NOT_READY_TAINT && t.key !== UNSCHEDULABLE_TAINT,
    );
    const taints = [...others] as { key: string; effect: string; timeAdded?: string }[];
    if (node.spec?.unschedulable)
      taints.push({ key: UNSCHEDULABLE_TAINT, effect: 'NoSchedule', timeAdded: now });
    if (!ready) taints.push({ key: NOT_READY_TAINT, effect: 'NoSchedule' });
    const previous = (node.spec?.taints ?? []).find((t) => t.key === UNSCHEDULABLE_TAINT);
    if (previous && node.spec?.unschedulable)
      taints.find((t) => t.key === UNSCHEDULABLE_TAINT)!.timeAdded = previous.timeAdded as never;
    const spec: Record<string, unknown> = { ...(stored.spec as object) };
    if (taints.length > 0) spec.taints = taints;
    else delete spec.taints;
    if (sameJson(spec, stored.spec) && sameJson(conditions, node.status?.conditions)) return;
    const wasReady = prev.get('Ready')?.status === 'True';
    const updated = put(store, 'nodes', {
      ...stored,
      spec,
      status: { ...(stored.status as object), conditions },
    });
    // A node registers NotReady without an event; its first turn to Ready is recorded, as on kind.
    if (updated && wasReady !== ready && (prev.has('Ready') || ready)) {
      const reason = ready ? 'NodeReady' : 'NodeNotReady';
      this.ctx.events.record(updated, 'Normal', reason, `Node ${name} status is now: ${reason}`, {
        component: 'kubelet',
        host: name,
      });
    }
  }
}
