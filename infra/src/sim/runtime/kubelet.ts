import type { V1Container, V1Pod, V1Probe } from '@kubernetes/client-node';
import type { NodeNetworkController } from '../controllers/node-network.controller';
import type { StoreEvent, StoredObject } from '../store/object-store';
import { ContainerRestarts } from './container-restarts';
import { ContainerStarter } from './container-starter';
import { as, type SimContext } from './context';
import { ContainerRun, PodRun } from './pod-run';
import { PodSandboxes } from './pod-sandbox';
import { buildPodStatus } from './pod-status';
import { PodTermination } from './pod-termination';
import { ProbeWorkers } from './probe-workers';

/** Waiting reasons a pod sync does not retry by itself (a back-off timer or a spec change does). */
const STUCK = new Set(['CrashLoopBackOff', 'InvalidImageName', 'ErrImageNeverPull']);

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

/**
 * The kubelets of every node: they watch pods bound to a node and drive each one step at a time
 * through its sandbox (`PodSandboxes`), init and app containers (`ContainerStarter`, restarts and
 * CrashLoopBackOff in `ContainerRestarts`), probes (`ProbeWorkers`) and graceful termination
 * (`PodTermination`), and write the pod status they report.
 */
export class Kubelet {
  readonly runs = new Map<string, PodRun>();
  private readonly probes = new ProbeWorkers(this);
  private readonly sandboxes: PodSandboxes;
  private readonly starter: ContainerStarter;
  private readonly restarts: ContainerRestarts;
  private readonly termination = new PodTermination(this);
  prober?: Prober;
  /** Runs a container's main process when it is a program of the emulated shell (set by the cluster runtime). */
  processRunner?: (run: PodRun, c: ContainerRun) => void;
  /** Called when a pod's listeners may have changed (the dataplane re-reads them). */
  onListenersChanged: () => void = () => {};

  constructor(
    readonly ctx: SimContext,
    network: NodeNetworkController,
    readonly timing: KubeletTiming = DEFAULT_TIMING,
  ) {
    this.sandboxes = new PodSandboxes(this, network);
    this.starter = new ContainerStarter(this, this.probes);
    this.restarts = new ContainerRestarts(this, this.starter);
  }

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
      this.sandboxes.retryFailed(e.object.metadata.name);
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

  /** Queues a sync of the pod (deduplicated per pod). */
  enqueue(pod: StoredObject): void {
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
      this.termination.terminate(stored, run);
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
    if (!this.sandboxes.ensure(stored, run, node, Boolean(pod.spec?.hostNetwork))) {
      this.writeStatus(run);
      return;
    }
    if (!run.initDone) {
      const inits = pod.spec?.initContainers ?? [];
      const next = inits.find((c) => run!.containers.get(c.name)?.terminated?.exitCode !== 0);
      if (!next) run.initDone = true;
      else {
        const c = run.containers.get(next.name)!;
        if (c.state === 'waiting' && !c.timer && !STUCK.has(c.waiting.reason))
          this.starter.start(stored, run, c, next);
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
      if (c && c.state === 'waiting' && !c.timer && !STUCK.has(c.waiting.reason))
        this.starter.start(stored, run, c, spec);
    }
    this.writeStatus(run);
  }

  /** The main process ended with `code`: record it and restart per restartPolicy, with back-off. */
  containerExited(run: PodRun, c: ContainerRun, code: number, reason?: string): void {
    this.restarts.exited(run, c, code, reason);
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
    this.sandboxes.release(run);
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

  /** The node's InternalIP. */
  nodeIp(node: string): string {
    return this.sandboxes.nodeIp(node);
  }
}
