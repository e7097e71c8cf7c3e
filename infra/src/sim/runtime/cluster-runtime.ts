import { declaredCatalogImage } from '../apps/image-catalog';
import { Writable } from 'node:stream';
import type { V1Pod } from '@kubernetes/client-node';
import { ApiError } from '../api/api-error';
import { TOOLBOX_REPOSITORY } from '../apps/system.app';
import type { Controller } from '../controllers/controller';
import { DaemonSetController } from '../controllers/daemonset.controller';
import { DeploymentController } from '../controllers/deployment.controller';
import { CorednsReloadController } from '../controllers/coredns-reload.controller';
import { EndpointsController } from '../controllers/endpoints.controller';
import { GarbageCollector } from '../controllers/garbage-collector.controller';
import { IngressStatusController } from '../controllers/ingress-status.controller';
import { NamespaceController } from '../controllers/namespace.controller';
import { NodeNetworkController } from '../controllers/node-network.controller';
import { ReplicaSetController } from '../controllers/replicaset.controller';
import { StatefulSetController } from '../controllers/statefulset.controller';
import { Scheduler } from '../controllers/scheduler.controller';
import { ServiceAccountController } from '../controllers/service-account.controller';
import { containerShellHost } from '../dataplane/container-shell-host';
import { Dataplane } from '../dataplane/dataplane';
import type { InClusterApi } from '../dataplane/api-server-endpoint';
import { runEmulatedShell as runShell } from './shell-bridge';
import type { ObjectStore, StoreEvent } from '../store/object-store';
import { ToolboxShell } from '../toolbox/toolbox-shell';
import { bootstrap } from './bootstrap';
import { ManualClock, ScopedClock, systemClock } from './clock';
import type {
  ClusterRuntime,
  ClusterRuntimeOptions,
  ContainerTarget,
  LogOptions,
  PortForwardConnection,
  PortForwardSink,
  ProcessIO,
} from './container-runtime';
import { openPodPort } from './pod-port-forward';
import { as, type ResolvedOptions, type SimContext } from './context';
import { EventRecorder } from './event-recorder';
import { Kubelet, type KubeletTiming } from './kubelet';
import { Random } from './names';
import type { ContainerRun, PodRun } from './pod-run';
import { kubeletTiming, resolvePropagation, type PropagationDelays } from './propagation';
import { WorkQueue } from './work-queue';
import { runMainProcess } from './main-process';

/** Options beyond the contract: simulated step durations (override `options.propagation`). */
export interface SimRuntimeExtras {
  timing?: Partial<KubeletTiming>;
}

function resolve(options: ClusterRuntimeOptions): ResolvedOptions {
  const version = options.kubernetesVersion ?? 'v1.30.0';
  return {
    name: options.name,
    nodes: Math.max(1, options.nodes),
    cni: options.cni,
    cniPlugin: options.cniPlugin ?? 'kindnet',
    networkPolicy: options.networkPolicy,
    kubeconfig: options.kubeconfig,
    version,
    minor: Number(/^v?\d+\.(\d+)/.exec(version)?.[1] ?? '30'),
    images: (options.images ?? []).map((i) => (typeof i === 'string' ? i : i.image)),
    declaredImages: (options.images ?? []).flatMap((i) =>
      typeof i === 'string' ? [] : [declaredCatalogImage(i)],
    ),
  };
}

function caFromKubeconfig(kubeconfig: string): string {
  const m = /certificate-authority-data:\s*(\S+)/.exec(kubeconfig);
  return m ? Buffer.from(m[1]!, 'base64').toString('utf8') : '';
}

/** The runtime of one sim cluster: controllers, kubelets, dataplane, and the streaming endpoints. */
export class SimClusterRuntime implements ClusterRuntime {
  readonly ctx: SimContext;
  readonly kubelet: Kubelet;
  readonly dataplane: Dataplane;
  readonly network: NodeNetworkController;
  /** The delays this cluster models (kube-proxy sync, pulls, starts, SIGTERM exits). */
  readonly propagation: PropagationDelays;
  private readonly controllers: Controller[];
  private readonly toolbox: ToolboxShell;
  private unwatch?: () => void;
  private readonly clock: ScopedClock;

