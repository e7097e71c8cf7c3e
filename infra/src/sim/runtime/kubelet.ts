import type { V1Container, V1Node, V1Pod, V1Probe } from '@kubernetes/client-node';
import { parseImage } from '../apps/app-model';
import { startApp } from '../apps/app-registry';
import type { NodeNetworkController } from '../controllers/node-network.controller';
import type { StoreEvent, StoredObject } from '../store/object-store';
import { ContainerConfigError, containerEnv, volumeFiles } from './container-env';
import { as, type SimContext } from './context';
import { LogBuffer } from './log-buffer';
import { fnv32a } from './names';
import { ContainerRun, PodRun } from './pod-run';
import { buildPodStatus } from './pod-status';
import { preloadedImages } from './system-manifests';
import { ProbeWorkers } from './probe-workers';

/** Result of one probe run. */
export interface ProbeOutcome {
  ok: boolean;
  /** What the kubelet puts after "Readiness probe failed: ". */
  message: string;
}

/** Runs probes against the app models through the dataplane (implemented by the dataplane). */
export interface Prober {
  probe(pod: V1Pod, container: string, probe: V1Probe): Promise<ProbeOutcome>;
}

/** How long the steps of a container start take (simulated). */
export interface KubeletTiming {
  /** Pulling an image that is not on the node. */
  pullMs: number;
  /** Creating and starting a container. */
  startMs: number;
  /** A process that handles SIGTERM takes this long to exit. */
  stopMs: number;
}

/** Defaults: fast enough for tests, slow enough for `kubectl get -w` to show the steps. */
export const DEFAULT_TIMING: KubeletTiming = { pullMs: 400, startMs: 100, stopMs: 300 };

const MAX_BACKOFF_MS = 300_000;
const SANDBOX_RETRY_MS = 15_000;

/**
 * The kubelets of every node: sandbox networking (pod IPs from the node's pod CIDR, or the node IP
 * for hostNetwork; FailedCreatePodSandBox without a CNI), image pulls, container state machine with
 * restarts and CrashLoopBackOff, probes, graceful termination, and the pod status they report.
 */
export class Kubelet {
  readonly runs = new Map<string, PodRun>();
  private readonly probes = new ProbeWorkers(this);
  private readonly images = new Map<string, Set<string>>();
  private readonly usedIps = new Map<string, Set<number>>();
  prober?: Prober;
  /** Called when a pod's listeners may have changed (the dataplane re-reads them). */
  onListenersChanged: () => void = () => {};

  constructor(
    readonly ctx: SimContext,
    private readonly network: NodeNetworkController,
    private readonly timing: KubeletTiming = DEFAULT_TIMING,
  ) {}

  onEvent(e: StoreEvent): void {
    if (e.resource === 'pods') {
      if (e.type === 'DELETED') {
        this.forget(e.object.metadata.uid);
        return;
      }
      if ((e.object.spec as V1Pod['spec'])?.nodeName) this.enqueue(e.object);
    } else if (e.resource === 'nodes' && e.type === 'DELETED') {
      // The pod garbage collector: pods bound to a node that no longer exists are deleted at once.
      const node = e.object.metadata.name;
      this.ctx.queue.add(`podgc:${node}`, () => {
        for (const p of this.ctx.store.list('pods')) {
          if ((p.spec as V1Pod['spec'])?.nodeName === node)
            this.ctx.store.delete('pods', p.metadata.namespace, p.metadata.name);
        }
      });
    } else if (e.resource === 'nodes' && e.type === 'MODIFIED') {
      for (const run of this.runs.values()) {
        if (
          run.node === e.object.metadata.name &&
          run.sandbox === 'failed' &&
          this.network.networkReady(run.node)
        ) {
          const pod = this.ctx.store.get('pods', run.namespace, run.name);
          if (pod) this.enqueue(pod);
        }
      }
    } else if ((e.resource === 'configmaps' || e.resource === 'secrets') && e.type !== 'DELETED') {
      for (const run of this.runs.values()) {
        if (run.namespace !== e.object.metadata.namespace) continue;
        for (const c of run.containers.values()) {
          if (c.state === 'waiting' && c.waiting.reason === 'CreateContainerConfigError') {
            const pod = this.ctx.store.get('pods', run.namespace, run.name);
            if (pod) this.enqueue(pod);
          }
        }
      }
    }
  }

