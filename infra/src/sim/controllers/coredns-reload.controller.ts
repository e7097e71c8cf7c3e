import { createHash } from 'node:crypto';
import { parseCorefile } from '../apps/corefile';
import type { TimerHandle } from '../runtime/clock';
import type { SimContext } from '../runtime/context';
import type { Kubelet } from '../runtime/kubelet';
import type { ContainerRun } from '../runtime/pod-run';
import type { StoreEvent } from '../store/object-store';
import type { Controller } from './controller';

/** The running CoreDNS containers of the cluster. */
export function corednsContainers(kubelet: Kubelet): ContainerRun[] {
  const out: ContainerRun[] = [];
  for (const run of kubelet.runs.values()) {
    if (run.namespace !== 'kube-system') continue;
    for (const c of run.containers.values())
      if (c.state === 'running' && c.app?.model?.name === 'coredns' && c.app.instance.dns) out.push(c);
  }
  return out;
}

/**
 * CoreDNS's `reload` plugin: a while after the `coredns` ConfigMap changes (the kubelet's volume
 * sync, then reload's check), every running CoreDNS re-reads its Corefile. A good one takes effect
 * (e.g. `log`); a broken one is refused with an error in the log and the old one keeps serving —
 * it breaks CoreDNS only when a pod restarts and cannot parse it.
 */
export class CorednsReloadController implements Controller {
  private pending?: TimerHandle;

  constructor(
    private readonly ctx: SimContext,
    private readonly kubelet: Kubelet,
    private readonly delayMs: number,
  ) {}

  onEvent(e: StoreEvent): void {
    if (e.resource !== 'configmaps' || e.type !== 'MODIFIED') return;
    if (e.object.metadata.namespace !== 'kube-system' || e.object.metadata.name !== 'coredns') return;
    this.pending?.cancel();
    this.pending = this.ctx.clock.setTimer(this.delayMs, () => {
      this.pending = undefined;
      this.reload();
    });
  }

  resync(): void {}

  private reload(): void {
    const cm = this.ctx.store.get('configmaps', 'kube-system', 'coredns');
    const text = (cm?.data as Record<string, string> | undefined)?.['Corefile'];
    if (text === undefined) return;
    const config = parseCorefile(text);
    const now = this.ctx.clock.now();
    for (const c of corednsContainers(this.kubelet)) {
      if (!config.ok) {
        c.logs.append(now, `[ERROR] Restart failed: ${config.error}`);
        continue;
      }
      c.app!.instance.dns = { log: config.log };
      c.logs.append(now, '[INFO] Reloading');
      c.logs.append(
        now,
        `[INFO] plugin/reload: Running configuration SHA512 = ${createHash('sha512').update(text).digest('hex')}`,
      );
      c.logs.append(now, '[INFO] Reloading complete');
    }
  }
}