  constructor(
    readonly store: ObjectStore,
    options: ClusterRuntimeOptions,
    extras: SimRuntimeExtras = {},
  ) {
    const clock = new ScopedClock(options.clock ?? systemClock);
    this.clock = clock;
    const queue = new WorkQueue();
    this.ctx = {
      store,
      clock,
      queue,
      random: new Random(options.seed ?? options.name),
      events: new EventRecorder(store, clock),
      options: resolve(options),
    };
    this.propagation = resolvePropagation(options.propagation);
    this.network = new NodeNetworkController(this.ctx);
    this.kubelet = new Kubelet(this.ctx, this.network, {
      ...kubeletTiming(this.propagation),
      ...extras.timing,
    });
    this.dataplane = new Dataplane(this.ctx, this.kubelet, this.network, this.propagation.kubeProxySyncMs);
    this.kubelet.prober = this.dataplane;
    this.dataplane.execRunner = (pod, container, command) => this.captureExec(pod, container, command);
    this.kubelet.processRunner = (run, c) =>
      runMainProcess(
        this.ctx,
        this.kubelet,
        (pod, r, container) => containerShellHost(this.ctx, this.dataplane, pod, r, container),
        run,
        c,
      );
    this.controllers = [
      this.network,
      new NamespaceController(this.ctx),
      new ServiceAccountController(this.ctx, caFromKubeconfig(options.kubeconfig)),
      new DeploymentController(this.ctx),
      new ReplicaSetController(this.ctx),
      new DaemonSetController(this.ctx),
      new StatefulSetController(this.ctx),
      new Scheduler(this.ctx),
      this.kubelet,
      new EndpointsController(this.ctx),
      new GarbageCollector(this.ctx),
      new CorednsReloadController(this.ctx, this.kubelet, this.propagation.corednsReloadMs),
      new IngressStatusController(this.ctx, this.kubelet),
    ];
    this.toolbox = new ToolboxShell(this.ctx.options);
  }

  start(): void {
    if (this.unwatch) return;
    this.unwatch = this.store.watch((e) => this.dispatch(e));
    bootstrap(this.ctx);
    for (const c of this.controllers) c.resync();
  }

  /** Requests reaching kube-apiserver's :6443 (directly or through 10.96.0.1:443) go to `api`. */
  connectApi(api: InClusterApi): void {
    this.dataplane.apiServer = api;
  }

  async stop(): Promise<void> {
    this.unwatch?.();
    this.unwatch = undefined;
    this.ctx.queue.stop();
    this.clock.cancelAll();
    for (const run of this.kubelet.runs.values()) {
      run.cancelTimers();
      for (const c of run.containers.values()) c.logs.close();
    }
    await this.toolbox.dispose();
  }

  /** Resolves once every controller has caught up with the store (no queued work). */
  async settle(): Promise<void> {
    for (let i = 0; i < 1000; i++) {
      await this.ctx.queue.idle();
      await new Promise((r) => setImmediate(r));
      if (!this.ctx.queue.busy) return;
    }
  }

  /** With a ManualClock: moves time forward `ms`, firing timers in order and settling after each. */
  async advance(ms: number): Promise<void> {
    const clock = this.clock.base;
    if (!(clock instanceof ManualClock)) throw new Error('advance() needs a ManualClock (options.clock)');
    const target = clock.now() + ms;
    await this.settle();
    while (clock.step(target)) await this.settle();
    clock.set(target);
    await this.settle();
  }

  private dispatch(e: StoreEvent): void {
    this.dataplane.onEvent(e);
    for (const c of this.controllers) c.onEvent(e);
  }

  private locate(target: ContainerTarget): {
    pod: V1Pod;
    run: PodRun | undefined;
    c: ContainerRun | undefined;
    container: string;
  } {
    const stored = this.store.get('pods', target.namespace, target.pod);
    if (!stored) throw ApiError.notFound('pods', target.pod, '', 'pods');
    const pod = as<V1Pod>(stored);
    const names = [
      ...(pod.spec?.containers ?? []),
      ...(pod.spec?.initContainers ?? []),
      ...(pod.spec?.ephemeralContainers ?? []),
    ].map((c) => c.name);
    let container = target.container;
    if (!container) {
      const main = (pod.spec?.containers ?? []).map((c) => c.name);
      if (main.length !== 1) {
        throw ApiError.badRequest(
          `a container name must be specified for pod ${target.pod}, choose one of: [${main.join(' ')}]`,
        );
      }
      container = main[0]!;
    }
    if (!names.includes(container))
      throw ApiError.badRequest(`container ${container} is not valid for pod ${target.pod}`);
    // The API server refuses streams to a pod no kubelet owns yet (pod strategy's LogLocation/ExecLocation).
    if (!pod.spec?.nodeName) throw ApiError.badRequest(`pod ${target.pod} does not have a host assigned`);
    const run = this.kubelet.runOf(stored.metadata.uid);
    return { pod, run, c: run?.containers.get(container), container };
  }

  async exec(target: ContainerTarget, command: string[], io: ProcessIO): Promise<number> {
    const { pod, run, c, container } = this.locate(target);
    if (!run || !c || c.state !== 'running')
      throw ApiError.badRequest(`container not found ("${container}")`);
    if (
      c.app?.image.repository === TOOLBOX_REPOSITORY ||
      c.app?.image.repository === `library/${TOOLBOX_REPOSITORY}`
    ) {
      return this.session(c, io, (sio) => this.toolbox.exec(command, sio));
    }
    return this.session(c, io, (sio) =>
      runShell(containerShellHost(this.ctx, this.dataplane, pod, run, c), command, sio),
    );
  }

