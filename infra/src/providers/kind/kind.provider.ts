import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProviderError, ProviderErrorCode } from '../../errors';
import { ExecCommandRunner, RunError, type CommandRunner, type RunOptions } from '../common/command-runner';
import {
  DEFAULT_KIND_HOST_REQUIREMENTS,
  assertHostReady,
  checkKindHost,
  realHostFacts,
  type HostFacts,
  type HostReport,
  type KindHostRequirements,
} from '../common/host-checks';
import type { ClusterHandle, ClusterProvider, ClusterSpec, ClusterSummary } from '../provider';
import {
  DEFAULT_KIND_CONFIG_OPTIONS,
  buildKindConfig,
  kindConfigYaml,
  type KindConfigOptions,
} from './kind-config';
import { ImagePreloader } from './image-preloader';
import { assertKindSpec, isNetlabClusterName, isValidSpecName, kindClusterName } from './kind-names';
import { OwnershipRecords } from './ownership-record';
import { StepFailure, runSteps } from './provision';

/** Memory a kind cluster needs, used by the host check before each create. */
export interface KindMemoryEstimate {
  controlPlaneMiB: number;
  workerMiB: number;
}

/** How the kind provider runs; everything has a default. */
export interface KindProviderOptions {
  /** Every shell-out goes through this (default: the real one). */
  runner?: CommandRunner;
  /** Images loaded into every cluster with `kind load docker-image` so no attempt waits on a registry. */
  images?: readonly string[];
  /** Pod/service subnets and node image of the generated config. */
  config?: Partial<KindConfigOptions>;
  /** Whole create, from host checks to kubeconfig (default 5 minutes). */
  createTimeoutMs?: number;
  /** One delete (default 2 minutes). */
  deleteTimeoutMs?: number;
  /** How long create waits for every node to be Ready when a CNI is installed (default 180 s). */
  nodeReadyTimeoutSeconds?: number;
  /** Default: 1024 MiB for the control plane, 512 MiB per worker. */
  memory?: KindMemoryEstimate;
  /** Host checks: facts (for tests), requirements, or `skip` (not recommended). */
  host?: {
    facts?: HostFacts;
    requirements?: Partial<Omit<KindHostRequirements, 'clusterMemoryBytes'>>;
    skip?: boolean;
  };
  /** Where kind writes the scratch kubeconfig during create, so the user's ~/.kube/config is never touched. */
  scratchDir?: string;
  /**
   * The caller runs in a container on kind's docker network (docker-compose): `handle.kubeconfig`
   * is then the internal one (`https://<name>-control-plane:6443`), since 127.0.0.1 is not the host.
   */
  internalAddress?: boolean;
  clock?: () => Date;
  /** Progress lines ("creating netlab-x: load images"). */
  log?: (line: string) => void;
}

/** Real clusters in Docker through the kind CLI (ARCHITECTURE.md §4). */
export class KindProvider implements ClusterProvider {
  readonly kind = 'kind' as const;
  private readonly runner: CommandRunner;
  private readonly records: OwnershipRecords;
  private readonly preloader: ImagePreloader;
  private readonly config: KindConfigOptions;
  private readonly clock: () => Date;
  /** Names with a create in flight in this process: a second create of one must not roll back the first. */
  private readonly creating = new Set<string>();

  constructor(private readonly options: KindProviderOptions = {}) {
    this.runner = options.runner ?? new ExecCommandRunner();
    this.records = new OwnershipRecords(this.runner);
    this.preloader = new ImagePreloader(this.runner, options.images ?? []);
    this.config = { ...DEFAULT_KIND_CONFIG_OPTIONS, ...options.config };
    this.clock = options.clock ?? (() => new Date());
  }

  /** Docker, kind ≥ v0.24, inotify limits and memory for a cluster of `nodes` nodes; every problem with its fix. */
  checkHost(nodes = 2): Promise<HostReport> {
    const memory = this.options.memory ?? { controlPlaneMiB: 1024, workerMiB: 512 };
    const bytes = (memory.controlPlaneMiB + memory.workerMiB * Math.max(0, nodes - 1)) * 1024 * 1024;
    const requirements = {
      ...DEFAULT_KIND_HOST_REQUIREMENTS,
      ...this.options.host?.requirements,
      clusterMemoryBytes: bytes,
    };
    return checkKindHost(this.runner, requirements, this.options.host?.facts ?? realHostFacts);
  }