  resync(): void {
    for (const p of this.ctx.store.list('pods')) if ((p.spec as V1Pod['spec'])?.nodeName) this.enqueue(p);
  }

  /** The run of a pod, if its kubelet has seen it. */
  runOf(uid: string): PodRun | undefined {
    return this.runs.get(uid);
  }

  private enqueue(pod: StoredObject): void {
    const { namespace, name } = pod.metadata;
    this.ctx.queue.add(`kubelet:${namespace}/${name}`, () => this.sync(namespace!, name));
  }

  /** The event source of a node's kubelet. */
  source(node: string) {
    return { component: 'kubelet', host: node };
  }

  /** Drives one pod one step further. */
  sync(namespace: string, name: string): void {
    const { store } = this.ctx;
    const stored = store.get('pods', namespace, name);
    if (!stored) return;
    const pod = as<V1Pod>(stored);
    const node = pod.spec?.nodeName;
    if (!node) return;
    let run = this.runs.get(stored.metadata.uid);
    if (stored.metadata.deletionTimestamp) {
      this.terminate(stored, run);
      return;
    }
    // No kubelet runs for a node that does not exist: the pod stays Pending, as on a real cluster.
    if (!store.get('nodes', undefined, node)) return;
    if (!run) {
      if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return;
      run = new PodRun(stored.metadata.uid, namespace, name, node, this.ctx.random.hex(64));
      run.startTime = this.ctx.clock.now();
      for (const c of pod.spec?.initContainers ?? [])
        run.containers.set(c.name, new ContainerRun(c.name, true));
      for (const c of pod.spec?.containers ?? []) run.containers.set(c.name, new ContainerRun(c.name, false));
      run.initDone = (pod.spec?.initContainers ?? []).length === 0;
      this.runs.set(run.uid, run);
    }
    if (run.stopping) return;
    if (run.sandbox !== 'ready') {
      if (pod.spec?.hostNetwork) {
        run.ip = this.nodeIp(node);
        run.sandbox = 'ready';
      } else if (!this.network.networkReady(node)) {
        if (!run.sandboxRetry) {
          run.sandbox = 'failed';
          this.ctx.events.record(
            stored,
            'Warning',
            'FailedCreatePodSandBox',
            `Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "${run.sandboxId}": cni plugin not initialized`,
            this.source(node),
          );
          // The kubelet retries the sandbox with back-off; each failure repeats the event (count).
          const r = run;
          r.sandboxRetry = this.ctx.clock.setTimer(SANDBOX_RETRY_MS, () => {
            r.sandboxRetry = undefined;
            const latest = this.ctx.store.get('pods', r.namespace, r.name);
            if (latest) this.enqueue(latest);
          });
        }
        this.writeStatus(run);
        return;
      } else {
        run.sandboxRetry?.cancel();
        run.sandboxRetry = undefined;
        run.ip = this.allocateIp(node);
        run.sandbox = 'ready';
      }
    }
    if (!run.initDone) {
      const inits = pod.spec?.initContainers ?? [];
      const next = inits.find((c) => run!.containers.get(c.name)?.terminated?.exitCode !== 0);
      if (!next) run.initDone = true;
      else {
        const c = run.containers.get(next.name)!;
        if (c.state === 'waiting' && !c.timer && c.waiting.reason !== 'CrashLoopBackOff')
          this.startContainer(stored, run, c, next);
        this.writeStatus(run);
        return;
      }
    }
    for (const e of pod.spec?.ephemeralContainers ?? []) {
      if (!run.containers.has(e.name)) run.containers.set(e.name, new ContainerRun(e.name, false, true));
    }
    const ephemeral = (pod.spec?.ephemeralContainers ?? []) as V1Container[];
    for (const spec of [...(pod.spec?.containers ?? []), ...ephemeral]) {
      const c = run.containers.get(spec.name);
      if (c && c.state === 'waiting' && !c.timer && c.waiting.reason !== 'CrashLoopBackOff')
        this.startContainer(stored, run, c, spec);
    }
    this.writeStatus(run);
  }

