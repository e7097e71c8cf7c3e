import type { V1Container, V1Pod, V1Probe } from '@kubernetes/client-node';
import { as } from './context';
import type { Kubelet } from './kubelet';
import type { ContainerRun, PodRun } from './pod-run';

/**
 * The kubelet's probe workers for one cluster: startup, readiness and liveness probes on their
 * periods and thresholds, Unhealthy events, readiness flips and liveness restarts.
 */
export class ProbeWorkers {
  constructor(private readonly kubelet: Kubelet) {}

  /** Starts a fresh instance's probes (startup first, then readiness and liveness). */
  start(run: PodRun, c: ContainerRun, spec: V1Container): void {
    if (c.ephemeral) {
      c.started = true;
      return;
    }
    c.readiness = { successes: 0, failures: 0 };
    c.liveness = { successes: 0, failures: 0 };
    c.startup = { successes: 0, failures: 0 };
    c.started = !spec.startupProbe;
    c.ready = !spec.readinessProbe && c.started && !c.init;
    if (spec.startupProbe)
      this.schedule(run, c, 'startup', spec.startupProbe, spec.startupProbe.initialDelaySeconds ?? 0);
    else this.startMain(run, c, spec);
  }

  private startMain(run: PodRun, c: ContainerRun, spec: V1Container): void {
    if (spec.readinessProbe)
      this.schedule(run, c, 'readiness', spec.readinessProbe, spec.readinessProbe.initialDelaySeconds ?? 0);
    else if (!c.init) c.ready = true;
    if (spec.livenessProbe)
      this.schedule(run, c, 'liveness', spec.livenessProbe, spec.livenessProbe.initialDelaySeconds ?? 0);
  }

  private schedule(
    run: PodRun,
    c: ContainerRun,
    kind: 'readiness' | 'liveness' | 'startup',
    probe: V1Probe,
    delaySeconds: number,
  ): void {
    const state = c[kind];
    state.timer = this.kubelet.ctx.clock.setTimer(delaySeconds * 1000, () => {
      state.timer = undefined;
      this.kubelet.ctx.queue.track(this.runProbe(run, c, kind, probe));
    });
  }

  private async runProbe(
    run: PodRun,
    c: ContainerRun,
    kind: 'readiness' | 'liveness' | 'startup',
    probe: V1Probe,
  ): Promise<void> {
    const stored = this.kubelet.ctx.store.get('pods', run.namespace, run.name);
    if (!stored || c.state !== 'running' || run.stopping || !this.kubelet.prober) return;
    if (!(stored.status as V1Pod['status'])?.podIP) {
      // The kubelet probes once the running status (with the pod IP) is recorded: try again shortly.
      this.schedule(run, c, kind, probe, 0.1);
      return;
    }
    const instance = c.app;
    const outcome = await this.kubelet.prober.probe(as<V1Pod>(stored), c.name, probe);
    if (c.app !== instance || c.state !== 'running' || run.stopping) return;
    const state = c[kind];
    const label = kind === 'readiness' ? 'Readiness' : kind === 'liveness' ? 'Liveness' : 'Startup';
    const fieldPath = `spec.containers{${c.name}}`;
    const spec = as<V1Pod>(stored).spec?.containers.find((s) => s.name === c.name);
    if (outcome.ok) {
      state.successes++;
      state.failures = 0;
      if (kind === 'readiness' && !c.ready && state.successes >= (probe.successThreshold ?? 1)) {
        c.ready = true;
        this.kubelet.writeStatus(run);
      }
      if (kind === 'startup') {
        c.started = true;
        if (spec) this.startMain(run, c, spec);
        this.kubelet.writeStatus(run);
        return;
      }
    } else {
      state.failures++;
      state.successes = 0;
      this.kubelet.ctx.events.record(
        stored,
        'Warning',
        'Unhealthy',
        `${label} probe failed: ${outcome.message}`,
        this.kubelet.source(run.node),
        fieldPath,
      );
      const threshold = probe.failureThreshold ?? 3;
      if (kind === 'readiness' && c.ready && state.failures >= threshold) {
        c.ready = false;
        this.kubelet.writeStatus(run);
      }
      if ((kind === 'liveness' || kind === 'startup') && state.failures >= threshold) {
        const msg =
          kind === 'liveness'
            ? `Container ${c.name} failed liveness probe, will be restarted`
            : `Container ${c.name} failed startup probe, will be restarted`;
        this.kubelet.ctx.events.record(
          stored,
          'Normal',
          'Killing',
          msg,
          this.kubelet.source(run.node),
          fieldPath,
        );
        const graceful = c.app?.instance.handlesSigterm ?? true;
        this.kubelet.containerExited(run, c, graceful ? 0 : 137, graceful ? 'Completed' : 'Error');
        return;
      }
    }
    this.schedule(run, c, kind, probe, probe.periodSeconds ?? 10);
  }
}
