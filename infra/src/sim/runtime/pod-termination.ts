import type { V1Pod } from '@kubernetes/client-node';
import type { StoredObject } from '../store/object-store';
import type { Kubelet } from './kubelet';
import type { PodRun } from './pod-run';

/**
 * Graceful termination of pods with a deletionTimestamp: Killing events, SIGTERM (or the whole
 * grace period for a process that ignores it), then removal once no finalizer holds the pod.
 */
export class PodTermination {
  constructor(private readonly kubelet: Kubelet) {}

  /** Stops the pod's running containers and deletes the pod from the store when they are gone. */
  terminate(stored: StoredObject, run: PodRun | undefined): void {
    const { store, clock, events } = this.kubelet.ctx;
    const running = run ? [...run.containers.values()].filter((c) => c.state === 'running') : [];
    const remove = () => {
      const latest = store.get('pods', stored.metadata.namespace, stored.metadata.name);
      if (!latest || latest.metadata.uid !== stored.metadata.uid) return;
      if ((latest.metadata.finalizers as string[] | undefined)?.length) return;
      store.delete('pods', stored.metadata.namespace, stored.metadata.name);
    };
    if (!run || running.length === 0) {
      run?.cancelTimers();
      if (run) run.stopping = true;
      remove();
      return;
    }
    if (run.stopping) return;
    run.stopping = true;
    const graceSeconds = Number(
      stored.metadata.deletionGracePeriodSeconds ??
        (stored.spec as V1Pod['spec'])?.terminationGracePeriodSeconds ??
        30,
    );
    let stopMs = 0;
    for (const c of running) {
      c.cancelTimers();
      c.ready = false;
      events.record(
        stored,
        'Normal',
        'Killing',
        `Stopping container ${c.name}`,
        this.kubelet.source(run.node),
        `spec.containers{${c.name}}`,
      );
      const graceful = c.app?.instance.handlesSigterm ?? true;
      stopMs = Math.max(
        stopMs,
        graceful ? Math.min(this.kubelet.timing.stopMs, graceSeconds * 1000) : graceSeconds * 1000,
      );
    }
    this.kubelet.writeStatus(run);
    const finish = () => {
      for (const c of running) {
        const graceful = c.app?.instance.handlesSigterm ?? true;
        c.terminate(graceful ? 0 : 137, graceful ? 'Completed' : 'Error', clock.now());
      }
      this.kubelet.onListenersChanged();
      remove();
    };
    if (stopMs === 0) finish();
    else running[0]!.timer = clock.setTimer(stopMs, finish);
  }
}