  private startContainer(stored: StoredObject, run: PodRun, c: ContainerRun, spec: V1Container): void {
    const { events, clock } = this.ctx;
    const fieldPath = `spec.${c.ephemeral ? 'ephemeralContainers' : c.init ? 'initContainers' : 'containers'}{${c.name}}`;
    const src = this.source(run.node);
    const image = spec.image ?? '';
    const ref = parseImage(image);
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
      const latest = this.ctx.store.get('pods', run.namespace, run.name);
      if (!latest || latest.metadata.deletionTimestamp || run.stopping) return;
      this.runContainer(latest, run, c, spec, fieldPath);
    };
    if (pull) {
      events.record(stored, 'Normal', 'Pulling', `Pulling image "${image}"`, src, fieldPath);
      c.timer = clock.setTimer(this.timing.pullMs, () => {
        this.nodeImages(run.node).add(ref.full);
        const size = 5_000_000 + (fnv32a(ref.full) % 120_000_000);
        const secs = (this.timing.pullMs / 1000).toFixed(3);
        const latest = this.ctx.store.get('pods', run.namespace, run.name);
        if (latest) {
          events.record(
            latest,
            'Normal',
            'Pulled',
            `Successfully pulled image "${image}" in ${secs}s (${secs}s including waiting). Image size: ${size} bytes.`,
            src,
            fieldPath,
          );
        }
        c.timer = clock.setTimer(this.timing.startMs, finishStart);
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
      const preloaded = preloadedImages(this.ctx.options).includes(ref.full);
      if (preloaded) finishStart();
      else c.timer = clock.setTimer(this.timing.startMs, finishStart);
    }
  }

  private runContainer(
    stored: StoredObject,
    run: PodRun,
    c: ContainerRun,
    spec: V1Container,
    fieldPath: string,
  ): void {
    const { events, clock, store } = this.ctx;
    const pod = as<V1Pod>(stored);
    const src = this.source(run.node);
    let env: Record<string, string>;
    try {
      env = containerEnv(store, pod, spec);
    } catch (err) {
      if (!(err instanceof ContainerConfigError)) throw err;
      c.waiting = { reason: 'CreateContainerConfigError', message: err.message };
      events.record(stored, 'Warning', 'Failed', `Error: ${err.message}`, src, fieldPath);
      this.writeStatus(run);
      return;
    }
    const app = startApp(spec, {
      env,
      hostname: pod.spec?.hostname ?? pod.metadata?.name ?? '',
      podIP: run.ip ?? '',
      stdin: Boolean(spec.stdin),
      tty: Boolean(spec.tty),
      now: () => clock.now(),
      files: volumeFiles(store, pod, spec),
    });
    c.app = app;
    c.containerID = `containerd://${this.ctx.random.hex(64)}`;
    c.state = 'running';
    c.startedAt = clock.now();
    c.terminated = undefined;
    const created =
      this.ctx.options.minor >= 32 ? `Created container: ${c.name}` : `Created container ${c.name}`;
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
      c.timer = clock.setTimer(afterMs, () => this.containerExited(run, c, code));
    }
    this.probes.start(run, c, spec);
    this.onListenersChanged();
    this.writeStatus(run);
  }

