import type { V1Node } from '@kubernetes/client-node';
import type { NodeNetworkController } from '../controllers/node-network.controller';
import type { StoredObject } from '../store/object-store';
import { as } from './context';
import type { Kubelet } from './kubelet';
import type { PodRun } from './pod-run';

const SANDBOX_RETRY_MS = 15_000;

/**
 * The kubelets' pod sandboxes: pod IPs from each node's pod CIDR (or the node IP for hostNetwork),
 * and FailedCreatePodSandBox with a back-off retry while the node has no CNI.
 */
export class PodSandboxes {
  private readonly usedIps = new Map<string, Set<number>>();

  constructor(
    private readonly kubelet: Kubelet,
    private readonly network: NodeNetworkController,
  ) {}

  /** Sets up the run's sandbox on `node` if it is not up yet; false while the network is not ready. */
  ensure(stored: StoredObject, run: PodRun, node: string, hostNetwork: boolean): boolean {
    if (run.sandbox === 'ready') return true;
    const { ctx } = this.kubelet;
    if (hostNetwork) {
      run.ip = this.nodeIp(node);
      run.sandbox = 'ready';
    } else if (!this.network.networkReady(node)) {
      if (!run.sandboxRetry) {
        run.sandbox = 'failed';
        ctx.events.record(
          stored,
          'Warning',
          'FailedCreatePodSandBox',
          `Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "${run.sandboxId}": cni plugin not initialized`,
          this.kubelet.source(node),
        );
        // The kubelet retries the sandbox with back-off; each failure repeats the event (count).
        run.sandboxRetry = ctx.clock.setTimer(SANDBOX_RETRY_MS, () => {
          run.sandboxRetry = undefined;
          const latest = ctx.store.get('pods', run.namespace, run.name);
          if (latest) this.kubelet.enqueue(latest);
        });
      }
      return false;
    } else {
      run.sandboxRetry?.cancel();
      run.sandboxRetry = undefined;
      run.ip = this.allocateIp(node);
      run.sandbox = 'ready';
    }
    return true;
  }

  /** A node became ready: retry at once the sandboxes that failed on it for lack of a CNI. */
  retryFailed(node: string): void {
    const { ctx } = this.kubelet;
    for (const run of this.kubelet.runs.values()) {
      if (run.node === node && run.sandbox === 'failed' && this.network.networkReady(run.node)) {
        const pod = ctx.store.get('pods', run.namespace, run.name);
        if (pod) this.kubelet.enqueue(pod);
      }
    }
  }

  /** Returns the run's pod IP to its node's pool (the node IP of a hostNetwork pod is not pooled). */
  release(run: PodRun): void {
    if (run.ip && run.ip !== this.nodeIp(run.node))
      this.usedIps.get(run.node)?.delete(Number(run.ip.split('.')[3]));
  }

  /** The node's InternalIP. */
  nodeIp(node: string): string {
    const n = this.kubelet.ctx.store.get('nodes', undefined, node);
    return (
      (as<V1Node>(n ?? ({} as StoredObject)).status?.addresses ?? []).find((a) => a.type === 'InternalIP')
        ?.address ?? ''
    );
  }

  /** The last host number handed out per node (host-local's last_reserved_ip). */
  private readonly lastIp = new Map<string, number>();

  private allocateIp(node: string): string {
    const n = this.kubelet.ctx.store.get('nodes', undefined, node);
    const cidr = as<V1Node>(n!).spec?.podCIDR ?? '10.244.0.0/24';
    const base = cidr.split('/')[0]!.split('.').slice(0, 3).join('.');
    let used = this.usedIps.get(node);
    if (!used) this.usedIps.set(node, (used = new Set()));
    // host-local IPAM (kindnet's) hands out the address after the last one it reserved, wrapping
    // around: a replaced Pod gets a new IP, not the one its predecessor just freed.
    const last = this.lastIp.get(node) ?? 1;
    for (let k = 1; k <= 253; k++) {
      const i = ((last - 2 + k) % 253) + 2;
      if (!used.has(i)) {
        used.add(i);
        this.lastIp.set(node, i);
        return `${base}.${i}`;
      }
    }
    return `${base}.254`;
  }
}
