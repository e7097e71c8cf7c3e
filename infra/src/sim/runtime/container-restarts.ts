import type { V1Pod } from '@kubernetes/client-node';
import { as } from './context';
import { containerFieldPath, type ContainerStarter } from './container-starter';
import type { Kubelet } from './kubelet';
import type { ContainerRun, PodRun } from './pod-run';

const MAX_BACKOFF_MS = 300_000;

/** The kubelet's restart back-off after `restartCount` restarts: none, then 10s doubling to 5m. */
function restartBackoffMs(restartCount: number): number {
  return restartCount === 0 ? 0 : Math.min(10_000 * 2 ** (restartCount - 1), MAX_BACKOFF_MS);
}

/** A back-off as the kubelet words it in CrashLoopBackOff messages: `40s`, `5m0s`. */
function formatBackoff(ms: number): string {
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m${s % 60}s` : `${s}s`;
}

/**
 * What the kubelets do when a container's main process ends: record the terminated state, then
 * restart it per restartPolicy, through CrashLoopBackOff once it has restarted before.
 */
export class ContainerRestarts {
  constructor(
    private readonly kubelet: Kubelet,
    private readonly starter: ContainerStarter,
  ) {}

  /** The main process ended with `code`: record it and restart per restartPolicy, with back-off. */
  exited(run: PodRun, c: ContainerRun, code: number, reason?: string): void {
    const { clock, store, events } = this.kubelet.ctx;
    c.timer = undefined;
    if (c.state !== 'running') return;
    c.cancelTimers();
    c.terminate(code, reason ?? (code === 0 ? 'Completed' : 'Error'), clock.now());
    this.kubelet.onListenersChanged();
    const stored = store.get('pods', run.namespace, run.name);
    if (!stored || run.stopping) return;
    const pod = as<V1Pod>(stored);
    const policy = pod.spec?.restartPolicy ?? 'Always';
    const restart = c.ephemeral
      ? false
      : c.init
        ? code !== 0 && policy !== 'Never'
        : policy === 'Always' || (policy === 'OnFailure' && code !== 0);
    if (!restart) {
      if (c.init && code === 0) this.kubelet.enqueue(stored);
      this.kubelet.writeStatus(run);
      return;
    }
    const delay = restartBackoffMs(c.restartCount);
    const spec = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].find(
      (s) => s.name === c.name,
    )!;
    const doRestart = () => {
      c.timer = undefined;
      const latest = store.get('pods', run.namespace, run.name);
      if (!latest || latest.metadata.deletionTimestamp || run.stopping) return;
      c.retire();
      c.terminated = undefined;
      c.restartCount++;
      c.state = 'waiting';
      c.waiting = { reason: 'ContainerCreating', message: '' };
      this.starter.start(latest, run, c, spec);
      this.kubelet.writeStatus(run);
    };
    if (delay === 0) {
      c.timer = clock.setTimer(0, doRestart);
    } else {
      c.state = 'waiting';
      c.retire();
      c.waiting = {
        reason: 'CrashLoopBackOff',
        message: `back-off ${formatBackoff(delay)} restarting failed container=${c.name} pod=${run.name}_${run.namespace}(${run.uid})`,
      };
      events.record(
        stored,
        'Warning',
        'BackOff',
        `Back-off restarting failed container ${c.name} in pod ${run.name}_${run.namespace}(${run.uid})`,
        this.kubelet.source(run.node),
        containerFieldPath(c),
      );
      c.timer = clock.setTimer(delay, doRestart);
    }
    this.kubelet.writeStatus(run);
  }
}