  /** The main process ended with `code`: record it and restart per restartPolicy, with back-off. */
  containerExited(run: PodRun, c: ContainerRun, code: number, reason?: string): void {
    const { clock, store, events } = this.ctx;
    c.timer = undefined;
    if (c.state !== 'running') return;
    c.cancelTimers();
    c.state = 'terminated';
    c.ready = false;
    c.terminated = {
      exitCode: code,
      reason: reason ?? (code === 0 ? 'Completed' : 'Error'),
      startedAt: c.startedAt,
      finishedAt: clock.now(),
      containerID: c.containerID,
    };
    c.logs.close();
    c.endSessions();
    this.onListenersChanged();
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
      if (c.init && code === 0) this.enqueue(stored);
      this.writeStatus(run);
      return;
    }
    const delay = c.restartCount === 0 ? 0 : Math.min(10_000 * 2 ** (c.restartCount - 1), MAX_BACKOFF_MS);
    const spec = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].find(
      (s) => s.name === c.name,
    )!;
    const doRestart = () => {
      c.timer = undefined;
      const latest = store.get('pods', run.namespace, run.name);
      if (!latest || latest.metadata.deletionTimestamp || run.stopping) return;
      c.previousLogs = c.logs;
      c.logs = new LogBuffer();
      c.lastTerminated = c.terminated;
      c.terminated = undefined;
      c.restartCount++;
      c.state = 'waiting';
      c.waiting = { reason: 'ContainerCreating', message: '' };
      this.startContainer(latest, run, c, spec);
      this.writeStatus(run);
    };
    if (delay === 0) {
      c.timer = clock.setTimer(0, doRestart);
    } else {
      c.state = 'waiting';
      c.lastTerminated = c.terminated;
      c.waiting = {
        reason: 'CrashLoopBackOff',
        message: `back-off ${formatBackoff(delay)} restarting failed container=${c.name} pod=${run.name}_${run.namespace}(${run.uid})`,
      };
      events.record(
        stored,
        'Warning',
        'BackOff',
        `Back-off restarting failed container ${c.name} in pod ${run.name}_${run.namespace}(${run.uid})`,
        this.source(run.node),
        `spec.${c.ephemeral ? 'ephemeralContainers' : c.init ? 'initContainers' : 'containers'}{${c.name}}`,
      );
      c.timer = clock.setTimer(delay, doRestart);
    }
    this.writeStatus(run);
  }

  /** Graceful termination of a pod with deletionTimestamp: Killing events, then removal. */
  private terminate(stored: StoredObject, run: PodRun | undefined): void {
    const { store, clock, events } = this.ctx;
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
        this.source(run.node),
        `spec.containers{${c.name}}`,
      );
      const graceful = c.app?.instance.handlesSigterm ?? true;
      stopMs = Math.max(
        stopMs,
        graceful ? Math.min(this.timing.stopMs, graceSeconds * 1000) : graceSeconds * 1000,
      );
    }
    this.writeStatus(run);
    const finish = () => {
      for (const c of running) {
        const graceful = c.app?.instance.handlesSigterm ?? true;
        c.state = 'terminated';
        c.terminated = {
          exitCode: graceful ? 0 : 137,
          reason: graceful ? 'Completed' : 'Error',
          startedAt: c.startedAt,
          finishedAt: clock.now(),
          containerID: c.containerID,
        };
        c.logs.close();
        c.endSessions();
      }
      this.onListenersChanged();
      remove();
    };
    if (stopMs === 0) finish();
    else running[0]!.timer = clock.setTimer(stopMs, finish);
  }

  private forget(uid: string): void {
    const run = this.runs.get(uid);
    if (!run) return;
    run.cancelTimers();
    for (const c of run.containers.values()) {
      c.logs.close();
      c.endSessions();
      c.state = 'terminated';
    }
    if (run.ip && run.ip !== this.nodeIp(run.node))
      this.usedIps.get(run.node)?.delete(Number(run.ip.split('.')[3]));
    this.runs.delete(uid);
    this.onListenersChanged();
  }

  /** Queues a status write for the pod (deduplicated per pod). */
  writeStatus(run: PodRun): void {
    this.ctx.queue.add(`kstatus:${run.uid}`, () => {
      const { store } = this.ctx;
      const stored = store.get('pods', run.namespace, run.name);
      if (!stored || stored.metadata.uid !== run.uid) return;
      const status = buildPodStatus(as<V1Pod>(stored), run, this.nodeIp(run.node), this.ctx);
      if (JSON.stringify(status) === JSON.stringify(stored.status)) return;
      store.update('pods', {
        ...stored,
        metadata: { ...stored.metadata, resourceVersion: undefined },
        status,
      });
    });
  }

  private nodeImages(node: string): Set<string> {
    let set = this.images.get(node);
    if (!set) this.images.set(node, (set = new Set(preloadedImages(this.ctx.options))));
    return set;
  }

  /** The node's InternalIP. */
  nodeIp(node: string): string {
    const n = this.ctx.store.get('nodes', undefined, node);
    return (
      (as<V1Node>(n ?? ({} as StoredObject)).status?.addresses ?? []).find((a) => a.type === 'InternalIP')
        ?.address ?? ''
    );
  }

  private allocateIp(node: string): string {
    const n = this.ctx.store.get('nodes', undefined, node);
    const cidr = as<V1Node>(n!).spec?.podCIDR ?? '10.244.0.0/24';
    const base = cidr.split('/')[0]!.split('.').slice(0, 3).join('.');
    let used = this.usedIps.get(node);
    if (!used) this.usedIps.set(node, (used = new Set()));
    for (let i = 2; i < 255; i++) {
      if (!used.has(i)) {
        used.add(i);
        return `${base}.${i}`;
      }
    }
    return `${base}.254`;
  }
}

function formatBackoff(ms: number): string {
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m${s % 60}s` : `${s}s`;
}