  /**
   * Runs an exec/attach session that ends when the container stops (deleted, restarted, killed by
   * a liveness probe): the client then sees exit code 137, as after a SIGKILL.
   */
  private async session(
    c: ContainerRun,
    io: ProcessIO,
    fn: (io: ProcessIO) => Promise<number>,
  ): Promise<number> {
    const local = new AbortController();
    c.sessions.add(local);
    try {
      const code = await fn({ ...io, signal: AbortSignal.any([io.signal, local.signal]) });
      return local.signal.aborted && !io.signal.aborted ? 137 : code;
    } finally {
      c.sessions.delete(local);
    }
  }

  async attach(target: ContainerTarget, io: ProcessIO): Promise<number | undefined> {
    const { pod, run, c, container } = this.locate(target);
    if (!run || !c || c.state !== 'running')
      throw ApiError.badRequest(`container not found ("${container}")`);
    if (c.app?.instance.interactiveShell && !c.attached) {
      c.attached = true;
      const instance = c.app;
      try {
        const local = new AbortController();
        c.sessions.add(local);
        const code = await runShell(containerShellHost(this.ctx, this.dataplane, pod, run, c), ['sh'], {
          ...io,
          signal: AbortSignal.any([io.signal, local.signal]),
        }).finally(() => c.sessions.delete(local));
        if (io.signal.aborted) return undefined;
        if (local.signal.aborted) return 0; // the container was stopped under the session
        if (c.app === instance) this.kubelet.containerExited(run, c, code);
        // The kubelet's attach ends with Success when the process exits, whatever its exit code:
        // kubectl reads the code from the pod status (`kubectl run -it --restart=Never` exits with it).
        return 0;
      } finally {
        c.attached = false;
      }
    }
    // Any other main process: attach shows its output as it comes, until detach or exit.
    for await (const line of this.logs(target, { follow: true, tailLines: 0, signal: io.signal }))
      io.stdout.write(line);
    return io.signal.aborted ? undefined : 0;
  }

  portForward(
    target: { namespace: string; pod: string },
    port: number,
    sink: PortForwardSink,
  ): PortForwardConnection {
    return openPodPort(this.ctx, this.kubelet, this.dataplane, target, port, sink);
  }

  async *logs(target: ContainerTarget, options: LogOptions): AsyncIterable<string> {
    const { run, c, container } = this.locate(target);
    if (!run || !c)
      throw ApiError.badRequest(
        `container "${container}" in pod "${target.pod}" is waiting to start: ContainerCreating`,
      );
    if (options.previous) {
      if (!c.previousLogs)
        throw ApiError.badRequest(
          `previous terminated container "${container}" in pod "${target.pod}" not found`,
        );
    } else if (c.state === 'waiting' && !c.lastTerminated && !c.containerID) {
      throw ApiError.badRequest(
        `container "${container}" in pod "${target.pod}" is waiting to start: ${c.waiting.reason}`,
      );
    }
    // As the kubelet picks: a container waiting to restart shows its last terminated instance's log.
    const buffer = options.previous || (c.state === 'waiting' && c.lastTerminated) ? c.previousLogs! : c.logs;
    const since =
      options.sinceSeconds !== undefined ? this.ctx.clock.now() - options.sinceSeconds * 1000 : -Infinity;
    let lines = buffer.snapshot().filter((l) => l.at >= since);
    if (options.tailLines !== undefined && options.tailLines >= 0)
      lines = options.tailLines === 0 ? [] : lines.slice(-options.tailLines);
    const format = (l: { at: number; text: string }) =>
      `${
        options.timestamps
          ? `${new Date(l.at)
              .toISOString()
              .replace('Z', '000000Z')
              .replace(/\.(\d{3})000000Z$/, '.$1000000Z')} `
          : ''
      }${l.text}\n`;
    for (const l of lines) yield format(l);
    if (!options.follow || options.previous || buffer.closed) return;
    const pending: (string | null)[] = [];
    let wake: (() => void) | undefined;
    const unsubscribe = buffer.follow((l) => {
      pending.push(l ? format(l) : null);
      wake?.();
    });
    const onAbort = () => {
      pending.push(null);
      wake?.();
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      for (;;) {
        while (pending.length === 0) await new Promise<void>((r) => (wake = r));
        const next = pending.shift()!;
        if (next === null) return;
        yield next;
      }
    } finally {
      unsubscribe();
      options.signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Runs an exec probe's command in the emulated shell, capturing its output. */
  private async captureExec(
    pod: V1Pod,
    container: string,
    command: string[],
  ): Promise<{ code: number; output: string }> {
    const run = this.kubelet.runOf(pod.metadata?.uid ?? '');
    const c = run?.containers.get(container);
    if (!run || !c) return { code: 1, output: '' };
    let output = '';
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        output += chunk.toString();
        cb();
      },
    });
    const controller = new AbortController();
    const code = await runShell(containerShellHost(this.ctx, this.dataplane, pod, run, c), command, {
      stdout: sink,
      stderr: sink,
      tty: false,
      onResize: () => () => {},
      signal: controller.signal,
    });
    return { code, output };
  }
}