  /**
   * Validate → check the host → refuse a name in use → record ownership → kind create → wait for
   * nodes → load images → read kubeconfigs. Any failure or the timeout deletes whatever was made.
   */
  async create(spec: ClusterSpec, signal?: AbortSignal): Promise<ClusterHandle> {
    assertKindSpec(spec);
    const name = kindClusterName(spec.name);
    const timeoutMs = this.options.createTimeoutMs ?? 300_000;
    const deadline = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      deadline.abort();
    }, timeoutMs);
    const onAbort = () => deadline.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted) deadline.abort();
    const run: RunOptions = { signal: deadline.signal };
    const stopped = () =>
      timedOut
        ? new ProviderError(
            ProviderErrorCode.TIMEOUT,
            `creating kind cluster "${name}" took longer than ${timeoutMs / 1000} s`,
          )
        : new ProviderError(ProviderErrorCode.CANCELLED, `creating kind cluster "${name}" was cancelled`);
    try {
      if (!this.options.host?.skip)
        assertHostReady(await this.guard(this.checkHost(spec.nodes), deadline.signal, stopped));
      if (this.creating.has(name) || (await this.guard(this.exists(name, run), deadline.signal, stopped))) {
        throw this.nameTaken(name);
      }
      this.creating.add(name);
      try {
        return await this.provision(spec, name, run, deadline.signal, stopped);
      } finally {
        this.creating.delete(name);
      }
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  private nameTaken(name: string): ProviderError {
    return new ProviderError(
      ProviderErrorCode.CLUSTER_EXISTS,
      `a kind cluster named "${name}" already exists; pick another name or delete it (\`kind delete cluster --name ${name}\`)`,
    );
  }

  /** Deletes the cluster and its ownership record; deleting one that does not exist is not an error. */
  async delete(clusterName: string): Promise<void> {
    if (!isValidSpecName(clusterName)) {
      throw new ProviderError(
        ProviderErrorCode.INVALID_SPEC,
        `"${clusterName}" is not a cluster name: lowercase letters, digits and "-" only`,
      );
    }
    const name = kindClusterName(clusterName);
    const run: RunOptions = { timeoutMs: this.options.deleteTimeoutMs ?? 120_000 };
    try {
      await this.runner.run(['kind', 'delete', 'cluster', '--name', name], run);
      await this.records.remove(name, run);
    } catch (err) {
      throw new ProviderError(
        ProviderErrorCode.DELETE_FAILED,
        `deleting kind cluster "${name}" failed: ${err instanceof Error ? err.message : String(err)}`,
        { cause: err },
      );
    }
  }

  /** Every netlab kind cluster (by name prefix), with the labels of its ownership record. */
  async list(): Promise<ClusterSummary[]> {
    try {
      const [clusters, records] = await Promise.all([this.records.kindClusters(), this.records.list()]);
      const byName = new Map(records.map((r) => [r.cluster, r]));
      return clusters
        .filter((c) => isNetlabClusterName(c.cluster))
        .map((c) => {
          const record = byName.get(c.cluster);
          return {
            name: c.cluster,
            provider: this.kind,
            createdAt: record?.createdAt ?? c.createdAt ?? new Date(0),
            labels: record?.labels ?? {},
          };
        })
        .sort((a, b) => a.name.localeCompare(b.name));
    } catch (err) {
      throw new ProviderError(
        ProviderErrorCode.LIST_FAILED,
        `listing kind clusters failed: ${err instanceof Error ? err.message : String(err)}`,
        { cause: err },
      );
    }
  }

  /**
   * Removes ownership records whose cluster is gone (e.g. deleted with `kind delete cluster` by
   * hand) and that are older than `olderThanMs`, so a create in progress keeps its record.
   */
  async pruneRecords(olderThanMs: number): Promise<string[]> {
    const [clusters, records] = await Promise.all([this.records.kindClusters(), this.records.list()]);
    const alive = new Set(clusters.map((c) => c.cluster));
    const now = this.clock().getTime();
    const stale = records.filter(
      (r) => !alive.has(r.cluster) && (!r.createdAt || now - r.createdAt.getTime() > olderThanMs),
    );
    for (const record of stale) await this.records.remove(record.cluster);
    return stale.map((r) => r.cluster);
  }

  /** A handle for a cluster that already exists (e.g. a warm cluster adopted after a restart). */
  async handleFor(summary: ClusterSummary, spec: ClusterSpec): Promise<ClusterHandle> {
    const [kubeconfig, internalKubeconfig] = this.pick(await this.kubeconfigs(summary.name, {}));
    return {
      name: summary.name,
      provider: this.kind,
      kubeconfig,
      internalKubeconfig,
      createdAt: summary.createdAt,
      spec,
    };
  }

  private async provision(
    spec: ClusterSpec,
    name: string,
    run: RunOptions,
    signal: AbortSignal,
    stopped: () => ProviderError,
  ): Promise<ClusterHandle> {
    const createdAt = this.clock();
    const scratch = join(this.options.scratchDir ?? tmpdir(), `${name}.kubeconfig`);
    const config = kindConfigYaml(buildKindConfig({ ...spec, name }, this.config));
    let kubeconfigs: [string, string] = ['', ''];
    let nameTaken = false;
    const steps = [
      {
        name: 'record ownership',
        run: () => this.records.create(name, spec.labels ?? {}, createdAt, run),
      },
      {
        name: 'create cluster',
        run: async () => {
          const argv = [
            'kind',
            'create',
            'cluster',
            '--name',
            name,
            '--config',
            '-',
            '--kubeconfig',
            scratch,
          ];
          try {
            await this.runner.run(argv, { ...run, stdin: config });
          } catch (err) {
            // Another create won the race for this name: its cluster is not ours to roll back.
            if (err instanceof RunError && /already exist for a cluster with the name/.test(err.stderr)) {
              nameTaken = true;
            }
            throw err;
          }
        },
      },
      { name: 'wait for nodes', run: () => this.waitForNodes(spec, name, run) },
      { name: 'load images', run: () => this.preloader.load(name, run) },
      {
        name: 'read kubeconfig',
        run: async () => void (kubeconfigs = await this.kubeconfigs(name, run)),
      },
    ];
    try {
      await runSteps(
        steps,
        () => (nameTaken ? Promise.resolve() : this.delete(name)),
        (step) => this.options.log?.(`creating ${name}: ${step}`),
      );
    } catch (err) {
      if (nameTaken) throw this.nameTaken(name);
      throw this.createError(name, err, signal.aborted ? stopped() : undefined);
    } finally {
      await rm(scratch, { force: true }).catch(() => undefined);
    }
    const [kubeconfig, internalKubeconfig] = this.pick(kubeconfigs);
    return { name: name, provider: this.kind, kubeconfig, internalKubeconfig, createdAt, spec };
  }

  private async waitForNodes(spec: ClusterSpec, name: string, run: RunOptions): Promise<void> {
    // Without a CNI the nodes stay NotReady until the learner installs one: that is the lab.
    if (!spec.cni) return;
    const seconds = this.options.nodeReadyTimeoutSeconds ?? 180;
    await this.runner.run(
      [
        'docker',
        'exec',
        `${name}-control-plane`,
        'kubectl',
        '--kubeconfig=/etc/kubernetes/admin.conf',
        'wait',
        '--for=condition=Ready',
        'nodes',
        '--all',
        `--timeout=${seconds}s`,
      ],
      run,
    );
  }

  /** [kubeconfig for the caller, internal kubeconfig]. */
  private pick([host, internal]: [string, string]): [string, string] {
    return [this.options.internalAddress ? internal : host, internal];
  }

  private async kubeconfigs(name: string, run: RunOptions): Promise<[string, string]> {
    const host = await this.runner.run(['kind', 'get', 'kubeconfig', '--name', name], run);
    const internal = await this.runner.run(['kind', 'get', 'kubeconfig', '--name', name, '--internal'], run);
    return [host.stdout, internal.stdout];
  }

  private async exists(name: string, run: RunOptions): Promise<boolean> {
    const { stdout } = await this.runner.run(['kind', 'get', 'clusters'], run);
    return stdout.split('\n').some((line) => line.trim() === name);
  }

  /** Rejects as soon as the signal fires, even if the work ignores it. */
  private guard<T>(work: Promise<T>, signal: AbortSignal, stopped: () => ProviderError): Promise<T> {
    if (signal.aborted) return Promise.reject(stopped());
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(stopped());
      signal.addEventListener('abort', onAbort, { once: true });
      work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  private createError(name: string, err: unknown, stopped: ProviderError | undefined): ProviderError {
    const failure =
      err instanceof StepFailure ? (err as StepFailure & { rollbackError?: unknown }) : undefined;
    const cause = failure?.cause ?? err;
    const detail =
      cause instanceof RunError ? cause.message : cause instanceof Error ? cause.message : String(cause);
    const cleanup = failure?.rollbackError
      ? `; deleting the half-made cluster failed too (${(failure.rollbackError as Error).message}), remove it with \`kind delete cluster --name ${name}\` (the reaper also will)`
      : '; the half-made cluster was deleted';
    const at = failure ? ` at step "${failure.step}"` : '';
    const code = stopped?.code ?? ProviderErrorCode.CREATE_FAILED;
    const head = stopped ? stopped.message : `creating kind cluster "${name}" failed`;
    return new ProviderError(code, `${head}${at}: ${detail}${cleanup}`, { cause });
  }
}
