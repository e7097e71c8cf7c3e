import { ProviderError, ProviderErrorCode } from '../../errors';
import type {
  ClusterHandle,
  ClusterLostEvent,
  ClusterProvider,
  ClusterSpec,
  ClusterSummary,
} from '../provider';
import { SimHost, SimHostError } from './sim-host';

const RESTART_PAUSE_MS = 1000;
const MAX_RESTART_PAUSE_MS = 30_000;

/** How many sim hosts, how big. */
export interface SimHostProviderOptions {
  /** Worker processes; default 2. */
  hosts?: number;
  /** Clusters one host may hold; default 100. */
  clustersPerHost?: number;
  /** Heap limit of each host in MiB (`--max-old-space-size`); default 1024. */
  heapMb?: number;
  /** The `/version` minor the clusters report; default 33. */
  minor?: number;
}

/**
 * Sim clusters in supervised worker processes (sim hosts): each cluster lives on the least-loaded
 * host, the server reaches it only through its kubeconfig, and a host that dies is restarted while
 * its clusters are reported lost through `onClusterLost` (the attempts layer recreates them).
 */
export class SimHostProvider implements ClusterProvider {
  readonly kind = 'sim' as const;
  private readonly hosts: SimHost[];
  private readonly specs = new Map<string, ClusterSpec>();
  private readonly listeners = new Set<(e: ClusterLostEvent) => void>();
  private readonly options: Required<SimHostProviderOptions>;
  private stopped = false;
  private starting?: Promise<void>;
  private started = false;
  private startError: unknown;

  constructor(options: SimHostProviderOptions = {}) {
    this.options = { hosts: 2, clustersPerHost: 100, heapMb: 1024, minor: 33, ...options };
    this.hosts = Array.from(
      { length: this.options.hosts },
      (_, i) => new SimHost(i, this.options.heapMb, (host, why) => this.lost(host, why)),
    );
  }

  /** Starts every host; resolves once all are ready. `create` starts them on first use. */
  start(): Promise<void> {
    this.starting ??= Promise.all(this.hosts.map((h) => h.ensureStarted())).then(
      () => {
        this.started = true;
        this.startError = undefined;
      },
      (error: unknown) => {
        // The next create tries again; meanwhile readiness sees the failure.
        this.startError = error;
        this.starting = undefined;
        throw error;
      },
    );
    return this.starting;
  }

  async create(spec: ClusterSpec, signal?: AbortSignal): Promise<ClusterHandle> {
    if (signal?.aborted)
      throw new ProviderError(ProviderErrorCode.CANCELLED, `creating sim cluster ${spec.name} was cancelled`);
    if (this.specs.has(spec.name))
      throw new ProviderError(
        ProviderErrorCode.CLUSTER_EXISTS,
        `a sim cluster named ${spec.name} already exists`,
      );
    await this.start();
    const host = [...this.hosts]
      .filter((h) => h.pid !== undefined && h.clusters.size < this.options.clustersPerHost)
      .sort((a, b) => a.clusters.size - b.clusters.size)[0];
    if (!host)
      throw new ProviderError(
        ProviderErrorCode.HOST_NOT_READY,
        `every sim host is full (${this.options.hosts} × ${this.options.clustersPerHost} clusters) or restarting; add hosts or delete clusters`,
      );
    host.clusters.add(spec.name);
    this.specs.set(spec.name, spec);
    try {
      const made = (await host.request({
        op: 'create',
        options: {
          name: spec.name,
          nodes: spec.nodes,
          cni: spec.cni,
          networkPolicy: spec.networkPolicy,
          minor: this.options.minor,
          ...(spec.images?.length ? { images: spec.images } : {}),
        },
      })) as { name: string; kubeconfig: string; createdAt: string };
      return {
        name: made.name,
        provider: 'sim',
        kubeconfig: made.kubeconfig,
        createdAt: new Date(made.createdAt),
        spec,
      };
    } catch (error) {
      host.clusters.delete(spec.name);
      this.specs.delete(spec.name);
      const reason = error instanceof SimHostError ? error.reason : undefined;
      const code =
        reason === 'exists'
          ? ProviderErrorCode.CLUSTER_EXISTS
          : reason === 'invalid'
            ? ProviderErrorCode.INVALID_SPEC
            : ProviderErrorCode.CREATE_FAILED;
      throw new ProviderError(code, `sim cluster ${spec.name}: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }

  async delete(name: string): Promise<void> {
    const host = this.hosts.find((h) => h.clusters.has(name));
    this.specs.delete(name);
    if (!host) return;
    host.clusters.delete(name);
    await host.request({ op: 'delete', name }).catch(() => undefined);
  }

  async list(): Promise<ClusterSummary[]> {
    // Hosts not started, or still starting, hold no clusters: listing neither starts nor waits for
    // them (readiness probes list, and must not wait for the warm pool's first host start).
    if (this.startError) throw this.startError;
    if (!this.started) return [];
    const lists = await Promise.all(
      this.hosts.filter((h) => h.pid !== undefined).map((h) => h.request({ op: 'list' }).catch(() => [])),
    );
    return (lists.flat() as { name: string; createdAt: string }[]).map((c) => ({
      name: c.name,
      provider: 'sim',
      createdAt: new Date(c.createdAt),
      labels: { ...this.specs.get(c.name)?.labels },
    }));
  }

  onClusterLost(listener: (event: ClusterLostEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stops every host and its clusters (the platform's shutdown hook). */
  async close(): Promise<void> {
    this.stop();
  }

  /** Stops every host and its clusters. */
  stop(): void {
    this.stopped = true;
    for (const h of this.hosts) h.stop();
  }

  private lost(host: SimHost, why: string): void {
    const names = [...host.clusters];
    host.clusters.clear();
    for (const name of names) {
      this.specs.delete(name);
      for (const l of this.listeners)
        l({ name, reason: `the sim host holding it ${why} and was restarted; the cluster is gone` });
    }
    if (!this.stopped) this.restart(host, 0);
  }

  /** Restarts a host that died; one that fails to start again is retried with a growing pause. */
  private restart(host: SimHost, failures: number): void {
    host.ensureStarted().catch(() => {
      if (this.stopped || host.pid !== undefined) return;
      const pause = Math.min(RESTART_PAUSE_MS * 2 ** failures, MAX_RESTART_PAUSE_MS);
      setTimeout(() => {
        if (!this.stopped && host.pid === undefined) this.restart(host, failures + 1);
      }, pause).unref();
    });
  }
}
