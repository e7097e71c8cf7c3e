import type { V1Container, V1Pod } from '@kubernetes/client-node';
import { parseImage } from '../apps/app-model';
import { pullFailure, type PullFailure } from '../apps/image-catalog';
import { startApp } from '../apps/app-registry';
import { failedToBind, takenListeners } from '../apps/bind-failure';
import type { StoredObject } from '../store/object-store';
import { ContainerConfigError, containerEnv, volumeFiles } from './container-env';
import { as } from './context';
import type { Kubelet } from './kubelet';
import { fnv32a } from './names';
import type { ContainerRun, PodRun } from './pod-run';
import type { ProbeWorkers } from './probe-workers';
import { preloadedImages } from './system-manifests';

/** A reference containerd can parse: lowercase repository path, optional host[:port], tag and digest. */
const REFERENCE =
  /^(?:[a-zA-Z0-9.-]+(?::\d+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;

/** The `involvedObject.fieldPath` of a container's events, e.g. `spec.initContainers{setup}`. */
export function containerFieldPath(c: ContainerRun): string {
  return `spec.${c.ephemeral ? 'ephemeralContainers' : c.init ? 'initContainers' : 'containers'}{${c.name}}`;
}

/**
 * Starts container instances for the kubelets: the image pull per imagePullPolicy (with each node's
 * image cache), then the app instance with its env, files, logs, exit timer and probes.
 */
export class ContainerStarter {
  private readonly images = new Map<string, Set<string>>();

  constructor(
    private readonly kubelet: Kubelet,
    private readonly probes: ProbeWorkers,
  ) {}

  /** Pulls the image if needed, then (after the simulated create time) runs the container. */
  start(stored: StoredObject, run: PodRun, c: ContainerRun, spec: V1Container): void {
    const { ctx, timing } = this.kubelet;
    const { events, clock } = ctx;
    const fieldPath = containerFieldPath(c);
    const src = this.kubelet.source(run.node);
    const image = spec.image ?? '';
    if (!REFERENCE.test(image)) {
      // The kubelet cannot even name the image: no pull, the container waits with InvalidImageName.
      const message = `Failed to apply default image tag "${image}": couldn't parse image name "${image}": invalid reference format`;
      c.waiting = { reason: 'InvalidImageName', message };
      events.record(stored, 'Warning', 'InspectFailed', message, src, fieldPath);
      events.record(stored, 'Warning', 'Failed', 'Error: InvalidImageName', src, fieldPath);
      this.kubelet.writeStatus(run);
      return;
    }
    const ref = parseImage(image);
    const failure = pullFailure(ref, ctx.options.images, ctx.options.declaredImages ?? []);
    const present = this.nodeImages(run.node).has(ref.full);
    const policy = spec.imagePullPolicy ?? (ref.tag === 'latest' && !ref.digest ? 'Always' : 'IfNotPresent');
    const pull = policy === 'Always' || (policy === 'IfNotPresent' && !present);
    if (policy === 'Never' && !present) {
      c.waiting = {
        reason: 'ErrImageNeverPull',
        message: `Container image "${image}" is not present with pull policy of Never`,
      };
      events.record(stored, 'Warning', 'ErrImageNeverPull', c.waiting.message, src, fieldPath);
      return;
    }
    const finishStart = () => {
      c.timer = undefined;
      const latest = ctx.store.get('pods', run.namespace, run.name);
      if (!latest || latest.metadata.deletionTimestamp || run.stopping) return;
      this.run(latest, run, c, spec, fieldPath);
    };
    if (pull) {
      events.record(stored, 'Normal', 'Pulling', `Pulling image "${image}"`, src, fieldPath);
      c.timer = clock.setTimer(timing.pullMs, () => {
        if (failure) {
          this.pullFailed(run, c, image, failure);
          return;
        }
        c.pullBackoffMs = 0;
        this.nodeImages(run.node).add(ref.full);
        const size = 5_000_000 + (fnv32a(ref.full) % 120_000_000);
        const took = goDuration(timing.pullMs);
        const latest = ctx.store.get('pods', run.namespace, run.name);
        if (latest) {
          events.record(
            latest,
            'Normal',
            'Pulled',
            `Successfully pulled image "${image}" in ${took} (${took} including waiting). Image size: ${size} bytes.`,
            src,
            fieldPath,
          );
        }
        c.timer = clock.setTimer(timing.startMs, finishStart);
      });
    } else {
      events.record(
        stored,
        'Normal',
        'Pulled',
        `Container image "${image}" already present on machine`,
        src,
        fieldPath,
      );
      const preloaded = preloadedImages(ctx.options).includes(ref.full);
      if (preloaded) finishStart();
      else c.timer = clock.setTimer(timing.startMs, finishStart);
    }
  }

  private run(
    stored: StoredObject,
    run: PodRun,
    c: ContainerRun,
    spec: V1Container,
    fieldPath: string,
  ): void {
    const { ctx } = this.kubelet;
    const { events, clock, store } = ctx;
    const pod = as<V1Pod>(stored);
    const src = this.kubelet.source(run.node);
    let env: Record<string, string>;
    try {
      env = containerEnv(store, pod, spec);
    } catch (err) {
      if (!(err instanceof ContainerConfigError)) throw err;
      c.waiting = { reason: 'CreateContainerConfigError', message: err.message };
      events.record(stored, 'Warning', 'Failed', `Error: ${err.message}`, src, fieldPath);
      this.kubelet.writeStatus(run);
      return;
    }
    c.env = env;
    const app = startApp(
      spec,
      {
        env,
        hostname: pod.spec?.hostname ?? pod.metadata?.name ?? '',
        podIP: run.ip ?? '',
        stdin: Boolean(spec.stdin),
        tty: Boolean(spec.tty),
        now: () => clock.now(),
        files: volumeFiles(store, pod, spec),
      },
      ctx.options.declaredImages ?? [],
    );
    // A pod's containers share one network namespace: a port another container holds cannot be bound.
    const held = [...run.containers.values()]
      .filter((o) => o !== c && o.state === 'running' && o.app)
      .flatMap((o) => o.app!.instance.listeners);
    const taken = takenListeners(app.instance.listeners, held);
    if (taken.length) app.instance = failedToBind(app.model?.name, app.instance, taken, clock.now());
    c.app = app;
    c.containerID = `containerd://${ctx.random.hex(64)}`;
    c.state = 'running';
    c.startedAt = clock.now();
    c.terminated = undefined;
    const created = ctx.options.minor >= 32 ? `Created container: ${c.name}` : `Created container ${c.name}`;
    events.record(stored, 'Normal', 'Created', created, src, fieldPath);
    events.record(stored, 'Normal', 'Started', `Started container ${c.name}`, src, fieldPath);
    if (!app.model) {
      events.record(
        stored,
        'Warning',
        'UnknownImage',
        `netlab sim has no behaviour model for image "${spec.image}": the container runs but listens on no port`,
        { component: 'netlab-sim', host: run.node },
        fieldPath,
      );
    }
    for (const line of app.instance.startupLogs) c.logs.append(c.startedAt, line);
    const periodic = app.instance.periodicLog;
    if (periodic) {
      const tick = () => {
        if (c.app !== app || c.state !== 'running') return;
        for (const line of periodic.lines) c.logs.append(clock.now(), line);
        c.logTimer = clock.setTimer(periodic.everyMs, tick);
      };
      c.logTimer = clock.setTimer(periodic.everyMs, tick);
    }
    if (app.instance.exit && !(app.instance.interactiveShell && spec.stdin)) {
      const { afterMs, code } = app.instance.exit;
      c.timer = clock.setTimer(afterMs, () => this.kubelet.containerExited(run, c, code));
    }
    if (app.instance.main) app.instance.onListenersChanged = () => this.kubelet.onListenersChanged();
    this.probes.start(run, c, spec);
    this.kubelet.onListenersChanged();
    this.kubelet.writeStatus(run);
    if (app.instance.main && !app.instance.interactiveShell) this.kubelet.processRunner?.(run, c);
  }

  /**
   * containerd could not pull: ErrImagePull with its error, then ImagePullBackOff until the back-off
   * (10 s doubling to 5 min, as the kubelet's image back-off) lets the kubelet try again.
   */
  private pullFailed(run: PodRun, c: ContainerRun, image: string, failure: PullFailure): void {
    const { ctx } = this.kubelet;
    const { events, clock } = ctx;
    const fieldPath = containerFieldPath(c);
    const src = this.kubelet.source(run.node);
    const latest = ctx.store.get('pods', run.namespace, run.name);
    if (!latest) return;
    const message = `rpc error: code = ${failure.code} desc = ${failure.message}`;
    events.record(latest, 'Warning', 'Failed', `Failed to pull image "${image}": ${message}`, src, fieldPath);
    events.record(latest, 'Warning', 'Failed', 'Error: ErrImagePull', src, fieldPath);
    c.waiting = { reason: 'ErrImagePull', message };
    this.kubelet.writeStatus(run);
    c.pullBackoffMs = Math.min(c.pullBackoffMs ? c.pullBackoffMs * 2 : 10_000, 300_000);
    const backoff = c.pullBackoffMs;
    c.timer = clock.setTimer(Math.min(1000, backoff), () => {
      const pod = ctx.store.get('pods', run.namespace, run.name);
      if (!pod || run.stopping) return;
      c.waiting = { reason: 'ImagePullBackOff', message: `Back-off pulling image "${image}"` };
      events.record(pod, 'Normal', 'BackOff', `Back-off pulling image "${image}"`, src, fieldPath);
      events.record(pod, 'Warning', 'Failed', 'Error: ImagePullBackOff', src, fieldPath);
      this.kubelet.writeStatus(run);
      c.timer = clock.setTimer(backoff - Math.min(1000, backoff), () => {
        c.timer = undefined;
        const again = ctx.store.get('pods', run.namespace, run.name);
        if (again && !run.stopping) this.kubelet.enqueue(again);
      });
    });
  }

  private nodeImages(node: string): Set<string> {
    let set = this.images.get(node);
    if (!set) this.images.set(node, (set = new Set(preloadedImages(this.kubelet.ctx.options))));
    return set;
  }
}

/** A duration in milliseconds as the kubelet prints a Go time.Duration truncated to ms: `400ms`, `1.2s`. */
export function goDuration(ms: number): string {
  const whole = Math.trunc(ms);
  if (whole < 1000) return `${whole}ms`;
  return `${(whole / 1000).toFixed(3).replace(/\.?0+$/, '')}s`;
}
